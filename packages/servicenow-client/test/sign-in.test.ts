// The admin sign-in methods besides basic auth (audit item 19): API key and bearer token headers, the 401 hint of each
// mode, and the UI session the app upload needs for each.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient } from '../src/index.ts'
import { harness, json, rejection, snError, startFake, type Fake, type Seen } from './fake-instance.ts'

let fake: Fake
beforeEach(async () => {
  fake = await startFake()
})
afterEach(() => fake.close())

const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1])
const app = { scopeId: '30d2a11b276f4895a95439ef5be8fff5', scope: 'x_kandji_sn', version: '0.0.1' }
const KEY = 'now_k3y-0123456789abcdef'

const unauthorized = (_req: Seen, res: Parameters<typeof json>[0]) => snError(res, 401, 'User Not Authenticated', 'Required to provide Auth information')

describe('API key auth', () => {
  it('sends the key in x-sn-apikey and no Authorization header', async () => {
    fake.handle((_req, res) => json(res, 200, { result: [] }))
    const { client } = harness(fake, { auth: { type: 'apikey', key: KEY } })
    await client.table.list('sys_user')
    expect(fake.requests[0]!.headers['x-sn-apikey']).toBe(KEY)
    expect(fake.requests[0]!.headers.authorization).toBeUndefined()
  })

  it('refuses an empty key, and a key or token with whitespace or a control character, before any request', () => {
    const make = (auth: unknown) => () => createClient({ instance: fake.url, auth: auth as never })
    expect(make({ type: 'apikey', key: '' })).toThrow('auth (apikey) needs a non-empty key')
    expect(make({ type: 'apikey', key: 'now_a b' })).toThrow('auth (apikey) must not contain whitespace or control characters')
    expect(make({ type: 'apikey', key: 'now_a\r\nX-Other: 1' })).toThrow('auth (apikey) must not contain whitespace or control characters')
    expect(make({ type: 'bearer', token: 'Bearer abc' })).toThrow('auth (bearer) must not contain whitespace or control characters')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('the hint of a 401 names the causes of its sign-in method', () => {
  const cases = [
    ['basic', { type: 'basic', user: 'admin', password: 'pw-1' }, /Basic Authentication Restriction.*snc_basic_auth_api_access.*OAuth client, a bearer token or an API key/],
    ['bearer', { type: 'bearer', token: 'tok-1' }, /^the bearer token was refused: it expired or was revoked/],
    ['apikey', { type: 'apikey', key: KEY }, /^the API key was refused: .*com\.glide\.tokenbased_auth.*REST API access policy/],
  ] as const
  for (const [mode, auth, hint] of cases) {
    it(mode, async () => {
      fake.handle(unauthorized)
      const error = await rejection(harness(fake, { auth }).client.table.list('sys_user'))
      expect(error).toMatchObject({ kind: 'auth', status: 401 })
      expect(error.hint).toMatch(hint)
    })
  }
})

/** get_user hands out a cookie, then (once the cookie is bound) the user token in its 401; the scope read binds it. */
function uiInstance(opts: { bind: boolean }) {
  let bound = false
  return (req: Seen, res: Parameters<typeof json>[0]) => {
    if (req.path === '/angular.do' && req.query.get('sysparm_type') === 'get_user') {
      if (!req.headers.cookie) return json(res, 401, {}, { 'Set-Cookie': 'JSESSIONID=fresh-sess-1; Path=/' })
      return json(res, 401, {}, bound ? { 'x-usertoken-response': 'user-token-1' } : {})
    }
    if (req.path === '/api/now/table/sys_scope') {
      bound = opts.bind
      return json(res, 200, { result: [] })
    }
    if (req.path === '/sn_appclient_upload_processor.do') return json(res, 200, { executionTracker: 'trk1' })
    snError(res, 404, 'not served', null)
  }
}

const sequence = () => fake.requests.map((r) => `${r.method} ${r.path}${r.query.get('sysparm_type') ? `?${r.query.get('sysparm_type')}` : ''}`)

describe('the UI session for the app upload', () => {
  for (const [mode, auth, header, value] of [
    ['bearer', { type: 'bearer', token: 'tok-1' }, 'authorization', 'Bearer tok-1'],
    ['apikey', { type: 'apikey', key: KEY }, 'x-sn-apikey', KEY],
  ] as const) {
    it(`${mode}: get_user for a cookie, one ${header} Table API call to bind it, get_user again for the token`, async () => {
      fake.handle(uiInstance({ bind: true }))
      expect(await harness(fake, { auth }).client.app.uploadPackage(zip, app)).toEqual({ trackerId: 'trk1', upgradeHistoryBefore: [] })
      expect(sequence()).toEqual(['POST /angular.do?get_user', 'GET /api/now/table/sys_scope', 'POST /angular.do?get_user', 'GET /api/now/table/sys_upgrade_history', 'POST /sn_appclient_upload_processor.do'])
      const bind = fake.requests[1]!
      expect(bind.headers[header]).toBe(value)
      expect(bind.headers.cookie).toBe('JSESSIONID=fresh-sess-1')
      const upload = fake.requests[4]!
      expect(upload.headers['x-usertoken']).toBe('user-token-1')
      expect(upload.headers[header]).toBeUndefined()
    })
  }

  it('an instance that opens no UI session for an API key: kind auth, the hint says API keys are for REST APIs and names the alternatives', async () => {
    fake.handle(uiInstance({ bind: false }))
    const error = await rejection(harness(fake, { auth: { type: 'apikey', key: KEY } }).client.app.uploadPackage(zip, app))
    expect(error.kind).toBe('auth')
    expect(error.hint).toBe(
      'the instance opened no UI session for the API key: API keys authenticate REST APIs only, and the app upload and uninstall are UI endpoints; sign the admin in with an OAuth client or a bearer token for them, or install the app from the repository or the Store',
    )
    expect(fake.requests.filter((r) => r.path === '/sn_appclient_upload_processor.do')).toHaveLength(0)
  })
})
