// The "Broadly scoped" choice of oauth_entity.scope_restriction_status: the probe reads which value it stores (the
// product assumes OAUTH_CLIENT.broadlyScopedValue), records it as evidence of defaultScopeRestriction, and says so in
// its summary when the instance stores another value (or has no such choice).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OAUTH_CLIENT, PLATFORM_TABLES } from '@kandji-sn/contract'
import type { Emulator } from '@kandji-sn/instance-emulator'
import { broadlyScopedValue } from '../../src/commands/probe/experiments/oauth-defaults.ts'
import { pdi, probeObjects, readProfile, runProbe } from './support.ts'

const FIELD = OAUTH_CLIENT.scopeRestrictionField
const CHOICE_READ = `GET /api/now/v2/table/${PLATFORM_TABLES.choice}?sysparm_query=name=${PLATFORM_TABLES.oauthEntity}^element=${FIELD}&sysparm_fields=value,label`

/** Relabels the field's seeded choices: label -> the value that label stores. */
function relabel(emulator: Emulator, labels: Record<string, string>): void {
  for (const c of emulator.db.query(PLATFORM_TABLES.choice, `name=${PLATFORM_TABLES.oauthEntity}^element=${FIELD}`)) {
    const label = Object.entries(labels).find(([, value]) => value === c.value)?.[0]
    emulator.db.update(PLATFORM_TABLES.choice, String(c.sys_id), { label: label ?? `not ${String(c.label)}` })
  }
}

async function probeAfter(change: (e: Emulator) => void) {
  const emulator = await pdi()
  try {
    change(emulator)
    const text = await runProbe(emulator, mkdtempSync(join(tmpdir(), 'probe-')))
    const json = await runProbe(emulator, mkdtempSync(join(tmpdir(), 'probe-')), ['--json'])
    expect([text.code, json.code]).toEqual([0, 0])
    expect(probeObjects(emulator)).toEqual([])
    const notes = (JSON.parse(json.stdout) as { notes: string[] }).notes
    // The text summary shows the same notes, one line each.
    expect(text.stdout.split('\n').filter((l) => l.startsWith('note: '))).toEqual(notes.map((n) => `note: ${n}`))
    return { notes, evidence: readProfile(json.out).switches.defaultScopeRestriction?.evidence ?? [] }
  } finally {
    await emulator.close()
  }
}

describe('the "Broadly scoped" value', () => {
  it('as the product assumes it (the emulator\'s seed): evidence says so, no note', async () => {
    const { notes, evidence } = await probeAfter(() => {})
    expect(notes).toEqual([])
    expect(evidence.map((e) => e.request)).toEqual([`POST /api/now/v2/table/${PLATFORM_TABLES.oauthEntity}?sysparm_fields=sys_id,name,${FIELD}&sysparm_exclude_reference_link=true (no ${FIELD} given)`, CHOICE_READ])
    expect(evidence[1]).toEqual({ request: CHOICE_READ, status: 200, answer: `200 {result: [3 records]} "Broadly scoped"="${OAUTH_CLIENT.broadlyScopedValue}"` })
  })

  it('stored as another value: the summary says which, and that the product assumes otherwise', async () => {
    const { notes, evidence } = await probeAfter((e) => relabel(e, { 'Broadly scoped': 'useraccount', 'Unrestricted': OAUTH_CLIENT.broadlyScopedValue }))
    expect(evidence[1]?.answer).toBe('200 {result: [3 records]} "Broadly scoped"="useraccount"')
    expect(notes).toEqual([
      `the "Broadly scoped" choice of oauth_entity.${FIELD} stores "useraccount", not "${OAUTH_CLIENT.broadlyScopedValue}" as the product assumes (OAUTH_CLIENT.broadlyScopedValue): please report this profile`,
    ])
  })

  it('no such choice: the summary says the product\'s value is not confirmed', async () => {
    const { notes, evidence } = await probeAfter((e) => relabel(e, {}))
    expect(evidence[1]?.answer).toBe('200 {result: [3 records]} "Broadly scoped"=(no single choice)')
    expect(notes).toEqual([
      `oauth_entity.${FIELD} has no single "Broadly scoped" choice (sys_choice), so the stored value the product writes ("${OAUTH_CLIENT.broadlyScopedValue}", OAUTH_CLIENT.broadlyScopedValue) is not confirmed`,
    ])
  })
})

describe('broadlyScopedValue', () => {
  it.each([
    [[{ value: 'unrestricted', label: 'Broadly scoped' }, { value: 'restricted', label: 'Secured scopes only' }], 'unrestricted'],
    [[{ value: 'x', label: '  broadly SCOPED ' }], 'x'],
    [[{ value: 'a', label: 'Broadly scoped' }, { value: 'b', label: 'Broadly scoped' }], undefined],
    [[{ value: 'a', label: 'Broadly scoped' }, { value: 'a', label: 'Broadly scoped' }], 'a'],
    [[], undefined],
    [[{ value: 'a' }, { label: 'Broadly scoped' }], ''],
    [[{ value: 1, label: null }], undefined],
  ] as const)('%j -> %s', (choices, expected) => {
    expect(broadlyScopedValue(choices as unknown as Record<string, unknown>[])).toBe(expected)
  })
})
