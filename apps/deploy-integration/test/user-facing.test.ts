// What a user relies on from the commands, against the instance emulator over HTTP: rotate's JSON with and without
// --show-secrets, the --debug request log, the terminal confirmation, --prune-roles, an upgrade's rollback line, and
// non-default account and client names from deploy to uninstall.
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { APP, APP_PROPERTIES, EXIT_CODES, OAUTH_CLIENT, PLATFORM_GRANTED_ROLES, PLATFORM_TABLES, SERVICE_ACCOUNT, SERVICE_ACCOUNT_ROLES } from '@kandji-sn/contract/constants'
import { handoffSchema, type Handoff } from '@kandji-sn/contract'
import { grantRole, loadKandjiApp, startEmulator, type Emulator } from '@kandji-sn/instance-emulator'
import { runCli, tempDir } from './support/run-cli.ts'
import { passwordGrant } from './support/password-grant.ts'

const app = await loadKandjiApp()
const DIST_APP = fileURLToPath(new URL('../../servicenow-app/dist/app', import.meta.url))
const USER = SERVICE_ACCOUNT.defaultUserName
const CLIENT = OAUTH_CLIENT.defaultName
const SMOKE_IDS = ['password_grant', 'refresh_grant', 'table_read', 'staging_write', 'bulk_import']
/** The account's direct roles once it has logged in: the three, and snc_internal, which the platform adds at first login. */
const DEPLOYED_ROLES = [...SERVICE_ACCOUNT_ROLES, ...PLATFORM_GRANTED_ROLES].sort()

const emulators: Emulator[] = []
const dirs: string[] = []
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()))
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

async function fresh(adminPassword = 'admin') {
  const emulator = await startEmulator({ adminPassword })
  emulators.push(emulator)
  const env: NodeJS.ProcessEnv = { SN_INSTANCE: emulator.url, SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: adminPassword }
  return { emulator, env, creds: join(tempDir(), 'handoff.json') }
}

async function deployed(adminPassword?: string) {
  const f = await fresh(adminPassword)
  const r = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip, '--credentials-out', f.creds], { env: f.env })
  expect(r.code, r.stderr).toBe(EXIT_CODES.ok)
  return f
}

const readHandoff = (path: string): Handoff => handoffSchema.parse(JSON.parse(readFileSync(path, 'utf8')))

function directRoles(emulator: Emulator, userName: string): string[] {
  const user = emulator.db.findOne(PLATFORM_TABLES.user, `user_name=${userName}`)
  if (!user) return []
  return emulator.db
    .query(PLATFORM_TABLES.userRole, `user=${user.sys_id}^inherited=false`)
    .map((g) => emulator.db.get(PLATFORM_TABLES.role, g.role!)?.name ?? '')
    .sort()
}

const named = (emulator: Emulator, table: string, field: string, value: string) => emulator.db.query(table, `${field}=${value}`)


function writes(emulator: Emulator) {
  const { insert, update, delete: del } = emulator.counters.db
  return { insert, update, delete: del }
}

/** Whether the text shows a secret; a boolean, so that a failing expectation does not print the secret. */
const shows = (text: string, secret: string) => text.includes(secret)
const occurrences = (text: string, secret: string) => text.split(secret).length - 1

describe('rotate --json', () => {
  it('without --show-secrets: exactly command, instance, rotated, smokeTest and handoff, and no secret anywhere', async () => {
    const { emulator, env, creds } = await deployed()
    const before = readHandoff(creds)
    const r = await runCli(['rotate', '--yes', '--json', '--credentials-out', creds], { env })
    expect(r.code, r.stderr).toBe(EXIT_CODES.ok)
    const json = JSON.parse(r.stdout) as Record<string, unknown>
    expect(Object.keys(json)).toEqual(['command', 'instance', 'rotated', 'smokeTest', 'handoff'])
    expect(json).toEqual({
      command: 'rotate',
      instance: emulator.url,
      rotated: { password: true, clientSecret: true },
      smokeTest: SMOKE_IDS.map((id) => ({ id, status: 'pass', detail: expect.any(String) })),
      handoff: creds,
    })
    const after = readHandoff(creds)
    for (const secret of [before.password, before.client_secret, after.password, after.client_secret]) expect(shows(r.all, secret)).toBe(false)
    expect(await passwordGrant(emulator, after)).toBe(200)
  })

  it('with --show-secrets: the same keys plus credentials, the new working pair, printed once and only in the JSON', async () => {
    const { emulator, env, creds } = await deployed()
    const before = readHandoff(creds)
    const r = await runCli(['rotate', '--yes', '--json', '--show-secrets'], { env })
    expect(r.code, r.stderr).toBe(EXIT_CODES.ok)
    const json = JSON.parse(r.stdout) as Record<string, unknown> & { credentials: Handoff }
    expect(Object.keys(json)).toEqual(['command', 'instance', 'rotated', 'smokeTest', 'handoff', 'credentials'])
    expect(json).toMatchObject({ command: 'rotate', instance: emulator.url, rotated: { password: true, clientSecret: true }, handoff: null })
    const clientId = named(emulator, PLATFORM_TABLES.oauthEntity, 'name', CLIENT)[0]!.client_id
    expect(Object.keys(json.credentials).sort()).toEqual(['client_id', 'client_secret', 'instance', 'password', 'tenant', 'username'])
    expect(json.credentials).toMatchObject({ instance: emulator.url, tenant: new URL(emulator.url).host, client_id: clientId, username: USER })
    const { password, client_secret } = json.credentials
    expect({ newPassword: password !== before.password, newSecret: client_secret !== before.client_secret }).toEqual({ newPassword: true, newSecret: true })
    expect(await passwordGrant(emulator, json.credentials)).toBe(200)
    expect(await passwordGrant(emulator, { ...json.credentials, password: before.password })).toBe(401)
    expect([occurrences(r.stdout, password), occurrences(r.stdout, client_secret), occurrences(r.stderr, password), occurrences(r.stderr, client_secret)]).toEqual([1, 1, 0, 0])
  })

  it('--show-secrets without --json is a usage error (exit 2) and rotates nothing', async () => {
    const { emulator, env, creds } = await deployed()
    emulator.resetCounters()
    const r = await runCli(['rotate', '--yes', '--show-secrets', '--credentials-out', creds], { env })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/^error: --show-secrets works only with --json\ncause: .+\nfix: .+$/m)
    expect(writes(emulator)).toEqual({ insert: 0, update: 0, delete: 0 })
  })
})

describe('--debug', () => {
  const ADMIN_PASSWORD = 'Adm1n-Debug-Pa55word'

  it('logs one line per admin request (method, path and query, status) on stderr, every write among them, and no credential', async () => {
    const { emulator, env, creds } = await deployed(ADMIN_PASSWORD)
    const before = readHandoff(creds)
    const r = await runCli(['rotate', '--yes', '--debug', '--credentials-out', creds], { env })
    expect(r.code, r.stderr).toBe(EXIT_CODES.ok)
    const after = readHandoff(creds)
    const debug = r.stderr.split('\n').filter((l) => l.startsWith('debug: '))
    expect(r.stdout).not.toMatch(/^debug: /m)
    for (const line of debug) expect(line).toMatch(/^debug: (GET|POST|PUT|PATCH|DELETE) \/\S+ -> \d{3} \(\d+ ms\)$/)
    const userSysId = named(emulator, PLATFORM_TABLES.user, 'user_name', USER)[0]!.sys_id
    const clientSysId = named(emulator, PLATFORM_TABLES.oauthEntity, 'name', CLIENT)[0]!.sys_id
    // rotate's two writes, in order, with the parameter that lets the Table API set an encrypted field
    expect(debug.filter((l) => l.startsWith('debug: PATCH ')).map((l) => l.replace(/ \(\d+ ms\)$/, ''))).toEqual([
      `debug: PATCH /api/now/table/sys_user/${userSysId}?sysparm_input_display_value=true&sysparm_exclude_reference_link=true -> 200`,
      `debug: PATCH /api/now/table/oauth_entity/${clientSysId}?sysparm_input_display_value=true&sysparm_exclude_reference_link=true -> 200`,
    ])
    // read before the confirmation, and again under the instance lock
    expect(debug.filter((l) => l.startsWith('debug: GET /api/now/table/sys_user?sysparm_query=user_name=kandji_rest_api_user&'))).toHaveLength(2)
    // the lock: created before the first write, removed after the last
    const writes = debug.filter((l) => /^debug: (POST|PATCH|DELETE) /.test(l)).map((l) => l.replace(/( -> | ?[?]).*$/, '').replace(/\/[0-9a-f]{32}$/, '/{sys_id}'))
    expect(writes[0]).toBe('debug: POST /api/now/table/sys_properties')
    expect(writes.at(-1)).toBe('debug: DELETE /api/now/table/sys_properties/{sys_id}')
    expect(writes.filter((w) => w.includes('sys_properties'))).toEqual(['debug: POST /api/now/table/sys_properties', 'debug: DELETE /api/now/table/sys_properties/{sys_id}'])
    for (const secret of [ADMIN_PASSWORD, before.password, before.client_secret, after.password, after.client_secret]) expect(shows(r.all, secret)).toBe(false)
    expect(r.all).not.toMatch(/Authorization|Basic [A-Za-z0-9+/=]{8,}|Bearer \S{8,}|JSESSIONID=[^*]/)
  })

  it('without --debug there is no request log', async () => {
    const { env } = await deployed(ADMIN_PASSWORD)
    const r = await runCli(['plan'], { env })
    expect(r.code).toBe(EXIT_CODES.ok)
    expect(r.all).not.toMatch(/^debug: /m)
  })
})

describe('the terminal confirmation (deploy without --yes on a terminal)', () => {
  const terminal = (typed: string | undefined) => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true })
    if (typed === undefined) stdin.end()
    else stdin.write(typed)
    return stdin
  }
  const deployArgs = ['deploy', '--no-verify', '--app-package', app.zip]

  it.each([
    ['n', 'n\n'],
    ['no', 'no\n'],
    ['an empty line (the default is no)', '\n'],
    ['"yess"', 'yess\n'],
    ['end of input (Ctrl-D)', undefined],
  ])('%s: nothing is written, exit 2 with what happened and how to go on', async (_, typed) => {
    const { emulator, env } = await fresh()
    // the admin's first sign-in is a write of the platform's own (last login, snc_internal); a plan gets it done
    expect((await runCli(['plan', '--app-package', app.zip], { env })).code).toBe(EXIT_CODES.ok)
    emulator.resetCounters()
    const r = await runCli(deployArgs, { env, stdin: terminal(typed) })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(new RegExp(`^Apply 9 changes to ${emulator.url.replaceAll('.', '\\.')}\\? \\[y/N\\] \\n`, 'm'))
    expect(r.stderr).toMatch(/^error: nothing was changed: not confirmed\ncause: the answer was not "y"\nfix: {3}re-run and answer "y", or pass --yes\n$/m)
    expect(writes(emulator)).toEqual({ insert: 0, update: 0, delete: 0 })
    expect(named(emulator, PLATFORM_TABLES.user, 'user_name', USER)).toEqual([])
  }, 15_000)

  it.each([['y', 'y\n'], ['YES, with spaces around it', '  YES \n']])('%s: the plan is applied', async (_, typed) => {
    const { emulator, env } = await fresh()
    const r = await runCli(deployArgs, { env, stdin: terminal(typed) })
    expect(r.code, r.stderr).toBe(EXIT_CODES.ok)
    expect(directRoles(emulator, USER)).toEqual(DEPLOYED_ROLES)
    expect(JSON.parse((await runCli(['plan', '--json', '--app-package', app.zip], { env })).stdout).changes).toBe(0)
  }, 20_000)
})

describe('--prune-roles', () => {
  it('removes exactly the extra direct grants of the service account; without it they stay and are named', async () => {
    const { emulator, env } = await deployed()
    const user = named(emulator, PLATFORM_TABLES.user, 'user_name', USER)[0]!
    grantRole(emulator.db, user.sys_id!, 'itil')
    grantRole(emulator.db, user.sys_id!, 'admin')
    // someone else's grant of the same role is not the integration's to remove
    const other = emulator.db.insert(PLATFORM_TABLES.user, { user_name: 'jane.doe', active: 'true' })
    grantRole(emulator.db, other.sys_id!, 'itil')

    const kept = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip], { env })
    expect(kept.code, kept.stderr).toBe(EXIT_CODES.ok)
    expect(kept.stdout.split('\n').filter((l) => l.startsWith('  warning: extra direct')).map((l) => l.trim()).sort()).toEqual([
      `warning: extra direct privileged role "admin": the integration needs only ${SERVICE_ACCOUNT_ROLES.join(', ')} (re-run with --prune-roles to remove it)`,
      `warning: extra direct role "itil": the integration needs only ${SERVICE_ACCOUNT_ROLES.join(', ')} (re-run with --prune-roles to remove it)`,
    ])
    expect(directRoles(emulator, USER)).toEqual([...DEPLOYED_ROLES, 'admin', 'itil'].sort())

    const pruned = await runCli(['deploy', '--yes', '--no-verify', '--prune-roles', '--app-package', app.zip], { env })
    expect(pruned.code, pruned.stderr).toBe(EXIT_CODES.ok)
    expect(pruned.stdout.split('\n').filter((l) => /^\s+done delete /.test(l)).map((l) => l.trim()).sort()).toEqual([
      `done delete sys_user_has_role user=${USER}^role=admin`,
      `done delete sys_user_has_role user=${USER}^role=itil`,
    ])
    expect(directRoles(emulator, USER)).toEqual(DEPLOYED_ROLES)
    expect(directRoles(emulator, 'jane.doe')).toEqual(['itil'])
    expect(JSON.parse((await runCli(['plan', '--json', '--prune-roles', '--app-package', app.zip], { env })).stdout).changes).toBe(0)
  })
})

/** A copy of the built app (same scope and sys_id) at the next patch version, as a directory deploy takes. */
async function nextPatch(): Promise<{ dir: string; from: string; to: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kandji-upgrade-'))
  dirs.push(dir)
  await cp(DIST_APP, dir, { recursive: true })
  await rm(join(dir, 'package_inventory.csv'), { force: true })
  let from = ''
  let to = ''
  for (const f of await readdir(join(dir, 'scope'))) {
    const path = join(dir, 'scope', f)
    const xml = (await readFile(path, 'utf8')).replace(/<version>(\d+)\.(\d+)\.(\d+)<\/version>/, (_m, a: string, b: string, c: string) => {
      from = `${a}.${b}.${c}`
      to = `${a}.${b}.${Number(c) + 1}`
      return `<version>${to}</version>`
    })
    await writeFile(path, xml)
  }
  return { dir, from, to }
}

describe('an upgrade through deploy', () => {
  it('plans the version change, installs it, and prints the version to roll back to; the next deploy is in sync', async () => {
    const { emulator, env } = await fresh()
    await emulator.publishApp(app.bytes)
    const first = await runCli(['deploy', '--yes', '--no-verify', '--app-source', 'repo'], { env })
    expect(first.code, first.stderr).toBe(EXIT_CODES.ok)
    expect(first.stdout.split('\n').filter((l) => l.startsWith('app: '))).toEqual([expect.stringMatching(/^app: first install \(undo: `deploy-integration uninstall --app`\)/)])
    const { dir, from, to } = await nextPatch()
    expect(emulator.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`).map((s) => s.version)).toEqual([from])
    await emulator.publishApp(dir)
    const up = await runCli(['deploy', '--yes', '--no-verify', '--app-source', 'repo', '--app-version', to], { env })
    expect(up.code, up.stderr).toBe(EXIT_CODES.ok)
    const esc = (v: string) => v.replaceAll('.', '\\.')
    expect(up.stdout).toMatch(new RegExp(`^\\s+version: ${esc(from)} -> ${esc(to)}$`, 'm'))
    expect(up.stdout.split('\n').filter((l) => l.startsWith('app: '))).toEqual([expect.stringMatching(new RegExp(`^app: rollback version ${esc(from)}$`))])
    expect(emulator.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`).map((s) => s.version)).toEqual([to])
    const again = await runCli(['deploy', '--yes', '--no-verify', '--app-source', 'repo', '--app-version', to], { env })
    expect(again.code).toBe(EXIT_CODES.ok)
    expect(again.stdout).toContain('in sync: nothing to change')
    expect(again.stdout).not.toMatch(/^app: /m)
  })
})

describe('non-default account and client names', () => {
  it('deploy, verify, rotate and uninstall use them throughout; nothing with the default names is ever created', async () => {
    const { emulator, env, creds } = await fresh()
    const names = ['--service-account', 'svc_iru_sync', '--oauth-client', 'iru_sync_client']
    const noDefaults = () => {
      expect(named(emulator, PLATFORM_TABLES.user, 'user_name', USER)).toEqual([])
      expect(named(emulator, PLATFORM_TABLES.oauthEntity, 'name', CLIENT)).toEqual([])
    }

    const deploy = await runCli(['deploy', '--yes', '--app-package', app.zip, '--credentials-out', creds, ...names], { env })
    expect(deploy.code, deploy.stderr).toBe(EXIT_CODES.ok)
    noDefaults()
    expect(named(emulator, PLATFORM_TABLES.user, 'user_name', 'svc_iru_sync').map((u) => [u.active, u.web_service_access_only])).toEqual([['true', 'true']])
    const client = named(emulator, PLATFORM_TABLES.oauthEntity, 'name', 'iru_sync_client')
    expect(client.map((c) => [c.active, c.redirect_url])).toEqual([['true', OAUTH_CLIENT.redirectUrl]])
    expect(directRoles(emulator, 'svc_iru_sync')).toEqual(DEPLOYED_ROLES)
    const properties = emulator.db.query(PLATFORM_TABLES.property, `nameIN${APP_PROPERTIES.serviceAccount},${APP_PROPERTIES.oauthClient}^ORDERBYname`)
    expect(Object.fromEntries(properties.map((p) => [p.name, p.value]))).toEqual({ [APP_PROPERTIES.serviceAccount]: 'svc_iru_sync', [APP_PROPERTIES.oauthClient]: 'iru_sync_client' })
    const handoff = readHandoff(creds)
    expect(handoff).toMatchObject({ username: 'svc_iru_sync', client_id: client[0]!.client_id })
    expect(await passwordGrant(emulator, handoff)).toBe(200)
    // a second deploy finds them by those names: in sync, nothing created twice
    const again = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip, ...names], { env })
    expect(again.code, again.stderr).toBe(EXIT_CODES.ok)
    expect(again.stdout).toContain('in sync: nothing to change')
    expect(named(emulator, PLATFORM_TABLES.oauthEntity, 'name', 'iru_sync_client')).toHaveLength(1)
    expect(named(emulator, PLATFORM_TABLES.user, 'user_name', 'svc_iru_sync')).toHaveLength(1)
    noDefaults()

    const verify = await runCli(['verify', '--json', '--as-service-account', '--credentials-out', creds, ...names], { env })
    expect(verify.code, verify.stderr).toBe(EXIT_CODES.ok)
    const report = JSON.parse(verify.stdout).verification as { status: string; subject: unknown }
    expect([report.status, report.subject]).toEqual(['pass', { service_account: 'svc_iru_sync', oauth_client: 'iru_sync_client' }])

    const rotate = await runCli(['rotate', '--yes', '--credentials-out', creds, ...names], { env })
    expect(rotate.code, rotate.stderr).toBe(EXIT_CODES.ok)
    expect(rotate.stdout).toMatch(/^retired: the old password of "svc_iru_sync" and the old client secret of "iru_sync_client"/m)
    const rotated = readHandoff(creds)
    expect(await passwordGrant(emulator, rotated)).toBe(200)
    expect(await passwordGrant(emulator, { ...rotated, password: handoff.password })).toBe(401)
    noDefaults()

    const userSysId = named(emulator, PLATFORM_TABLES.user, 'user_name', 'svc_iru_sync')[0]!.sys_id
    const uninstall = await runCli(['uninstall', '--yes', ...names], { env })
    expect(uninstall.code, uninstall.stderr).toBe(EXIT_CODES.ok)
    expect(named(emulator, PLATFORM_TABLES.user, 'user_name', 'svc_iru_sync')).toEqual([])
    expect(named(emulator, PLATFORM_TABLES.oauthEntity, 'name', 'iru_sync_client')).toEqual([])
    expect(emulator.db.query(PLATFORM_TABLES.userRole, `user=${userSysId}`)).toEqual([])
    expect(emulator.db.query(PLATFORM_TABLES.property, `nameIN${Object.values(APP_PROPERTIES).join(',')}`)).toEqual([])
    noDefaults()
  })
})
