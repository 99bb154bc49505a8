import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { adminEnvNames, resolveConfig } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'config-'))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const adminEnv = { SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'pw' }

describe('config resolution', () => {
  it('takes flags over environment over the file', async () => {
    const path = file('all.yaml', 'instance: fromfile\nserviceAccount:\n  userName: file_user\noauthClient:\n  name: file_client\nadmin:\n  user: fileadmin\n  password: filepw\n')
    const fromFile = await resolveConfig({ config: path }, { env: {} })
    expect(fromFile.desired.instance.url).toBe('https://fromfile.service-now.com')
    expect(fromFile.admin).toEqual({ user: 'fileadmin', password: 'filepw' })
    expect(fromFile.desired.serviceAccount.userName).toBe('file_user')

    const fromEnv = await resolveConfig({ config: path }, { env: { SN_INSTANCE: 'fromenv', SN_ADMIN_USER: 'envadmin' } })
    expect(fromEnv.desired.instance.tenant).toBe('fromenv')
    expect(fromEnv.admin).toEqual({ user: 'envadmin', password: 'filepw' })

    const fromFlags = await resolveConfig({ config: path, instance: 'https://flag.service-now.com', 'admin-user': 'flagadmin', 'service-account': 'flag_user' }, { env: { SN_INSTANCE: 'fromenv' } })
    expect(fromFlags.desired.instance.tenant).toBe('flag')
    expect(fromFlags.admin.user).toBe('flagadmin')
    expect(fromFlags.desired.serviceAccount.userName).toBe('flag_user')
    expect(fromFlags.desired.oauthClient.name).toBe('file_client')
  })

  it('reads JSON config files and fills the vendor defaults', async () => {
    const path = file('c.json', JSON.stringify({ instance: 'acme' }))
    const c = await resolveConfig({ config: path }, { env: adminEnv })
    expect(c.desired).toMatchObject({ serviceAccount: { userName: 'kandji_rest_api_user', webServiceOnly: true }, oauthClient: { name: 'kandji_oauth_api', secretSource: 'generate' }, app: { source: 'package' }, pruneRoles: false })
  })

  it('uses an admin OAuth client from the environment', async () => {
    const c = await resolveConfig({ instance: 'acme' }, { env: { ...adminEnv, SN_ADMIN_CLIENT_ID: 'id', SN_ADMIN_CLIENT_SECRET: 'secret' } })
    expect(c.admin).toEqual({ user: 'admin', password: 'pw', clientId: 'id', clientSecret: 'secret' })
  })

  it.each([
    [{ instance: 'https://acme.service-now.com/nav' }, {}, /instance \(from --instance\): the instance URL must be a host only/],
    [{}, { SN_INSTANCE: 'http://acme.service-now.com' }, /instance \(from SN_INSTANCE\): .*https/],
    [{ instance: 'acme', 'app-source': 'ftp' }, {}, /appSource \(from --app-source\):/],
    [{ instance: 'acme', 'service-account': 'bad^name' }, {}, /serviceAccount\.userName \(from --service-account\):/],
    [{ instance: 'acme', 'app-version': 'latest' }, {}, /appVersion \(from --app-version\): use a version such as 1\.2\.3/],
    [{ instance: 'acme', 'secret-source': 'vault' }, {}, /--secret-source must be generate or instance/],
    [{ instance: 'acme', 'app-source': 'store', 'replace-store-app': true }, {}, /^--replace-store-app and app source store contradict each other$/],
    [{ instance: 'acme' }, { SN_ADMIN_CLIENT_ID: 'only-id' }, /admin \(from .*\): clientId and clientSecret go together/],
  ])('names the field and its source for %j %j', async (flags, env, message) => {
    await expect(resolveConfig(flags, { env: { ...adminEnv, ...env } })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(message) })
  })

  it.each([
    ['bad.yaml', 'instance: [unclosed', /not valid YAML/],
    ['bad.json', '{"instance": ', /not valid JSON/],
    ['list.yaml', '- a\n- b\n', /must hold an object/],
    ['unknown.yaml', 'instance: acme\nserviceAcount: {}\n', /\(root\) \(from .*\)?: Unrecognized key.*serviceAcount|Unrecognized key/],
    ['types.yaml', 'instance: acme\noauthClient:\n  clientSecret: short\n', /oauthClient\.clientSecret \(from .*types\.yaml\):/],
  ])('refuses a malformed config file %s naming the problem', async (name, text, message) => {
    await expect(resolveConfig({ config: file(name, text) }, { env: adminEnv })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(message) })
  })

  it('says which variable to set when credentials are missing and there is no terminal', async () => {
    await expect(resolveConfig({ instance: 'acme' }, { env: {} })).rejects.toMatchObject({ exitCode: 2, causeText: expect.stringContaining('SN_ADMIN_USER') })
    await expect(resolveConfig({ instance: 'acme' }, { env: { SN_ADMIN_USER: 'a' } })).rejects.toMatchObject({ exitCode: 2, causeText: expect.stringContaining('SN_ADMIN_PASSWORD') })
    await expect(resolveConfig({}, { env: adminEnv })).rejects.toMatchObject({ exitCode: 2, message: 'no instance given' })
    await expect(resolveConfig({ config: join(dir, 'missing.yaml') }, { env: adminEnv })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('does not exist') })
  })

  it('asks for the admin password on a terminal without echoing it', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined })
    const output = new PassThrough()
    const echoed: string[] = []
    output.on('data', (c: Buffer) => echoed.push(c.toString()))
    const pending = resolveConfig({ instance: 'acme', 'admin-user': 'admin' }, { env: {}, terminal: { input, output } })
    setTimeout(() => input.write('s3cr3t-pw\r'), 10)
    const c = await pending
    expect(c.admin.password).toBe('s3cr3t-pw')
    expect(echoed.join('')).toContain('Admin password: ')
    expect(echoed.join('')).not.toContain('s3cr3t')
  })
})

describe('admin sign-in methods (audit item 19)', () => {
  const invalid = (detail: string) => ({ exitCode: 2, message: `invalid configuration: ${detail}`, causeText: 'a flag, environment variable or config file key has a value the CLI cannot use' })

  it.each([
    ['basic', { SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'pw' }, { user: 'admin', password: 'pw' }],
    ['password grant', { SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'pw', SN_ADMIN_CLIENT_ID: 'cid', SN_ADMIN_CLIENT_SECRET: 'cs' }, { user: 'admin', password: 'pw', clientId: 'cid', clientSecret: 'cs' }],
    ['client credentials', { SN_ADMIN_CLIENT_ID: 'cid', SN_ADMIN_CLIENT_SECRET: 'cs' }, { clientId: 'cid', clientSecret: 'cs' }],
    ['client credentials, the account named', { SN_ADMIN_USER: 'ci_admin', SN_ADMIN_CLIENT_ID: 'cid', SN_ADMIN_CLIENT_SECRET: 'cs' }, { user: 'ci_admin', clientId: 'cid', clientSecret: 'cs' }],
    ['bearer token', { SN_ADMIN_TOKEN: 'tok-123' }, { token: 'tok-123' }],
    ['API key', { SN_ADMIN_API_KEY: 'now_key-123' }, { apiKey: 'now_key-123' }],
  ])('%s from the environment', async (_name, env, admin) => {
    expect((await resolveConfig({ instance: 'acme' }, { env })).admin).toEqual(admin)
  })

  it('reads token and apiKey from a config file, and refuses one mixed with a password from the environment', async () => {
    const path = file('token.yaml', 'instance: acme\nadmin:\n  apiKey: now_from-file\n')
    expect((await resolveConfig({ config: path }, { env: {} })).admin).toEqual({ apiKey: 'now_from-file' })
    await expect(resolveConfig({ config: path }, { env: { SN_ADMIN_PASSWORD: 'pw' } })).rejects.toMatchObject(
      invalid(`admin (from ${path}, SN_ADMIN_PASSWORD): apiKey replaces the password: give one sign-in method, not both`),
    )
  })

  it.each([
    [{ SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'pw', SN_ADMIN_TOKEN: 'tok' }, 'admin (from SN_ADMIN_USER, SN_ADMIN_PASSWORD, SN_ADMIN_TOKEN): token replaces the password: give one sign-in method, not both'],
    [{ SN_ADMIN_TOKEN: 'tok', SN_ADMIN_API_KEY: 'key' }, 'admin (from SN_ADMIN_TOKEN, SN_ADMIN_API_KEY): give one sign-in method, not token and apiKey together'],
    [{ SN_ADMIN_API_KEY: 'key', SN_ADMIN_CLIENT_ID: 'id', SN_ADMIN_CLIENT_SECRET: 's' }, 'admin (from SN_ADMIN_CLIENT_ID, SN_ADMIN_CLIENT_SECRET, SN_ADMIN_API_KEY): give one sign-in method, not apiKey and clientId together'],
    [{ SN_ADMIN_TOKEN: 'tok', SN_ADMIN_CLIENT_SECRET: 's' }, 'admin (from SN_ADMIN_CLIENT_SECRET, SN_ADMIN_TOKEN): clientId and clientSecret go together: give both or neither'],
    [{ SN_ADMIN_CLIENT_SECRET: 's' }, 'admin (from SN_ADMIN_CLIENT_SECRET): clientId and clientSecret go together: give both or neither'],
    [{ SN_ADMIN_PASSWORD: 'pw', SN_ADMIN_CLIENT_ID: 'id', SN_ADMIN_CLIENT_SECRET: 's' }, 'admin (from SN_ADMIN_PASSWORD, SN_ADMIN_CLIENT_ID, SN_ADMIN_CLIENT_SECRET): a password needs the user it belongs to (user)'],
  ])('conflicting or incomplete methods %j: one usage error naming the variables', async (env, detail) => {
    await expect(resolveConfig({ instance: 'acme' }, { env })).rejects.toMatchObject(invalid(detail))
  })

  const HEADER_VALUE = 'must be the value itself: no spaces, line breaks or control characters (and no "Bearer " prefix)'
  it.each([
    ['SN_ADMIN_TOKEN', 'Bearer abc', 'admin.token'],
    ['SN_ADMIN_TOKEN', 'abc\n', 'admin.token'],
    ['SN_ADMIN_TOKEN', 'ab\u0000c', 'admin.token'],
    ['SN_ADMIN_API_KEY', 'now_ab cd', 'admin.apiKey'],
    ['SN_ADMIN_API_KEY', '\tnow_abcd', 'admin.apiKey'],
  ])('malformed %s %j is refused, the value never in the message', async (name, value, field) => {
    const error = await resolveConfig({ instance: 'acme' }, { env: { [name]: value } }).catch((e: unknown) => e)
    expect(error).toMatchObject(invalid(`${field} (from ${name}): ${HEADER_VALUE}`))
    expect(JSON.stringify(error)).not.toContain(value.trim())
  })

  it('a malformed client id (a space) is refused', async () => {
    await expect(resolveConfig({ instance: 'acme' }, { env: { SN_ADMIN_CLIENT_ID: 'my client', SN_ADMIN_CLIENT_SECRET: 's' } })).rejects.toMatchObject(invalid(`admin.clientId (from SN_ADMIN_CLIENT_ID): ${HEADER_VALUE}`))
  })

  it('a fleet entry\'s prefix reads PREFIX_TOKEN and PREFIX_API_KEY, never SN_ADMIN_TOKEN', async () => {
    const entry = { value: { instance: 'acme' }, label: 'fleet.yaml: instances[0]', adminEnv: adminEnvNames('ACME') }
    expect((await resolveConfig({}, { env: { ACME_TOKEN: 'acme-tok', SN_ADMIN_TOKEN: 'global' } }, entry)).admin).toEqual({ token: 'acme-tok' })
    expect((await resolveConfig({}, { env: { ACME_API_KEY: 'acme-key' } }, entry)).admin).toEqual({ apiKey: 'acme-key' })
  })

  it('on a terminal, a token, key or OAuth client is not prompted for a user or password', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined })
    const output = new PassThrough()
    const echoed: string[] = []
    output.on('data', (c: Buffer) => echoed.push(c.toString()))
    expect((await resolveConfig({ instance: 'acme' }, { env: { SN_ADMIN_TOKEN: 'tok' }, terminal: { input, output } })).admin).toEqual({ token: 'tok' })
    expect(echoed.join('')).toBe('')
  })

  it('with no credentials at all, the fix names every sign-in method', async () => {
    await expect(resolveConfig({ instance: 'acme' }, { env: {} })).rejects.toMatchObject({
      exitCode: 2,
      message: 'no admin user given',
      fix: 'set SN_ADMIN_USER and SN_ADMIN_PASSWORD (or run in a terminal to be prompted); or sign in without a password: SN_ADMIN_CLIENT_ID + SN_ADMIN_CLIENT_SECRET (an OAuth client), SN_ADMIN_TOKEN (a bearer token) or SN_ADMIN_API_KEY (a REST API key)',
    })
  })
})
