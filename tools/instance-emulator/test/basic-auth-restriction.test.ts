import { afterEach, describe, expect, it } from 'vitest'
import { OAUTH_CLIENT } from '@kandji-sn/contract/constants'
import { BASIC_AUTH_PROPERTIES, BASIC_AUTH_ROLE, grantRole, provisionApiKey, startEmulator, type Emulator, type EmulatorOptions } from '../src/index.ts'
import { api, token } from './helpers/http.ts'

const NOT_AUTHENTICATED = { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' }
const PASSWORD = 'Pw-123456'

let emu: Emulator

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator(options)
  return emu
}

afterEach(async () => {
  await emu?.close()
})

function createUser(userName: string, fields: Record<string, string> = {}): string {
  const sysId = emu.db.insert('sys_user', { user_name: userName, user_password: PASSWORD, ...fields }, { inputDisplayValue: true }).sys_id as string
  grantRole(emu.db, sysId, 'admin')
  return sysId
}

function setProperty(name: string, value: string): void {
  const row = emu.db.query('sys_properties', `name=${name}`)[0]!
  emu.db.update('sys_properties', row.sys_id as string, { value })
}

const basic = (user: string, password = PASSWORD) => ({ user, password })

describe('Basic Authentication Restriction, new instance (enforcing)', () => {
  it('seeds the documented properties: feature on, enforcement on, the dedicated role allowed, no user allowed', async () => {
    await start({ switches: { basicAuthRestriction: 'new-instance' } })
    const rows = emu.db.query('sys_properties', 'nameSTARTSWITHglide.authenticate.basic_auth.')
    expect(Object.fromEntries(rows.map((r) => [r.name, r.value]))).toEqual({
      [BASIC_AUTH_PROPERTIES.active]: 'true',
      [BASIC_AUTH_PROPERTIES.enforce]: 'true',
      [BASIC_AUTH_PROPERTIES.allowedRoles]: BASIC_AUTH_ROLE,
      [BASIC_AUTH_PROPERTIES.allowedUsers]: '',
    })
  })

  it('refuses the admin\'s correct password with exactly the 401 of a wrong password', async () => {
    await start({ switches: { basicAuthRestriction: 'new-instance' } })
    const restricted = await api(emu, '/api/now/table/sys_user')
    const wrong = await api(emu, '/api/now/table/sys_user', { auth: basic('admin', 'wrong') })
    expect(restricted.status).toBe(401)
    expect(restricted.body).toEqual(NOT_AUTHENTICATED)
    expect(restricted.text).toBe(wrong.text)
    expect(restricted.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'))
    for (const path of ['/api/now/import/u_anything', '/api/sn_cicd/progress/x']) {
      expect((await api(emu, path)).status, path).toBe(401)
    }
  })

  it('admits the exemptions: web-service-only, the allowed role (also inherited), the allowed users', async () => {
    await start({ switches: { basicAuthRestriction: 'new-instance' } })
    createUser('wsao', { web_service_access_only: 'true' })
    const withRole = createUser('with_role')
    grantRole(emu.db, withRole, BASIC_AUTH_ROLE)
    const listed = createUser('listed')
    createUser('plain')
    setProperty(BASIC_AUTH_PROPERTIES.allowedUsers, `0123, ${listed}`)
    const status = async (user: string) => (await api(emu, '/api/now/table/sys_properties?sysparm_limit=1', { auth: basic(user) })).status
    expect({ wsao: await status('wsao'), with_role: await status('with_role'), listed: await status('listed'), plain: await status('plain') }).toEqual({ wsao: 200, with_role: 200, listed: 200, plain: 401 })
    // A role that contains the allowed role passes "through the platform role hierarchy".
    emu.db.insert('sys_user_role', { name: 'x_ci_runner' })
    const parent = emu.db.query('sys_user_role', 'name=x_ci_runner')[0]!.sys_id
    const child = emu.db.query('sys_user_role', `name=${BASIC_AUTH_ROLE}`)[0]!.sys_id
    emu.db.insert('sys_user_role_contains', { role: parent, contains: child })
    const inherits = createUser('inherits')
    grantRole(emu.db, inherits, 'x_ci_runner')
    expect(await status('inherits')).toBe(200)
  })

  it('the properties switch it: enforcement off is tracking mode, the feature toggle off bypasses it', async () => {
    await start({ switches: { basicAuthRestriction: 'new-instance' } })
    expect((await api(emu, '/api/now/table/sys_user')).status).toBe(401)
    setProperty(BASIC_AUTH_PROPERTIES.enforce, 'false')
    expect((await api(emu, '/api/now/table/sys_user')).status).toBe(200)
    setProperty(BASIC_AUTH_PROPERTIES.enforce, 'true')
    setProperty(BASIC_AUTH_PROPERTIES.active, 'false')
    expect((await api(emu, '/api/now/table/sys_user')).status).toBe(200)
  })

  it('does not gate the UI login or the OAuth grants (oauth_token requests pass before the gate)', async () => {
    await start({ switches: { basicAuthRestriction: 'new-instance' } })
    const login = await fetch(`${emu.url}/angular.do?sysparm_type=view_form.login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_name: 'admin', user_password: 'admin' }).toString(),
    })
    expect(await login.json()).toMatchObject({ status: 'success' })
    const client = emu.db.insert('oauth_entity', { name: 'ci', client_secret: 'client-secret-1', user: emu.db.query('sys_user', 'user_name=admin')[0]!.sys_id, [OAUTH_CLIENT.scopeRestrictionField]: OAUTH_CLIENT.broadlyScopedValue }, { inputDisplayValue: true })
    const ropc = await token(emu, { grant_type: 'password', client_id: client.client_id as string, client_secret: 'client-secret-1', username: 'admin', password: 'admin' })
    expect(ropc.status).toBe(200)
    expect((await api(emu, '/api/now/table/sys_user?sysparm_limit=1', { auth: { bearer: ropc.body.access_token } })).status).toBe(200)
    emu.db.insert('sys_properties', { name: 'glide.oauth.inbound.client.credential.grant_type.enabled', value: 'true' })
    const cc = await token(emu, { grant_type: 'client_credentials', client_id: client.client_id as string, client_secret: 'client-secret-1' })
    expect(cc.status).toBe(200)
    expect((await api(emu, '/api/now/table/sys_user?sysparm_limit=1', { auth: { bearer: cc.body.access_token } })).status).toBe(200)
  })
})

describe('Basic Authentication Restriction, upgraded instance (default: tracking)', () => {
  it('lets the admin\'s basic auth through, with enforcement off', async () => {
    await start()
    expect((await api(emu, '/api/now/table/sys_user')).status).toBe(200)
    expect(emu.db.query('sys_properties', `name=${BASIC_AUTH_PROPERTIES.enforce}`)[0]?.value).toBe('false')
  })
})

describe('REST API keys (x-sn-apikey)', () => {
  const KEY = 'now_test-key-0123456789'
  const withKey = (key = KEY) => ({ auth: undefined, headers: { 'x-sn-apikey': key } })

  it('authenticate as the key\'s user only on REST APIs with an access policy mapped to an API key profile', async () => {
    await start({ switches: { basicAuthRestriction: 'new-instance' } })
    const admin = emu.db.query('sys_user', 'user_name=admin')[0]!.sys_id as string
    provisionApiKey(emu.db, { userSysId: admin, restApiPaths: ['now/table'], token: KEY })
    const me = await api(emu, '/api/now/table/sys_user?sysparm_query=sys_id=javascript:gs.getUserID()&sysparm_fields=user_name', withKey())
    expect(me.status).toBe(200)
    expect(me.body.result).toEqual([{ user_name: 'admin' }])
    expect((await api(emu, '/api/now/v2/table/sys_user?sysparm_limit=1', withKey())).status).toBe(200)
    const noPolicy = await api(emu, '/api/sn_cicd/progress/abc', withKey())
    expect(noPolicy.status).toBe(401)
    expect(noPolicy.body).toEqual(NOT_AUTHENTICATED)
    expect((await api(emu, '/api/now/table/sys_user', withKey('now_other'))).status).toBe(401)
  })

  it('refuses a key while the plugin is inactive, when the key is inactive or expired, and through a Global policy', async () => {
    await start()
    const admin = emu.db.query('sys_user', 'user_name=admin')[0]!.sys_id as string
    const { keySysId } = provisionApiKey(emu.db, { userSysId: admin, restApiPaths: ['now/table'], token: KEY })
    expect((await api(emu, '/api/now/table/sys_user', withKey())).status).toBe(200)
    const plugin = emu.db.query('sys_plugins', 'source=com.glide.tokenbased_auth')[0]!
    emu.db.update('sys_plugins', plugin.sys_id as string, { active: 'inactive' })
    expect((await api(emu, '/api/now/table/sys_user', withKey())).status).toBe(401)
    emu.db.update('sys_plugins', plugin.sys_id as string, { active: 'active' })
    emu.db.update('api_key', keySysId, { active: 'false' })
    expect((await api(emu, '/api/now/table/sys_user', withKey())).status).toBe(401)
    emu.db.update('api_key', keySysId, { active: 'true', expires: '2000-01-01 00:00:00' })
    expect((await api(emu, '/api/now/table/sys_user', withKey())).status).toBe(401)
    emu.db.update('api_key', keySysId, { expires: '' })
    for (const p of emu.db.query('sys_api_access_policy', '')) emu.db.update('sys_api_access_policy', p.sys_id as string, { apply_global: 'true' })
    expect((await api(emu, '/api/now/table/sys_user', withKey())).status).toBe(401)
  })

  it('binds a fresh UI session only with switch apiKeyBindsUiSession', async () => {
    for (const binds of [false, true]) {
      await start({ switches: { apiKeyBindsUiSession: binds } })
      const admin = emu.db.query('sys_user', 'user_name=admin')[0]!.sys_id as string
      provisionApiKey(emu.db, { userSysId: admin, restApiPaths: ['now/table'], token: KEY })
      const first = await fetch(`${emu.url}/angular.do?sysparm_type=get_user`, { method: 'POST' })
      const cookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
      expect((await api(emu, '/api/now/table/sys_scope?sysparm_limit=1', { auth: undefined, headers: { 'x-sn-apikey': KEY, Cookie: cookie } })).status).toBe(200)
      const second = await fetch(`${emu.url}/angular.do?sysparm_type=get_user`, { method: 'POST', headers: { Cookie: cookie } })
      expect(second.headers.get('x-usertoken-response') !== null, `binds ${binds}`).toBe(binds)
      await emu.close()
    }
  })
})
