// Proof that no password, client secret, token, cookie or user token reaches a log line or an error, even when the
// instance echoes them back.
import { inspect } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ServiceNowClient } from '../src/index.ts'
import { harness, html, json, reset, snError, startFake, type Fake, type Harness, type Seen } from './fake-instance.ts'

const SECRETS = {
  adminPassword: 'Adm1n-Pa55-zq9',
  clientSecret: 'cl1ent-s3cret-kq7',
  svcPassword: 'svc-Pa55-vv3',
  accessToken: 'acc3ss-t0ken-aa1',
  refreshToken: 'refr3sh-t0ken-bb2',
  bearer: 'b3arer-t0ken-cc3',
  sessionCookie: 'js3ssion-dd4',
  routeCookie: 'r0ute-ee5',
  userToken: 'us3r-t0ken-ff6',
  newUserPassword: 'n3w-us3r-pw-gg7',
  newClientSecret: 'n3w-cl1ent-s3cret-hh8',
  apiKey: 'now_ap1-k3y-ii9',
}
const ALL = [...Object.values(SECRETS), Buffer.from(`admin:${SECRETS.adminPassword}`).toString('base64').replace(/=+$/, '')]

let fake: Fake
beforeEach(async () => {
  fake = await startFake()
})
afterEach(() => fake.close())

/** An instance that answers every failure with an error that quotes everything it received. */
function echoingInstance(failWith: { status: number; html?: boolean; reset?: boolean; hang?: boolean }) {
  return (req: Seen, res: Parameters<typeof json>[0]) => {
    const echo = `you sent ${JSON.stringify(req.headers)} ${req.text} ${req.query.toString()}`
    if (req.path === '/oauth_token.do') {
      return json(res, 200, { access_token: SECRETS.accessToken, refresh_token: SECRETS.refreshToken, token_type: 'Bearer', expires_in: 1799 })
    }
    if (req.path === '/angular.do') {
      if (req.query.get('sysparm_type') === 'view_form.login') {
        return json(res, 200, { status: 'success' }, { 'Set-Cookie': [`JSESSIONID=${SECRETS.sessionCookie}; Path=/`, `glide_user_route=${SECRETS.routeCookie}`] })
      }
      if (!req.headers.cookie) return json(res, 200, {}, { 'Set-Cookie': `JSESSIONID=${SECRETS.sessionCookie}` })
      return json(res, 401, {}, { 'x-usertoken-response': SECRETS.userToken })
    }
    if (req.path === '/api/now/table/sys_scope' && req.method === 'GET' && req.query.get('sysparm_limit') === '1' && req.query.get('sysparm_fields') === 'sys_id,sys_class_name') {
      return json(res, 200, { result: [] })
    }
    if (failWith.hang) return
    if (failWith.reset) return reset(res)
    if (failWith.html) return html(res, failWith.status)
    snError(res, failWith.status, `Failed: ${echo}`, `detail ${echo}`, { 'Retry-After': '1' })
  }
}

async function exercise(client: ServiceNowClient): Promise<unknown[]> {
  const errors: unknown[] = []
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn()
    } catch (error) {
      errors.push(error)
    }
  }
  await attempt(() => client.table.list('sys_user', { query: `user_name=x^user_password=${SECRETS.svcPassword}` }))
  await attempt(() => client.table.create('sys_user', { user_name: 'svc', user_password: SECRETS.newUserPassword }, { inputDisplayValue: true }))
  await attempt(() => client.table.patch('oauth_entity', 'a'.repeat(32), { client_secret: SECRETS.newClientSecret }))
  await attempt(() => client.oauth.requestToken({ grant_type: 'password', client_id: 'c', client_secret: SECRETS.clientSecret, username: 'u', password: SECRETS.svcPassword }))
  await attempt(() => client.importSet.insertMultiple('x_kandj_kandji_device_import', [{ device_id: '1' }]))
  await attempt(() => client.rest.post('/api/x_kandj_kandji/integration/repair', {}))
  await attempt(() => client.app.uploadPackage(new Uint8Array([1, 2, 3]), { scopeId: 'abc', scope: 'x_kandj_kandji', version: '1.0.0' }))
  await attempt(() => client.app.uninstall({ scopeId: 'abc' }))
  await attempt(() => client.request({ method: 'GET', path: '/api/now/table/sys_user', query: { user_password: SECRETS.svcPassword, client_secret: SECRETS.clientSecret } }))
  return errors
}

function assertClean(h: Harness, errors: unknown[]) {
  expect(errors.length).toBeGreaterThan(0)
  const texts: string[] = [...h.logs]
  for (const error of errors) {
    const e = error as Record<string, unknown> & Error
    texts.push(String(e), e.message, String(e.hint), String(e.snMessage), String(e.snDetail), JSON.stringify(e), inspect(e, { depth: 5 }))
  }
  for (const text of texts) for (const secret of ALL) expect(text, `leaked ${secret}`).not.toContain(secret)
}

const auths = {
  basic: { type: 'basic', user: 'admin', password: SECRETS.adminPassword },
  password: { type: 'password', clientId: 'cid', clientSecret: SECRETS.clientSecret, user: 'svc', password: SECRETS.svcPassword },
  client_credentials: { type: 'client_credentials', clientId: 'cid', clientSecret: SECRETS.clientSecret },
  bearer: { type: 'bearer', token: SECRETS.bearer },
  apikey: { type: 'apikey', key: SECRETS.apiKey },
} as const

describe('no secret in any log line or error', () => {
  for (const [name, auth] of Object.entries(auths)) {
    for (const failure of [
      { status: 401 },
      { status: 403 },
      { status: 400 },
      { status: 404 },
      { status: 429 },
      { status: 503 },
      { status: 200, html: true },
      { status: 0, reset: true },
      { status: 0, hang: true },
    ]) {
      const label = failure.reset ? 'reset' : failure.hang ? 'timeout' : failure.html ? 'html' : String(failure.status)
      it(`${name} auth, instance answering ${label}`, async () => {
        fake.handle(echoingInstance(failure))
        const h = harness(fake, { auth, timeoutMs: failure.hang ? 50 : 30_000, retry: { maxAttempts: 2 } })
        const errors = await exercise(h.client)
        assertClean(h, errors)
        // The log does show the requests, so the test would notice if logging stopped altogether.
        expect(h.logs.some((l) => l.startsWith('GET /api/now/table/sys_user'))).toBe(true)
      })
    }
  }

  it('a refused OAuth grant whose body quotes the client secret and password', async () => {
    fake.handle((req, res) => json(res, 401, { error: 'server_error', error_description: `access_denied for ${req.text}` }))
    const h = harness(fake, { auth: auths.password })
    const errors = await exercise(h.client)
    assertClean(h, errors)
    expect(errors.every((e) => (e as { kind: string }).kind === 'auth' || (e as Error).name === 'TypeError')).toBe(true)
  })

  it('the successful path (login, session, upload, token refresh) logs no secret', async () => {
    fake.handle((req, res) => {
      if (req.path === '/sn_appclient_upload_processor.do') return json(res, 200, { executionTracker: 't' })
      if (req.path.startsWith('/api/now/table')) return json(res, 200, { result: [] })
      return echoingInstance({ status: 500 })(req, res)
    })
    const h = harness(fake, { auth: auths.basic })
    await h.client.table.list('sys_user', { query: `user_password=${SECRETS.svcPassword}` })
    await h.client.app.uploadPackage(new Uint8Array([1]), { scopeId: 'abc', scope: 'x_kandj_kandji', version: '1.0.0' })
    assertClean(h, [new Error('placeholder')])
    expect(h.logs.some((l) => l.includes('/sn_appclient_upload_processor.do'))).toBe(true)
  })
})
