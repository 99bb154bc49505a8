// Re-run idempotence, and drift and repair: a person changes the setup by hand (through the Table API, as in the
// UI), verify names what broke (exit 1), Iru Endpoint's push shows the effect, and deploy puts it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_PROPERTIES, DISCOVERY_SOURCE, driftListSchema, EXIT_CODES, FIX_SCRIPT_NAME, OAUTH_CLIENT, PLATFORM_TABLES, SERVICE_ACCOUNT, type CheckId, type DriftEntry } from '@kandji-sn/contract'
import { query } from '@kandji-sn/servicenow-client'
import { loadKandjiApp } from '@kandji-sn/instance-emulator'
import { generateDevices, isSimulatorError, pushInventory, type KandjiDevice } from '@kandji-sn/iru-simulator'
import { checkStatus, explain, startInstance, type Instance } from './support/instance.ts'

async function findOne(inst: Instance, table: string, q: string) {
  const row = await inst.client.table.findOne(table, q)
  expect(row, `${table} ${q}`).toBeDefined()
  return row!
}

/** verify --drift's exit code and drift list (parsed with the contract's schema). */
async function verifyDrift(inst: Instance) {
  const run = await inst.verify(['--drift', '--app-package', (await loadKandjiApp()).zip])
  const drift = driftListSchema.safeParse(run.json?.drift)
  expect(drift.success, explain(run)).toBe(true)
  return { run, code: run.code, drift: drift.data! }
}

/**
 * Verify fails on exactly `id` (exit 1) with `fix`, and with --drift still exits 1 and names exactly `drift`; the plan
 * has the one change that repairs it, deploy applies it and verify passes again (exit 0).
 */
async function expectDetectedAndRepaired(inst: Instance, id: CheckId, fix: string, drift: DriftEntry[]) {
  const broken = await inst.verify()
  expect(broken.code, explain(broken)).toBe(EXIT_CODES.verificationFailed)
  expect(broken.report!.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([id])
  expect(broken.report!.checks.find((c) => c.id === id)!.fix).toBe(fix)
  const named = await verifyDrift(inst)
  expect(named.code, explain(named.run)).toBe(EXIT_CODES.verificationFailed)
  expect(named.drift).toStrictEqual(drift)

  const plan = await inst.cli(['plan', '--json', '--app-package', (await loadKandjiApp()).zip])
  expect(plan.code, explain(plan)).toBe(EXIT_CODES.ok)
  expect(plan.json!.changes).toBe(1)

  const repair = await inst.deploy(['--json'])
  expect(repair.code, explain(repair)).toBe(EXIT_CODES.ok)
  const fixed = await inst.verify()
  expect(fixed.code, explain(fixed)).toBe(EXIT_CODES.ok)
  expect(checkStatus(fixed.report, id)).toBe('pass')
}

async function pushOne(inst: Instance, device: KandjiDevice) {
  return pushInventory({ handoff: inst.handoff(), devices: [device], mode: 'single' })
}

describe('re-run idempotence, drift detected by verify and repaired by deploy (Zurich)', () => {
  let inst: Instance
  let devices: KandjiDevice[]

  beforeAll(async () => {
    inst = await startInstance({ release: 'zurich' })
    const first = await inst.deploy()
    expect(first.code, explain(first)).toBe(EXIT_CODES.ok)
    devices = generateDevices({ count: 6, seed: 'e2e-drift' })
  })
  afterAll(async () => {
    await inst?.close()
  })

  it('a second deploy, verification included, writes nothing to the instance and says it is in sync', async () => {
    inst.emulator.resetCounters()
    const again = await inst.deploy(['--json'])
    expect(again.code, explain(again)).toBe(EXIT_CODES.ok)
    expect(again.json).toMatchObject({ changes: 0, applied: [] })
    expect(again.stderr).toContain('in sync: nothing to change')
    expect(inst.writes()).toEqual({ insert: 0, update: 0, delete: 0 })
    expect(inst.emulator.counters.requests).toBeGreaterThan(0)
  })

  it('a third deploy keeps the hand-off file and its credentials unchanged', async () => {
    const before = inst.handoff()
    const run = await inst.deploy()
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    expect(run.stdout).toMatch(/unchanged/)
    expect(inst.handoff()).toEqual(before)
  })

  it('the Kandji discovery-source choice removed: pushes are rejected by IRE, verify fails discovery_source, deploy repairs it', async () => {
    const choice = await findOne(inst, PLATFORM_TABLES.choice, query().eq('name', DISCOVERY_SOURCE.table).eq('element', DISCOVERY_SOURCE.element).eq('value', DISCOVERY_SOURCE.value).toString())
    expect(await inst.client.table.delete(PLATFORM_TABLES.choice, choice.sys_id!)).toBe(true)
    const rejected = await pushOne(inst, devices[0]!)
    expect(rejected.totals.rejected).toBe(1)
    expect(rejected.errors[0]!.message).toMatch(/discovery_source|data source/i)
    await expectDetectedAndRepaired(inst, 'discovery_source', `Run deploy-integration deploy (it adds the choice as the admin through the Table API), or run the ${FIX_SCRIPT_NAME} fix script (System Definition > Fix Scripts).`, [
      { kind: 'choice-missing', detail: `discovery source "${DISCOVERY_SOURCE.value}" does not exist` },
    ])
    expect((await pushOne(inst, devices[0]!)).totals.inserted).toBe(1)
  })

  it('a required role removed from the service account: verify fails service_account_roles, deploy grants it again', async () => {
    const user = await findOne(inst, PLATFORM_TABLES.user, query().eq('user_name', SERVICE_ACCOUNT.defaultUserName).toString())
    const role = await findOne(inst, PLATFORM_TABLES.role, query().eq('name', 'rest_api_explorer').toString())
    const grant = await findOne(inst, PLATFORM_TABLES.userRole, query().eq('user', user.sys_id!).eq('role', role.sys_id!).eq('inherited', 'false').toString())
    expect(await inst.client.table.delete(PLATFORM_TABLES.userRole, grant.sys_id!)).toBe(true)
    await expectDetectedAndRepaired(inst, 'service_account_roles', `Add rest_api_explorer to ${SERVICE_ACCOUNT.defaultUserName} (deploy-integration deploy does this).`, [
      { kind: 'role-missing', detail: `roles of "${SERVICE_ACCOUNT.defaultUserName}": rest_api_explorer is not granted directly` },
    ])
    expect(await inst.client.table.count(PLATFORM_TABLES.userRole, query().eq('user', user.sys_id!).eq('role', role.sys_id!).eq('inherited', 'false').toString())).toBe(1)
  })

  it('the OAuth client deactivated: Iru Endpoint cannot get a token, verify fails oauth_client, deploy reactivates it', async () => {
    const client = await findOne(inst, PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
    await inst.client.table.patch(PLATFORM_TABLES.oauthEntity, client.sys_id!, { active: 'false' })
    const refused = await pushOne(inst, devices[1]!).catch((e: unknown) => e)
    expect(isSimulatorError(refused) && refused.exitCode).toBe(EXIT_CODES.auth)
    await expectDetectedAndRepaired(inst, 'oauth_client', `Set Active on ${OAUTH_CLIENT.defaultName}.`, [{ kind: 'client-inactive', detail: `OAuth client "${OAUTH_CLIENT.defaultName}" is inactive` }])
    expect((await pushOne(inst, devices[1]!)).totals.inserted).toBe(1)
  })

  it('the scope restriction narrowed on Zurich: the Import Set API is refused, verify fails oauth_scope_restriction, deploy broadens it', async () => {
    const client = await findOne(inst, PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
    await inst.client.table.patch(PLATFORM_TABLES.oauthEntity, client.sys_id!, { [OAUTH_CLIENT.scopeRestrictionField]: 'restricted' })
    const refused = await pushOne(inst, devices[2]!).catch((e: unknown) => e)
    expect(isSimulatorError(refused), String(refused)).toBe(true)
    expect((refused as Error).message).toMatch(/may not call/)
    await expectDetectedAndRepaired(inst, 'oauth_scope_restriction', `Set Scope Restriction on ${OAUTH_CLIENT.defaultName} to Broadly scoped (deploy-integration deploy does this).`, [
      { kind: 'client-changed', detail: `OAuth client "${OAUTH_CLIENT.defaultName}": ${OAUTH_CLIENT.scopeRestrictionField} is "restricted", wanted "${OAUTH_CLIENT.broadlyScopedValue}"` },
    ])
    const after = await findOne(inst, PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
    expect(after[OAUTH_CLIENT.scopeRestrictionField]).toBe(OAUTH_CLIENT.broadlyScopedValue)
    const pushed = await pushOne(inst, devices[2]!)
    expect(pushed.totals.inserted).toBe(1)
  })

  it('after all repairs a deploy again writes nothing', async () => {
    inst.emulator.resetCounters()
    const run = await inst.deploy(['--json'])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    expect(run.json!.changes).toBe(0)
    expect(inst.writes()).toEqual({ insert: 0, update: 0, delete: 0 })
  })
})

// verify --drift names every difference a person can make by hand, with its kind: exit 5 when no check fails (the
// instance works but is not as deployed), 1 when one does; deploy (or --prune-roles) puts it back and the list is empty.
describe('verify --drift: each kind of drift on an emulated instance, its exact list and exit code (Zurich)', () => {
  let inst: Instance
  const ACCOUNT = SERVICE_ACCOUNT.defaultUserName
  const CLIENT = OAUTH_CLIENT.defaultName

  beforeAll(async () => {
    inst = await startInstance({ release: 'zurich' })
    const first = await inst.deploy()
    expect(first.code, explain(first)).toBe(EXIT_CODES.ok)
  })
  afterAll(async () => {
    await inst?.close()
  })

  const account = () => findOne(inst, PLATFORM_TABLES.user, query().eq('user_name', ACCOUNT).toString())
  const client = () => findOne(inst, PLATFORM_TABLES.oauthEntity, query().eq('name', CLIENT).toString())
  const property = (name: string) => findOne(inst, PLATFORM_TABLES.property, query().eq('name', name).toString())
  const kandjiChoice = () => findOne(inst, PLATFORM_TABLES.choice, query().eq('name', DISCOVERY_SOURCE.table).eq('element', DISCOVERY_SOURCE.element).eq('value', DISCOVERY_SOURCE.value).toString())

  async function expectDrift(code: number, drift: DriftEntry[]) {
    const found = await verifyDrift(inst)
    expect({ code: found.code, drift: found.drift }, explain(found.run)).toStrictEqual({ code, drift })
    return found.run
  }

  async function repair(extra: string[] = []) {
    const run = await inst.deploy(['--json', ...extra])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    await expectDrift(EXIT_CODES.ok, [])
  }

  it('in sync: exit 0, an empty list in the JSON and "drift: none" in the human output', async () => {
    const run = await expectDrift(EXIT_CODES.ok, [])
    expect(run.stderr).toContain('drift: none (the instance is in the desired state; deploy would change nothing)')
    expect(run.json!.blockers).toStrictEqual([])
    const plain = await inst.verify()
    expect(plain.code).toBe(EXIT_CODES.ok)
    expect(Object.keys(plain.json!).sort()).toStrictEqual(['command', 'instance', 'smokeTest', 'status', 'verification'])
  })

  it('role-added: an extra role on the service account is drift (exit 5) that deploy leaves and --prune-roles removes', async () => {
    const user = await account()
    const itil = await findOne(inst, PLATFORM_TABLES.role, query().eq('name', 'itil').toString())
    await inst.client.table.create(PLATFORM_TABLES.userRole, { user: user.sys_id!, role: itil.sys_id! })
    const run = await expectDrift(EXIT_CODES.changesPending, [{ kind: 'role-added', detail: `"${ACCOUNT}" has the extra direct role itil; it needs only cmdb_read, import_transformer, rest_api_explorer` }])
    expect(run.stderr).toMatch(/^drift: 1 difference from the desired state .*\n {2}KIND +DETAIL\n {2}-+ +-+\n {2}role-added +"kandji_rest_api_user" has the extra direct role itil;/m)
    const kept = await inst.deploy(['--json'])
    expect(kept.code, explain(kept)).toBe(EXIT_CODES.ok)
    await expectDrift(EXIT_CODES.changesPending, [{ kind: 'role-added', detail: `"${ACCOUNT}" has the extra direct role itil; it needs only cmdb_read, import_transformer, rest_api_explorer` }])
    await repair(['--prune-roles'])
  })

  it('client-changed: a token lifespan changed by hand works but is drift (exit 5), field by field', async () => {
    const c = await client()
    await inst.client.table.patch(PLATFORM_TABLES.oauthEntity, c.sys_id!, { access_token_lifespan: '600', refresh_token_lifespan: '3600' })
    await expectDrift(EXIT_CODES.changesPending, [
      { kind: 'client-changed', detail: `OAuth client "${CLIENT}": access_token_lifespan is "600", wanted "${OAUTH_CLIENT.accessTokenLifespanSeconds}"` },
      { kind: 'client-changed', detail: `OAuth client "${CLIENT}": refresh_token_lifespan is "3600", wanted "${OAUTH_CLIENT.refreshTokenLifespanSeconds}"` },
    ])
    await repair()
  })

  it('client-inactive and account-locked together: both named, in plan order; a check fails, so exit 1', async () => {
    await inst.client.table.patch(PLATFORM_TABLES.oauthEntity, (await client()).sys_id!, { active: 'false' })
    await inst.client.table.patch(PLATFORM_TABLES.user, (await account()).sys_id!, { locked_out: 'true' })
    await expectDrift(EXIT_CODES.verificationFailed, [
      { kind: 'client-inactive', detail: `OAuth client "${CLIENT}" is inactive` },
      { kind: 'account-locked', detail: `service account "${ACCOUNT}" is locked out` },
    ])
    await repair()
  })

  it('account-inactive (exit 1) and account-changed (a forced password reset: exit 5)', async () => {
    await inst.client.table.patch(PLATFORM_TABLES.user, (await account()).sys_id!, { active: 'false' })
    await expectDrift(EXIT_CODES.verificationFailed, [{ kind: 'account-inactive', detail: `service account "${ACCOUNT}" is inactive` }])
    await repair()
    await inst.client.table.patch(PLATFORM_TABLES.user, (await account()).sys_id!, { password_needs_reset: 'true' })
    await expectDrift(EXIT_CODES.changesPending, [{ kind: 'account-changed', detail: `service account "${ACCOUNT}": password_needs_reset is "true", wanted "false"` }])
    await repair()
  })

  it('choice-inactive: the Kandji choice deactivated (exit 1)', async () => {
    await inst.client.table.patch(PLATFORM_TABLES.choice, (await kandjiChoice()).sys_id!, { inactive: 'true' })
    await expectDrift(EXIT_CODES.verificationFailed, [{ kind: 'choice-inactive', detail: `discovery source "${DISCOVERY_SOURCE.value}" is inactive` }])
    await repair()
  })

  it('property-changed and property-missing: the app properties edited and deleted (the endpoint then checks a client that does not exist: exit 1)', async () => {
    await inst.client.table.patch(PLATFORM_TABLES.property, (await property(APP_PROPERTIES.oauthClient)).sys_id!, { value: 'someone_elses_client' })
    expect((await inst.client.table.delete(PLATFORM_TABLES.property, (await property(APP_PROPERTIES.serviceAccount)).sys_id!))).toBe(true)
    const found = await verifyDrift(inst)
    expect(found.drift, explain(found.run)).toStrictEqual([
      { kind: 'property-missing', detail: `property ${APP_PROPERTIES.serviceAccount} does not exist` },
      { kind: 'property-changed', detail: `property ${APP_PROPERTIES.oauthClient} is "someone_elses_client", wanted "${CLIENT}"` },
    ])
    // the app's verify endpoint checks the client the property names, which does not exist
    expect(found.code).toBe(EXIT_CODES.verificationFailed)
    await repair()
  })

  it('client-missing: the OAuth client deleted (exit 1)', async () => {
    expect(await inst.client.table.delete(PLATFORM_TABLES.oauthEntity, (await client()).sys_id!)).toBe(true)
    await expectDrift(EXIT_CODES.verificationFailed, [{ kind: 'client-missing', detail: `OAuth client "${CLIENT}" does not exist` }])
    await repair()
  })

  it('app-incomplete: a transform map of the app deactivated, which deploy does not repair (exit 1)', async () => {
    const maps = await inst.client.table.list(PLATFORM_TABLES.transformMap, { query: query().eq('active', 'true').toString(), fields: ['sys_id', 'name'] })
    const map = maps[0]!
    await inst.client.table.patch(PLATFORM_TABLES.transformMap, map.sys_id!, { active: 'false' })
    const found = await verifyDrift(inst)
    const check = found.run.json!.verification as { checks: Array<{ id: string; detail: string }> }
    expect(found.code, explain(found.run)).toBe(EXIT_CODES.verificationFailed)
    expect(found.drift).toStrictEqual([{ kind: 'app-incomplete', detail: `transform_maps: ${check.checks.find((c) => c.id === 'transform_maps')!.detail}` }])
    await inst.client.table.patch(PLATFORM_TABLES.transformMap, map.sys_id!, { active: 'true' })
    await expectDrift(EXIT_CODES.ok, [])
  })

  it('a plan flag without --drift is a usage error (exit 2), before the instance is contacted', async () => {
    const zip = (await loadKandjiApp()).zip
    inst.emulator.resetCounters()
    const run = await inst.verify(['--app-package', zip])
    expect(inst.emulator.counters.requests).toBe(0)
    expect(run.code, explain(run)).toBe(EXIT_CODES.usage)
    expect(run.stderr).toMatch(/^error: --app-package works with verify only together with --drift\ncause: .+\nfix: +add --drift, or leave out --app-package$/m)
  })
})
