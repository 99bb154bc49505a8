import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ServiceNowError } from '@kandji-sn/servicenow-client'
import { describe, expect, it } from 'vitest'
import { APP, EXIT_CODES, PLATFORM_TABLES, TABLES } from '@kandji-sn/contract/constants'
import { handoffSchema } from '@kandji-sn/contract'
import { FakeInstance } from './support/fake-instance.ts'
import { fakeZip, runCli, tempDir } from './support/run-cli.ts'

const env = { SN_INSTANCE: 'https://fake.service-now.com', SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }

async function deployed(options: ConstructorParameters<typeof FakeInstance>[0] = {}) {
  const fake = new FakeInstance({ verifyStatus: 'pass', ...options })
  const dir = tempDir()
  const deps = fake.deps('1.0.0', fakeZip(dir))
  const creds = join(dir, 'creds.json')
  const r = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
  expect(r.code).toBe(0)
  return { fake, deps, dir, creds }
}

describe('the bulk probe of the smoke test', () => {
  it('warns, and still deploys, when the import status never says done; it waited 30 s in growing pauses, then cleaned up', async () => {
    const fake = new FakeInstance({ verifyStatus: 'pass', importNeverDone: true })
    const dir = tempDir()
    const r = await runCli(['deploy', '--yes', '--credentials-out', join(dir, 'creds.json')], { env, deps: fake.deps('1.0.0', fakeZip(dir)) })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/warn bulk_import: the bulk probe was not transformed within 30 s \(run not started\)/)
    expect(fake.slept).toBeGreaterThanOrEqual(30_000)
    expect(fake.slept).toBeLessThan(33_000)
    expect(fake.rows(TABLES.deviceImport)).toEqual([])
  })
})

describe('plan', () => {
  it('after a manual change shows exactly that drift and writes nothing', async () => {
    const { fake, deps } = await deployed()
    const user = fake.rows(PLATFORM_TABLES.user).find((u) => u.user_name === 'kandji_rest_api_user')!
    const grants = fake.rows(PLATFORM_TABLES.userRole)
    grants.splice(grants.findIndex((g) => g.user === user.sys_id && g.role === 'role-rest_api_explorer'), 1)
    fake.rows(PLATFORM_TABLES.oauthEntity)[0]!.active = 'false'
    const writes = { ...fake.writes }
    const r = await runCli(['plan', '--json'], { env, deps })
    expect(r.code).toBe(0)
    expect(fake.writes).toEqual(writes)
    const result = JSON.parse(r.stdout)
    expect(result.changes).toBe(2)
    const changes = result.steps.flatMap((s: { changes: unknown[] }) => s.changes)
    expect(changes).toEqual([
      { action: 'update', table: 'oauth_entity', key: 'name=kandji_oauth_api^type=client', fields: [{ field: 'active', from: 'false', to: 'true' }] },
      { action: 'create', table: 'sys_user_has_role', key: 'user=kandji_rest_api_user^role=rest_api_explorer', fields: [{ field: 'role', to: 'rest_api_explorer' }] },
    ])
    expect(r.stderr).toMatch(/~ update oauth_entity name=kandji_oauth_api\^type=client\n +active: false -> true/)
  })

  it('shows an extra privileged role as a warning, not a change', async () => {
    const { fake, deps } = await deployed()
    const user = fake.rows(PLATFORM_TABLES.user).find((u) => u.user_name === 'kandji_rest_api_user')!
    fake.rows(PLATFORM_TABLES.userRole).push({ sys_id: 'extra', user: user.sys_id!, role: 'role-admin', inherited: 'false' })
    const r = await runCli(['plan'], { env, deps })
    expect(r.stdout).toContain('warning: extra direct privileged role "admin"')
    expect(r.stdout).toContain('in sync: deploy would change nothing')
    const pruned = await runCli(['plan', '--prune-roles'], { env, deps })
    expect(pruned.stdout).toMatch(/- delete sys_user_has_role user=kandji_rest_api_user\^role=admin {2}\(extra privileged role\)/)
  })

  it('an admin user name with "^" is refused with the configuration, before any request (exit 2), never sent as a changed query', async () => {
    const fake = new FakeInstance()
    const r = await runCli(['plan'], { env: { ...env, SN_ADMIN_USER: 'admin^ORuser_nameISNOTEMPTY' }, deps: fake.deps('1.0.0', fakeZip(tempDir())) })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/^error: invalid configuration: admin\.user \(from SN_ADMIN_USER\): must be a user name without "\^", line breaks or control characters\ncause: .+\nfix: .+/m)
    expect(fake.writes).toEqual({ insert: 0, update: 0, delete: 0 })
  })

  it('refuses an admin without the admin role (exit 3)', async () => {
    const { fake, deps } = await deployed()
    fake.rows(PLATFORM_TABLES.userRole).find((g) => g.user === 'u-admin')!.role = 'role-itil'
    const r = await runCli(['plan'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.auth)
    expect(r.stderr).toMatch(/error: the account "admin" does not have the admin role \(it has: itil\)/)
  })

  it('names duplicate records instead of guessing (exit 4)', async () => {
    const { fake, deps } = await deployed()
    const client = fake.rows(PLATFORM_TABLES.oauthEntity)[0]!
    fake.rows(PLATFORM_TABLES.oauthEntity).push({ ...client, sys_id: 'dup-sys-id' })
    const r = await runCli(['plan'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.instance)
    expect(r.stderr).toMatch(/error: more than one record matches .*dup-sys-id/)
  })

  it('blocks with exit 2 when --app-source store and the app is not installed', async () => {
    const fake = new FakeInstance({ appInstalled: false })
    const r = await runCli(['plan', '--app-source', 'store'], { env, deps: fake.deps() })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/error: the Kandji app \(x_kandj_kandji\) is not installed and --app-source is store/)
  })

  it('says how to build the app when there is no package and the app is missing (exit 2)', async () => {
    const fake = new FakeInstance({ appInstalled: false })
    const deps = { ...fake.deps(), findBuiltPackage: async () => undefined }
    const r = await runCli(['plan'], { env, deps, cwd: tempDir() })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/fix: +build it with `npm run build -w apps\/servicenow-app`/)
  })
})

describe('uninstall', () => {
  it('removes the account, its grants, the client and the properties, and a second run finds nothing', async () => {
    const { fake, deps } = await deployed()
    const user = fake.rows(PLATFORM_TABLES.user).find((u) => u.user_name === 'kandji_rest_api_user')!
    const r = await runCli(['uninstall', '--yes'], { env, deps })
    expect(r.code).toBe(0)
    expect(fake.rows(PLATFORM_TABLES.user).some((u) => u.user_name === 'kandji_rest_api_user')).toBe(false)
    expect(fake.rows(PLATFORM_TABLES.userRole).filter((g) => g.user === user.sys_id)).toEqual([])
    expect(fake.rows(PLATFORM_TABLES.oauthEntity)).toEqual([])
    expect(fake.rows(PLATFORM_TABLES.property).filter((p) => (p.name ?? '').startsWith(APP.scope))).toEqual([])
    expect(fake.rows(PLATFORM_TABLES.scope)).toHaveLength(1) // the app stays without --app
    const writes = { ...fake.writes }
    const again = await runCli(['uninstall', '--yes'], { env, deps })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('nothing to remove')
    expect(fake.writes).toEqual(writes)
  })

  it('removes the app with --app, and asks for confirmation without --yes', async () => {
    const { fake, deps } = await deployed()
    const refused = await runCli(['uninstall', '--app'], { env, deps })
    expect(refused.code).toBe(EXIT_CODES.usage)
    expect(fake.rows(PLATFORM_TABLES.oauthEntity)).toHaveLength(1)
    const r = await runCli(['uninstall', '--app', '--yes'], { env, deps })
    expect(r.code).toBe(0)
    expect(fake.rows(PLATFORM_TABLES.scope)).toEqual([])
  })
})

describe('uninstall --app when the instance stays busy', () => {
  it('an Update-Mutex never released is exit 4 naming the mutex, without the per-request --timeout advice', async () => {
    const { fake, deps } = await deployed()
    fake.options.fault = ({ path }) =>
      path === `/api/now/table/${PLATFORM_TABLES.mutex}`
        ? new ServiceNowError({ kind: 'timeout', method: 'GET', path, message: "the uninstall finished, but the instance's Update-Mutex was not released within 30 s", hint: 'another install or CI/CD operation may be running: wait until sys_mutex.do shows Update-Mutex released, then run again', retryable: true })
        : undefined
    const r = await runCli(['uninstall', '--app', '--yes'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.instance)
    expect(r.stderr).toMatch(/^error: the uninstall finished, but the instance's Update-Mutex was not released within 30 s$/m)
    expect(r.stderr).toMatch(/^cause: the uninstall is still running on the instance, or stopped without saying so$/m)
    expect(r.stderr).toMatch(/^fix: +another install or CI\/CD operation may be running: wait until sys_mutex\.do shows Update-Mutex released, then run again; once the instance is done, run `uninstall --app` again to check nothing is left$/m)
    expect(r.stderr).not.toContain('--timeout')
  })
})

describe('rotate', () => {
  it('sets a new password and secret, tests them, then updates the hand-off file', async () => {
    const { fake, deps, creds } = await deployed()
    const old = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    const r = await runCli(['rotate', '--yes', '--credentials-out', creds], { env, deps })
    expect(r.code).toBe(0)
    const now = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    expect(now.password).not.toBe(old.password)
    expect(now.client_secret).not.toBe(old.client_secret)
    expect(now.client_id).toBe(old.client_id)
    expect(fake.passwordOf('kandji_rest_api_user')).toBe(now.password)
    expect(statSync(creds).mode & 0o777).toBe(0o600)
    expect(r.stdout).toMatch(/pass refresh_grant[\s\S]*retired: the old password/)
    for (const s of [old.password, old.client_secret, now.password, now.client_secret]) expect(r.all).not.toContain(s)
    // the old ones no longer work: a deploy with the old file fails the smoke test
    writeFileSync(creds, JSON.stringify(old), { mode: 0o600 })
    expect((await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })).code).toBe(EXIT_CODES.auth)
  })

  it('rotates only the password when the current secret is known from the hand-off file', async () => {
    const { deps, creds } = await deployed()
    const old = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    const r = await runCli(['rotate', '--password', '--yes', '--credentials-out', creds], { env, deps })
    expect(r.code).toBe(0)
    const now = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    expect(now.client_secret).toBe(old.client_secret)
    expect(now.password).not.toBe(old.password)
  })

  it('refuses without a place to put the new credentials, or before deploy (exit 2)', async () => {
    const fake = new FakeInstance()
    expect((await runCli(['rotate', '--yes'], { env, deps: fake.deps() })).code).toBe(EXIT_CODES.usage)
    const r = await runCli(['rotate', '--yes', '--credentials-out', join(tempDir(), 'c.json')], { env, deps: fake.deps() })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/run `deploy-integration deploy` first/)
    expect(fake.writes).toEqual({ insert: 0, update: 0, delete: 0 })
  })
})

describe('verify', () => {
  it('exits 0 on pass, 1 on fail, and runs the smoke test with --as-service-account', async () => {
    const { fake, deps, creds } = await deployed()
    const ok = await runCli(['verify', '--as-service-account', '--credentials-out', creds, '--json'], { env, deps })
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout).smokeTest.map((c: { id: string }) => c.id)).toEqual(['password_grant', 'refresh_grant', 'table_read', 'staging_write', 'bulk_import'])
    fake.options.verifyStatus = 'fail'
    expect((await runCli(['verify'], { env, deps })).code).toBe(EXIT_CODES.verificationFailed)
  })

  it('reports an app that does not answer the verify endpoint as an instance error (exit 4)', async () => {
    const { fake, deps } = await deployed()
    fake.options.verifyStatus = undefined
    const r = await runCli(['verify'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.instance)
    expect(r.stderr).toMatch(/^error: .*501 on GET \/api\/x_kandj_kandji\/integration\/verify/m)
  })
})

describe('fleet', () => {
  it('deploys every instance with bounded concurrency, prints a summary, and exits with the worst code', async () => {
    const good = new FakeInstance({ verifyStatus: 'pass' })
    const failing = new FakeInstance({ verifyStatus: 'fail' })
    const dir = tempDir()
    const zip = fakeZip(dir)
    const byUrl: Record<string, FakeInstance> = { 'https://good.service-now.com': good, 'https://bad.service-now.com': failing }
    const deps = { ...good.deps('1.0.0', zip), createClient: (o: Parameters<FakeInstance['client']>[0]) => byUrl[o.instance]!.client(o) }
    const fleetFile = join(dir, 'fleet.yaml')
    writeFileSync(fleetFile, 'concurrency: 2\ninstances:\n  - instance: good\n  - instance: bad\n    adminEnvPrefix: BAD\n')
    const r = await runCli(['fleet', 'deploy', '--config', fleetFile, '--yes', '--credentials-out', join(dir, 'creds.json'), '--json'], { env: { ...env, BAD_USER: 'admin', BAD_PASSWORD: 'admin' }, deps })
    expect(r.code).toBe(EXIT_CODES.verificationFailed)
    const result = JSON.parse(r.stdout)
    expect(result.instances.map((i: { instance: string; exitCode: number }) => [i.instance, i.exitCode])).toEqual([
      ['https://good.service-now.com', 0],
      ['https://bad.service-now.com', 1],
    ])
    expect(r.stderr).toMatch(/INSTANCE +EXIT +RESULT/)
    expect(statSync(join(dir, 'creds.good.json')).mode & 0o777).toBe(0o600)
    const secrets = handoffSchema.parse(JSON.parse(readFileSync(join(dir, 'creds.good.json'), 'utf8')))
    expect(r.all).not.toContain(secrets.password)
  })

  it('names the field of a malformed fleet file (exit 2)', async () => {
    const dir = tempDir()
    const fleetFile = join(dir, 'fleet.yaml')
    writeFileSync(fleetFile, 'instances:\n  - instance: acme\n  - instance: https://acme.service-now.com\n')
    const r = await runCli(['fleet', 'plan', '--config', fleetFile], { env })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/instances\[1\]\.instance: .*listed twice/)
    expect((await runCli(['fleet', 'explode', '--config', fleetFile], { env })).code).toBe(EXIT_CODES.usage)
  })
})

describe('command line', () => {
  it.each([
    [['nope'], /unknown command "nope"/],
    [['plan', '--bogus'], /Unknown option '--bogus'/],
    [['plan', '--instance'], /--instance/],
    [['deploy', 'extra'], /unexpected argument "extra"/],
    [[], /usage: deploy-integration/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const r = await runCli(argv, { env })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(message)
  })

  it('prints help for every command with its flags and the exit codes', async () => {
    for (const cmd of ['plan', 'deploy', 'verify', 'rotate', 'uninstall', 'fleet']) {
      const r = await runCli([cmd, '--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`usage: deploy-integration ${cmd}`)
      expect(r.stdout).toContain('exit codes: 0 ok, 1 verification failed')
      expect(r.stdout).toContain('--json')
    }
  })

  it('writes no ANSI colours when not on a terminal, and the JSON error object on --json', async () => {
    const r = await runCli(['plan', '--json'], { env: { SN_ADMIN_USER: 'a', SN_ADMIN_PASSWORD: 'b' } })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.all).not.toMatch(/\u001b\[/)
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', exitCode: 2, error: 'no instance given' })
  })
})
