// The transport's exact behaviour against an injected fetch (no socket): what it sends, when it sends again, how long
// it waits, and the error, hint and log line a person reads. The fake-server suites in ../test cover the same rules
// over real HTTP; these pin the values.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ServiceNowError } from './errors.ts'
import { parseErrorBody, Transport, type Credentials, type TransportRequest } from './transport.ts'
import type { ClientOptions, RequestEvent } from './types.ts'

const ORIGIN = 'https://acme.service-now.com'
const MAY_HAVE_BEEN_PROCESSED = 'the request may have been processed: re-read by natural key before sending it again'

type Reply = Response | Error | (() => Response | Promise<Response>)
interface Call { url: string; init: RequestInit }

function setup(replies: Reply[], options: Partial<ClientOptions> = {}) {
  const calls: Call[] = []
  const sleeps: number[] = []
  const logs: string[] = []
  const events: RequestEvent[] = []
  const fetchImpl = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} })
    const next = replies.shift()
    if (next === undefined) throw new Error('test: no reply left')
    if (next instanceof Error) throw next
    return typeof next === 'function' ? next() : next
  }
  const transport = new Transport({
    instance: ORIGIN,
    auth: { type: 'none' },
    fetch: fetchImpl as typeof fetch,
    sleep: async (ms) => void sleeps.push(ms),
    logger: (line) => logs.push(line),
    onRequest: (e) => events.push(e),
    ...options,
  }, ORIGIN)
  return { transport, calls, sleeps, logs, events }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
const page = (status: number, headers: Record<string, string> = {}) => new Response('<html><body>Instance hibernating</body></html>', { status, headers: { 'content-type': 'text/html', ...headers } })
const codeError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) })
const get = (extra: Partial<TransportRequest> = {}): TransportRequest => ({ method: 'GET', path: '/api/now/table/sys_user', call: 'read', expect: 'json', ...extra })
const create = (extra: Partial<TransportRequest> = {}): TransportRequest => ({ method: 'POST', path: '/api/now/table/sys_user', call: 'create', expect: 'json', body: { type: 'json', value: { a: 1 } }, ...extra })

async function failure(p: Promise<unknown>): Promise<ServiceNowError> {
  try {
    await p
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceNowError)
    return error as ServiceNowError
  }
  throw new Error('expected a rejection')
}

afterEach(() => vi.restoreAllMocks())

describe('options', () => {
  it('defaults to 4 attempts, a 30 s timeout and jitter under 250 ms doubling to the 8 s cap', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.9999)
    const { transport, sleeps, calls } = setup([json(503, {}), json(503, {}), json(503, {}), json(503, {})])
    expect(transport.timeoutMs).toBe(30_000)
    await failure(transport.send(get()))
    expect(calls).toHaveLength(4)
    expect(sleeps).toEqual([249, 499, 999])
    const capped = setup([json(503, {}), json(503, {}), json(503, {}), json(200, { result: 1 })], { retry: { baseDelayMs: 5000 } })
    await capped.transport.send(get())
    expect(capped.sleeps).toEqual([4999, 7999, 7999])
  })

  it('refuses attempts, delays and timeouts that are not integers in range, naming the option', () => {
    const make = (options: Partial<ClientOptions>) => () => setup([], options)
    expect(make({ retry: { maxAttempts: 0 } })).toThrow(new TypeError('retry.maxAttempts must be a positive integer, got 0'))
    expect(make({ retry: { maxAttempts: 1.5 } })).toThrow(new TypeError('retry.maxAttempts must be a positive integer, got 1.5'))
    expect(make({ retry: { baseDelayMs: -1 } })).toThrow(new TypeError('retry.baseDelayMs must be a non-negative integer, got -1'))
    expect(make({ retry: { maxDelayMs: -5 } })).toThrow(new TypeError('retry.maxDelayMs must be a non-negative integer, got -5'))
    expect(make({ timeoutMs: 0 })).toThrow(new TypeError('timeoutMs must be a positive integer, got 0'))
    expect(setup([], { retry: { baseDelayMs: 0, maxDelayMs: 0, maxAttempts: 1 }, timeoutMs: 1 }).transport.timeoutMs).toBe(1)
  })

  it('gives up after one attempt when maxAttempts is 1', async () => {
    const { transport, calls, sleeps } = setup([json(503, {})], { retry: { maxAttempts: 1 } })
    expect(await failure(transport.send(get()))).toMatchObject({ kind: 'server', status: 503, message: 'GET /api/now/table/sys_user failed: 503' })
    expect([calls.length, sleeps]).toEqual([1, []])
  })
})

describe('the request sent', () => {
  it('sends the query without undefined values, JSON with its content type, the user agent, the headers and the credentials last', async () => {
    const credentials: Credentials = { mode: 'basic', headers: async () => ({ Authorization: 'Basic dXNlcjpwYXNz', Accept: 'application/xml' }) }
    const { transport, calls } = setup([json(201, { result: { sys_id: 'x' } })], { userAgent: 'deploy-integration/1' })
    const reply = await transport.send(create({ query: { sysparm_fields: 'sys_id', sysparm_limit: 1, flag: false, gone: undefined }, headers: { 'X-Extra': '1', 'User-Agent': 'mine' }, credentials }))
    expect(reply).toMatchObject({ status: 201, body: { result: { sys_id: 'x' } } })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.url).toBe(`${ORIGIN}/api/now/table/sys_user?sysparm_fields=sys_id&sysparm_limit=1&flag=false`)
    expect(calls[0]?.init).toMatchObject({ method: 'POST', body: '{"a":1}', redirect: 'manual' })
    expect(calls[0]?.init.signal).toBeInstanceOf(AbortSignal)
    expect(calls[0]?.init.headers).toEqual({ Accept: 'application/xml', 'User-Agent': 'mine', 'Content-Type': 'application/json', 'X-Extra': '1', Authorization: 'Basic dXNlcjpwYXNz' })
  })

  it('sends a form as urlencoded text, multipart as the FormData itself (fetch sets its boundary), nothing without a body', async () => {
    const form = new FormData()
    form.set('f', 'v')
    const { transport, calls } = setup([json(200, {}), json(200, {}), json(200, {})])
    await transport.send(get({ method: 'POST', body: { type: 'form', value: new URLSearchParams({ grant_type: 'password', a: 'b c' }) } }))
    await transport.send(get({ method: 'POST', body: { type: 'multipart', value: form } }))
    await transport.send(get())
    expect(calls.map((c) => [c.init.body, c.init.headers])).toEqual([
      ['grant_type=password&a=b+c', { Accept: 'application/json', 'User-Agent': 'kandji-sn-client', 'Content-Type': 'application/x-www-form-urlencoded' }],
      [form, { Accept: 'application/json', 'User-Agent': 'kandji-sn-client' }],
      [undefined, { Accept: 'application/json', 'User-Agent': 'kandji-sn-client' }],
    ])
  })

  it('refuses a path that leaves the instance, sending nothing', async () => {
    const { transport, calls } = setup([])
    await expect(transport.send(get({ path: 'https://evil.example/api' }))).rejects.toThrow(new TypeError('path "https://evil.example/api" leaves the instance'))
    await expect(transport.send(get({ path: '//evil.example/api' }))).rejects.toThrow(TypeError)
    expect(calls).toEqual([])
  })

  it('logs the method, path and query with secret parameters masked, and each retry', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { transport, logs, events } = setup([json(502, {}), json(200, { ok: 1 })])
    await transport.send(get({ query: { sysparm_query: 'active=true', user_password: 'hunter22' } }))
    expect(logs.map((l) => l.replace(/\(\d+ ms\)/, '(N ms)'))).toEqual([
      'GET /api/now/table/sys_user?sysparm_query=active=true&user_password=*** -> 502 (N ms)',
      '  retry 2/4 in 0 ms',
      'GET /api/now/table/sys_user?sysparm_query=active=true&user_password=*** -> 200 (N ms)',
    ])
    expect(events.map(({ durationMs: _, ...e }) => e)).toEqual([
      { method: 'GET', path: '/api/now/table/sys_user', status: 502, attempt: 1 },
      { method: 'GET', path: '/api/now/table/sys_user', status: 200, attempt: 2 },
    ])
  })

  it('masks registered secrets (two characters or more) in log lines', () => {
    const { transport, logs } = setup([])
    transport.addSecret('s3cret-value')
    transport.addSecret('')
    transport.addSecret(undefined)
    transport.log('saw s3cret-value and a plain line')
    expect(logs).toEqual(['saw *** and a plain line'])
    expect(transport.redact('s3cret-value')).toBe('***')
  })
})

describe('answers', () => {
  it('returns JSON parsed, an empty body as undefined, text as text, and an accepted error status', async () => {
    const { transport } = setup([json(200, { a: 1 }), new Response('  ', { status: 200 }), new Response('<xml/>', { status: 200 }), json(404, { error: { message: 'gone' } })])
    expect((await transport.send(get())).body).toEqual({ a: 1 })
    expect((await transport.send(get())).body).toBeUndefined()
    expect((await transport.send(get({ expect: 'text' }))).body).toBe('<xml/>')
    expect(await transport.send(get({ acceptStatus: [404] }))).toMatchObject({ status: 404, body: { error: { message: 'gone' } } })
  })

  it('reports a body that is not JSON as an invalid response, not retried', async () => {
    const { transport, calls } = setup([new Response('not json', { status: 200 })])
    const error = await failure(transport.send(get()))
    expect({ ...error, message: error.message }).toMatchObject({
      kind: 'invalid_response', status: 200, method: 'GET', path: '/api/now/table/sys_user', retryable: false,
      message: 'GET /api/now/table/sys_user answered 200 with a body that is not JSON',
      hint: 'the instance (or a proxy in front of it) sent something unexpected: check the URL points at the instance itself',
    })
    expect(calls).toHaveLength(1)
  })

  it('tells an HTML page from JSON by content type first, then by the body', async () => {
    const html = (body: string, headers: Record<string, string> = {}) => new Response(body, { status: 200, headers })
    const { transport } = setup([
      html('{"a":1}', { 'content-type': 'text/html; charset=utf-8' }),
      html('<html>', { 'content-type': 'application/json' }),
      html('  <!DOCTYPE html><p>'),
      html('<HEAD>'),
      html('<htmlish/>'),
      html('<body>', { 'content-type': 'text/plain' }),
    ])
    expect(await failure(transport.send(get()))).toMatchObject({ kind: 'hibernating', status: 200, retryable: true, message: 'GET /api/now/table/sys_user answered 200 with an HTML page instead of JSON' })
    await expect(transport.send(get())).rejects.toMatchObject({ kind: 'invalid_response' })
    await expect(transport.send(get())).rejects.toMatchObject({ kind: 'hibernating' })
    await expect(transport.send(get())).rejects.toMatchObject({ kind: 'hibernating' })
    await expect(transport.send(get())).rejects.toMatchObject({ kind: 'invalid_response' })
    await expect(transport.send(get())).rejects.toMatchObject({ kind: 'hibernating' })
  })

  it('returns an HTML page as text when text was asked for, and sends XML with the JSON Accept', async () => {
    const { transport } = setup([page(200), page(200)])
    expect((await transport.send(get({ expect: 'text' }))).body).toBe('<html><body>Instance hibernating</body></html>')
    await expect(transport.send(get({ expect: 'xml' }))).rejects.toMatchObject({ kind: 'hibernating' })
  })

  it('reports a redirect with the host it points at, never following it', async () => {
    const redirect = (location?: string) => new Response(null, { status: 302, headers: location === undefined ? {} : { location } })
    const { transport, calls } = setup([redirect('https://signon.service-now.com/login?x=1'), redirect('/login.do'), redirect('http://['), redirect()])
    const error = await failure(transport.send(get()))
    expect([error.kind, error.status, error.retryable, error.message, error.hint]).toEqual([
      'hibernating', 302, true, 'GET /api/now/table/sys_user answered 302 with a redirect to signon.service-now.com instead of JSON',
      'the instance answered with a web page instead of JSON: a developer instance that is hibernating or waking up does this; open the instance in a browser (or wake it at developer.servicenow.com), wait until it loads, then try again',
    ])
    // A redirect to the instance's own login page is a sign-in it wants, not a hibernating instance.
    const login = await failure(transport.send(get()))
    expect([login.kind, login.message]).toEqual(['login_redirect', 'GET /api/now/table/sys_user answered 302 with a redirect to /login.do on the instance instead of JSON'])
    expect((await failure(transport.send(get()))).message).toBe('GET /api/now/table/sys_user answered 302 with a redirect instead of JSON')
    expect((await failure(transport.send(get()))).message).toBe('GET /api/now/table/sys_user answered 302 with a redirect instead of JSON')
    expect(calls).toHaveLength(4)
  })

  it('reports a status error with what the instance said, redacted, and an HTML error page as hibernating unless the status decides', async () => {
    const { transport } = setup([
      json(400, { error: { message: 'Invalid password hunter22', detail: 'password=hunter22' } }),
      json(400, {}),
      page(500),
      page(401),
      page(403),
      page(404),
      page(429),
    ], { retry: { maxAttempts: 1 } })
    transport.addSecret('hunter22')
    const bad = await failure(transport.send(get()))
    expect([bad.kind, bad.status, bad.message, bad.snMessage, bad.snDetail, bad.retryable, bad.retryAfterSeconds]).toEqual([
      'bad_request', 400, 'GET /api/now/table/sys_user failed: 400 Invalid password ***: password=***', 'Invalid password ***', 'password=***', false, undefined,
    ])
    const bare = await failure(transport.send(get()))
    expect([bare.message, bare.snMessage, bare.snDetail]).toEqual(['GET /api/now/table/sys_user failed: 400', undefined, undefined])
    expect((await failure(transport.send(get()))).kind).toBe('hibernating')
    expect((await failure(transport.send(get()))).kind).toBe('auth')
    expect((await failure(transport.send(get()))).kind).toBe('permission')
    expect((await failure(transport.send(get()))).kind).toBe('not_found')
    expect((await failure(transport.send(get()))).kind).toBe('rate_limited')
  })
})

describe('retries', () => {
  it('retries 502, 503 and 504 on an idempotent request, but not 500', async () => {
    const { transport, calls } = setup([json(502, {}), json(503, {}), json(504, {}), json(200, { ok: true }), json(500, {})])
    expect((await transport.send(get())).body).toEqual({ ok: true })
    expect(calls).toHaveLength(4)
    const error = await failure(transport.send(get()))
    expect([error.kind, error.retryable, error.hint]).toEqual(['server', true,
      'the instance failed to answer (overloaded, restarting or upgrading): try again in a minute; if it persists, check the instance system log'])
    expect(calls).toHaveLength(5)
  })

  it('never resends a create after a 5xx, and says the create may have been processed', async () => {
    const { transport, calls } = setup([json(503, {}), json(400, {})])
    const error = await failure(transport.send(create()))
    expect(calls).toHaveLength(1)
    expect(error.hint).toBe(`the instance failed to answer (overloaded, restarting or upgrading): try again in a minute; if it persists, check the instance system log; ${MAY_HAVE_BEEN_PROCESSED}`)
    expect((await failure(transport.send(create()))).hint).toBe('the instance refused the request (400): check the values sent; the detail above names what it did not accept')
  })

  it('waits exactly Retry-After seconds up to the cap (even for a create), and not at all past it', async () => {
    const { transport, sleeps, calls } = setup([json(429, {}, { 'retry-after': ' 2 ' }), json(201, { ok: 1 }), json(429, {}, { 'retry-after': '9' })])
    expect((await transport.send(create())).status).toBe(201)
    expect(sleeps).toEqual([2000])
    const error = await failure(transport.send(create()))
    expect([error.kind, error.retryAfterSeconds, error.retryable, calls.length, sleeps]).toEqual(['rate_limited', 9, true, 3, [2000]])
    expect(error.hint).toBe('the account hit an inbound REST rate limit (sys_rate_limit_rules): the instance asks to wait 9 s, or raise the limit for this user')
    expect(error.message).toBe('POST /api/now/table/sys_user failed: 429')
  })

  it('waits exactly the cap, reads an HTTP-date Retry-After, and falls back to jitter on one it cannot read', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const soon = new Date(Date.now() + 60_000).toUTCString()
    const { transport, sleeps } = setup([
      json(429, {}, { 'retry-after': '8' }), json(200, {}),
      json(429, {}, { 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' }), json(200, {}),
      json(429, {}, { 'retry-after': 'soon' }), json(200, {}),
      json(429, {}), json(200, {}),
      json(429, {}, { 'retry-after': soon }),
    ])
    for (let i = 0; i < 4; i++) await transport.send(get())
    expect(sleeps).toEqual([8000, 0, 125, 125])
    const error = await failure(transport.send(get()))
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(59)
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60)
  })

  it('gives up on a 429 after the last attempt', async () => {
    const { transport, calls } = setup([json(429, {}, { 'retry-after': '1' }), json(429, {}, { 'retry-after': '1' })], { retry: { maxAttempts: 2 } })
    expect((await failure(transport.send(get()))).kind).toBe('rate_limited')
    expect(calls).toHaveLength(2)
  })

  it('refreshes credentials once on a 401 without counting an attempt, then reports the 401', async () => {
    let invalidations = 0
    const credentials: Credentials = { mode: 'oauth', headers: async () => ({ Authorization: `Bearer token-${invalidations}` }), invalidate: () => (++invalidations, true) }
    const { transport, calls, events } = setup([json(401, {}), json(401, {})], { retry: { maxAttempts: 1 } })
    const error = await failure(transport.send(get({ credentials })))
    expect(invalidations).toBe(1)
    expect(calls.map((c) => (c.init.headers as Record<string, string>).Authorization)).toEqual(['Bearer token-0', 'Bearer token-1'])
    expect(events.map((e) => e.attempt)).toEqual([1, 1])
    expect([error.kind, error.retryable]).toEqual(['auth', false])
    expect(error.hint).toMatch(/^the OAuth token was refused/)
  })

  it('reports a 401 at once when the credentials cannot be refreshed', async () => {
    const credentials: Credentials = { mode: 'basic', headers: async () => ({}), invalidate: () => false }
    const { transport, calls } = setup([json(401, {})])
    expect((await failure(transport.send(get({ credentials })))).kind).toBe('auth')
    expect(calls).toHaveLength(1)
  })

  it('lets the credentials see every answer', async () => {
    const seen: Array<string | null> = []
    const credentials: Credentials = { mode: 'session', headers: async () => ({}), observe: (h) => void seen.push(h.get('x-seen')) }
    const { transport } = setup([json(502, {}, { 'x-seen': 'a' }), json(200, {}, { 'x-seen': 'b' })])
    await transport.send(get({ credentials }))
    expect(seen).toEqual(['a', 'b'])
  })
})

describe('network failures', () => {
  it('retries a reset on an idempotent request and reports the attempts', async () => {
    const { transport, calls, events, logs } = setup([codeError('ECONNRESET'), codeError('ECONNRESET')], { retry: { maxAttempts: 2, baseDelayMs: 0 } })
    const error = await failure(transport.send(get()))
    expect(calls).toHaveLength(2)
    expect([error.kind, error.message, error.retryable, error.status]).toEqual(['network', 'GET /api/now/table/sys_user failed: ECONNRESET after 2 attempts', true, undefined])
    expect(error.hint).toBe('the connection to acme.service-now.com broke (ECONNRESET): a flaky network, proxy or an instance restart; try again')
    expect(error.cause).toBeInstanceOf(TypeError)
    expect(events.map(({ durationMs: _, ...e }) => e)).toEqual([
      { method: 'GET', path: '/api/now/table/sys_user', status: undefined, attempt: 1, errorKind: 'network' },
      { method: 'GET', path: '/api/now/table/sys_user', status: undefined, attempt: 2, errorKind: 'network' },
    ])
    expect(logs.map((l) => l.replace(/\(\d+ ms\)/, '(N ms)'))).toEqual([
      'GET /api/now/table/sys_user -> ECONNRESET (N ms)', '  retry 2/2 in 0 ms', 'GET /api/now/table/sys_user -> ECONNRESET (N ms)',
    ])
  })

  it('never resends a create after a reset or a timeout, and says so', async () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })
    const { transport, calls } = setup([codeError('ECONNRESET'), timeout])
    const reset = await failure(transport.send(create()))
    expect([reset.message, reset.retryable]).toEqual(['POST /api/now/table/sys_user failed: ECONNRESET (not repeated: the request may have reached the instance)', true])
    expect(reset.hint).toBe(`the connection to acme.service-now.com broke (ECONNRESET): a flaky network, proxy or an instance restart; try again; ${MAY_HAVE_BEEN_PROCESSED}`)
    const timedOut = await failure(transport.send(create()))
    expect([timedOut.kind, timedOut.message]).toEqual(['timeout', 'POST /api/now/table/sys_user failed: TIMEOUT (not repeated: the request may have reached the instance)'])
    expect(calls).toHaveLength(2)
  })

  it('resends a create whose connection was refused (it never left this machine)', async () => {
    const { transport, calls } = setup([codeError('ECONNREFUSED'), json(201, { ok: 1 })])
    expect((await transport.send(create())).status).toBe(201)
    expect(calls).toHaveLength(2)
  })

  it('does not retry what trying again cannot fix, and reports it without "after n attempts"', async () => {
    const { transport, calls } = setup([codeError('ENOTFOUND'), codeError('CERT_HAS_EXPIRED')])
    const dns = await failure(transport.send(get()))
    expect([dns.kind, dns.message, dns.retryable, dns.hint]).toEqual(['dns', 'GET /api/now/table/sys_user failed: ENOTFOUND', false, 'the host name acme.service-now.com does not resolve: check the instance name for typos'])
    const tls = await failure(transport.send(create()))
    expect([tls.kind, tls.message, tls.retryable]).toEqual(['tls', 'POST /api/now/table/sys_user failed: CERT_HAS_EXPIRED', false])
    expect(tls.hint).not.toContain(MAY_HAVE_BEEN_PROCESSED)
    expect(calls).toHaveLength(2)
  })

  it('reports a body that broke off while it was read as a network failure', async () => {
    const broken = () => new Response(new ReadableStream({ start: (c) => c.error(codeError('UND_ERR_SOCKET')) }), { status: 200 })
    const { transport } = setup([broken], { retry: { maxAttempts: 1 } })
    expect((await failure(transport.send(get()))).message).toBe('GET /api/now/table/sys_user failed: UND_ERR_SOCKET')
  })
})

describe('parseErrorBody', () => {
  it("reads ServiceNow's envelope, a CI/CD refusal and an OAuth error; nothing from anything else", () => {
    expect(parseErrorBody('{"error":{"message":"m","detail":"d"},"status":"failure"}')).toEqual({ snMessage: 'm', snDetail: 'd' })
    expect(parseErrorBody('{"error":{"message":"","detail":null}}')).toStrictEqual({})
    expect(parseErrorBody('{"error":{"detail":"only"}}')).toStrictEqual({ snDetail: 'only' })
    expect(parseErrorBody('{"result":{"error":"E","status_message":"S","status_detail":"D"}}')).toStrictEqual({ snMessage: 'E', snDetail: 'S: D' })
    expect(parseErrorBody('{"result":{"error":"E","status_message":"E"}}')).toStrictEqual({ snMessage: 'E' })
    expect(parseErrorBody('{"result":{"status_message":"S","status_detail":"D"}}')).toStrictEqual({ snMessage: 'S', snDetail: 'D' })
    expect(parseErrorBody('{"result":{"error":"","status_message":""}}')).toStrictEqual({})
    expect(parseErrorBody('{"error":"invalid_grant","error_description":"bad"}')).toStrictEqual({ snMessage: 'invalid_grant', snDetail: 'bad' })
    expect(parseErrorBody('{"error":"invalid_grant","error_description":5}')).toStrictEqual({ snMessage: 'invalid_grant' })
    for (const other of ['', 'not json', 'null', '[]', '{"error":5}', '{"message":"x"}']) expect(parseErrorBody(other), other).toStrictEqual({})
  })
})
