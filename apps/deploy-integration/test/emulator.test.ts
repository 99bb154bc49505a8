// The CLI against the instance emulator over HTTP, through the real client, with the built app (the root
// `npm test` builds it first; without it this file fails with the build instruction, it never skips).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP, APP_PROPERTIES, EXIT_CODES, OAUTH_CLIENT, PLATFORM_GRANTED_ROLES, PLATFORM_TABLES, REST_INSERT_MULTIPLE, SERVICE_ACCOUNT, SERVICE_ACCOUNT_ROLES, TABLES } from '@kandji-sn/contract/constants'
import { handoffSchema } from '@kandji-sn/contract'
import { loadKandjiApp, startEmulator, type Emulator, type EmulatorOptions } from '@kandji-sn/instance-emulator'
import { runCli, tempDir } from './support/run-cli.ts'
import { passwordGrant } from './support/password-grant.ts'

const app = await loadKandjiApp()
const BIN = fileURLToPath(new URL('../bin/deploy-integration.mjs', import.meta.url))

const USER = SERVICE_ACCOUNT.defaultUserName
const CLIENT = OAUTH_CLIENT.defaultName

function envFor(emulator: Emulator, password = 'admin'): NodeJS.ProcessEnv {
  return { SN_INSTANCE: emulator.url, SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: password }
}

/** A fresh emulator; the CLI uploads the built app's zip (`appArgs`). */
async function fresh(options: EmulatorOptions = {}) {
  const emulator = await startEmulator(options)
  return { emulator, appArgs: ['--app-package', app.zip] }
}

function writes(emulator: Emulator) {
  const { insert, update, delete: del } = emulator.counters.db
  return { insert, update, delete: del }
}


function userSysId(emulator: Emulator): string | undefined {
  return emulator.db.findOne(PLATFORM_TABLES.user, `user_name=${USER}`)?.sys_id
}

describe('deploy-integration against the instance emulator', () => {
  let emulator: Emulator
  let appArgs: string[]
  let dir: string
  let creds: string
  let firstDeploy: Awaited<ReturnType<typeof runCli>>

  beforeAll(async () => {
    ;({ emulator, appArgs } = await fresh())
    dir = tempDir()
    creds = join(dir, 'acme.json')
    firstDeploy = await runCli(['deploy', '--yes', ...appArgs, '--credentials-out', creds], { env: envFor(emulator) })
  })
  afterAll(async () => {
    await emulator?.close()
  })

  it('deploy on a fresh instance converges: app, client, account with three direct roles, properties, hand-off', () => {
    expect(firstDeploy.stderr.replace(/^.*: \d+%.*\n|^(installing|upgrading) .*\n/gm, '')).not.toMatch(/^error:/m)
    expect(firstDeploy.code).toBe(EXIT_CODES.ok)
    expect(emulator.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`).map((s) => s.active)).toEqual(['true'])
    const client = emulator.db.findOne(PLATFORM_TABLES.oauthEntity, `name=${CLIENT}`)!
    expect(client).toMatchObject({ redirect_url: OAUTH_CLIENT.redirectUrl, active: 'true', [OAUTH_CLIENT.scopeRestrictionField]: OAUTH_CLIENT.broadlyScopedValue })
    const user = emulator.db.findOne(PLATFORM_TABLES.user, `user_name=${USER}`)!
    expect(user).toMatchObject({ active: 'true', web_service_access_only: 'true' })
    const direct = emulator.db.query(PLATFORM_TABLES.userRole, `user=${user.sys_id}^inherited=false`).map((g) => emulator.db.get(PLATFORM_TABLES.role, g.role!)?.name)
    // exactly the three roles, plus snc_internal, which the platform adds at the account's first login (the smoke test's)
    expect(direct.sort()).toEqual([...SERVICE_ACCOUNT_ROLES, ...PLATFORM_GRANTED_ROLES].sort())
    expect(emulator.db.findOne(PLATFORM_TABLES.property, `name=${APP_PROPERTIES.serviceAccount}`)?.value).toBe(USER)
    expect(statSync(creds).mode & 0o777).toBe(0o600)
    const handoff = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    expect(handoff).toMatchObject({ instance: emulator.url, username: USER, client_id: client.client_id })
    expect(firstDeploy.stdout).toMatch(/pass staging_write/)
    expect(firstDeploy.stdout).toMatch(/roles: the instance reports 6 roles \(3 direct; 3 inherited/)
  })

  it('no secret appears in any output', () => {
    const handoff = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    expect(firstDeploy.all).not.toContain(handoff.password)
    expect(firstDeploy.all).not.toContain(handoff.client_secret)
  })

  it('verify passes after deploy (exit 0)', async () => {
    const r = await runCli(['verify', '--as-service-account', '--credentials-out', creds], { env: envFor(emulator) })
    expect(r.code).toBe(EXIT_CODES.ok)
    expect(r.stdout).toMatch(/verification: (pass|warn)/)
  })

  it('a second deploy makes zero writes', async () => {
    emulator.resetCounters()
    const r = await runCli(['deploy', '--yes', ...appArgs, '--no-verify'], { env: envFor(emulator) })
    expect(r.code).toBe(EXIT_CODES.ok)
    expect(r.stdout).toContain('in sync: nothing to change')
    expect(writes(emulator)).toEqual({ insert: 0, update: 0, delete: 0 })
  })

  it('plan after a manual change shows exactly that drift', async () => {
    const userId = userSysId(emulator)!
    const grant = emulator.db.query(PLATFORM_TABLES.userRole, `user=${userId}^inherited=false`).find((g) => emulator.db.get(PLATFORM_TABLES.role, g.role!)?.name === 'rest_api_explorer')!
    emulator.db.delete(PLATFORM_TABLES.userRole, grant.sys_id!)
    const client = emulator.db.findOne(PLATFORM_TABLES.oauthEntity, `name=${CLIENT}`)!
    emulator.db.update(PLATFORM_TABLES.oauthEntity, client.sys_id!, { active: 'false' })
    emulator.resetCounters()
    const r = await runCli(['plan', '--json', ...appArgs], { env: envFor(emulator) })
    expect(r.code).toBe(EXIT_CODES.ok)
    expect(writes(emulator)).toEqual({ insert: 0, update: 0, delete: 0 })
    const changes = JSON.parse(r.stdout).steps.flatMap((s: { changes: unknown[] }) => s.changes)
    expect(changes).toEqual([
      expect.objectContaining({ action: 'update', table: PLATFORM_TABLES.oauthEntity, fields: [{ field: 'active', from: 'false', to: 'true' }] }),
      expect.objectContaining({ action: 'create', table: PLATFORM_TABLES.userRole, key: `user=${USER}^role=rest_api_explorer` }),
    ])
    const fix = await runCli(['deploy', '--yes', ...appArgs, '--no-verify', '--credentials-out', creds], { env: envFor(emulator) })
    expect(fix.code).toBe(EXIT_CODES.ok)
    expect(JSON.parse((await runCli(['plan', '--json', ...appArgs], { env: envFor(emulator) })).stdout).changes).toBe(0)
  })

  it('exit 3 for wrong admin credentials, with error/cause/fix and without the password', async () => {
    const r = await runCli(['plan'], { env: envFor(emulator, 'Wrong-Admin-Password-1') })
    expect(r.code).toBe(EXIT_CODES.auth)
    expect(r.stderr).toMatch(/^error: .*\ncause: .*\nfix: /m)
    expect(r.all).not.toContain('Wrong-Admin-Password-1')
  })

  it('exit 4 for a hibernating instance (an HTML page instead of JSON)', async () => {
    emulator.addFault({ kind: 'html', path: '/api/now/table' })
    try {
      const r = await runCli(['plan'], { env: envFor(emulator) })
      expect(r.code).toBe(EXIT_CODES.instance)
      expect(r.stderr).toMatch(/fix: .*developer\.servicenow\.com/)
    } finally {
      emulator.clearFaults()
    }
  })

  it('exit 2 for a usage error, and the executable runs against the emulator', async () => {
    // Asynchronous: the emulator answers from this process, so a synchronous spawn would block it.
    const run = (args: string[], env: NodeJS.ProcessEnv) =>
      promisify(execFile)(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env, NO_COLOR: '1' } }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      )
    const usage = await run(['plan', '--no-such-flag'], {})
    expect(usage.code).toBe(EXIT_CODES.usage)
    const plan = await run(['plan', '--json', ...appArgs], envFor(emulator))
    expect(plan.stderr).not.toMatch(/^error:/m)
    expect(plan.code).toBe(EXIT_CODES.ok)
    expect(JSON.parse(plan.stdout)).toMatchObject({ command: 'plan', changes: 0 })
  })

  it('rotate issues working credentials and retires the old ones', async () => {
    const before = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    const r = await runCli(['rotate', '--yes', '--credentials-out', creds], { env: envFor(emulator) })
    expect(r.code).toBe(EXIT_CODES.ok)
    const after = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    // compared as booleans, so a failure does not print a secret
    expect({ newPassword: after.password !== before.password, newSecret: after.client_secret !== before.client_secret }).toEqual({ newPassword: true, newSecret: true })
    expect({ client_id: after.client_id, username: after.username, instance: after.instance }).toEqual({ client_id: before.client_id, username: before.username, instance: before.instance })
    expect(r.stdout).toMatch(/^retired: the old password of "kandji_rest_api_user" and the old client secret of "kandji_oauth_api"/m)
    // working: the new pair gets a token; retired: the old password and the old secret are each refused
    expect(await passwordGrant(emulator, after)).toBe(200)
    expect(await passwordGrant(emulator, { ...after, password: before.password })).toBe(401)
    expect(await passwordGrant(emulator, { ...after, client_secret: before.client_secret })).toBe(401)
    for (const s of [before.password, before.client_secret, after.password, after.client_secret]) expect(r.all).not.toContain(s)
  })

  it('uninstall leaves nothing behind, and a second uninstall writes nothing', async () => {
    const userId = userSysId(emulator)!
    const r = await runCli(['uninstall', '--yes'], { env: envFor(emulator) })
    expect(r.code).toBe(EXIT_CODES.ok)
    expect(emulator.db.query(PLATFORM_TABLES.user, `user_name=${USER}`)).toEqual([])
    expect(emulator.db.query(PLATFORM_TABLES.userRole, `user=${userId}`)).toEqual([])
    expect(emulator.db.query(PLATFORM_TABLES.oauthEntity, `name=${CLIENT}`)).toEqual([])
    expect(emulator.db.query(PLATFORM_TABLES.property, `nameIN${Object.values(APP_PROPERTIES).join(',')}`)).toEqual([])
    emulator.resetCounters()
    const again = await runCli(['uninstall', '--yes'], { env: envFor(emulator) })
    expect(again.code).toBe(EXIT_CODES.ok)
    expect(again.stdout).toContain('nothing to remove')
    expect(writes(emulator)).toEqual({ insert: 0, update: 0, delete: 0 })
  })
})

describe('release differences and switches in the emulator', () => {
  it('on Yokohama without scope_restriction_status the client is created without it', async () => {
    const { emulator, appArgs } = await fresh({ release: 'yokohama' })
    try {
      const r = await runCli(['deploy', '--yes', '--no-verify', ...appArgs], { env: envFor(emulator) })
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(r.stdout).toMatch(/scope_restriction_status: absent/)
      expect(emulator.db.findOne(PLATFORM_TABLES.oauthEntity, `name=${CLIENT}`)?.[OAUTH_CLIENT.scopeRestrictionField]).toBeUndefined()
      // the instance would drop the column silently, so the test looks at what the CLI sent: no field the release lacks
      expect(emulator.db.schemaMisses).toEqual([])
    } finally {
      await emulator.close()
    }
  })

  it('a refused password grant for a web-service-only account says so (exit 3); --interactive-account fixes it', async () => {
    const { emulator, appArgs } = await fresh({ switches: { ropcRefusedForWebServiceOnly: true } })
    try {
      const creds = join(tempDir(), 'c.json')
      const r = await runCli(['deploy', '--yes', '--no-verify', ...appArgs, '--credentials-out', creds], { env: envFor(emulator) })
      expect(r.code).toBe(EXIT_CODES.auth)
      expect(r.stderr).toMatch(/error: the instance refused the password grant for "kandji_rest_api_user" \(Web service access only\)/)
      const fixed = await runCli(['deploy', '--yes', '--no-verify', '--interactive-account', ...appArgs, '--credentials-out', creds], { env: envFor(emulator) })
      expect(fixed.code).toBe(EXIT_CODES.ok)
    } finally {
      await emulator.close()
    }
  })

  it('exit 4 when the instance is unreachable', async () => {
    const r = await runCli(['plan'], { env: { SN_INSTANCE: 'http://127.0.0.1:1', SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' } })
    expect(r.code).toBe(EXIT_CODES.instance)
    expect(r.stderr).toMatch(/^error: the connection to the instance failed/m)
  })
})

describe('app sources, secret source and fleet in the emulator', () => {
  it('--app-source repo installs from the CI/CD app repository, and uninstall --app removes the app', async () => {
    const emulator = await startEmulator({})
    try {
      await emulator.publishApp(app.bytes)
      const r = await runCli(['deploy', '--yes', '--no-verify', '--app-source', 'repo'], { env: envFor(emulator) })
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(r.stdout).toMatch(/\+ install sys_scope scope=x_kandj_kandji/)
      expect(emulator.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`).map((s) => s.active)).toEqual(['true'])
      const gone = await runCli(['uninstall', '--yes', '--app'], { env: envFor(emulator) })
      expect(gone.code).toBe(EXIT_CODES.ok)
      expect(emulator.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`)).toEqual([])
      expect(emulator.db.query(PLATFORM_TABLES.oauthEntity, `name=${CLIENT}`)).toEqual([])
    } finally {
      await emulator.close()
    }
  })

  it('--secret-source instance: a secret the Table API does not return decrypted is reported as such (exit 3)', async () => {
    const { emulator, appArgs } = await fresh()
    try {
      const r = await runCli(['deploy', '--yes', '--no-verify', '--secret-source', 'instance', ...appArgs], { env: envFor(emulator) })
      // The emulator's Table API returns a password2 column's stored (encrypted) text, never the plaintext.
      expect(r.code).toBe(EXIT_CODES.auth)
      expect(r.stderr).toMatch(/error: the client secret read back from the instance for "kandji_oauth_api" does not work/)
    } finally {
      await emulator.close()
    }
  })

  it('the admin may act through an OAuth client (password grant) given in SN_ADMIN_CLIENT_ID/SECRET', async () => {
    const { emulator, appArgs } = await fresh()
    try {
      const creds = join(tempDir(), 'c.json')
      expect((await runCli(['deploy', '--yes', '--no-verify', ...appArgs, '--credentials-out', creds], { env: envFor(emulator) })).code).toBe(EXIT_CODES.ok)
      const handoff = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
      const env = { ...envFor(emulator), SN_ADMIN_CLIENT_ID: handoff.client_id, SN_ADMIN_CLIENT_SECRET: handoff.client_secret }
      const r = await runCli(['plan', '--json', ...appArgs], { env })
      expect(r.stderr).not.toMatch(/^error:/m)
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(JSON.parse(r.stdout).changes).toBe(0)
      const wrong = await runCli(['plan', ...appArgs], { env: { ...env, SN_ADMIN_CLIENT_SECRET: 'not-the-secret-at-all' } })
      expect(wrong.code).toBe(EXIT_CODES.auth)
      expect(wrong.all).not.toContain(handoff.client_secret)
    } finally {
      await emulator.close()
    }
  })

  it('fleet deploy converges two instances, writes one hand-off per tenant and a summary', async () => {
    const a = await fresh()
    const b = await fresh({ release: 'yokohama' })
    try {
      const dir = tempDir()
      const fleet = join(dir, 'fleet.json')
      writeFileSync(fleet, JSON.stringify({ concurrency: 2, defaults: { appPackage: app.zip }, instances: [{ instance: a.emulator.url }, { instance: b.emulator.url, adminEnvPrefix: 'SECOND' }] }))
      const r = await runCli(['fleet', 'deploy', '--yes', '--no-verify', '--config', fleet, '--credentials-out', join(dir, 'creds.json')], {
        env: { SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin', SECOND_USER: 'admin', SECOND_PASSWORD: 'admin' },
      })
      // Not a terminal: exactly one progress line per instance as it ends, on stderr, and nothing else there.
      const progress = r.stderr.trimEnd().split('\n').map((l) => /^\[(\d)\/2\] ok {5}(\S+) \(exit 0, 9 changes, \d+\.\d s\)$/.exec(l)?.slice(1))
      expect(progress.map((p) => p?.[0])).toEqual(['1', '2'])
      expect(progress.map((p) => p?.[1]).sort()).toEqual([a.emulator.url, b.emulator.url].sort())
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(r.stdout).toMatch(/INSTANCE\s+EXIT\s+RESULT/)
      // one hand-off per tenant, each named after its tenant, each holding that instance's working credentials
      const handoffs = readdirSync(dir).filter((f) => f !== 'fleet.json').sort()
      const expected = [a.emulator, b.emulator].map((e) => `creds.${new URL(e.url).host.replace(/[^A-Za-z0-9._-]/g, '-')}.json`)
      expect(handoffs).toEqual([...expected].sort())
      for (const [i, e] of [a.emulator, b.emulator].entries()) {
        const h = handoffSchema.parse(JSON.parse(readFileSync(join(dir, expected[i]!), 'utf8')))
        expect(statSync(join(dir, expected[i]!)).mode & 0o777).toBe(0o600)
        expect(h).toMatchObject({ instance: e.url, username: USER, client_id: e.db.findOne(PLATFORM_TABLES.oauthEntity, `name=${CLIENT}`)!.client_id })
        expect(e.db.query(PLATFORM_TABLES.user, `user_name=${USER}`)).toHaveLength(1)
        expect(await passwordGrant(e, h)).toBe(200)
      }
      // the summary: one row per instance, in the config's order, with its exit code and what it did
      const table = r.stdout.slice(r.stdout.indexOf('INSTANCE ')).trimEnd().split('\n').slice(2).map((l) => l.split(/\s{2,}/))
      expect(table).toEqual([[a.emulator.url, '0', '9 changes'], [b.emulator.url, '0', '9 changes']])
      const again = await runCli(['fleet', 'plan', '--config', fleet], { env: { SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin', SECOND_USER: 'admin', SECOND_PASSWORD: 'admin' } })
      expect(again.code).toBe(EXIT_CODES.ok)
      expect(again.stdout.match(/0 changes/g)).toHaveLength(2)
    } finally {
      await a.emulator.close()
      await b.emulator.close()
    }
  })
})

describe('verification endpoint in the emulator', () => {
  it('verify exits 1 with the failing check and its fix when the service account is deactivated', async () => {
    const { emulator, appArgs } = await fresh()
    try {
      expect((await runCli(['deploy', '--yes', ...appArgs], { env: envFor(emulator) })).code).toBe(EXIT_CODES.ok)
      const user = emulator.db.findOne(PLATFORM_TABLES.user, `user_name=${USER}`)!
      emulator.db.update(PLATFORM_TABLES.user, user.sys_id!, { active: 'false' })
      const r = await runCli(['verify'], { env: envFor(emulator) })
      expect(r.code).toBe(EXIT_CODES.verificationFailed)
      expect(r.stdout).toMatch(/FAIL\s+service_account/)
    } finally {
      await emulator.close()
    }
  })

  it('deploy proves the bulk path: without the Insert Multiple plugin it warns (exit 0) and verify warns too', async () => {
    const { emulator, appArgs } = await fresh({ switches: { insertMultiplePlugin: 'absent' } })
    try {
      const r = await runCli(['deploy', '--yes', ...appArgs], { env: envFor(emulator) })
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(r.stdout).toMatch(/warn bulk_import: insertMultiple is not available on this instance \(400\)/)
      expect(r.stdout).toMatch(/WARN\s+insert_multiple/)
      expect(emulator.db.count(TABLES.deviceImport)).toBe(0)
    } finally {
      await emulator.close()
    }
  })

  it('verify --as-service-account fails the bulk probe when insertMultiple no longer maps by column name, and says why', async () => {
    const { emulator, appArgs } = await fresh()
    try {
      const creds = join(tempDir(), 'h.json')
      expect((await runCli(['deploy', '--yes', ...appArgs, '--credentials-out', creds], { env: envFor(emulator) })).code).toBe(EXIT_CODES.ok)
      for (const row of emulator.db.query(REST_INSERT_MULTIPLE.table)) emulator.db.delete(REST_INSERT_MULTIPLE.table, row.sys_id as string)
      const r = await runCli(['verify', '--as-service-account', '--credentials-out', creds], { env: envFor(emulator) })
      expect(r.code).toBe(EXIT_CODES.verificationFailed)
      expect(r.stderr).toContain('the bulk probe row ended "rejected": Rejected: Row has no serial_number')
      expect(r.stderr).toContain("the app's Rest Insert Multiples records are missing or changed")
      expect(emulator.db.count(TABLES.deviceImport)).toBe(0)
    } finally {
      await emulator.close()
    }
  })

  it("the smoke test's clean-up deletes only its probes: the day's shared one-row import set and Iru Endpoint's rows in it stay", async () => {
    const { emulator, appArgs } = await fresh()
    try {
      const creds = join(tempDir(), 'h.json')
      expect((await runCli(['deploy', '--yes', ...appArgs, '--credentials-out', creds], { env: envFor(emulator) })).code).toBe(EXIT_CODES.ok)
      const handoff = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
      const auth = `Basic ${Buffer.from(`${handoff.username}:${handoff.password}`).toString('base64')}`
      const pushed = await fetch(`${emulator.url}/api/now/import/${TABLES.deviceImport}`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ device_id: 'dev-kept', serial_number: 'C02KEPT', device_name: 'Kept Mac', platform: 'Mac' }),
      })
      expect(pushed.status).toBe(201)
      const [kept] = emulator.db.query(TABLES.deviceImport, 'device_id=dev-kept')
      const r = await runCli(['verify', '--as-service-account', '--credentials-out', creds], { env: envFor(emulator) })
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(r.stdout).toMatch(/pass staging_write/)
      expect(r.stdout).toMatch(/pass bulk_import/)
      // The probe joined the same open set as the device's row: the set and the row are still there, the probes are gone.
      expect(emulator.db.get(PLATFORM_TABLES.importSet, kept?.sys_import_set as string)).toBeDefined()
      expect(emulator.db.query(TABLES.deviceImport).map((row) => row.device_id)).toEqual(['dev-kept'])
    } finally {
      await emulator.close()
    }
  })
})
