import { OAUTH_CLIENT } from '@kandji-sn/contract/constants'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OAUTH_DENIED, startEmulator, userRoleNames, type Emulator, type EmulatorOptions } from '../src/index.ts'
import { api, token } from './helpers/http.ts'

const NOT_AUTHENTICATED = { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' }
const UNSCOPED = { error: { message: 'User Not Authorized', detail: 'Access to unscoped api is not allowed' }, status: 'failure' }

let emu: Emulator

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator(options)
  return emu
}

function createUser(userName: string, fields: Record<string, string> = {}, password = 'Pw-123456'): string {
  return emu.db.insert('sys_user', { user_name: userName, user_password: password, ...fields }, { inputDisplayValue: true }).sys_id as string
}

function createClient(fields: Record<string, string> = {}): { clientId: string; secret: string; sysId: string } {
  const row = emu.db.insert('oauth_entity', { name: 'it', client_secret: 'client-secret-1', [OAUTH_CLIENT.scopeRestrictionField]: OAUTH_CLIENT.broadlyScopedValue, ...fields }, { inputDisplayValue: true })
  return { clientId: row.client_id as string, secret: 'client-secret-1', sysId: row.sys_id as string }
}

afterEach(async () => {
  await emu?.close()
})

describe('basic authentication', () => {
  beforeEach(() => start())

  it('refuses every bad credential with 401 User Not Authenticated', async () => {
    createUser('inactive', { active: 'false' })
    createUser('locked', { locked_out: 'true' })
    const cases: Array<[string, Record<string, string>]> = [
      ['no credentials', {}],
      ['unknown user', { Authorization: `Basic ${Buffer.from('ghost:x').toString('base64')}` }],
      ['wrong password', { Authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` }],
      ['inactive user', { Authorization: `Basic ${Buffer.from('inactive:Pw-123456').toString('base64')}` }],
      ['locked out user', { Authorization: `Basic ${Buffer.from('locked:Pw-123456').toString('base64')}` }],
      ['no colon', { Authorization: `Basic ${Buffer.from('admin').toString('base64')}` }],
      ['garbage', { Authorization: 'Basic !!!' }],
      ['unknown scheme', { Authorization: 'Digest abc' }],
      ['unknown bearer token', { Authorization: 'Bearer nope' }],
    ]
    for (const [name, headers] of cases) {
      const res = await api(emu, '/api/now/table/sys_user', { auth: undefined, headers })
      expect(res.status, name).toBe(401)
      expect(res.body, name).toEqual(NOT_AUTHENTICATED)
    }
  })

  it('the seeded admin uses the password given to the emulator', async () => {
    await emu.close()
    await start({ adminPassword: 'Other-Pass-1' })
    expect((await api(emu, '/api/now/table/sys_user')).status).toBe(401)
    expect((await api(emu, '/api/now/table/sys_user', { auth: { user: 'admin', password: 'Other-Pass-1' } })).status).toBe(200)
  })

  it('adds snc_internal directly at a user\'s first login (Explicit Roles), once', async () => {
    const id = createUser('svc')
    expect(userRoleNames(emu.db, id).has('snc_internal')).toBe(false)
    await api(emu, '/api/now/table/cmdb_ci', { auth: { user: 'svc', password: 'Pw-123456' } })
    await api(emu, '/api/now/table/cmdb_ci', { auth: { user: 'svc', password: 'Pw-123456' } })
    const rows = emu.db.query('sys_user_has_role', `user=${id}`)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ inherited: 'false' })
    expect(userRoleNames(emu.db, id)).toEqual(new Set(['snc_internal']))
  })

  it('does not add snc_internal when the switch is off', async () => {
    await emu.close()
    await start({ switches: { addSncInternalOnFirstLogin: false } })
    const id = createUser('svc')
    await api(emu, '/api/now/table/cmdb_ci', { auth: { user: 'svc', password: 'Pw-123456' } })
    expect(emu.db.query('sys_user_has_role', `user=${id}`)).toEqual([])
  })
})

describe('OAuth /oauth_token.do', () => {
  beforeEach(() => start())

  it('password grant returns access and refresh tokens; the access token works as a bearer token', async () => {
    createUser('svc')
    const client = createClient()
    const res = await token(emu, { grant_type: 'password', client_id: client.clientId, client_secret: client.secret, username: 'svc', password: 'Pw-123456' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'useraccount', expires_in: 1799 })
    expect(res.body.access_token).toEqual(expect.any(String))
    expect(res.body.refresh_token).toEqual(expect.any(String))
    const again = await token(emu, { grant_type: 'password', client_id: client.clientId, client_secret: client.secret, username: 'svc', password: 'Pw-123456' })
    // Within its lifespan the current access token is returned again (facts 3.3).
    expect(again.body.access_token).toBe(res.body.access_token)
    const call = await api(emu, '/api/now/table/sys_scope?sysparm_limit=1', { auth: { bearer: res.body.access_token } })
    expect(call.status).toBe(200)
  })

  it('refresh grant returns only an access token', async () => {
    createUser('svc')
    const client = createClient({ access_token_lifespan: '60' })
    const first = await token(emu, { grant_type: 'password', client_id: client.clientId, client_secret: client.secret, username: 'svc', password: 'Pw-123456' })
    expect(first.body.expires_in).toBe(59)
    const refreshed = await token(emu, { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.secret, refresh_token: first.body.refresh_token })
    expect(refreshed.status).toBe(200)
    expect(refreshed.body).not.toHaveProperty('refresh_token')
    expect(refreshed.body.access_token).toEqual(expect.any(String))
  })

  it('tokens expire after the oauth_entity lifespans', async () => {
    createUser('svc')
    const client = createClient({ access_token_lifespan: '60', refresh_token_lifespan: '120' })
    const first = await token(emu, { grant_type: 'password', client_id: client.clientId, client_secret: client.secret, username: 'svc', password: 'Pw-123456' })
    const start = Date.now()
    emu.db.now = () => new Date(start + 61_000)
    expect((await api(emu, '/api/now/table/sys_scope', { auth: { bearer: first.body.access_token } })).status).toBe(401)
    const refreshed = await token(emu, { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.secret, refresh_token: first.body.refresh_token })
    expect(refreshed.status).toBe(200)
    emu.db.now = () => new Date(start + 121_000)
    const late = await token(emu, { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.secret, refresh_token: first.body.refresh_token })
    expect(late.status).toBe(401)
  })

  it('answers every refusal with the same opaque 401', async () => {
    createUser('svc')
    createUser('gone', { active: 'false' })
    createUser('locked', { locked_out: 'true' })
    const client = createClient()
    const inactive = createClient({ active: 'false', name: 'off' })
    const base = { client_id: client.clientId, client_secret: client.secret }
    const cases: Array<[string, Record<string, string>]> = [
      ['bad user password', { ...base, grant_type: 'password', username: 'svc', password: 'nope' }],
      ['unknown user', { ...base, grant_type: 'password', username: 'ghost', password: 'x' }],
      ['inactive user', { ...base, grant_type: 'password', username: 'gone', password: 'Pw-123456' }],
      ['locked out user', { ...base, grant_type: 'password', username: 'locked', password: 'Pw-123456' }],
      ['bad client secret', { ...base, client_secret: 'wrong', grant_type: 'password', username: 'svc', password: 'Pw-123456' }],
      ['no client secret', { client_id: client.clientId, grant_type: 'password', username: 'svc', password: 'Pw-123456' }],
      ['unknown client', { client_id: 'nope', client_secret: 'x', grant_type: 'password', username: 'svc', password: 'Pw-123456' }],
      ['inactive client', { client_id: inactive.clientId, client_secret: inactive.secret, grant_type: 'password', username: 'svc', password: 'Pw-123456' }],
      ['unknown grant', { ...base, grant_type: 'authorization_code' }],
      ['missing grant', { ...base }],
      ['bad refresh token', { ...base, grant_type: 'refresh_token', refresh_token: 'nope' }],
      ['client credentials while disabled', { ...base, grant_type: 'client_credentials' }],
    ]
    for (const [name, form] of cases) {
      const res = await token(emu, form)
      expect(res.status, name).toBe(401)
      expect(res.body, name).toEqual(OAUTH_DENIED)
    }
  })

  it('refuses a JSON body with the opaque 401 (form bodies only)', async () => {
    createUser('svc')
    const client = createClient()
    const res = await fetch(`${emu.url}/oauth_token.do`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', client_id: client.clientId, client_secret: client.secret, username: 'svc', password: 'Pw-123456' }),
    })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(OAUTH_DENIED)
  })

  it('a refresh token only works for the client that received it', async () => {
    createUser('svc')
    const a = createClient({ name: 'a' })
    const b = createClient({ name: 'b' })
    const first = await token(emu, { grant_type: 'password', client_id: a.clientId, client_secret: a.secret, username: 'svc', password: 'Pw-123456' })
    const other = await token(emu, { grant_type: 'refresh_token', client_id: b.clientId, client_secret: b.secret, refresh_token: first.body.refresh_token })
    expect(other.status).toBe(401)
  })

  it('client_credentials works only when the property enables it and acts as the client\'s user', async () => {
    const svc = createUser('svc')
    const client = createClient({ user: svc })
    emu.db.insert('sys_properties', { name: 'glide.oauth.inbound.client.credential.grant_type.enabled', value: 'true' })
    const res = await token(emu, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })
    expect(res.status).toBe(200)
    expect(res.body).not.toHaveProperty('refresh_token')
    const noUser = createClient({ name: 'nouser' })
    expect((await token(emu, { grant_type: 'client_credentials', client_id: noUser.clientId, client_secret: noUser.secret })).status).toBe(401)
  })

  it('a deactivated client or user invalidates bearer tokens already issued', async () => {
    const svc = createUser('svc')
    const client = createClient()
    const t = await token(emu, { grant_type: 'password', client_id: client.clientId, client_secret: client.secret, username: 'svc', password: 'Pw-123456' })
    emu.db.update('oauth_entity', client.sysId, { active: 'false' })
    expect((await api(emu, '/api/now/table/sys_scope', { auth: { bearer: t.body.access_token } })).body).toEqual(NOT_AUTHENTICATED)
    emu.db.update('oauth_entity', client.sysId, { active: 'true' })
    emu.db.update('sys_user', svc, { locked_out: 'true' })
    expect((await api(emu, '/api/now/table/sys_scope', { auth: { bearer: t.body.access_token } })).status).toBe(401)
  })

  it('ROPC for web-service-only users is allowed by default and refused with the switch', async () => {
    createUser('ws', { web_service_access_only: 'true' })
    const client = createClient()
    const form = { grant_type: 'password', client_id: client.clientId, client_secret: client.secret, username: 'ws', password: 'Pw-123456' }
    expect((await token(emu, form)).status).toBe(200)
    await emu.close()
    await start({ switches: { ropcRefusedForWebServiceOnly: true } })
    createUser('ws', { web_service_access_only: 'true' })
    const c2 = createClient()
    expect((await token(emu, { ...form, client_id: c2.clientId })).body).toEqual(OAUTH_DENIED)
  })
})

describe('Zurich scope restriction (KB2731346)', () => {
  async function bearerFor(restriction: string | undefined): Promise<string> {
    createUser(`svc${restriction ?? 'none'}`)
    const client = createClient(restriction === undefined ? {} : { [OAUTH_CLIENT.scopeRestrictionField]: restriction, name: `c-${restriction}` })
    const t = await token(emu, { grant_type: 'password', client_id: client.clientId, client_secret: client.secret, username: `svc${restriction ?? 'none'}`, password: 'Pw-123456' })
    return t.body.access_token
  }

  it('refuses unscoped APIs to a client that is not broadly scoped, with the exact 403', async () => {
    await start()
    const restricted = await bearerFor('restricted')
    for (const path of ['/api/now/table/cmdb_ci', '/api/now/import/x_any']) {
      const res = await api(emu, path, { auth: { bearer: restricted } })
      expect(res.status, path).toBe(403)
      expect(res.body, path).toEqual(UNSCOPED)
    }
    const broad = await bearerFor(OAUTH_CLIENT.broadlyScopedValue)
    expect((await api(emu, '/api/now/table/sys_scope', { auth: { bearer: broad } })).status).toBe(200)
  })

  it('new clients get the default restriction on Zurich; the column does not exist before Zurich', async () => {
    await start()
    const defaulted = emu.db.insert('oauth_entity', { name: 'fresh' })
    expect(defaulted[OAUTH_CLIENT.scopeRestrictionField]).toBe('restricted')
    await emu.close()
    await start({ release: 'yokohama' })
    const old = await bearerFor(undefined)
    expect((await api(emu, '/api/now/table/sys_scope', { auth: { bearer: old } })).status).toBe(200)
  })
})

describe('UI session (now-sdk CI login)', () => {
  beforeEach(() => start())

  async function login(user: string, password: string) {
    const res = await fetch(`${emu.url}/angular.do?sysparm_type=view_form.login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ sysparm_type: 'login', 'ni.nolog.user_password': 'true', user_name: user, user_password: password }).toString(),
    })
    return { res, body: (await res.json()) as any, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') }
  }

  it('logs in, hands out the user token through get_user\'s 401, and the cookie + token authenticate API calls', async () => {
    const { res, body, cookie } = await login('admin', 'admin')
    expect(res.status).toBe(200)
    expect(body.status).toBe('success')
    expect(cookie).toMatch(/JSESSIONID=/)
    const getUser = await fetch(`${emu.url}/angular.do?sysparm_type=get_user`, { method: 'POST', headers: { Cookie: cookie } })
    expect(getUser.status).toBe(401)
    const userToken = getUser.headers.get('x-usertoken-response')
    expect(userToken).toMatch(/^[0-9a-f]{64}$/)
    const call = await api(emu, '/api/now/table/sys_scope?sysparm_limit=1', { auth: undefined, headers: { Cookie: cookie, 'X-UserToken': userToken as string } })
    expect(call.status).toBe(200)
    const withoutToken = await api(emu, '/api/now/table/sys_scope?sysparm_limit=1', { auth: undefined, headers: { Cookie: cookie } })
    expect(withoutToken.status).toBe(401)
    expect(withoutToken.body).toEqual(NOT_AUTHENTICATED)
  })

  it('refuses bad credentials and non-interactive users with status "error"', async () => {
    createUser('ws', { web_service_access_only: 'true' })
    createUser('locked', { locked_out: 'true' })
    for (const [user, password] of [['admin', 'wrong'], ['ghost', 'x'], ['ws', 'Pw-123456'], ['locked', 'Pw-123456']] as const) {
      const { res, body } = await login(user, password)
      expect(res.status, user).toBe(200)
      expect(body.status, user).toBe('error')
      expect(res.headers.getSetCookie(), user).toEqual([])
    }
  })

  it('binds a fresh session to a bearer token as now-sdk does with OAuth (get_user, bearer call, get_user)', async () => {
    createUser('svc')
    const client = createClient()
    const t = await token(emu, { grant_type: 'password', client_id: client.clientId, client_secret: client.secret, username: 'svc', password: 'Pw-123456' })
    const anonymous = await fetch(`${emu.url}/angular.do?sysparm_type=get_user`, { method: 'POST' })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('x-usertoken-response')).toBeNull()
    const cookie = anonymous.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    await api(emu, '/api/now/table/sys_scope?sysparm_limit=1', { auth: { bearer: t.body.access_token }, headers: { Cookie: cookie } })
    const bound = await fetch(`${emu.url}/angular.do?sysparm_type=get_user`, { method: 'POST', headers: { Cookie: cookie } })
    expect(bound.headers.get('x-usertoken-response')).toMatch(/^[0-9a-f]{64}$/)
  })
})
