// The vendor's Kandji Store app already in the scope (most customers run it): deploy never overwrites it, configures
// it as it is with --app-source store, verify runs the contract's checks from the CLI, and --replace-store-app is the
// one way to put this project's app in its place. Against the emulator over HTTP with the built app.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { APP, APP_PROPERTIES, CHECK_IDS, DISCOVERY_SOURCE, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES, SERVICE_ACCOUNT, SERVICE_ACCOUNT_ROLES } from '@kandji-sn/contract/constants'
import { verificationReportSchema, type VerificationReport } from '@kandji-sn/contract'
import { createClient } from '@kandji-sn/servicenow-client'
import { loadKandjiApp, startEmulator, VENDOR_STORE_APP_ID, VENDOR_STORE_APP_VERSION, type Emulator } from '@kandji-sn/instance-emulator'
import { preflight } from '../src/steps/preflight.ts'
import { runVerification } from '../src/steps/verification.ts'
import { verifyFromTableApi } from '../src/steps/verify-from-table-api.ts'
import { runCli, tempDir } from './support/run-cli.ts'

const app = await loadKandjiApp()
const USER = SERVICE_ACCOUNT.defaultUserName
const CLIENT = OAUTH_CLIENT.defaultName
const emulators: Emulator[] = []

afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})

async function withVendorApp(): Promise<{ emulator: Emulator; env: NodeJS.ProcessEnv; creds: string }> {
  const emulator = await startEmulator()
  emulators.push(emulator)
  await emulator.installVendorStoreApp()
  return { emulator, env: { SN_INSTANCE: emulator.url, SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }, creds: join(tempDir(), 'acme.json') }
}

/** The vendor's app as it stands: its application record and every record of its scope. */
function vendorApp(emulator: Emulator) {
  return {
    scope: emulator.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`).map((r) => [r.sys_id, r.sys_class_name, r.version]),
    metadata: emulator.db.count('sys_metadata', `sys_scope=${VENDOR_STORE_APP_ID}`),
  }
}

function writes(emulator: Emulator) {
  const { insert, update, delete: del } = emulator.counters.db
  return { insert, update, delete: del }
}

function reportOf(stdout: string): VerificationReport {
  return verificationReportSchema.parse((JSON.parse(stdout) as { verification: unknown }).verification)
}

const statuses = (report: VerificationReport) => report.checks.map((c) => [c.id, c.status])

describe("the vendor's Store app in the scope", () => {
  it('deploy with the default source leaves it untouched and says what to do, writing nothing', async () => {
    const { emulator, env, creds } = await withVendorApp()
    const before = vendorApp(emulator)
    // The admin's first sign-in is a write of the platform's own (last login, snc_internal): not deploy's.
    await createClient({ instance: emulator.url, auth: { type: 'basic', user: 'admin', password: 'admin' } }).table.list(PLATFORM_TABLES.scope, { limit: 1 })
    emulator.resetCounters()
    const run = await runCli(['deploy', '--yes', '--app-package', app.zip, '--credentials-out', creds], { env })
    expect(run.code).toBe(EXIT_CODES.usage)
    expect(run.stderr.split('\n').filter((l) => /^(error|cause|fix): /.test(l))).toEqual([
      `error: the scope ${APP.scope} already belongs to the vendor's Store app "Kandji" ${VENDOR_STORE_APP_VERSION} (sys_store_app ${VENDOR_STORE_APP_ID}), not to this project's app (${APP.scopeId})`,
      `cause: the instance runs the vendor's Kandji app from the ServiceNow Store; --app-source package would install a different application for the same scope, which the instance refuses, and replacing the vendor's app removes its tables and every row in them`,
      "fix:   to keep the vendor's app, run deploy with --app-source store (it sets up the OAuth client, service account, roles and discovery source for it, and verify runs its checks from the CLI); to replace it with this project's app, re-run with --replace-store-app",
    ])
    expect(writes(emulator)).toEqual({ insert: 0, update: 0, delete: 0 })
    expect(vendorApp(emulator)).toEqual(before)
  })

  it('deploy --app-source store converges, verify reports every check from the CLI, and a second deploy writes nothing', async () => {
    const { emulator, env, creds } = await withVendorApp()
    const before = vendorApp(emulator)
    const first = await runCli(['deploy', '--yes', '--json', '--app-source', 'store', '--credentials-out', creds], { env })
    expect(first.code, first.stderr).toBe(EXIT_CODES.ok)
    expect(vendorApp(emulator)).toEqual(before)

    const users = emulator.db.query(PLATFORM_TABLES.user, `user_name=${USER}`)
    expect(users).toHaveLength(1)
    expect(emulator.db.query(PLATFORM_TABLES.oauthEntity, `name=${CLIENT}`)).toHaveLength(1)
    const direct = emulator.db.query(PLATFORM_TABLES.userRole, `user=${users[0]?.sys_id}^inherited=false`).map((g) => emulator.db.get(PLATFORM_TABLES.role, g.role as string)?.name)
    expect(direct.filter((r) => r !== 'snc_internal').sort()).toEqual([...SERVICE_ACCOUNT_ROLES].sort())
    expect(emulator.db.query(PLATFORM_TABLES.choice, `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}`).map((c) => c.inactive)).toEqual(['false'])
    // The properties are this project's app's; the vendor's app does not read them.
    expect(emulator.db.query(PLATFORM_TABLES.property, `nameIN${Object.values(APP_PROPERTIES).join(',')}`)).toEqual([])

    const json = JSON.parse(first.stdout) as { smokeTest: Array<{ id: string; status: string }> }
    expect(json.smokeTest.map((c) => [c.id, c.status])).toEqual([['password_grant', 'pass'], ['refresh_grant', 'pass'], ['table_read', 'pass'], ['staging_write', 'skipped'], ['bulk_import', 'skipped']])
    const report = reportOf(first.stdout)
    expect(report.evaluated_by).toBe('client')
    expect(report.app).toEqual({ scope: APP.scope, version: VENDOR_STORE_APP_VERSION })
    expect(statuses(report)).toEqual(CHECK_IDS.map((id) => [id, 'pass']))
    expect(report.checks.find((c) => c.id === 'app_installed')?.data).toEqual({ scope: APP.scope, version: VENDOR_STORE_APP_VERSION, class: PLATFORM_TABLES.storeApp, build_version: VENDOR_STORE_APP_VERSION })

    emulator.resetCounters()
    const second = await runCli(['deploy', '--yes', '--app-source', 'store', '--credentials-out', creds], { env })
    expect(second.code, second.stderr).toBe(EXIT_CODES.ok)
    expect(second.stdout).toContain('in sync: nothing to change')
    expect(writes(emulator)).toEqual({ insert: 0, update: 0, delete: 0 })

    const verify = await runCli(['verify', '--json'], { env })
    expect(verify.code, verify.stderr).toBe(EXIT_CODES.ok)
    expect(statuses(reportOf(verify.stdout))).toEqual(CHECK_IDS.map((id) => [id, 'pass']))
  })

  it('verify from the CLI finds what the endpoint would: an inactive choice and a transform map switched off fail with the catalogue fixes', async () => {
    const { emulator, env, creds } = await withVendorApp()
    expect((await runCli(['deploy', '--yes', '--app-source', 'store', '--credentials-out', creds], { env })).code).toBe(EXIT_CODES.ok)
    const choice = emulator.db.findOne(PLATFORM_TABLES.choice, `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}`)!
    emulator.db.update(PLATFORM_TABLES.choice, choice.sys_id as string, { inactive: 'true' })
    for (const map of emulator.db.query(PLATFORM_TABLES.transformMap, `sys_scope=${VENDOR_STORE_APP_ID}`)) emulator.db.update(PLATFORM_TABLES.transformMap, map.sys_id as string, { active: 'false' })
    const verify = await runCli(['verify', '--json'], { env })
    expect(verify.code).toBe(EXIT_CODES.verificationFailed)
    const report = reportOf(verify.stdout)
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => [c.id, c.status, c.fix])).toEqual([
      ['discovery_source', 'fail', 'Run deploy-integration deploy (it adds the choice as the admin through the Table API), or run the kandji_fix_script fix script (System Definition > Fix Scripts).'],
      ['transform_maps', 'fail', "Set Active on the app's transform maps (System Import Sets > Transform Maps)."],
    ])
    // deploy repairs the choice additively as the admin, through the Table API.
    expect((await runCli(['deploy', '--yes', '--app-source', 'store', '--credentials-out', creds], { env })).code).toBe(EXIT_CODES.verificationFailed)
    expect(emulator.db.get(PLATFORM_TABLES.choice, choice.sys_id as string)?.inactive).toBe('false')
  })

  it('uninstall --app removes what deploy created and keeps the vendor\'s app and the discovery source it needs', async () => {
    const { emulator, env, creds } = await withVendorApp()
    expect((await runCli(['deploy', '--yes', '--app-source', 'store', '--credentials-out', creds], { env })).code).toBe(EXIT_CODES.ok)
    const before = vendorApp(emulator)
    const run = await runCli(['uninstall', '--yes', '--app', '--json'], { env })
    expect(run.code, run.stderr).toBe(EXIT_CODES.ok)
    expect(vendorApp(emulator)).toEqual(before)
    expect([emulator.db.count(PLATFORM_TABLES.user, `user_name=${USER}`), emulator.db.count(PLATFORM_TABLES.oauthEntity, `name=${CLIENT}`)]).toEqual([0, 0])
    expect(emulator.db.count(PLATFORM_TABLES.choice, `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}`)).toBe(1)
    expect(run.stderr).toContain(`kept: the vendor's Store app "Kandji" ${VENDOR_STORE_APP_VERSION} (sys_store_app ${VENDOR_STORE_APP_ID}) was not installed by deploy`)
  })

  it('--replace-store-app uninstalls it and installs this project\'s app, whose endpoint then verifies', async () => {
    const { emulator, env, creds } = await withVendorApp()
    const run = await runCli(['deploy', '--yes', '--json', '--replace-store-app', '--app-package', app.zip, '--credentials-out', creds], { env })
    expect(run.code, run.stderr).toBe(EXIT_CODES.ok)
    expect(emulator.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`).map((r) => [r.sys_id, r.sys_class_name])).toEqual([[APP.scopeId, PLATFORM_TABLES.app]])
    expect(emulator.db.count('sys_metadata', `sys_scope=${VENDOR_STORE_APP_ID}`)).toBe(0)
    const report = reportOf(run.stdout)
    expect(report.evaluated_by).toBe('instance')
    expect(statuses(report)).toEqual(CHECK_IDS.map((id) => [id, 'pass']))
  })
})

describe('one check catalogue, two places to evaluate it', () => {
  it("on this project's app, the CLI's Table API evaluation gives the endpoint's report, check for check", async () => {
    const emulator = await startEmulator()
    emulators.push(emulator)
    const env = { SN_INSTANCE: emulator.url, SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }
    expect((await runCli(['deploy', '--yes', '--app-package', app.zip, '--credentials-out', join(tempDir(), 'acme.json')], { env })).code).toBe(EXIT_CODES.ok)
    // Drift in several checks at once, so the comparison covers fail and warn as well as pass.
    const user = emulator.db.findOne(PLATFORM_TABLES.user, `user_name=${USER}`)!
    emulator.db.update(PLATFORM_TABLES.user, user.sys_id as string, { password_needs_reset: 'true' })
    const client = emulator.db.findOne(PLATFORM_TABLES.oauthEntity, `name=${CLIENT}`)!
    emulator.db.update(PLATFORM_TABLES.oauthEntity, client.sys_id as string, { redirect_url: 'https://example.com' })
    const admin = createClient({ instance: emulator.url, auth: { type: 'basic', user: 'admin', password: 'admin' } })
    const facts = await preflight(admin, { signIn: 'basic', user: 'admin' })
    const subject = { serviceAccount: USER, oauthClient: CLIENT }
    const fromEndpoint = await runVerification(admin, facts, subject)
    const fromClient = await verifyFromTableApi(admin, facts, subject)
    expect([fromEndpoint.evaluated_by, fromClient.evaluated_by]).toEqual(['instance', 'client'])
    expect(statuses(fromEndpoint)).toEqual(CHECK_IDS.map((id) => [id, id === 'service_account' ? 'warn' : id === 'oauth_client' ? 'fail' : 'pass']))
    const comparable = (r: VerificationReport) => ({ ...r, generated_at: undefined, evaluated_by: undefined, checks: r.checks.map((c) => (c.id === 'import_errors' ? { ...c, detail: undefined, data: undefined } : c)) })
    // The import-error window starts at "now" in each place; everything else is identical.
    expect(comparable(fromClient)).toEqual(comparable(fromEndpoint))
  })
})
