// Ctrl-C or a cancelled CI job during a fleet run: no new instance starts, the running ones are recorded as
// interrupted in the state (their own lock cleanups run beside the fleet's), the run exits 130, and --resume runs
// the interrupted and the never-started instances.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '@kandji-sn/contract'
import { explainFleet, fleetEnv, readFleetState, runFleet, startFleet, writeFleetFile, type FleetMember } from './support/fleet.ts'
import { tempDir } from './support/instance.ts'

describe('fleet deploy cancelled while two instances run', () => {
  let members: FleetMember[]
  let dir: string
  let fleetFile: string

  beforeAll(async () => {
    members = await startFleet(6)
    dir = tempDir('fleet-cancel')
    fleetFile = await writeFleetFile(dir, members, 2)
  })
  afterAll(async () => {
    await Promise.all((members ?? []).map((m) => m.emulator.close()))
  })

  it('records the running ones as interrupted and the rest as not run, exits 130, and --resume finishes all six', async () => {
    const cleanups = new Set<() => Promise<void>>()
    const onInterrupt = (c: () => Promise<void>) => {
      cleanups.add(c)
      return () => cleanups.delete(c)
    }
    const out = join(dir, 'out')
    const running = runFleet(['deploy', '--yes', '--json', '--config', fleetFile, '--out', out], fleetEnv(members), dir, onInterrupt)
    while (!(members[0]!.emulator.counters.requests > 0 && members[1]!.emulator.counters.requests > 0)) await new Promise((r) => setTimeout(r, 5))
    // What interrupt.ts does on SIGINT: every registered cleanup at once.
    await Promise.allSettled([...cleanups].map((c) => c()))
    const atSignal = readFleetState(out)
    expect(atSignal.instances.map((e) => e.status)).toEqual(['interrupted', 'interrupted', 'pending', 'pending', 'pending', 'pending'])
    expect(atSignal.instances[0]!.error!.fix).toBe('re-run the same command with --resume: it runs this instance again')
    const run = await running
    expect(run.code, explainFleet(run)).toBe(130)
    expect(run.stderr).toContain(`interrupted: no new instance starts; 2 running instances recorded as interrupted in ${join(out, 'state.json')} (--resume runs them again)`)
    expect(members.map((m) => m.emulator.counters.requests > 0)).toEqual([true, true, false, false, false, false])

    const resumed = await runFleet(['deploy', '--yes', '--json', '--config', fleetFile, '--out', out, '--resume'], fleetEnv(members), dir)
    expect(resumed.code, explainFleet(resumed)).toBe(EXIT_CODES.ok)
    expect(readFleetState(out).totals).toEqual({ instances: 6, ok: 6, drifted: 0, failed: 0, interrupted: 0, pending: 0 })
  }, 300_000)
})
