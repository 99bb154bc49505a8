// A probe run interrupted at any request: request k fails (a reset before it is processed, a reset after it was
// processed, no answer at all) or Ctrl-C is pressed once request k was answered. The next run ends ok, and nothing
// named kandji_probe_* is left in any table; on Ctrl-C the interrupted run already removed everything itself.
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FaultRule } from '@kandji-sn/instance-emulator'
import { INTERRUPTED_EXIT } from '../../src/commands/probe/index.ts'
import { changedTables, pdi, probeObjects, rowIds, runProbe } from './support.ts'

const FAULTS = ['reset', 'reset-after', 'timeout'] as const
type Case = (typeof FAULTS)[number] | 'ctrl-c'

let requests = 0

beforeAll(async () => {
  const emulator = await pdi()
  try {
    const clean = await runProbe(emulator, mkdtempSync(join(tmpdir(), 'probe-')))
    expect(clean.code).toBe(0)
    requests = clean.requests
  } finally {
    await emulator.close()
  }
})

async function interruptedThenAgain(kind: Case, k: number): Promise<string[]> {
  const emulator = await pdi()
  const problems: string[] = []
  try {
    const before = rowIds(emulator)
    if (kind !== 'ctrl-c') emulator.addFault({ kind, nth: k } as FaultRule)
    const dir = mkdtempSync(join(tmpdir(), 'probe-'))
    const first = await runProbe(emulator, dir, [], kind === 'ctrl-c' ? { interruptAt: k } : {})
    if (kind === 'ctrl-c') {
      if (first.code === INTERRUPTED_EXIT && existsSync(first.out)) problems.push('an interrupted run wrote a profile')
      if (first.code !== INTERRUPTED_EXIT && first.code !== 0) problems.push(`the interrupted run ended ${first.code}: ${first.stderr}`)
      const left = probeObjects(emulator)
      if (left.length > 0) problems.push(`Ctrl-C left ${left.join(', ')}`)
    }
    emulator.clearFaults()
    const second = await runProbe(emulator, dir)
    if (second.code !== 0) problems.push(`the second run ended ${second.code}: ${second.stderr}`)
    const left = probeObjects(emulator)
    if (left.length > 0) problems.push(`left after the second run: ${left.join(', ')}`)
    const changed = changedTables(before, rowIds(emulator))
    if (changed.length > 0) problems.push(`rows changed: ${changed.join(', ')}`)
  } finally {
    await emulator.close()
  }
  return problems.map((p) => `${kind} at request ${k}: ${p}`)
}

describe('probe: interrupted at every request', () => {
  it('a clean run makes enough requests to make the matrix mean something', () => {
    expect(requests).toBeGreaterThan(30)
  })

  for (const kind of [...FAULTS, 'ctrl-c'] as const) {
    it(`${kind} at each request, then a second run: ok and nothing left`, async () => {
      const problems: string[] = []
      for (let k = 1; k <= requests; k++) problems.push(...(await interruptedThenAgain(kind, k)))
      expect(problems).toEqual([])
    }, 600_000)
  }
})
