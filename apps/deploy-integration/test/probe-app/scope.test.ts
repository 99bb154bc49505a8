// The cross-scope experiment against the emulator: each value of runtimeAccessTracking, crossScopeRefusal and
// globalTableAccess is reported as set, and where one switch hides another (nothing refused: no refusal to see) the
// hidden one is could-not-tell, never a guess. Nothing of the probe is left, tracked privileges included.
import { describe, expect, it } from 'vitest'
import type { SwitchObservation } from '@kandji-sn/contract'
import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { startEmulator, type EmulatorSwitches, type FaultRule } from '@kandji-sn/instance-emulator'
import { probeAppExperiment } from '../../src/commands/probe/app/index.ts'
import { PROBE_APP, SCOPE_PROBE } from '../../src/commands/probe/app/package.ts'
import { probeContext, probeLeftovers } from './support.ts'

type Scope = Pick<EmulatorSwitches, 'runtimeAccessTracking' | 'crossScopeRefusal' | 'globalTableAccess'>
const show = (o: SwitchObservation | undefined) => (o?.outcome === 'observed' ? o.value : `could-not-tell: ${o?.reason}`)
const NOTHING_REFUSED = 'could-not-tell: the instance refused neither operation (runtime access tracking let the read through and the table let the create through), so there was no refusal to see'

async function observe(switches: Partial<Scope>, faults: FaultRule[] = []) {
  const emu = await startEmulator({ updateMutexHoldMs: 0, switches, faults })
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

/** The probe app API's answer replaced by `body` (the script does not run): what the probe makes of answers it cannot explain. */
const answering = (status: number, body: unknown): FaultRule => ({ method: 'POST', path: `${SCOPE_PROBE.basePath}/run`, kind: 'status', status, body })
const script = (read: object, create: object) => answering(200, { result: { read, create } })

describe('answers no variant explains: could-not-tell, with the reason, never a guess', () => {
  const MALFORMED = 'could-not-tell: the probe app API answered, but not with the read and create outcomes its script reports'
  const NO_RESULT =
    'could-not-tell: POST /api/x_kandj_probe/scope_probe/run answered an unexpected body: result: expected an object with a result field (the instance answered something this client does not understand: check the URL points at a ServiceNow instance, and report the field named above)'
  it.each([
    ['no result', { status: 'ok' }, NO_RESULT],
    ['a string', { result: 'done' }, MALFORMED],
    ['read without found', { result: { read: { thrown: false }, create: { thrown: false, sysId: null } } }, MALFORMED],
    ['create without sysId', { result: { read: { thrown: false, found: true }, create: { thrown: false } } }, MALFORMED],
    ['thrown not a boolean', { result: { read: { thrown: 'no', found: true }, create: { thrown: false, sysId: null } } }, MALFORMED],
    ['a numeric sys_id', { result: { read: { thrown: false, found: true }, create: { thrown: false, sysId: 42 } } }, MALFORMED],
    ['a numeric message', { result: { read: { thrown: true, found: false, message: 7 }, create: { thrown: false, sysId: null } } }, MALFORMED],
  ])('a malformed answer (%s): all three could-not-tell', async (_name, body, reason) => {
    const r = await observe({}, [answering(200, body)])
    expect(r.seen).toEqual({ runtimeAccessTracking: reason, crossScopeRefusal: reason, globalTableAccess: reason })
    expect(r.left).toEqual([])
  })

  it('the API is not there (404): all three could-not-tell with the instance\'s answer as evidence', async () => {
    const r = await observe({}, [answering(404, { error: { message: 'Requested URI does not represent any resource', detail: null }, status: 'failure' })])
    expect(Object.values(r.seen).every((v) => String(v).startsWith('could-not-tell: '))).toBe(true)
    expect(new Set(Object.values(r.seen)).size).toBe(1)
    expect(r.evidence).toEqual([expect.objectContaining({ status: 404, answer: '404 {error: "Requested URI does not represent any resource"}' })])
    expect(r.left).toEqual([])
  })

  it('a read that threw something other than a refusal: tracking could-not-tell; the create still tells the rest', async () => {
    const r = await observe({}, [script({ thrown: true, found: false, message: 'TypeError: Cannot find function get' }, { thrown: false, sysId: null })])
    expect(r.seen).toEqual({
      runtimeAccessTracking: 'could-not-tell: reading sys_user threw something other than a cross-scope refusal: TypeError: Cannot find function get',
      crossScopeRefusal: 'quiet',
      globalTableAccess: 'read-only',
    })
  })

  it('a create that threw something other than a refusal: table access could-not-tell', async () => {
    const r = await observe({}, [script({ thrown: false, found: true }, { thrown: true, sysId: null, message: 'Data Policy Exception: Label is mandatory' })])
    expect(r.seen).toEqual({
      runtimeAccessTracking: 'none',
      crossScopeRefusal: NOTHING_REFUSED,
      globalTableAccess: 'could-not-tell: creating a choice in sys_choice threw something other than a cross-scope refusal: Data Policy Exception: Label is mandatory',
    })
  })

  it('one refusal thrown and the other quiet: the refusal could-not-tell', async () => {
    const r = await observe({}, [script({ thrown: true, found: false, message: "Security restricted: Read operation on table 'sys_user' was denied" }, { thrown: false, sysId: null })])
    expect(r.seen).toEqual({ runtimeAccessTracking: 'enforcing', crossScopeRefusal: 'could-not-tell: one refused operation threw and the other returned nothing', globalTableAccess: 'read-only' })
  })

  it('a refused read with an allowed privilege recorded for it: tracking could-not-tell', async () => {
    const privilege = { sys_id: 'a'.repeat(32), source_scope: PROBE_APP.scopeId, target_name: 'sys_user', operation: 'read', status: 'allowed' }
    const listed: FaultRule = { method: 'GET', path: '/api/now/table/sys_scope_privilege', when: ({ query }) => (query.get('sysparm_query') ?? '').includes('target_name=sys_user'), kind: 'status', status: 200, body: { result: [privilege] } }
    const r = await observe({}, [listed])
    expect(r.seen).toEqual({ runtimeAccessTracking: 'could-not-tell: reading sys_user was refused, yet an allowed privilege for it was recorded, which no tracking mode explains', crossScopeRefusal: 'throw', globalTableAccess: 'read-only' })
    expect(r.evidence[1]?.answer).toBe('200 {result: [status: allowed]}')
  })

  it('the removal of the tracked privilege refused once: what was seen stands, and clean-up removes it', async () => {
    const refusedOnce: FaultRule = { method: 'DELETE', path: '/api/now/table/sys_scope_privilege', times: 1, kind: 'status', status: 403, body: { error: { message: 'Operation Failed', detail: 'ACL' }, status: 'failure' } }
    const r = await observe({ runtimeAccessTracking: 'tracking', globalTableAccess: 'open' }, [refusedOnce])
    expect(r.seen).toEqual({ runtimeAccessTracking: 'tracking', crossScopeRefusal: NOTHING_REFUSED, globalTableAccess: 'open' })
    expect(r.privilegesAfterRun).toBe(1)
    expect(r.privileges).toBe(0)
    expect(r.left).toEqual([])
  })
})
