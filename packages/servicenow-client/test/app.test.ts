import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { harness, json, rejection, snError, startFake, type Fake, type Seen } from './fake-instance.ts'

let fake: Fake
beforeEach(async () => {
  fake = await startFake()
})
afterEach(() => fake.close())

const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])
const app = { scopeId: '30d2a11b276f4895a95439ef5be8fff5', scope: 'x_kandji_sn', version: '0.0.1' }

/** UI login and upload as the instance serves them to `now-sdk install` (shared/reference/now-sdk-install-trace). */
function uiInstance(opts: { login?: unknown; token?: string | null; legacy?: boolean; history?: unknown[]; upload?: (req: Seen, res: Parameters<typeof json>[0]) => unknown } = {}) {
  return async (req: Seen, res: Parameters<typeof json>[0]) => {
    const type = req.query.get('sysparm_type')
    if (req.path === '/angular.do' && type === 'view_form.login') {
      return json(res, 200, opts.login ?? { status: 'success' }, { 'Set-Cookie': ['JSESSIONID=sess-cookie-123; Path=/; HttpOnly', 'glide_user_route=glide.route-456; Path=/'] })
    }
    if (req.path === '/angular.do' && type === 'get_user') {
      if (!req.headers.cookie) return json(res, 200, {}, { 'Set-Cookie': 'JSESSIONID=oauth-sess-789; Path=/' })
      // Legacy security model: 200, no token (sdk-cli UISession.js parseUserToken).
      if (opts.legacy) return json(res, 200, { result: { user_name: 'admin' } }, { 'Set-Cookie': 'JSESSIONID=unbound-999; Path=/' })
      // The token-handing 401 also names another, unbound session: a client must not keep it.
      const headers: Record<string, string | string[]> = opts.token === null ? {} : { 'x-usertoken-response': opts.token ?? 'user-token-abc', 'Set-Cookie': 'JSESSIONID=unbound-999; Path=/' }
      return json(res, 401, {}, headers)
    }
    if (req.path === '/api/now/table/sys_scope') return json(res, 200, { result: [{ sys_id: 'x', sys_class_name: 'sys_app' }] })
    if (req.path === '/api/now/table/sys_upgrade_history') return json(res, 200, { result: opts.history ?? [] })
    if (req.path === '/sn_appclient_upload_processor.do') {
      if (opts.upload) return opts.upload(req, res)
      return json(res, 200, { executionTracker: 'trk1', rollbackContext: 'rb1' })
    }
    if (req.path === '/xmlhttp.do') {
      res.writeHead(200, { 'Content-Type': 'text/xml' })
      const fn = new URLSearchParams(req.text).get('sysparm_function')
      return res.end(fn === 'changeApplication' ? '<xml answer="ok"/>' : '<?xml version="1.0"?><xml answer="prog-42" sysparm_max="15"/>')
    }
    snError(res, 404, 'not served', null)
  }
}

describe('app.uploadPackage', () => {
  it('with basic credentials: logs into the UI, then uploads with the cookie, X-UserToken and sysparm_ck, as now-sdk install does', async () => {
    fake.handle(uiInstance())
    const { client } = harness(fake)
    expect(await client.app.uploadPackage(zip, app)).toEqual({ trackerId: 'trk1', rollbackContext: 'rb1', upgradeHistoryBefore: [] })
    const [login, getUser, history, upload] = fake.requests
    expect(history!.path).toBe('/api/now/table/sys_upgrade_history')
    expect(history!.query.get('sysparm_query')).toBe('to_version=x_kandji_sn^ORDERBYDESCupgrade_started')
    expect(login!.method).toBe('POST')
    expect(login!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(login!.text))).toEqual({ sysparm_type: 'login', 'ni.nolog.user_password': 'true', user_name: 'admin', user_password: 'S3cret-Pa55!' })
    expect(getUser!.query.get('sysparm_type')).toBe('get_user')
    expect(getUser!.headers.cookie).toBe('JSESSIONID=sess-cookie-123; glide_user_route=glide.route-456')
    expect(upload!.method).toBe('POST')
    expect(upload!.query.toString()).toBe(
      'sysparm_track_fluent_install=true&sysparm_async_fluent_install=false&sysparm_fluent_scope_id=30d2a11b276f4895a95439ef5be8fff5&sysparm_fluent_scope_name=x_kandji_sn&sysparm_fluent_app_version=0.0.1&sysparm_request_type=custom_app',
    )
    expect(upload!.headers['x-usertoken']).toBe('user-token-abc')
    // Only the login answer's cookies: get_user's 401 named another session (UISession.js keeps the login's).
    expect(upload!.headers.cookie).toBe('JSESSIONID=sess-cookie-123; glide_user_route=glide.route-456')
    expect(upload!.headers.authorization).toBeUndefined()
    expect(upload!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    const form = await new Response(new Uint8Array(upload!.body), { headers: { 'Content-Type': upload!.headers['content-type']! } }).formData()
    expect(form.get('upload_type')).toBe('file')
    expect(form.get('load_demo')).toBe('false')
    expect(form.get('sysparm_ck')).toBe('user-token-abc')
    const file = form.get('attachFile') as File
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(zip)
  })

  it('with OAuth: get_user for a cookie, one bearer Table API call to attach it, get_user again for the token', async () => {
    fake.handle(async (req, res) => {
      if (req.path === '/oauth_token.do') return json(res, 200, { access_token: 'oauth-access-1', token_type: 'Bearer', expires_in: 1799 })
      return uiInstance()(req, res)
    })
    const { client } = harness(fake, { auth: { type: 'client_credentials', clientId: 'cid', clientSecret: 'csecret-1' } })
    await client.app.uploadPackage(zip, { ...app, loadDemo: true })
    expect(fake.requests.map((r) => `${r.method} ${r.path}${r.query.get('sysparm_type') ? `?${r.query.get('sysparm_type')}` : ''}`)).toEqual([
      'POST /angular.do?get_user',
      'POST /oauth_token.do',
      'GET /api/now/table/sys_scope',
      'POST /angular.do?get_user',
      'GET /api/now/table/sys_upgrade_history',
      'POST /sn_appclient_upload_processor.do',
    ])
    const scopeCall = fake.requests[2]!
    expect(scopeCall.headers.authorization).toBe('Bearer oauth-access-1')
    expect(scopeCall.headers.cookie).toBe('JSESSIONID=oauth-sess-789')
    expect(fake.requests[3]!.headers.cookie).toBe('JSESSIONID=oauth-sess-789')
    // The first get_user's cookie is the session; the token-handing 401's is not kept.
    expect(fake.requests[5]!.headers.cookie).toBe('JSESSIONID=oauth-sess-789')
    expect(fake.requests[5]!.headers['x-usertoken']).toBe('user-token-abc')
  })

  it('reuses the UI session for a second call', async () => {
    fake.handle(uiInstance())
    const { client } = harness(fake)
    await client.app.uploadPackage(zip, app)
    await client.app.uploadPackage(zip, app)
    expect(fake.requests.filter((r) => r.query.get('sysparm_type') === 'view_form.login')).toHaveLength(1)
  })

  it('an MFA account is refused with a hint to use an account without MFA', async () => {
    fake.handle(uiInstance({ login: { status: 'mfa_code_required', message: 'MFA code required' } }))
    const error = await rejection(harness(fake).client.app.uploadPackage(zip, app))
    expect(error.kind).toBe('auth')
    expect(error.hint).toMatch(/multi-factor/)
  })

  it('no user token from get_user: kind auth naming interactive login', async () => {
    fake.handle(uiInstance({ token: null }))
    const error = await rejection(harness(fake).client.app.uploadPackage(zip, app))
    expect(error.kind).toBe('auth')
    expect(error.hint).toMatch(/interactively/)
  })

  it('legacy security model: get_user answers 200 without a token, and the upload goes ahead with an empty one', async () => {
    fake.handle(uiInstance({ legacy: true }))
    const { client } = harness(fake)
    expect(await client.app.uploadPackage(zip, app)).toEqual({ trackerId: 'trk1', rollbackContext: 'rb1', upgradeHistoryBefore: [] })
    const upload = fake.requests.find((r) => r.path === '/sn_appclient_upload_processor.do')!
    const form = await new Response(new Uint8Array(upload.body), { headers: { 'Content-Type': upload.headers['content-type']! } }).formData()
    expect({ ck: form.get('sysparm_ck'), token: upload.headers['x-usertoken'], cookie: upload.headers.cookie }).toEqual({ ck: '', token: '', cookie: 'JSESSIONID=sess-cookie-123; glide_user_route=glide.route-456' })
  })

  it('an answer without executionTracker is an accepted upload: no tracker, the history read before it is returned', async () => {
    fake.handle(uiInstance({ history: [{ sys_id: 'h-old', to_version: app.scope, upgrade_finished: '2026-01-01 10:00:00' }], upload: (_req, res) => json(res, 200, { rollbackContext: 'rb9' }) }))
    expect(await harness(fake).client.app.uploadPackage(zip, app)).toEqual({ trackerId: undefined, rollbackContext: 'rb9', upgradeHistoryBefore: ['h-old'] })
  })

  it.each([
    [undefined, undefined, 300_000],
    [undefined, 1_000, 300_000],
    [undefined, 600_000, 600_000],
    [5_000, 1_000, 5_000],
  ])('the upload waits installTimeoutMs %s (per-request timeout %s): %s ms, and is sent once', async (installTimeoutMs, timeoutMs, expected) => {
    const timeouts: number[] = []
    const realTimeout = AbortSignal.timeout.bind(AbortSignal)
    AbortSignal.timeout = (ms: number) => (timeouts.push(ms), realTimeout(ms))
    try {
      fake.handle(uiInstance())
      const { client } = harness(fake, { ...(installTimeoutMs ? { installTimeoutMs } : {}), ...(timeoutMs ? { timeoutMs } : {}) })
      await client.app.uploadPackage(zip, app)
    } finally {
      AbortSignal.timeout = realTimeout
    }
    const uploadIndex = fake.requests.findIndex((r) => r.path === '/sn_appclient_upload_processor.do')
    expect(timeouts[uploadIndex]).toBe(expected)
    expect(timeouts.filter((ms, i) => i !== uploadIndex)).toEqual(timeouts.filter((_, i) => i !== uploadIndex).map(() => timeoutMs ?? 30_000))
  })

  it('an upload slower than the per-request timeout is answered, not aborted or re-sent', async () => {
    fake.handle(uiInstance({ upload: async (_req, res) => {
      await new Promise((r) => setTimeout(r, 1500))
      return json(res, 200, { executionTracker: 'trk-slow' })
    } }))
    const { client } = harness(fake, { timeoutMs: 1000 })
    expect((await client.app.uploadPackage(zip, app)).trackerId).toBe('trk-slow')
    expect(fake.requests.filter((r) => r.path === '/sn_appclient_upload_processor.do')).toHaveLength(1)
  })

  it.each([0, -5, 1.5])('refuses installTimeoutMs %s', (installTimeoutMs) => {
    expect(() => harness(fake, { installTimeoutMs })).toThrow(`installTimeoutMs must be a positive integer, got ${installTimeoutMs}`)
  })

  it('a 401 on the upload says the account may not install apps', async () => {
    fake.handle(uiInstance({ upload: (_req, res) => snError(res, 401, 'Unauthorized', null) }))
    const error = await rejection(harness(fake).client.app.uploadPackage(zip, app))
    expect(error).toMatchObject({ kind: 'auth', status: 401 })
    expect(error.hint).toMatch(/admin role/)
  })

  it('the upload is never repeated after a 503', async () => {
    fake.handle(uiInstance({ upload: (_req, res) => snError(res, 503, 'Service Unavailable', null) }))
    const error = await rejection(harness(fake).client.app.uploadPackage(zip, app))
    expect(error.retryable).toBe(true)
    expect(fake.requests.filter((r) => r.path === '/sn_appclient_upload_processor.do')).toHaveLength(1)
  })

  it('a 400 with a tracker is still an accepted upload (as the SDK reads it); without one it is a refusal', async () => {
    fake.handle(uiInstance({ upload: (_req, res) => json(res, 400, { executionTracker: 'trk2' }) }))
    expect(await harness(fake).client.app.uploadPackage(zip, app)).toEqual({ trackerId: 'trk2', upgradeHistoryBefore: [] })
    fake.handle(uiInstance({ upload: (_req, res) => json(res, 400, { message: 'bad zip' }) }))
    expect((await rejection(harness(fake).client.app.uploadPackage(zip, app))).kind).toBe('bad_request')
  })

  it('refuses an empty package or missing app info before logging in', async () => {
    const { client } = harness(fake)
    await expect(client.app.uploadPackage(new Uint8Array(), app)).rejects.toThrow(/non-empty/)
    await expect(client.app.uploadPackage(zip, { ...app, version: '' })).rejects.toThrow(/app.version/)
    expect(fake.requests).toHaveLength(0)
  })

  it('auth none cannot open a UI session', async () => {
    const error = await rejection(harness(fake, { auth: { type: 'none' } }).client.app.uploadPackage(zip, app))
    expect(error.kind).toBe('auth')
  })
})

function progress(status: string | number, extra: Record<string, unknown> = {}) {
  return { result: { links: { progress: { id: 'p1', url: 'x' } }, status, status_label: 'L', status_message: 'M', status_detail: '', error: '', percent_complete: 50, ...extra } }
}

describe('CI/CD progress and repo install', () => {
  it('maps the statuses "0".."4"', async () => {
    const statuses = ['0', '1', '2', '3', '4']
    fake.handle((_req, res) => json(res, 200, progress(statuses.shift()!)))
    const { client } = harness(fake)
    const mapped = []
    for (let i = 0; i < 5; i++) mapped.push((await client.app.getProgress('p1')).status)
    expect(mapped).toEqual(['pending', 'running', 'successful', 'failed', 'canceled'])
    expect(fake.requests[0]!.path).toBe('/api/sn_cicd/progress/p1')
  })

  it('an unknown status names the field', async () => {
    fake.handle((_req, res) => json(res, 200, progress('7')))
    const error = await rejection(harness(fake).client.app.getProgress('p1'))
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain('result.status')
  })

  it('waitForProgress polls with growing intervals until successful and reports each step', async () => {
    const states = [progress('0'), progress('1', { percent_complete: 40 }), progress('1', { percent_complete: 80 }), progress('2', { percent_complete: 100, rollback_version: '1.0.0' })]
    fake.handle((_req, res) => json(res, 200, states.shift()))
    const { client, sleeps } = harness(fake)
    const seen: number[] = []
    const done = await client.app.waitForProgress('p1', { intervalMs: 1000, onProgress: (p) => seen.push(p.percentComplete) })
    expect(done).toMatchObject({ status: 'successful', statusCode: '2', percentComplete: 100, rollbackVersion: '1.0.0' })
    expect(seen).toEqual([50, 40, 80, 100])
    expect(sleeps).toEqual([1000, 1500, 2250])
  })

  it('a failed install throws install_failed with the message and the rollback version', async () => {
    fake.handle((_req, res) => json(res, 200, progress('3', { status_message: 'Install failed', error: 'Missing dependency', rollback_version: '0.9.0' })))
    const error = await rejection(harness(fake).client.app.waitForProgress('p1'))
    expect(error).toMatchObject({ kind: 'install_failed', snMessage: 'Install failed', snDetail: 'Missing dependency', retryable: false })
    expect(error.message).toContain('Missing dependency')
    expect(error.hint).toContain('0.9.0')
    expect(error.hint).toContain('sys_execution_tracker.do?sys_id=p1')
  })

  it('waitForProgress gives up at its timeout with a retryable timeout error', async () => {
    fake.handle((_req, res) => json(res, 200, progress('1')))
    const error = await rejection(harness(fake).client.app.waitForProgress('p1', { intervalMs: 1000, timeoutMs: 5000 }))
    expect(error).toMatchObject({ kind: 'timeout', retryable: true })
  })

  it('installFromRepo posts the scope and version and returns the progress id and rollback version', async () => {
    fake.handle((_req, res) => json(res, 200, progress('0', { rollback_version: '1.1.0' })))
    const { client } = harness(fake)
    expect(await client.app.installFromRepo({ scope: 'x_kandj_kandji', version: '1.2.0' })).toEqual({ progressId: 'p1', rollbackVersion: '1.1.0' })
    const seen = fake.requests[0]!
    expect(seen.method).toBe('POST')
    expect(seen.path).toBe('/api/sn_cicd/app_repo/install')
    expect(seen.query.toString()).toBe('scope=x_kandj_kandji&version=1.2.0')
    await expect(client.app.installFromRepo({})).rejects.toThrow(/scope or sys_id/)
  })

  it('uninstall switches to the app, then deletes it, and returns the progress id from the XML answer', async () => {
    fake.handle(uiInstance())
    const { client } = harness(fake)
    expect(await client.app.uninstall({ scopeId: app.scopeId })).toEqual({ progressId: 'prog-42' })
    const ajax = fake.requests.filter((r) => r.path === '/xmlhttp.do').map((r) => Object.fromEntries(new URLSearchParams(r.text)))
    expect(ajax).toEqual([
      { sysparm_processor: 'com.snc.apps.AppsAjaxProcessor', sysparm_function: 'changeApplication', sysparm_value: app.scopeId, sysparm_ck: 'user-token-abc' },
      {
        sysparm_processor: 'com.snc.apps.AppsAjaxProcessor',
        sysparm_function: 'deleteApplication',
        sysparm_sys_id: app.scopeId,
        sysparm_fluent_app: 'true',
        sysparm_delete_all: 'true',
        sysparm_ck: 'user-token-abc',
      },
    ])
  })
})
