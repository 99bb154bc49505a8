import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { resolveConfig } from './index.ts'

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
