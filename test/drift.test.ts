// Re-run idempotence, and drift and repair: a person changes the setup by hand (through the Table API, as in the
// UI), verify names what broke (exit 1), Iru Endpoint's push shows the effect, and deploy puts it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE, EXIT_CODES, FIX_SCRIPT_NAME, OAUTH_CLIENT, PLATFORM_TABLES, SERVICE_ACCOUNT, type CheckId } from '@kandji-sn/contract'
import { query } from '@kandji-sn/servicenow-client'
import { loadKandjiApp } from '@kandji-sn/instance-emulator'
import { generateDevices, isSimulatorError, pushInventory, type KandjiDevice } from '@kandji-sn/iru-simulator'
import { checkStatus, explain, startInstance, type Instance } from './support/instance.ts'

async function findOne(inst: Instance, table: string, q: string) {
  const row = await inst.client.table.findOne(table, q)
  expect(row, `${table} ${q}`).toBeDefined()
  return row!
}

/** Verify fails on exactly `id` (exit 1) with `fix`, the plan has the one change that repairs it, deploy applies it and verify passes again (exit 0). */
async function expectDetectedAndRepaired(inst: Instance, id: CheckId, fix: string) {
  const broken = await inst.verify()
  expect(broken.code, explain(broken)).toBe(EXIT_CODES.verificationFailed)
  expect(broken.report!.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([id])
  expect(broken.report!.checks.find((c) => c.id === id)!.fix).toBe(fix)

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
    await expectDetectedAndRepaired(inst, 'discovery_source', `Run deploy-integration deploy (it adds the choice as the admin through the Table API), or run the ${FIX_SCRIPT_NAME} fix script (System Definition > Fix Scripts).`)
    expect((await pushOne(inst, devices[0]!)).totals.inserted).toBe(1)
  })

  it('a required role removed from the service account: verify fails service_account_roles, deploy grants it again', async () => {
    const user = await findOne(inst, PLATFORM_TABLES.user, query().eq('user_name', SERVICE_ACCOUNT.defaultUserName).toString())
    const role = await findOne(inst, PLATFORM_TABLES.role, query().eq('name', 'rest_api_explorer').toString())
    const grant = await findOne(inst, PLATFORM_TABLES.userRole, query().eq('user', user.sys_id!).eq('role', role.sys_id!).eq('inherited', 'false').toString())
    expect(await inst.client.table.delete(PLATFORM_TABLES.userRole, grant.sys_id!)).toBe(true)
    await expectDetectedAndRepaired(inst, 'service_account_roles', `Add rest_api_explorer to ${SERVICE_ACCOUNT.defaultUserName} (deploy-integration deploy does this).`)
    expect(await inst.client.table.count(PLATFORM_TABLES.userRole, query().eq('user', user.sys_id!).eq('role', role.sys_id!).eq('inherited', 'false').toString())).toBe(1)
  })

  it('the OAuth client deactivated: Iru Endpoint cannot get a token, verify fails oauth_client, deploy reactivates it', async () => {
    const client = await findOne(inst, PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
    await inst.client.table.patch(PLATFORM_TABLES.oauthEntity, client.sys_id!, { active: 'false' })
    const refused = await pushOne(inst, devices[1]!).catch((e: unknown) => e)
    expect(isSimulatorError(refused) && refused.exitCode).toBe(EXIT_CODES.auth)
    await expectDetectedAndRepaired(inst, 'oauth_client', `Set Active on ${OAUTH_CLIENT.defaultName}.`)
    expect((await pushOne(inst, devices[1]!)).totals.inserted).toBe(1)
  })

  it('the scope restriction narrowed on Zurich: the Import Set API is refused, verify fails oauth_scope_restriction, deploy broadens it', async () => {
    const client = await findOne(inst, PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
    await inst.client.table.patch(PLATFORM_TABLES.oauthEntity, client.sys_id!, { [OAUTH_CLIENT.scopeRestrictionField]: 'restricted' })
    const refused = await pushOne(inst, devices[2]!).catch((e: unknown) => e)
    expect(isSimulatorError(refused), String(refused)).toBe(true)
    expect((refused as Error).message).toMatch(/may not call/)
    await expectDetectedAndRepaired(inst, 'oauth_scope_restriction', `Set Scope Restriction on ${OAUTH_CLIENT.defaultName} to Broadly scoped (deploy-integration deploy does this).`)
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
