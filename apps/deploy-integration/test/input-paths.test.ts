// Every input path of the CLI with a malformed value: the precise three lines a person sees, the exit code, no
// secret, no stack, and nothing contacted when the problem is local (findings of the input-path review).
import { accessSync, chmodSync, constants, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ROLES, EXIT_CODES, PLATFORM_TABLES, SERVICE_ACCOUNT, TABLES, verifyPath } from '@kandji-sn/contract/constants'
import { ServiceNowError, type ClientOptions } from '@kandji-sn/servicenow-client'
import type { Deps } from '../src/deps.ts'
import { FakeInstance } from './support/fake-instance.ts'
import { fakeZip, runCli, tempDir } from './support/run-cli.ts'

const env = { SN_INSTANCE: 'https://fake.service-now.com', SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }
const THREE_LINES = /^error: \S.*\ncause: \S.*\nfix: {3}\S.*\n?$/

/** The fake instance's deps, recording the options of every client the CLI opens (none = nothing was contacted). */
function recording(fake: FakeInstance, zip?: string): { deps: Deps; clients: ClientOptions[] } {
  const clients: ClientOptions[] = []
  const deps = fake.deps('1.0.0', zip ?? fakeZip(tempDir()))
  return { clients, deps: { ...deps, createClient: (options) => (clients.push(options), deps.createClient(options)) } }
}

describe('config and fleet files with a syntax error', () => {
  const secretJson = '{"instance":"acme","admin":{"user":"admin","password":hunter2}}'
  const column = secretJson.indexOf('hunter2') + 1

  it('plan --config c21.json: line and column, never the password (exit 2)', async () => {
    const dir = tempDir()
    const path = join(dir, 'c21.json')
    writeFileSync(path, secretJson)
    const r = await runCli(['plan', '--config', path], { env: {} })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(THREE_LINES)
    expect(r.stderr).toContain(`error: the config file ${path} is not valid JSON at line 1, column ${column}: a value that is not JSON`)
    expect(r.stderr).toContain(`fix:   fix line 1, column ${column} of ${path}`)
    expect(r.all).not.toContain('hunter2')
  })

  it('fleet plan --config fleet.json (the same loader): line and column, never the password (exit 2)', async () => {
    const dir = tempDir()
    const path = join(dir, 'fleet.json')
    writeFileSync(path, `{"instances": [\n  {"instance": "acme", "admin": {"password": hunter2}}\n]}`)
    const r = await runCli(['fleet', 'plan', '--config', path], { env: {} })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(THREE_LINES)
    expect(r.stderr).toContain(`is not valid JSON at line 2, column 46:`)
    expect(r.all).not.toContain('hunter2')
  })

  it('a YAML config with a bad escape in the password: line and column, never the password (exit 2)', async () => {
    const dir = tempDir()
    const path = join(dir, 'c.yaml')
    writeFileSync(path, 'instance: acme\nadmin:\n  user: admin\n  password: "hunter2\\q"\n')
    const r = await runCli(['plan', '--config', path], { env: {} })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(THREE_LINES)
    expect(r.stderr).toContain('is not valid YAML at line 4, column 21: an invalid escape in a double-quoted value')
    expect(r.all).not.toContain('hunter2')
  })
})

describe('--timeout SECONDS', () => {
  it.each(['0', '-5', 'abc', '3601', '1.5', '', '30s'])('--timeout %j is a usage error (exit 2) before anything is contacted', async (value) => {
    const { deps, clients } = recording(new FakeInstance())
    const r = await runCli(['plan', `--timeout=${value}`], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toBe(
      [
        `error: --timeout must be a whole number of seconds from 1 to 3600, not "${value}"`,
        'cause: --timeout is how long to wait for each answer of the instance (default 30)',
        'fix:   pass e.g. --timeout 120 for a slow or waking instance',
        '',
      ].join('\n'),
    )
    expect(clients).toEqual([])
  })

  it('deploy --timeout 120: every client (admin, token, service account) waits 120 s per answer', async () => {
    const fake = new FakeInstance({ verifyStatus: 'pass' })
    const { deps, clients } = recording(fake)
    const r = await runCli(['deploy', '--yes', '--timeout', '120', '--credentials-out', join(tempDir(), 'c.json')], { env, deps })
    expect(r.code, r.all).toBe(EXIT_CODES.ok)
    expect(clients.map((c) => c.auth.type).sort()).toEqual(['basic', 'bearer', 'none'])
    for (const c of clients) expect(c.timeoutMs).toBe(120_000)
  })

  it('without --timeout the client keeps its own default', async () => {
    const { deps, clients } = recording(new FakeInstance())
    expect((await runCli(['plan'], { env, deps })).code).toBe(EXIT_CODES.ok)
    expect(clients[0]).not.toHaveProperty('timeoutMs')
  })

  it('fleet verify --timeout 7 passes it to every instance; a malformed one stops the fleet before any instance', async () => {
    const dir = tempDir()
    const fleet = join(dir, 'fleet.yaml')
    writeFileSync(fleet, 'instances:\n  - instance: fake\n')
    const { deps, clients } = recording(new FakeInstance({ verifyStatus: 'pass' }))
    const r = await runCli(['fleet', 'verify', '--config', fleet, '--timeout', '7'], { env, deps })
    expect(r.code, r.all).toBe(EXIT_CODES.ok)
    expect(clients.length).toBeGreaterThan(0)
    for (const c of clients) expect(c.timeoutMs).toBe(7000)
    const bad = await runCli(['fleet', 'verify', '--config', fleet, '--timeout', 'soon'], { env, deps })
    expect(bad.code).toBe(EXIT_CODES.usage)
    expect(bad.stderr).toMatch(/^error: --timeout must be a whole number of seconds from 1 to 3600, not "soon"\n/)
  })

  it.each(['plan', 'deploy', 'verify', 'rotate', 'uninstall', 'fleet'])('%s --help lists --timeout SECONDS', async (command) => {
    expect((await runCli([command, '--help'])).stdout).toMatch(/--timeout SECONDS +how long to wait for each answer/)
  })
})

describe('errors in the middle of a run', () => {
  it('a reset on POST sys_user after the instance answered: "dropped mid-run", re-run converges (exit 4, then 0)', async () => {
    let failNext = true
    const fake = new FakeInstance({
      verifyStatus: 'pass',
      fault: ({ method, path }) => {
        if (!(failNext && method === 'POST' && path === `/api/now/table/${PLATFORM_TABLES.user}`)) return undefined
        failNext = false
        return new ServiceNowError({ kind: 'network', method, path, message: `${method} ${path} failed: ECONNRESET (not repeated: the request may have reached the instance)`, hint: 'the connection broke; the request may have been processed: re-read by natural key before sending it again', retryable: true, mayHaveBeenProcessed: true })
      },
    })
    const { deps } = recording(fake)
    const creds = join(tempDir(), 'c.json')
    const r = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    expect(r.code).toBe(EXIT_CODES.instance)
    expect(r.stderr).toMatch(
      /^error: the connection to the instance dropped in the middle of the run \(on POST \/api\/now\/table\/sys_user\)\ncause: the instance had answered \d+ requests of this run, so the address is right: .*the instance may have done the request before its answer was lost, so the client did not send it again\nfix: {3}re-run the same command: it reads every object by name first, so it finishes what this run started without creating anything twice \(the secrets this run generated are kept in \S+\/c\.json\.pending, mode 0600, until a run hands them off and removes it\)\n$/,
    )
    expect(r.stderr).not.toMatch(/no network route|natural key/)
    const again = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    expect(again.code, again.all).toBe(EXIT_CODES.ok)
    expect(fake.rows(PLATFORM_TABLES.user).filter((u) => u.user_name === SERVICE_ACCOUNT.defaultUserName)).toHaveLength(1)
  })

  it('rotate when the service account lost import_transformer: the 403 on the staging write is the service account\'s, fixed by deploy (exit 3)', async () => {
    const fake = new FakeInstance({ verifyStatus: 'pass' })
    const { deps } = recording(fake)
    const creds = join(tempDir(), 'c.json')
    expect((await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })).code).toBe(EXIT_CODES.ok)
    const account = fake.rows(PLATFORM_TABLES.user).find((u) => u.user_name === SERVICE_ACCOUNT.defaultUserName)!
    const grants = fake.rows(PLATFORM_TABLES.userRole)
    grants.splice(grants.findIndex((g) => g.user === account.sys_id && g.role === 'role-import_transformer' && g.inherited !== 'true'), 1)
    for (let i = grants.length - 1; i >= 0; i--) if (grants[i]!.user === account.sys_id && grants[i]!.role === 'role-import_transformer') grants.splice(i, 1)

    const r = await runCli(['rotate', '--yes', '--credentials-out', creds], { env, deps })
    expect(r.code).toBe(EXIT_CODES.auth)
    expect(r.stderr).toContain(
      [
        `error: the new credentials were set and saved to ${creds} but fail the smoke test: the instance denied the service account "kandji_rest_api_user" (403 on POST /api/now/import/${TABLES.deviceImport})`,
        'cause: the service account lacks one of its roles (cmdb_read, import_transformer, rest_api_explorer), or an ACL blocks it',
        'fix:   run `deploy-integration deploy` to restore the service account (it grants its roles again and re-activates it), then re-run this command',
      ].join('\n'),
    )
    expect(r.stderr).not.toContain('admin account')
    expect((await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })).code).toBe(EXIT_CODES.ok)
    expect((await runCli(['rotate', '--yes', '--credentials-out', creds], { env, deps })).code).toBe(EXIT_CODES.ok)
  })
})

/** A fake instance whose every request fails DNS, as an unreachable instance would: local errors must come first. */
function unreachable(): FakeInstance {
  return new FakeInstance({ fault: ({ method, path }) => new ServiceNowError({ kind: 'dns', method, path, message: `${method} ${path} failed: ENOTFOUND`, hint: 'the host name does not resolve' }) })
}

describe('local inputs are checked before any request', () => {
  it('plan --app-package /nonexistent.zip: the given path does not exist (exit 2), nothing contacted', async () => {
    const { deps, clients } = recording(new FakeInstance({ appInstalled: false }))
    const r = await runCli(['plan', '--app-package', '/nonexistent.zip'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toBe(
      [
        'error: the app package /nonexistent.zip does not exist',
        'cause: the path given with --app-package is wrong (relative paths start from the current folder)',
        'fix:   correct the path, or leave it out to use the built package (apps/servicenow-app/target/*.zip, `npm run build -w apps/servicenow-app`)',
        '',
      ].join('\n'),
    )
    expect(clients).toEqual([])
  })

  it('deploy --yes --app-package /typo/kandji.zip with the app installed: a usage error (exit 2), not a warning and exit 0', async () => {
    const fake = new FakeInstance({ appInstalled: true, verifyStatus: 'pass' })
    const { deps, clients } = recording(fake)
    const r = await runCli(['deploy', '--yes', '--app-package', '/typo/kandji.zip'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/^error: the app package \/typo\/kandji\.zip does not exist\ncause: the path given with --app-package is wrong/)
    expect(r.all).not.toContain('left as it is')
    expect(clients).toEqual([])
    expect(fake.writes).toEqual({ insert: 0, update: 0, delete: 0 })
  })

  it('appPackage in a config file that does not exist names the file key; a relative path is resolved from the current folder', async () => {
    const dir = tempDir()
    const config = join(dir, 'c.yaml')
    writeFileSync(config, 'instance: fake\nappPackage: build/kandji.zip\n')
    const { deps, clients } = recording(new FakeInstance())
    const r = await runCli(['plan', '--config', config], { env, deps, cwd: dir })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(new RegExp(`^error: the app package ${join(dir, 'build', 'kandji.zip')} does not exist\ncause: the path given with appPackage in ${config} is wrong`))
    expect(clients).toEqual([])
  })

  it('--app-package naming a folder says to give the zip (exit 2)', async () => {
    const dir = tempDir()
    const { deps, clients } = recording(new FakeInstance())
    const r = await runCli(['plan', '--app-package', dir], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(new RegExp(`^error: the app package ${dir} is a directory\ncause: --app-package takes the .zip file itself\nfix: {3}give the path of the zip`))
    expect(clients).toEqual([])
  })

  it('plan --credentials-out adir: it is a directory, give a file path (exit 2), not EISDIR/permissions', async () => {
    const dir = join(tempDir(), 'adir')
    mkdirSync(dir)
    const { deps, clients } = recording(new FakeInstance())
    const r = await runCli(['plan', '--credentials-out', dir], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toBe(
      [
        `error: the credentials path ${dir} is a directory`,
        'cause: --credentials-out takes the hand-off file itself (one file per instance), not the folder it goes in',
        `fix:   give a file path, e.g. --credentials-out ${join(dir, 'fake.json')}`,
        '',
      ].join('\n'),
    )
    expect(r.all).not.toMatch(/EISDIR|permissions/)
    expect(clients).toEqual([])
  })

  it('deploy --credentials-out in a folder that does not exist: exit 2 before anything is contacted', async () => {
    const path = join(tempDir(), 'missing', 'acme.json')
    const { deps, clients } = recording(unreachable())
    const r = await runCli(['deploy', '--yes', '--credentials-out', path], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(new RegExp(`^error: cannot write the credentials file ${path}: the folder ${join(path, '..')} does not exist\ncause: .+\nfix: {3}create the folder first`))
    expect(clients).toEqual([])
  })

  it('rotate --credentials-out in a folder this user cannot write: exit 2 before anything is contacted', async () => {
    // A folder only root could write when not root; as root (containers) /proc/1, which even root may not write.
    const folder = join(tempDir(), 'read-only')
    mkdirSync(folder)
    chmodSync(folder, 0o500)
    let target = folder
    try {
      accessSync(folder, constants.W_OK)
      target = '/proc/1'
    } catch {
      // not root: the read-only folder is the test case
    }
    const path = join(target, 'acme.json')
    const { deps, clients } = recording(unreachable())
    const r = await runCli(['rotate', '--yes', '--credentials-out', path], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(new RegExp(`^error: cannot write the credentials file ${path}: the folder ${target} is not writable by this user\ncause: .+\nfix: {3}pass --credentials-out with a path in a folder you can write`))
    expect(clients).toEqual([])
  })

  it('a hand-off file of another instance is reported before the DNS error of an unreachable instance (exit 2)', async () => {
    const path = join(tempDir(), 'c.json')
    writeFileSync(path, JSON.stringify({ instance: 'https://other.service-now.com', tenant: 'other', client_id: 'id', client_secret: 'secret-value-123', username: 'u', password: 'pw-value-123' }))
    const { deps, clients } = recording(unreachable())
    const r = await runCli(['deploy', '--yes', '--credentials-out', path], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/^error: the credentials file .* is for https:\/\/other\.service-now\.com, not https:\/\/fake\.service-now\.com\n/)
    expect(r.all).not.toMatch(/resolve|ENOTFOUND|secret-value-123|pw-value-123/)
    expect(clients).toEqual([])
  })

  it('pending secrets of another instance are reported before the DNS error (exit 2)', async () => {
    const path = join(tempDir(), 'c.json')
    writeFileSync(`${path}.pending`, JSON.stringify({ instance: 'https://other.service-now.com', service_account: { username: 'u', password: 'pw-value-123' } }))
    const { deps, clients } = recording(unreachable())
    const r = await runCli(['plan', '--credentials-out', path], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/^error: .*c\.json\.pending holds secrets an interrupted deploy set on https:\/\/other\.service-now\.com/)
    expect(r.all).not.toContain('pw-value-123')
    expect(clients).toEqual([])
  })

  it('with local inputs in order, an unreachable instance is the DNS error (exit 4)', async () => {
    const { deps } = recording(unreachable())
    const r = await runCli(['plan', '--credentials-out', join(tempDir(), 'c.json')], { env, deps })
    expect(r.code).toBe(EXIT_CODES.instance)
    expect(r.stderr).toMatch(/^error: the instance name does not resolve/)
  })
})

describe('fleet entries', () => {
  it('adminEnvPrefix ACME with ACME_USER unset names ACME_USER / ACME_PASSWORD, not SN_ADMIN_* (exit 2)', async () => {
    const dir = tempDir()
    const fleet = join(dir, 'fleet.yaml')
    writeFileSync(fleet, 'instances:\n  - instance: fake\n    adminEnvPrefix: ACME\n')
    const { deps, clients } = recording(new FakeInstance())
    const r = await runCli(['fleet', 'plan', '--config', fleet], { env: { SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stdout).toContain(
      [
        '   error: no admin user given',
        `   cause: ACME_USER is not set, ${fleet}: instances[0] has no admin.user, and there is no terminal to ask on`,
        '   fix:   set ACME_USER and ACME_PASSWORD',
      ].join('\n'),
    )
    expect(r.all).not.toMatch(/SN_ADMIN_(USER|PASSWORD)/)
    expect(clients).toEqual([])
    const withPassword = await runCli(['fleet', 'plan', '--config', fleet], { env: { ACME_USER: 'admin' }, deps })
    expect(withPassword.stdout).toContain('   cause: ACME_PASSWORD is not set,')
    const set = await runCli(['fleet', 'plan', '--config', fleet], { env: { ACME_USER: 'admin', ACME_PASSWORD: 'admin' }, deps })
    expect(set.code, set.all).toBe(EXIT_CODES.ok)
  })

  it('adminEnvPrefix ACME reads ACME_CLIENT_ID / ACME_CLIENT_SECRET, never the global SN_ADMIN_CLIENT_*', async () => {
    const dir = tempDir()
    const fleet = join(dir, 'fleet.yaml')
    writeFileSync(fleet, 'instances:\n  - instance: fake\n    adminEnvPrefix: ACME\n')
    const base = { ACME_USER: 'admin', ACME_PASSWORD: 'admin', SN_ADMIN_CLIENT_ID: 'global-client', SN_ADMIN_CLIENT_SECRET: 'global-secret-value' }
    const global = recording(new FakeInstance())
    await runCli(['fleet', 'plan', '--config', fleet], { env: base, deps: global.deps })
    expect(global.clients.map((c) => c.auth.type)).not.toContain('password')
    const own = recording(new FakeInstance())
    await runCli(['fleet', 'plan', '--config', fleet], { env: { ...base, ACME_CLIENT_ID: 'acme-client', ACME_CLIENT_SECRET: 'acme-secret-value' }, deps: own.deps })
    const oauth = own.clients.map((c) => c.auth).find((a) => a.type === 'password')
    expect(oauth).toMatchObject({ clientId: 'acme-client', user: 'admin' })
  })
})

describe('minor findings', () => {
  it.each([
    ['--oauth-client', 'oauthClient.name'],
    ['--service-account', 'serviceAccount.userName'],
  ])("%s '' reports one problem for one value (exit 2)", async (flag, field) => {
    const { deps, clients } = recording(new FakeInstance())
    const r = await runCli(['plan', flag, ''], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toBe(
      [
        `error: invalid configuration: ${field} (from ${flag}): must not be empty`,
        'cause: a flag, environment variable or config file key has a value the CLI cannot use',
        'fix:   correct the field named above (see `deploy-integration --help` and the README)',
        '',
      ].join('\n'),
    )
    expect(clients).toEqual([])
  })

  it("a 403 from the app's verify endpoint names the app's REST ACL roles (exit 3)", async () => {
    const fake = new FakeInstance({
      verifyStatus: 'pass',
      fault: ({ method, path }) => (path === verifyPath ? new ServiceNowError({ kind: 'permission', status: 403, method, path, message: 'denied', hint: 'lacks a role' }) : undefined),
    })
    const { deps } = recording(fake)
    const r = await runCli(['verify'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.auth)
    expect(r.stderr).toBe(
      [
        `error: the instance denied the app's verify endpoint (403 on GET ${verifyPath})`,
        `cause: the app's REST endpoint ACL admits ${APP_ROLES.viewer} or ${APP_ROLES.admin} (and admin through "Admin overrides"): the admin account has neither app role, or the ACL was edited on the instance`,
        `fix:   grant the admin account ${APP_ROLES.viewer}, or restore the app's ACLs (reinstall the x_kandj_kandji app); then re-run (deploy --no-verify skips this step)`,
        '',
      ].join('\n'),
    )
  })
})

describe('admin sign-in inputs (audit item 19)', () => {
  const instance = { SN_INSTANCE: 'https://fake.service-now.com' }
  const FIX = 'fix:   correct the field named above (see `deploy-integration --help` and the README)'
  const CAUSE = 'cause: a flag, environment variable or config file key has a value the CLI cannot use'

  it.each([
    [{ SN_ADMIN_TOKEN: 'Bearer eyJ-secret-tok' }, 'admin.token (from SN_ADMIN_TOKEN): must be the value itself: no spaces, line breaks or control characters (and no "Bearer " prefix)', 'eyJ-secret-tok'],
    [{ SN_ADMIN_API_KEY: 'now_secret-key\n' }, 'admin.apiKey (from SN_ADMIN_API_KEY): must be the value itself: no spaces, line breaks or control characters (and no "Bearer " prefix)', 'now_secret-key'],
    [{ SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'pw-secret-1', SN_ADMIN_API_KEY: 'now_secret-key' }, 'admin (from SN_ADMIN_USER, SN_ADMIN_PASSWORD, SN_ADMIN_API_KEY): apiKey replaces the password: give one sign-in method, not both', 'now_secret-key'],
    [{ SN_ADMIN_TOKEN: 'tok-secret-2', SN_ADMIN_CLIENT_ID: 'cid', SN_ADMIN_CLIENT_SECRET: 'cs-secret-3' }, 'admin (from SN_ADMIN_CLIENT_ID, SN_ADMIN_CLIENT_SECRET, SN_ADMIN_TOKEN): give one sign-in method, not token and clientId together', 'tok-secret-2'],
  ])('plan with %j: the three lines (exit 2), nothing contacted, the secret never printed', async (env, detail, secret) => {
    const { deps, clients } = recording(new FakeInstance())
    const r = await runCli(['plan'], { env: { ...instance, ...env }, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toBe([`error: invalid configuration: ${detail}`, CAUSE, FIX, ''].join('\n'))
    expect(clients).toEqual([])
    expect(r.all).not.toContain(secret)
  })

  it.each([
    [{ SN_ADMIN_TOKEN: 'tok-1' }, { type: 'bearer', token: 'tok-1' }],
    [{ SN_ADMIN_API_KEY: 'now_key-1' }, { type: 'apikey', key: 'now_key-1' }],
    [{ SN_ADMIN_CLIENT_ID: 'cid', SN_ADMIN_CLIENT_SECRET: 'cs-1' }, { type: 'client_credentials', clientId: 'cid', clientSecret: 'cs-1' }],
    [{ SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'pw', SN_ADMIN_CLIENT_ID: 'cid', SN_ADMIN_CLIENT_SECRET: 'cs-1' }, { type: 'password', clientId: 'cid', clientSecret: 'cs-1', user: 'admin', password: 'pw' }],
  ])('%j opens the admin client with %j', async (env, auth) => {
    const { deps, clients } = recording(new FakeInstance())
    await runCli(['plan'], { env: { ...instance, ...env }, deps })
    expect(clients[0]?.auth).toEqual(auth)
  })

  it('a fleet entry with adminEnvPrefix ACME signs in with ACME_API_KEY, not SN_ADMIN_API_KEY', async () => {
    const dir = tempDir()
    const fleet = join(dir, 'fleet.yaml')
    writeFileSync(fleet, 'instances:\n  - instance: fake\n    adminEnvPrefix: ACME\n')
    const { deps, clients } = recording(new FakeInstance())
    await runCli(['fleet', 'plan', '--config', fleet], { env: { ACME_API_KEY: 'now_acme-key', SN_ADMIN_API_KEY: 'now_global-key' }, deps })
    expect(clients[0]?.auth).toEqual({ type: 'apikey', key: 'now_acme-key' })
  })
})
