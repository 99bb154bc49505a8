import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_PROPERTIES, EXIT_CODES, PLATFORM_TABLES, SERVICE_ACCOUNT_ROLES } from '@kandji-sn/contract/constants'
import { handoffSchema } from '@kandji-sn/contract'
import { FakeInstance } from './support/fake-instance.ts'
import { fakeZip, runCli, tempDir } from './support/run-cli.ts'

const env = { SN_INSTANCE: 'https://fake.service-now.com', SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }

function setup(options: ConstructorParameters<typeof FakeInstance>[0] = {}) {
  const fake = new FakeInstance({ verifyStatus: 'pass', ...options })
  const dir = tempDir()
  const zip = fakeZip(dir)
  return { fake, dir, deps: fake.deps('1.0.0', zip), creds: join(dir, 'creds.json') }
}

function secretsOf(creds: string): string[] {
  const h = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
  return [h.password, h.client_secret]
}

describe('deploy against an in-memory instance', () => {
  it('converges a fresh instance: client, account, three direct roles, properties, hand-off file 0600', async () => {
    const { fake, deps, creds } = setup()
    const r = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(EXIT_CODES.ok)
    const user = fake.rows(PLATFORM_TABLES.user).find((u) => u.user_name === 'kandji_rest_api_user')!
    expect(user).toMatchObject({ active: 'true', locked_out: 'false', web_service_access_only: 'true', password_needs_reset: 'false' })
    const direct = fake.rows(PLATFORM_TABLES.userRole).filter((g) => g.user === user.sys_id && g.inherited !== 'true').map((g) => g.role)
    expect(direct.sort()).toEqual(SERVICE_ACCOUNT_ROLES.map((r) => `role-${r}`).sort())
    const client = fake.rows(PLATFORM_TABLES.oauthEntity)[0]!
    expect(client).toMatchObject({ name: 'kandji_oauth_api', redirect_url: 'https://kandji.io', active: 'true', scope_restriction_status: 'unrestricted', type: 'client' })
    expect(fake.rows(PLATFORM_TABLES.property).find((p) => p.name === APP_PROPERTIES.serviceAccount)?.value).toBe('kandji_rest_api_user')
    expect(statSync(creds).mode & 0o777).toBe(0o600)
    const handoff = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    expect(handoff).toMatchObject({ instance: 'https://fake.service-now.com', tenant: 'fake', username: 'kandji_rest_api_user', client_id: client.client_id })
    expect(fake.passwordOf('kandji_rest_api_user')).toBe(handoff.password)
    expect(r.stdout).toMatch(/the instance reports 5 roles \(3 direct; 2 inherited: api_analytics_read, import_set_loader\); the vendor expects 6/)
    expect(r.stdout).toContain('staging_write')
    expect(fake.rows('x_kandj_kandji_device_import')).toHaveLength(0) // the probe row was deleted
  })

  it('never prints the generated password or client secret, in human or JSON output', async () => {
    const { deps, creds } = setup()
    const human = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    const [password, secret] = secretsOf(creds)
    for (const s of [password!, secret!]) expect(human.all).not.toContain(s)
    const { deps: deps2, creds: creds2 } = setup()
    const json = await runCli(['deploy', '--yes', '--json', '--credentials-out', creds2], { env, deps: deps2 })
    for (const s of secretsOf(creds2)) expect(json.all).not.toContain(s)
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'deploy', status: 'ok' })
  })

  it('never prints the admin password, even with --debug', async () => {
    const adminPassword = 'Adm1n-Secret-Passw0rd'
    const fake = new FakeInstance({ verifyStatus: 'pass', adminPassword })
    const deps = fake.deps('1.0.0', fakeZip(tempDir()))
    const r = await runCli(['deploy', '--yes', '--json', '--debug'], { env: { ...env, SN_ADMIN_PASSWORD: adminPassword }, deps })
    expect(r.code).toBe(0)
    expect(r.all).not.toContain(adminPassword)
    expect(r.stderr).toContain('admin: admin (admin role present)') // ordinary words are not masked
  })

  it('puts the credentials in the JSON result only with --json --show-secrets', async () => {
    const { fake, deps } = setup()
    const r = await runCli(['deploy', '--yes', '--json', '--show-secrets'], { env, deps })
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.credentials.password).toBe(fake.passwordOf('kandji_rest_api_user'))
    expect(r.stderr).not.toContain(result.credentials.password)
    expect(r.stderr).not.toContain(result.credentials.client_secret)
  })

  it('refuses --show-secrets without --json (exit 2)', async () => {
    const { deps } = setup()
    const r = await runCli(['deploy', '--yes', '--show-secrets'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/^error: --show-secrets works only with --json\ncause: .*\nfix: /)
  })

  it('re-running deploy on a configured instance writes nothing', async () => {
    const { fake, deps, creds } = setup()
    expect((await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })).code).toBe(0)
    const before = { ...fake.writes }
    const again = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    expect(again.code).toBe(0)
    expect(fake.writes).toEqual(before)
    expect(again.stdout).toContain('in sync: nothing to change')
    expect(again.stdout).toContain('unchanged')
    const without = await runCli(['deploy', '--yes'], { env, deps })
    expect(without.code).toBe(0)
    expect(fake.writes).toEqual(before)
    expect(without.stderr).toMatch(/warning: smoke test skipped: .*password of the existing service account is not known/)
  })

  it('reports stale credentials in the hand-off file and suggests rotate (exit 3)', async () => {
    const { deps, creds } = setup()
    await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    const h = JSON.parse(readFileSync(creds, 'utf8'))
    writeFileSync(creds, JSON.stringify({ ...h, password: 'Wrong-password-123!' }), { mode: 0o600 })
    const r = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    expect(r.code).toBe(EXIT_CODES.auth)
    expect(r.stderr).toMatch(/error: .*refused the password grant.*using the credentials from/)
    expect(r.stderr).toMatch(/fix: +run `deploy-integration rotate --credentials-out/)
    expect(r.all).not.toContain('Wrong-password-123!')
  })

  it('explains a refused password grant for a web-service-only account and how to fix it', async () => {
    const { deps, creds } = setup({ refuseRopcForWebServiceOnly: true })
    const r = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    expect(r.code).toBe(EXIT_CODES.auth)
    expect(r.stderr).toMatch(/error: the instance refused the password grant for "kandji_rest_api_user" \(Web service access only\)/)
    expect(r.stderr).toContain('--interactive-account')
    const fixed = await runCli(['deploy', '--yes', '--interactive-account', '--credentials-out', creds], { env, deps })
    expect(fixed.code).toBe(0)
  })

  it('exits 1 when the verification endpoint reports a failed check, and prints the fix', async () => {
    const { deps } = setup({ verifyStatus: 'fail' })
    const r = await runCli(['deploy', '--yes'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.verificationFailed)
    expect(r.stdout).toMatch(/FAIL\s+discovery_source\s+checked\s+run repair/)
  })

  it.each([
    ['brings no discovery-source choice (deploy adds it)', false],
    ['adds the choice itself (deploy re-reads after the install and adds no second one)', true],
  ])('installs the app from the package when it is missing, then repairs a missing discovery source: an install that %s', async (_, installAddsChoice) => {
    const { fake, deps } = setup({ appInstalled: false })
    const install = fake.installApp.bind(fake)
    fake.installApp = (version) => {
      install(version)
      if (!installAddsChoice) fake.rows(PLATFORM_TABLES.choice).splice(0)
    }
    const r = await runCli(['deploy', '--yes', '--no-verify'], { env, deps })
    expect(r.stderr).not.toMatch(/^error/m)
    expect(r.code).toBe(EXIT_CODES.ok)
    expect(r.stdout).toMatch(/\+ install sys_scope scope=x_kandj_kandji/)
    expect(fake.rows(PLATFORM_TABLES.scope).map((s) => [s.scope, s.version])).toEqual([['x_kandj_kandji', '1.0.0']])
    const kandji = fake.rows(PLATFORM_TABLES.choice).filter((c) => c.name === 'cmdb_ci' && c.element === 'discovery_source' && c.value === 'Kandji')
    expect(kandji.map((c) => ({ language: c.language, inactive: c.inactive }))).toEqual([{ language: 'en', inactive: 'false' }])
    expect(r.stdout.includes('  done create sys_choice name=cmdb_ci^element=discovery_source^value=Kandji^language=en\n')).toBe(!installAddsChoice)
  })

  it('refuses to deploy without a terminal or --yes, and changes nothing (exit 2)', async () => {
    const { fake, deps } = setup()
    const r = await runCli(['deploy'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/error: nothing was changed: confirmation needed/)
    expect(fake.writes).toEqual({ insert: 0, update: 0, delete: 0 })
  })

  it('maps wrong admin credentials to exit 3 with error/cause/fix and no stack', async () => {
    const { deps } = setup()
    const r = await runCli(['plan'], { env: { ...env, SN_ADMIN_PASSWORD: 'nope-wrong' }, deps })
    expect(r.code).toBe(EXIT_CODES.auth)
    // The Basic Authentication Restriction answers with the same 401 as a wrong password: the text names both.
    expect(r.stderr).toMatch(/^error: the instance refused the admin's basic-auth credentials \(401 on GET \/api\/now\/table\/sys_user.*\ncause: the user name or password is wrong, .*Basic Authentication Restriction.*\nfix: .*SN_ADMIN_TOKEN.*SN_ADMIN_API_KEY.*correct SN_ADMIN_USER \/ SN_ADMIN_PASSWORD$/m)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.all).not.toContain('nope-wrong')
  })
})

describe('credentials are never lost', () => {
  it('saves the new credentials before the smoke test, so a refused grant can be fixed by re-running', async () => {
    const fake = new FakeInstance({ verifyStatus: 'pass', refuseRopcForWebServiceOnly: true })
    const dir = tempDir()
    const deps = fake.deps('1.0.0', fakeZip(dir))
    const creds = join(dir, 'creds.json')
    const failed = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    expect(failed.code).toBe(EXIT_CODES.auth)
    const saved = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
    expect(fake.passwordOf('kandji_rest_api_user')).toBe(saved.password)
    const again = await runCli(['deploy', '--yes', '--credentials-out', creds], { env, deps })
    expect(again.code).toBe(EXIT_CODES.auth)
    expect(again.stderr).toMatch(/cause: the hand-off file is stale .*, or this release refuses the password grant for Web-service-only accounts/)
    expect(again.stderr).toMatch(/fix: .*--interactive-account/)
    const fixed = await runCli(['deploy', '--yes', '--interactive-account', '--credentials-out', creds], { env, deps })
    expect(fixed.code).toBe(EXIT_CODES.ok)
    expect(handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))).toEqual(saved)
  })
})
