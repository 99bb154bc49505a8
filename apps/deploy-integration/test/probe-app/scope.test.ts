// The cross-scope experiment against the emulator: each value of runtimeAccessTracking, crossScopeRefusal and
// globalTableAccess is reported as set, and where one switch hides another (nothing refused: no refusal to see) the
// hidden one is could-not-tell, never a guess. Nothing of the probe is left, tracked privileges included.
import { describe, expect, it } from 'vitest'
import type { SwitchObservation } from '@kandji-sn/contract'
import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { startEmulator, type EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { probeAppExperiment } from '../../src/commands/probe/app/index.ts'
import { PROBE_APP, SCOPE_PROBE } from '../../src/commands/probe/app/package.ts'
import { probeContext, probeLeftovers } from './support.ts'

type Scope = Pick<EmulatorSwitches, 'runtimeAccessTracking' | 'crossScopeRefusal' | 'globalTableAccess'>
const show = (o: SwitchObservation | undefined) => (o?.outcome === 'observed' ? o.value : `could-not-tell: ${o?.reason}`)
const NOTHING_REFUSED = 'could-not-tell: the instance refused neither operation (runtime access tracking let the read through and the table let the create through), so there was no refusal to see'

async function observe(switches: Scope) {
  const emu = await startEmulator({ updateMutexHoldMs: 0, switches })
  try {
    const t = probeContext(emu)
    const o = await probeAppExperiment.run(t.ctx)
    const privilegesAfterRun = emu.db.query(PLATFORM_TABLES.scopePrivilege, `source_scope=${PROBE_APP.scopeId}^target_name=${SCOPE_PROBE.readTable}`)
    await probeAppExperiment.cleanup?.(t.ctx)
    await t.removeCreated()
    return {
      seen: { runtimeAccessTracking: show(o.runtimeAccessTracking), crossScopeRefusal: show(o.crossScopeRefusal), globalTableAccess: show(o.globalTableAccess) },
      evidence: o.runtimeAccessTracking?.evidence ?? [],
      created: t.created.filter((c) => c.table === PLATFORM_TABLES.choice && c.name === SCOPE_PROBE.choiceValue).length,
      privilegesAfterRun: privilegesAfterRun.length,
      left: probeLeftovers(emu),
      privileges: emu.db.query(PLATFORM_TABLES.scopePrivilege, `source_scope=${PROBE_APP.scopeId}`).length,
    }
  } finally {
    await emu.close()
  }
}

const CASES: Array<[Scope, Record<keyof Scope, string>]> = [
  // Enforcing refuses the read: the refusal is seen there whatever the table allows.
  [{ runtimeAccessTracking: 'enforcing', crossScopeRefusal: 'throw', globalTableAccess: 'read-only' }, { runtimeAccessTracking: 'enforcing', crossScopeRefusal: 'throw', globalTableAccess: 'read-only' }],
  [{ runtimeAccessTracking: 'enforcing', crossScopeRefusal: 'quiet', globalTableAccess: 'open' }, { runtimeAccessTracking: 'enforcing', crossScopeRefusal: 'quiet', globalTableAccess: 'open' }],
  [{ runtimeAccessTracking: 'enforcing', crossScopeRefusal: 'quiet', globalTableAccess: 'read-only' }, { runtimeAccessTracking: 'enforcing', crossScopeRefusal: 'quiet', globalTableAccess: 'read-only' }],
  // Tracking and None let the read through: only a read-only sys_choice shows how a refusal looks.
  [{ runtimeAccessTracking: 'tracking', crossScopeRefusal: 'quiet', globalTableAccess: 'read-only' }, { runtimeAccessTracking: 'tracking', crossScopeRefusal: 'quiet', globalTableAccess: 'read-only' }],
  [{ runtimeAccessTracking: 'tracking', crossScopeRefusal: 'throw', globalTableAccess: 'read-only' }, { runtimeAccessTracking: 'tracking', crossScopeRefusal: 'throw', globalTableAccess: 'read-only' }],
  [{ runtimeAccessTracking: 'none', crossScopeRefusal: 'throw', globalTableAccess: 'read-only' }, { runtimeAccessTracking: 'none', crossScopeRefusal: 'throw', globalTableAccess: 'read-only' }],
  [{ runtimeAccessTracking: 'none', crossScopeRefusal: 'quiet', globalTableAccess: 'read-only' }, { runtimeAccessTracking: 'none', crossScopeRefusal: 'quiet', globalTableAccess: 'read-only' }],
  // Nothing refused: the refusal switch is hidden.
  [{ runtimeAccessTracking: 'none', crossScopeRefusal: 'throw', globalTableAccess: 'open' }, { runtimeAccessTracking: 'none', crossScopeRefusal: NOTHING_REFUSED, globalTableAccess: 'open' }],
  [{ runtimeAccessTracking: 'none', crossScopeRefusal: 'quiet', globalTableAccess: 'open' }, { runtimeAccessTracking: 'none', crossScopeRefusal: NOTHING_REFUSED, globalTableAccess: 'open' }],
  [{ runtimeAccessTracking: 'tracking', crossScopeRefusal: 'quiet', globalTableAccess: 'open' }, { runtimeAccessTracking: 'tracking', crossScopeRefusal: NOTHING_REFUSED, globalTableAccess: 'open' }],
]

describe('cross-scope experiment', () => {
  it.each(CASES)('%o: reported as %o, nothing left', async (switches, expected) => {
    const r = await observe(switches)
    expect(r.seen).toEqual(expected)
    expect(r.created).toBe(switches.globalTableAccess === 'open' ? 1 : 0)
    // The tracked privilege is removed by the experiment itself, as soon as it was seen.
    expect(r.privilegesAfterRun).toBe(0)
    expect(r.left).toEqual([])
    expect(r.privileges).toBe(0)
  })

  it('the evidence names the call and the privilege read, with the shape of each answer', async () => {
    const r = await observe({ runtimeAccessTracking: 'tracking', crossScopeRefusal: 'throw', globalTableAccess: 'read-only' })
    expect(r.evidence.map((e) => [e.request, e.status])).toEqual([
      [`POST ${SCOPE_PROBE.basePath}/run (as admin: the probe app's script reads sys_user without a privilege, creates ${SCOPE_PROBE.choiceValue} in sys_choice with one)`, 200],
      [`GET /api/now/table/sys_scope_privilege (source_scope=${PROBE_APP.scope}^target_name=sys_user)`, 200],
    ])
    expect(r.evidence[1]?.answer).toBe('200 {result: [status: allowed]}')
    expect(r.evidence[0]?.answer).toMatch(/^200 \{result: \{read: \{thrown: false, found: true\}, create: \{thrown: true, message: "Security restricted: Create operation against 'sys_choice' .*", sysId: null\}\}\}$/)
  })
})
