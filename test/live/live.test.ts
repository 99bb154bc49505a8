// The same end-to-end flow against a real ServiceNow instance (a personal developer instance), when
// SN_LIVE_INSTANCE, SN_LIVE_ADMIN_USER and SN_LIVE_ADMIN_PASSWORD are set; reported as skipped otherwise.
// It cleans up after itself: the CIs it created, then `deploy-integration uninstall --app`. See test/README.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP, DISCOVERY_SOURCE, ENV, EXIT_CODES, OAUTH_CLIENT, parseInstanceUrl, PLATFORM_TABLES, SERVICE_ACCOUNT } from '@kandji-sn/contract'
import { query } from '@kandji-sn/servicenow-client'
import { generateDevices, mutateDevices, pushInventory, type KandjiDevice } from '@kandji-sn/iru-simulator'
import { readImportOutcome } from '@kandji-sn/demo'
import { connectInstance, explain, type Connected } from '../support/instance.ts'

const instance = process.env[ENV.liveInstance]
const user = process.env[ENV.liveAdminUser]
const password = process.env[ENV.liveAdminPassword]
const configured = Boolean(instance && user && password)
const reason = configured ? '' : ` (skipped: set ${ENV.liveInstance}, ${ENV.liveAdminUser} and ${ENV.liveAdminPassword} to run it)`

// A real instance installs apps and transforms imports asynchronously: minutes, not milliseconds.
const SLOW = 600_000

describe.skipIf(!configured)(`live instance: deploy, push, verify, drift and repair, uninstall${reason}`, () => {
  let inst: Connected
  let devices: KandjiDevice[]
  const serials = new Set<string>()

  beforeAll(async () => {
    inst = await connectInstance({ instance: parseInstanceUrl(instance!).url, user: user!, password: password! })
    // A seed per run: serial numbers never collide with an earlier run's CIs (or a customer's).
    devices = generateDevices({ count: 5, seed: `e2e-live-${Date.now()}` })
    for (const d of devices) serials.add(d.serial_number)
  }, SLOW)

  afterAll(async () => {
    if (!inst) return
    try {
      const cis = await inst.client.table.list(PLATFORM_TABLES.computer, {
        query: query().in('serial_number', [...serials]).eq('discovery_source', DISCOVERY_SOURCE.value).toString(),
        fields: ['sys_id'],
      })
      for (const ci of cis) await inst.client.table.delete(PLATFORM_TABLES.computer, ci.sys_id!)
    } finally {
      const uninstall = await inst.cli(['uninstall', '--yes', '--app'])
      await inst.close()
      expect(uninstall.code, explain(uninstall)).toBe(EXIT_CODES.ok)
    }
  }, SLOW)

  it('deploy converges and the smoke test passes as the service account', async () => {
    const run = await inst.deploy(['--json'])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    const smoke = run.json!.smokeTest as Array<{ status: string }>
    expect(smoke.every((c) => c.status === 'pass')).toBe(true)
  }, SLOW)

  it('a second deploy has nothing to change', async () => {
    const run = await inst.deploy(['--json'])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    expect(run.json!.changes).toBe(0)
  }, SLOW)

  it('Iru Endpoint pushes devices (bulk, then a change) and they land in cmdb_ci_computer with discovery source Kandji', async () => {
    const bulk = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk', poll: { timeoutMs: 0 } })
    expect(bulk.totals.failed).toBe(0)
    const outcome = await readImportOutcome(inst.client, bulk.importSets, { timeoutMs: 300_000, intervalMs: 5000 })
    expect(outcome.byState, JSON.stringify(outcome.errors)).toEqual({ inserted: devices.length })
    const changed = mutateDevices(devices, { seed: 'e2e-live', count: 1 })
    const single = await pushInventory({ handoff: inst.handoff(), devices: changed, mode: 'single' })
    expect(single.totals).toMatchObject({ sent: 1, updated: 1 })
    const cis = await inst.client.table.list(PLATFORM_TABLES.computer, { query: query().in('serial_number', [...serials]).toString(), fields: ['serial_number', 'discovery_source', 'os_version'] })
    expect(cis.map((c) => c.serial_number).sort()).toEqual([...serials].sort())
    expect(cis.every((c) => c.discovery_source === DISCOVERY_SOURCE.value)).toBe(true)
    expect(cis.find((c) => c.serial_number === changed[0]!.serial_number)!.os_version).toBe(changed[0]!.os_version)
  }, SLOW)

  it('verify passes (warnings allowed) with the service account smoke test', async () => {
    const run = await inst.verify(['--as-service-account', '--credentials-out', inst.handoffPath])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    expect(run.report!.checks.filter((c) => c.status === 'fail')).toEqual([])
  }, SLOW)

  it('a deactivated OAuth client is failed by verify and reactivated by deploy', async () => {
    const client = await inst.client.table.findOne(PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
    await inst.client.table.patch(PLATFORM_TABLES.oauthEntity, client!.sys_id!, { active: 'false' })
    const broken = await inst.verify()
    expect(broken.code, explain(broken)).toBe(EXIT_CODES.verificationFailed)
    expect(broken.report!.checks.find((c) => c.id === 'oauth_client')!.status).toBe('fail')
    const repair = await inst.deploy()
    expect(repair.code, explain(repair)).toBe(EXIT_CODES.ok)
    expect((await inst.verify()).code).toBe(EXIT_CODES.ok)
  }, SLOW)

  it('the app, service account and client are what deploy set up (checked before the clean-up removes them)', async () => {
    expect(await inst.client.table.count(PLATFORM_TABLES.scope, query().eq('scope', APP.scope).toString())).toBe(1)
    expect(await inst.client.table.count(PLATFORM_TABLES.user, query().eq('user_name', SERVICE_ACCOUNT.defaultUserName).toString())).toBe(1)
  }, SLOW)
})
