// Issue 20: the product as a profiled instance behaves. For every emulator profile in tools/instance-emulator/profiles/
// (real probe output) and every synthetic fixture profile (tools/instance-emulator/test/fixtures/profiles/, so the
// mechanism always runs), an emulator started with the profile gets the flows a user relies on: deploy, a re-deploy
// that writes nothing, verify, Iru Endpoint's push with the hand-off file, uninstall --app.
import { readdirSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP, DISCOVERY_SOURCE, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES, SERVICE_ACCOUNT, SERVICE_ACCOUNT_ROLES } from '@kandji-sn/contract'
import { query } from '@kandji-sn/servicenow-client'
import { BASIC_AUTH_ROLE, DEFAULT_SWITCHES, grantRole, type EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { generateDevices, pushInventory } from '@kandji-sn/iru-simulator'
import { cmdbSnapshot, readImportOutcome, type CliRun } from '@kandji-sn/demo'
import { explain, REPO_ROOT, startInstance, type Instance } from './support/instance.ts'

const CONTRIBUTED = join(REPO_ROOT, 'tools/instance-emulator/profiles')
const SYNTHETIC = join(REPO_ROOT, 'tools/instance-emulator/test/fixtures/profiles')
const DEVICES = 20
const jsonFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f))

const PROFILES = [...jsonFiles(CONTRIBUTED).map((path) => ({ path, kind: 'contributed' })), ...jsonFiles(SYNTHETIC).map((path) => ({ path, kind: 'synthetic' }))].map((p) => ({
  ...p,
  name: relative(REPO_ROOT, p.path),
}))

describe('the profile matrix picks up every profile', () => {
  it('holds the synthetic fixtures, so the mechanism runs even while no instance was profiled', () => {
    expect(PROFILES.filter((p) => p.kind === 'synthetic').map((p) => basename(p.path))).toEqual([
      'synthetic-australia-third-values.json',
      'synthetic-zurich-defaults.json',
      'synthetic-zurich-every-switch-flipped.json',
    ])
  })
})

for (const { path, kind, name } of PROFILES) describe(`as the ${kind} profile ${name} behaves`, () => {
  let inst: Instance
  let switches: EmulatorSwitches
  /** Flags every deploy needs on this instance, once a documented failure said to add them. */
  const deployFlags: string[] = []
  let deploy: CliRun

  beforeAll(async () => {
    inst = await startInstance({ profile: path })
    switches = { ...DEFAULT_SWITCHES, ...(inst.emulator.profile?.observed as Partial<EmulatorSwitches>) }
  })
  afterAll(async () => {
    await inst?.close()
  })

  it('where the instance refuses the way deploy signs in or hands off, deploy fails with the documented error; its fix works', async () => {
    const failures: string[] = []
    let run = await inst.deploy(['--json'])
    if (switches.basicAuthRestriction === 'new-instance') {
      // A newly provisioned instance refuses the admin's basic auth (audit item 19): exit 3, and the fix names the role.
      expect(run.code, explain(run)).toBe(EXIT_CODES.auth)
      expect(run.json).toMatchObject({ error: expect.stringMatching(/^the instance refused the admin's basic-auth credentials \(401 /), fix: expect.stringContaining(`have a security_admin grant the account ${BASIC_AUTH_ROLE}`) })
      failures.push('basic-auth restriction')
      grantRole(inst.emulator.db, inst.emulator.db.query(PLATFORM_TABLES.user, 'user_name=admin')[0]!.sys_id as string, BASIC_AUTH_ROLE)
      run = await inst.deploy(['--json'])
    }
    if (switches.ropcRefusedForWebServiceOnly) {
      // The password grant is refused for a web-service-only account (facts 3.3): exit 3, re-run with --interactive-account.
      expect(run.code, explain(run)).toBe(EXIT_CODES.auth)
      expect(run.json).toMatchObject({ error: `the instance refused the password grant for "${SERVICE_ACCOUNT.defaultUserName}" (Web service access only)`, fix: expect.stringMatching(/^re-run `deploy-integration deploy --interactive-account`/) })
      failures.push('password grant')
      deployFlags.push('--interactive-account')
      run = await inst.deploy(['--json', ...deployFlags])
    }
    deploy = run
    expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
    expect(failures).toEqual([...(switches.basicAuthRestriction === 'new-instance' ? ['basic-auth restriction'] : []), ...(switches.ropcRefusedForWebServiceOnly ? ['password grant'] : [])])
  })

  it('deploy converges: one service account with exactly the three roles, one OAuth client, the app', async () => {
    expect(deploy?.code).toBe(EXIT_CODES.ok)
    const users = await inst.client.table.list(PLATFORM_TABLES.user, { query: query().eq('user_name', SERVICE_ACCOUNT.defaultUserName).toString(), fields: ['sys_id'] })
    expect(users).toHaveLength(1)
    const grants = await inst.client.table.list(PLATFORM_TABLES.userRole, { query: query().eq('user', users[0]!.sys_id!).eq('inherited', 'false').toString(), fields: ['role.name'] })
    expect(grants.map((g) => g['role.name']).filter((r) => r !== 'snc_internal').sort()).toEqual([...SERVICE_ACCOUNT_ROLES].sort())
    expect(await inst.client.table.count(PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())).toBe(1)
    expect(await inst.client.table.count(PLATFORM_TABLES.scope, query().eq('scope', APP.scope).toString())).toBe(1)
  })

  it('a re-deploy writes nothing', async () => {
    inst.emulator.resetCounters()
    const again = await inst.deploy(['--json', ...deployFlags])
    expect(again.code, explain(again)).toBe(EXIT_CODES.ok)
    expect(again.json).toMatchObject({ changes: 0, applied: [] })
    expect(inst.writes()).toEqual({ insert: 0, update: 0, delete: 0 })
  })

  it('verify passes every check (warns only that bulk pushes are refused where the insertMultiple plugin is absent)', async () => {
    const run = await inst.verify()
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    const notPassed = run.report!.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status}`)
    expect(notPassed).toEqual(switches.insertMultiplePlugin === 'absent' ? ['insert_multiple: warn'] : [])
  })

  it('Iru Endpoint pushes devices through the hand-off file; each is a computer from Kandji', async () => {
    const devices = generateDevices({ count: DEVICES, seed: `e2e-profile-${name}` })
    if (switches.insertMultiplePlugin === 'absent') {
      // What verify warned about: the bulk endpoint is not there, every row of a bulk push fails and nothing lands.
      const bulk = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk', poll: { timeoutMs: 0 } })
      expect(bulk.totals).toMatchObject({ sent: DEVICES, inserted: 0, failed: DEVICES })
      expect(bulk.errors.map((e) => [e.message, e.count])).toEqual([['request failed: 400 Requested URI does not represent any resource', DEVICES]])
      expect((await cmdbSnapshot(inst.client)).computers).toBe(0)
    }
    const mode = switches.insertMultiplePlugin === 'absent' ? 'single' : 'bulk'
    const report = await pushInventory({ handoff: inst.handoff(), devices, mode, poll: { timeoutMs: 0 } })
    // A bulk push is transformed afterwards (read back from its import sets); one-row imports answer with the outcome.
    if (mode === 'bulk') expect((await readImportOutcome(inst.client, report.importSets)).byState).toEqual({ inserted: devices.length })
    else expect(report.totals).toMatchObject({ sent: DEVICES, inserted: DEVICES, rejected: 0, failed: 0 })
    expect((await cmdbSnapshot(inst.client)).computers).toBe(devices.length)
    expect(await inst.client.table.count(PLATFORM_TABLES.computer, query().eq('discovery_source', DISCOVERY_SOURCE.value).toString())).toBe(devices.length)
  })

  it('uninstall --app removes the account and the client, and the app as far as the instance does; the CIs stay', async () => {
    const run = await inst.cli(['uninstall', '--yes', '--app'])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    expect(await inst.client.table.count(PLATFORM_TABLES.user, query().eq('user_name', SERVICE_ACCOUNT.defaultUserName).toString())).toBe(0)
    expect(await inst.client.table.count(PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())).toBe(0)
    const app = await inst.client.table.list(PLATFORM_TABLES.scope, { query: query().eq('scope', APP.scope).toString(), fields: ['active'] })
    // uninstallOutcome: what the instance does with the app is the instance's; the product says what it did.
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning: '))
    switch (switches.uninstallOutcome) {
      case 'deleted':
        expect([app, warnings]).toEqual([[], []])
        break
      case 'partially-deleted':
        expect([app, warnings]).toEqual([[], [expect.stringMatching(/^warning: the uninstall finished with "Failed to completely delete application \w+: some ACL protected metadata may remain": the application and its metadata were deleted, some ACL-protected metadata may remain \(delete it in the instance UI for a clean install\)$/)]])
        break
      case 'deactivated':
        expect([app.map((a) => a.active), warnings]).toEqual([['false'], ['warning: The store application was deactivated', expect.stringMatching(/^warning: the application record stays on the instance, inactive \(sys_scope \w+\): a Store app is deactivated rather than deleted; remove it in System Applications if it must go$/)]])
        break
    }
    expect(await inst.client.table.count(PLATFORM_TABLES.computer, query().eq('discovery_source', DISCOVERY_SOURCE.value).toString())).toBe(DEVICES)
  })
})
