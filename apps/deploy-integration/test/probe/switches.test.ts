// For every switch the probe's Table-API experiments settle and every value of it: the emulator runs with that value,
// the probe (which sees only HTTP answers) reports exactly it, and the store is left as the probe found it.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROBED_SWITCH_NAMES, PROBED_SWITCHES, type ProbedSwitch } from '@kandji-sn/contract'
import { DEFAULT_SWITCHES, type EmulatorOptions, type EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { PROBES, TABLE_API_PROBES } from '../../src/commands/probe/registry.ts'
import { changedTables, pdi, probeObjects, readProfile, rowIds, runProbe } from './support.ts'

const CORE: ProbedSwitch[] = [
  'unversionedTableApi',
  'ropcRefusedForWebServiceOnly',
  'addSncInternalOnFirstLogin',
  'defaultScopeRestriction',
  'choiceInputDisplayValue',
  'listReadDenied',
  'uiSessionSecurity',
  'basicAuthRestriction',
  'samPro',
  'insertMultiplePlugin',
  'ireSkipDuplicates',
  'propertyNameUnique',
]

function expected(switches: Partial<EmulatorSwitches>): Record<string, string | boolean> {
  const all: EmulatorSwitches = { ...DEFAULT_SWITCHES, ...switches }
  return Object.fromEntries(CORE.map((name) => [name, all[name as keyof EmulatorSwitches] as string | boolean]))
}

async function probeWith(options: EmulatorOptions) {
  const emulator = await pdi(options)
  try {
    const before = rowIds(emulator)
    const result = await runProbe(emulator, mkdtempSync(join(tmpdir(), 'probe-')))
    return { result, profile: result.code === 0 ? readProfile(result.out) : undefined, left: probeObjects(emulator), changed: changedTables(before, rowIds(emulator)) }
  } finally {
    await emulator.close()
  }
}

describe('probe: every switch, every value', () => {
  it('the whole registry (with the app experiments) settles every switch of the contract; defaults observed', async () => {
    const emulator = await pdi()
    try {
      const before = rowIds(emulator)
      const result = await runProbe(emulator, mkdtempSync(join(tmpdir(), 'probe-')), [], { probes: PROBES })
      expect(result.code).toBe(0)
      const profile = readProfile(result.out)
      const values = Object.fromEntries(Object.entries(profile.switches).map(([k, o]) => [k, o.outcome === 'observed' ? o.value : `could-not-tell: ${o.reason}`]))
      expect(values).toEqual(Object.fromEntries(PROBED_SWITCH_NAMES.map((n) => [n, DEFAULT_SWITCHES[n as keyof EmulatorSwitches]])))
      expect(probeObjects(emulator)).toEqual([])
      // Install history, trackers, rollback contexts and the mutex row are the platform's record of the probe app's
      // installs, not objects the probe could or should delete.
      const history = /^(sys_upgrade_history|sys_execution_tracker|sys_rollback_context|sys_mutex|syslog):/
      expect(changedTables(before, rowIds(emulator)).filter((t) => !history.test(t))).toEqual([])
    } finally {
      await emulator.close()
    }
  })

  it('the Table-API experiments settle exactly the brief\'s switches (the app experiments settle the rest)', () => {
    expect(TABLE_API_PROBES.flatMap((p) => p.switches).sort()).toEqual([...CORE].sort())
    expect(PROBES.slice(0, TABLE_API_PROBES.length)).toEqual(TABLE_API_PROBES)
  })

  for (const name of CORE) {
    for (const value of PROBED_SWITCHES[name]) {
      it(`${name} = ${String(value)}`, async () => {
        const switches = { [name]: value } as Partial<EmulatorSwitches>
        const { result, profile, left, changed } = await probeWith({ switches })
        expect(result.stderr.split('\n')).toEqual([...TABLE_API_PROBES.map((p) => `experiment ${p.id}: done`), ''])
        expect(result.code).toBe(0)
        const values = Object.fromEntries(Object.entries(profile?.switches ?? {}).map(([k, o]) => [k, o.outcome === 'observed' ? o.value : `could-not-tell: ${o.reason}`]))
        expect(values).toEqual(expected(switches))
        expect(left).toEqual([])
        expect(changed).toEqual([])
      })
    }
  }

  it('before Zurich (no scope_restriction_status) reports could-not-tell for the two OAuth-client switches, with the reason', async () => {
    const { result, profile, left } = await probeWith({ release: 'yokohama' })
    expect(result.code).toBe(0)
    const reason = 'this release has no oauth_entity.scope_restriction_status (it came with Zurich and patched Yokohama)'
    expect(profile?.switches.defaultScopeRestriction).toMatchObject({ outcome: 'could-not-tell', reason })
    expect(profile?.switches.choiceInputDisplayValue).toMatchObject({ outcome: 'could-not-tell', reason: `${reason}, the choice field this experiment writes` })
    expect(profile?.instance).toEqual({ release: 'yokohama', buildName: 'Yokohama', buildTag: 'glide-yokohama-12-18-2024__patch8-09-24-2025', patch: 'patch8' })
    const observed = Object.entries(profile?.switches ?? {}).filter(([, o]) => o.outcome === 'observed').map(([k]) => k)
    expect(observed.sort()).toEqual(CORE.filter((n) => n !== 'defaultScopeRestriction' && n !== 'choiceInputDisplayValue').sort())
    expect(left).toEqual([])
  })

  it('a password grant refused for both users is could-not-tell, not a guess', async () => {
    const emulator = await pdi()
    try {
      // Every password grant fails: the instance does not let the probe tell a web-service-only refusal apart.
      emulator.addFault({ method: 'POST', path: '/oauth_token.do', kind: 'status', status: 401, body: { error: 'server_error', error_description: 'access_denied' } })
      const result = await runProbe(emulator, mkdtempSync(join(tmpdir(), 'probe-')))
      expect(result.code).toBe(0)
      const profile = readProfile(result.out)
      expect(profile.switches.ropcRefusedForWebServiceOnly).toMatchObject({ outcome: 'could-not-tell', reason: 'the password grant failed for the interactive user too, so the refusal is not about web-service-only accounts' })
      expect(profile.switches.ropcRefusedForWebServiceOnly?.evidence.map((e) => e.status)).toEqual([401, 401])
      expect(profile.switches.basicAuthRestriction).toMatchObject({ outcome: 'observed', value: 'upgraded' })
      expect(probeObjects(emulator)).toEqual([])
    } finally {
      await emulator.close()
    }
  })
})
