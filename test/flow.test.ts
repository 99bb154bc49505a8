// The main job end to end on a fresh Zurich instance: deploy with the built CLI, Iru Endpoint's push with the
// hand-off file (simulator), what lands in the CMDB, verify, uninstall.
import { statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP, DISCOVERY_SOURCE, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES, PLATFORMS, SERVICE_ACCOUNT, SERVICE_ACCOUNT_ROLES, type Platform } from '@kandji-sn/contract'
import { query } from '@kandji-sn/servicenow-client'
import { generateDevices, malformedRows, mutateDevices, pushInventory, type KandjiDevice } from '@kandji-sn/iru-simulator'
import { ROLE_CONTAINMENT } from '@kandji-sn/instance-emulator'
import { cmdbSnapshot, ensureDirectoryUsers, readImportOutcome, type CliRun } from '@kandji-sn/demo'
import { checkStatus, explain, startInstance, type Instance } from './support/instance.ts'

const SEED = 'e2e-flow'
const DEVICE_COUNT = 120

function perPlatform(platforms: readonly string[]): Partial<Record<Platform, number>> {
  const counts: Partial<Record<Platform, number>> = {}
  for (const p of platforms) if ((PLATFORMS as readonly string[]).includes(p)) counts[p as Platform] = (counts[p as Platform] ?? 0) + 1
  return counts
}

describe('the whole job on a fresh Zurich instance: deploy, Iru Endpoint push, CMDB, verify, uninstall', () => {
  let inst: Instance
  let deploy: CliRun
  let devices: KandjiDevice[]
  let knownUsers: string[]

  beforeAll(async () => {
    inst = await startInstance({ release: 'zurich' })
    deploy = await inst.deploy(['--json'])
    knownUsers = await ensureDirectoryUsers(inst.client)
    devices = generateDevices({ count: DEVICE_COUNT, seed: SEED, knownUserEmails: knownUsers })
  })
  afterAll(async () => {
    await inst?.close()
  })

  it('deploy converges on a fresh instance and hands off working credentials in a 0600 file', async () => {
    expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
    expect(deploy.json).toMatchObject({ command: 'deploy', status: 'ok' })
    expect(statSync(inst.handoffPath).mode & 0o777).toBe(0o600)
    const handoff = inst.handoff()
    expect(handoff).toMatchObject({ instance: inst.admin.instance, username: SERVICE_ACCOUNT.defaultUserName })
    const app = await inst.client.table.findOne(PLATFORM_TABLES.scope, query().eq('scope', APP.scope).toString())
    expect(app?.version).toMatch(/^\d+\.\d+\.\d+$/)
    const client = await inst.client.table.findOne(PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
    expect(client).toMatchObject({ client_id: handoff.client_id, active: 'true', redirect_url: OAUTH_CLIENT.redirectUrl, [OAUTH_CLIENT.scopeRestrictionField]: OAUTH_CLIENT.broadlyScopedValue })
  })

  it('the service account holds exactly the three roles directly, plus what they contain', async () => {
    const user = await inst.client.table.findOne(PLATFORM_TABLES.user, query().eq('user_name', SERVICE_ACCOUNT.defaultUserName).toString())
    const grants = await inst.client.table.list(PLATFORM_TABLES.userRole, { query: query().eq('user', user!.sys_id!).toString(), fields: ['role', 'inherited'] })
    const roleName = async (id: string) => (await inst.client.table.get(PLATFORM_TABLES.role, id, { fields: ['name'] }))?.name
    const direct = await Promise.all(grants.filter((g) => g.inherited !== 'true').map((g) => roleName(g.role!)))
    const inherited = await Promise.all(grants.filter((g) => g.inherited === 'true').map((g) => roleName(g.role!)))
    expect(direct.filter((r) => r !== 'snc_internal').sort()).toEqual([...SERVICE_ACCOUNT_ROLES].sort())
    // what the three contain, transitively (the emulator's containment table), and nothing else
    const contained = new Set<string>()
    const queue: string[] = [...SERVICE_ACCOUNT_ROLES]
    while (queue.length > 0) {
      const role = queue.shift()!
      for (const c of ROLE_CONTAINMENT) if (c.role === role && !contained.has(c.contains)) (contained.add(c.contains), queue.push(c.contains))
    }
    for (const r of SERVICE_ACCOUNT_ROLES) contained.delete(r)
    expect(inherited.sort()).toEqual([...contained].sort())
    expect(inherited).toHaveLength(3)
  })

  it('no output of deploy shows the admin password, the service account password or the client secret', () => {
    const handoff = inst.handoff()
    for (const secret of [inst.admin.password, handoff.password, handoff.client_secret]) {
      expect(deploy.stdout).not.toContain(secret)
      expect(deploy.stderr).not.toContain(secret)
    }
  })

  it('a bulk push lands every device with a serial number as its own computer, even when device names repeat; rows without one are rejected with the reason', async () => {
    // Real fleets repeat names ("Avery's iPhone"); the Hardware rule's name fallback must not merge those devices.
    expect(new Set(devices.map((d) => d.device_name)).size).toBeLessThan(devices.length)
    const malformed = malformedRows(4, SEED)
    const report = await pushInventory({ handoff: inst.handoff(), devices, malformed, mode: 'bulk', batchSize: 50 })
    const withoutSerial = malformed.filter((m) => !m.row.serial_number)
    const withSerial = malformed.filter((m) => m.row.serial_number)
    // What Iru Endpoint learns from the import status endpoint is what the admin sees on the staging rows.
    expect(report).toMatchObject({ results: 'complete', totals: { sent: DEVICE_COUNT + malformed.length, inserted: DEVICE_COUNT + withSerial.length, rejected: withoutSerial.length, failed: 0, pending: 0 } })
    expect(report.importSets.length).toBe(Math.ceil((DEVICE_COUNT + malformed.length) / 50))

    const outcome = await readImportOutcome(inst.client, report.importSets)
    expect(outcome.rows).toBe(DEVICE_COUNT + malformed.length)
    expect(outcome.byState).toEqual({ inserted: DEVICE_COUNT + withSerial.length, rejected: withoutSerial.length })
    expect(outcome.errors).toHaveLength(1)
    expect(outcome.errors[0]!.message).toMatch(/serial_number/)

    const cmdb = await cmdbSnapshot(inst.client)
    expect(cmdb.computers).toBe(DEVICE_COUNT + withSerial.length)
    expect(cmdb.devicesOnSharedComputers).toBe(0)
    expect(cmdb.byPlatform).toEqual(perPlatform([...devices.map((d) => d.platform), ...withSerial.map((m) => m.row.platform ?? '')]))
    const assignedExpected = devices.filter((d) => d.user?.known).length
    expect(cmdb.assigned).toBe(assignedExpected)
  })

  it('pushing the same fleet again creates no computer and no MDM row', async () => {
    const before = await cmdbSnapshot(inst.client)
    const report = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk', poll: { timeoutMs: 0 } })
    const outcome = await readImportOutcome(inst.client, report.importSets)
    expect(outcome.byState.inserted ?? 0).toBe(0)
    expect((outcome.byState.updated ?? 0) + (outcome.byState.ignored ?? 0)).toBe(DEVICE_COUNT)
    const after = await cmdbSnapshot(inst.client)
    expect(after).toEqual(before)
  })

  it('changes sent one row at a time update the same computer: OS version, name and assigned user', async () => {
    const changed = mutateDevices(devices, { seed: SEED, count: 12, knownUserEmails: knownUsers })
    const before = await cmdbSnapshot(inst.client)
    const report = await pushInventory({ handoff: inst.handoff(), devices: changed, mode: 'single' })
    expect(report.totals).toMatchObject({ sent: changed.length, updated: changed.length, rejected: 0, failed: 0 })
    for (const device of changed) {
      const ci = await inst.client.table.findOne(PLATFORM_TABLES.computer, query().eq('serial_number', device.serial_number).toString(), { fields: ['os_version', 'name', 'assigned_to', 'discovery_source'] })
      expect(ci, device.serial_number).toBeDefined()
      expect(ci!.os_version).toBe(device.os_version)
      expect(ci!.discovery_source).toBe(DISCOVERY_SOURCE.value)
      if (device.changes.includes('rename')) expect(ci!.name).toContain(device.device_name)
      if (device.changes.includes('new_user') && device.user?.known) {
        const user = await inst.client.table.findOne(PLATFORM_TABLES.user, query().eq('email', device.user.email).toString(), { fields: ['sys_id'] })
        expect(ci!.assigned_to).toBe(user!.sys_id)
      }
    }
    expect((await cmdbSnapshot(inst.client)).computers).toBe(before.computers)
  })

  it('verify after the push passes the setup checks, counts the computers and warns about the rejected rows', async () => {
    const run = await inst.verify(['--as-service-account', '--credentials-out', inst.handoffPath])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    const cmdb = await cmdbSnapshot(inst.client)
    expect(run.report!.status).toBe('warn')
    expect(run.report!.checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual(['import_errors'])
    expect(run.report!.checks.find((c) => c.id === 'kandji_cis')!.detail).toContain(String(cmdb.computers))
    expect(checkStatus(run.report, 'service_account_roles')).toBe('pass')
  })

  it('uninstall --app removes the account, the client and the app; the CIs stay in the CMDB', async () => {
    const computers = (await cmdbSnapshot(inst.client)).computers
    const run = await inst.cli(['uninstall', '--yes', '--app'])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    expect(await inst.client.table.count(PLATFORM_TABLES.user, query().eq('user_name', SERVICE_ACCOUNT.defaultUserName).toString())).toBe(0)
    expect(await inst.client.table.count(PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())).toBe(0)
    expect(await inst.client.table.count(PLATFORM_TABLES.scope, query().eq('scope', APP.scope).toString())).toBe(0)
    expect(await inst.client.table.count(PLATFORM_TABLES.computer, query().eq('discovery_source', DISCOVERY_SOURCE.value).toString())).toBe(computers)
  })
})
