import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient, isServiceNowError, ServiceNowError } from '../src/index.ts'
import { harness, html, json, rejection, reset, snError, startFake, type Fake } from './fake-instance.ts'

let fake: Fake
beforeEach(async () => {
  fake = await startFake()
})
afterEach(() => fake.close())

const ok = { result: [] }

describe('error classes', () => {
  it('401: bad credentials, with a hint about the user and password', async () => {
    fake.handle((_req, res) => snError(res, 401, 'User Not Authenticated', 'Required to provide Auth information'))
    const { client, events } = harness(fake)
    const error = await rejection(client.table.list('sys_user'))
    expect(error).toBeInstanceOf(ServiceNowError)
    expect(error).toMatchObject({ kind: 'auth', status: 401, method: 'GET', path: '/api/now/table/sys_user', retryable: false })
    expect(error.snMessage).toBe('User Not Authenticated')
    expect(error.snDetail).toBe('Required to provide Auth information')
    expect(error.hint).toMatch(/user name or password/)
    expect(events).toHaveLength(1) // never retried
  })

  it('403: a missing role or ACL is a permission error', async () => {
    fake.handle((_req, res) => snError(res, 403, 'Operation Failed', 'ACL Exception Insert Failed due to security constraints'))
    const error = await rejection(harness(fake).client.table.create('oauth_entity', { name: 'x' }))
    expect(error).toMatchObject({ kind: 'permission', status: 403, method: 'POST' })
    expect(error.hint).toMatch(/lacks a role or an ACL denies it/)
  })

  it('403 "Access to unscoped api is not allowed": the Zurich scope restriction, pointing at KB2731346', async () => {
    fake.handle((_req, res) => snError(res, 403, 'User Not Authorized', 'Access to unscoped api is not allowed'))
    const error = await rejection(harness(fake, { auth: { type: 'bearer', token: 'tok-abcdef' } }).client.table.list('cmdb_ci_computer'))
    expect(error.kind).toBe('scope_restricted')
    expect(error.hint).toContain('KB2731346')
    expect(error.hint).toContain('oauth_entity.scope_restriction_status')
    expect(error.hint).toContain('Broadly scoped')
  })

  it('404 on a record path: missing, or hidden by an ACL', async () => {
    fake.handle((_req, res) => snError(res, 404, 'Requested URI does not represent any resource', null))
    const error = await rejection(harness(fake).client.rest.get('/api/x_kandj_kandji/integration/verify'))
    expect(error).toMatchObject({ kind: 'not_found', status: 404 })
    expect(error.hint).toMatch(/hides it/)
  })

  it('400 and other 4xx are bad requests and not retried', async () => {
    fake.handle((_req, res) => snError(res, 400, 'Invalid request', 'Field x is mandatory'))
    const { client, events } = harness(fake)
    const error = await rejection(client.table.patch('sys_user', 'a'.repeat(32), { x: 1 }))
    expect(error).toMatchObject({ kind: 'bad_request', status: 400, method: 'PATCH' })
    expect(error.message).toContain('Field x is mandatory')
    expect(events).toHaveLength(1)
  })

  it('429: rate limited, retryable, the hint says how long to wait', async () => {
    fake.handle((_req, res) => snError(res, 429, 'Rate limit exceeded', 'Rate limit of 100 requests per hour for Table API exceeded', { 'Retry-After': '3600' }))
    const { client, events, sleeps } = harness(fake)
    const error = await rejection(client.table.list('sys_user'))
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryable: true, retryAfterSeconds: 3600 })
    expect(error.hint).toContain('3600 s')
    // An hour is beyond the delay cap: the client does not sit on it.
    expect(events).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('5xx: server error, retryable', async () => {
    fake.handle((_req, res) => snError(res, 500, 'Internal server error', null))
    const error = await rejection(harness(fake).client.table.list('sys_user'))
    expect(error).toMatchObject({ kind: 'server', status: 500, retryable: true })
  })

  it('an HTML page instead of JSON: a hibernating developer instance', async () => {
    fake.handle((_req, res) => html(res, 200))
    const { client, events } = harness(fake)
    const error = await rejection(client.table.list('sys_user'))
    expect(error).toMatchObject({ kind: 'hibernating', status: 200, retryable: true })
    expect(error.hint).toMatch(/open the instance in a browser/)
    expect(error.hint).toContain('developer.servicenow.com')
    expect(events).toHaveLength(1)
  })

  it('a redirect away from the API is reported as hibernating and not followed', async () => {
    fake.handle((_req, res) => {
      res.writeHead(302, { Location: 'https://developer.servicenow.com/dev.do#!/home?wu=true' })
      res.end()
    })
    const error = await rejection(harness(fake).client.table.list('sys_user'))
    expect(error.kind).toBe('hibernating')
    expect(error.message).toContain('developer.servicenow.com')
    expect(fake.requests).toHaveLength(1)
  })

  for (const location of ['/login.do', '/login.do?sysparm_goto_url=api', 'LOCAL']) {
    it(`a redirect to the instance's own login page (${location}) is a login redirect, not hibernation, and is not followed`, async () => {
      fake.handle((_req, res) => {
        res.writeHead(302, { Location: location === 'LOCAL' ? `${fake.url}/navpage.do` : location })
        res.end()
      })
      const error = await rejection(harness(fake).client.table.list('sys_user'))
      expect({ kind: error.kind, status: error.status, retryable: error.retryable }).toEqual({ kind: 'login_redirect', status: 302, retryable: true })
      expect(error.message).toBe(`GET /api/now/table/sys_user answered 302 with a redirect to ${location === 'LOCAL' ? '/navpage.do' : '/login.do'} on the instance instead of JSON`)
      expect(error.hint).toMatch(/^the instance sent the caller to its login page instead of answering: the UI session expired/)
      expect(fake.requests).toHaveLength(1)
    })
  }

  it('a 503 HTML page is retried, then reported as hibernating', async () => {
    fake.handle((_req, res) => html(res, 503))
    const { client, events } = harness(fake, { retry: { maxAttempts: 2 } })
    const error = await rejection(client.table.list('sys_user'))
    expect(error.kind).toBe('hibernating')
    expect(events).toHaveLength(2)
  })

  it('a body that is not JSON is an invalid response', async () => {
    fake.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"result": [')
    })
    const error = await rejection(harness(fake).client.table.list('sys_user'))
    expect(error.kind).toBe('invalid_response')
  })

  it('timeout: AbortSignal.timeout per attempt, retried for a GET', async () => {
    fake.handle(() => {
      /* never answers */
    })
    const { client, events } = harness(fake, { timeoutMs: 50, retry: { maxAttempts: 2 } })
    const error = await rejection(client.table.list('sys_user'))
    expect(error).toMatchObject({ kind: 'timeout', retryable: true, path: '/api/now/table/sys_user' })
    expect(events.map((e) => e.errorKind)).toEqual(['timeout', 'timeout'])
    expect(events.every((e) => e.status === undefined)).toBe(true)
  })

  it('connection reset: a network error, retried for a GET', async () => {
    fake.handle((_req, res) => reset(res))
    const { client, events } = harness(fake, { retry: { maxAttempts: 3 } })
    const error = await rejection(client.table.list('sys_user'))
    expect(error).toMatchObject({ kind: 'network', retryable: true })
    expect(events).toHaveLength(3)
  })

  it('connection refused: a network error', async () => {
    await fake.close()
    const { client, events } = harness(fake, { retry: { maxAttempts: 2 } })
    const error = await rejection(client.table.list('sys_user'))
    expect(error.kind).toBe('network')
    expect(error.message).toContain('ECONNREFUSED')
    expect(events).toHaveLength(2)
  })

  it('TLS failure (https to a server that does not speak it): kind tls, not retried', async () => {
    const { client, events } = harness(fake, { instance: fake.url.replace('http:', 'https:') })
    const error = await rejection(client.table.list('sys_user'))
    expect(error.kind).toBe('tls')
    expect(error.retryable).toBe(false)
    expect(error.hint).toContain('NODE_EXTRA_CA_CERTS')
    expect(events).toHaveLength(1)
  })

  for (const [code, kind, retried] of [
    ['ENOTFOUND', 'dns', false],
    ['EAI_AGAIN', 'dns', true],
    ['CERT_HAS_EXPIRED', 'tls', false],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', false],
    ['UND_ERR_SOCKET', 'network', true],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout', true],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', true],
  ] as const) {
    it(`fetch failing with cause.code ${code} is kind ${kind}${retried ? ', retried' : ', not retried'}`, async () => {
      let calls = 0
      const failing = (async () => {
        calls++
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) })
      }) as typeof fetch
      const { client } = harness(fake, { instance: 'https://acme.service-now.com', fetch: failing, retry: { maxAttempts: 3 } })
      const error = await rejection(client.table.list('sys_user'))
      expect(error.kind).toBe(kind)
      expect(calls).toBe(retried ? 3 : 1)
      if (kind === 'dns') expect(error.hint).toContain('acme.service-now.com')
    })
  }
})

describe('retries', () => {
  it('retries 502/503/504 on a GET with full-jitter backoff under the cap', async () => {
    const statuses = [502, 503, 504]
    fake.handle((_req, res) => {
      const status = statuses.shift()
      if (status) return snError(res, status, 'Service Unavailable', null)
      json(res, 200, ok)
    })
    const { client, events, sleeps } = harness(fake, { retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 } })
    expect(await client.table.list('sys_user')).toEqual([])
    expect(events.map((e) => [e.attempt, e.status])).toEqual([
      [1, 502],
      [2, 503],
      [3, 504],
      [4, 200],
    ])
    expect(sleeps).toHaveLength(3)
    // Full jitter: each delay is in [0, min(cap, base * 2^n)).
    expect(sleeps[0]).toBeLessThan(100)
    expect(sleeps[1]).toBeLessThan(200)
    expect(sleeps[2]).toBeLessThan(300)
    for (const s of sleeps) expect(s).toBeGreaterThanOrEqual(0)
  })

  it('gives up after maxAttempts', async () => {
    fake.handle((_req, res) => snError(res, 503, 'Service Unavailable', null))
    const { client, events } = harness(fake, { retry: { maxAttempts: 3 } })
    const error = await rejection(client.table.list('sys_user'))
    expect(error).toMatchObject({ kind: 'server', status: 503, retryable: true })
    expect(events).toHaveLength(3)
  })

  it('429 waits exactly Retry-After seconds when it is under the cap, then succeeds', async () => {
    let first = true
    fake.handle((_req, res) => {
      if (first) {
        first = false
        return snError(res, 429, 'Rate limit exceeded', null, { 'Retry-After': '2' })
      }
      json(res, 200, ok)
    })
    const { client, sleeps } = harness(fake)
    await client.table.list('sys_user')
    expect(sleeps).toEqual([2000])
  })

  it('429 on a create is resent (the instance refused it before doing anything)', async () => {
    let first = true
    fake.handle((_req, res) => {
      if (first) {
        first = false
        return snError(res, 429, 'Rate limit exceeded', null, { 'Retry-After': '1' })
      }
      json(res, 201, { result: { sys_id: 'a'.repeat(32) } })
    })
    const { client } = harness(fake)
    await client.table.create('sys_user', { user_name: 'x' })
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
  })

  it('PATCH and DELETE are retried after a reset', async () => {
    let n = 0
    fake.handle((req, res) => {
      if (n++ % 2 === 0) return reset(res)
      if (req.method === 'DELETE') {
        res.writeHead(204)
        return res.end()
      }
      json(res, 200, { result: { sys_id: 'a'.repeat(32) } })
    })
    const { client } = harness(fake)
    await client.table.patch('sys_user', 'a'.repeat(32), { active: true })
    expect(await client.table.delete('sys_user', 'a'.repeat(32))).toBe(true)
    expect(fake.requests.map((r) => r.method)).toEqual(['PATCH', 'PATCH', 'DELETE', 'DELETE'])
  })

  for (const [what, respond] of [
    ['a 503', (res: Parameters<typeof reset>[0]) => snError(res, 503, 'Service Unavailable', null)],
    ['a reset after sending', reset],
  ] as const) {
    it(`a create is never repeated after ${what}: it throws retryable so the caller re-reads by natural key`, async () => {
      fake.handle((_req, res) => respond(res))
      const { client, events } = harness(fake)
      const error = await rejection(client.table.create('sys_user', { user_name: 'svc' }))
      expect(isServiceNowError(error)).toBe(true)
      expect(error.retryable).toBe(true)
      expect(error.hint).toMatch(/re-read by natural key/)
      expect(events).toHaveLength(1)
      expect(fake.requests).toHaveLength(1)
    })
  }

  it('a create times out once and is not repeated', async () => {
    fake.handle(() => {
      /* never answers */
    })
    const { client } = harness(fake, { timeoutMs: 500 })
    const error = await rejection(client.importSet.insert('x_kandj_kandji_device_import', { device_id: '1' }))
    expect(error).toMatchObject({ kind: 'timeout', retryable: true })
    expect(fake.requests).toHaveLength(1)
  })

  it('a create whose connection was refused (never sent) is retried', async () => {
    let calls = 0
    const flaky = (async (input: string | URL | Request, init?: RequestInit) => {
      if (calls++ === 0) throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) })
      return fetch(input, init)
    }) as typeof fetch
    fake.handle((_req, res) => json(res, 201, { result: { sys_id: 'b'.repeat(32) } }))
    const { client, events } = harness(fake, { fetch: flaky })
    expect((await client.table.create('sys_user', { user_name: 'x' })).sys_id).toBe('b'.repeat(32))
    expect(events.map((e) => e.errorKind ?? e.status)).toEqual(['network', 201])
  })

  it('the onRequest hook sees every attempt with method, path (no query), status and attempt number', async () => {
    let first = true
    fake.handle((_req, res) => {
      if (first) {
        first = false
        return snError(res, 504, 'Gateway Timeout', null)
      }
      json(res, 200, ok, { 'X-Total-Count': '0' })
    })
    const { client, events } = harness(fake)
    await client.table.list('sys_user', { query: 'active=true' })
    expect(events.map(({ durationMs, ...rest }) => rest)).toEqual([
      { method: 'GET', path: '/api/now/table/sys_user', status: 504, attempt: 1 },
      { method: 'GET', path: '/api/now/table/sys_user', status: 200, attempt: 2 },
    ])
    for (const e of events) expect(typeof e.durationMs).toBe('number')
  })

  it('logs one line per attempt: method, path with query, status and duration', async () => {
    fake.handle((_req, res) => json(res, 200, ok))
    const { client, logs } = harness(fake)
    await client.table.list('sys_user', { query: 'user_name=bob', fields: ['sys_id'] })
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatch(
      /^GET \/api\/now\/table\/sys_user\?sysparm_query=user_name=bob&sysparm_fields=sys_id&sysparm_exclude_reference_link=true&sysparm_limit=1000&sysparm_offset=0 -> 200 \(\d+ ms\)$/,
    )
  })
})

describe('options validation', () => {
  it('refuses an instance that is not an origin, and incomplete auth', () => {
    const auth = { type: 'basic', user: 'a', password: 'b' } as const
    expect(() => createClient({ instance: 'acme', auth })).toThrow(/URL/)
    expect(() => createClient({ instance: 'https://acme.service-now.com/now/nav', auth })).toThrow(/origin only/)
    expect(() => createClient({ instance: 'https://u:p@acme.service-now.com', auth })).toThrow(/credentials/)
    expect(() => createClient({ instance: 'ftp://acme', auth })).toThrow(/https/)
    expect(() => createClient({ instance: 'https://acme.service-now.com', auth: { type: 'basic', user: 'a', password: '' } })).toThrow(/password/)
    expect(() => createClient({ instance: 'https://acme.service-now.com', auth: { type: 'oauth' } as never })).toThrow(/auth.type/)
    expect(() => createClient({ instance: 'https://acme.service-now.com', auth, retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/)
    expect(createClient({ instance: 'https://acme.service-now.com/', auth }).instance).toBe('https://acme.service-now.com')
  })

  it('request() refuses a path with a query string or a path that leaves the instance', async () => {
    const { client } = harness(fake)
    await expect(client.request({ method: 'GET', path: '/api/now/table/sys_user?x=1' })).rejects.toThrow(/no query string/)
    await expect(client.request({ method: 'GET', path: '//evil.example/x' })).rejects.toThrow(/leaves the instance/)
    await expect(client.request({ method: 'TRACE' as never, path: '/x' })).rejects.toThrow(/unsupported method/)
  })

  it('request() is the escape hatch with the same auth and errors', async () => {
    fake.handle((req, res) => json(res, 200, { result: { got: req.query.get('a') } }))
    const { client } = harness(fake)
    const response = await client.request<{ result: { got: string } }>({ method: 'GET', path: '/api/now/stats/sys_user', query: { a: 1, b: undefined } })
    expect(response.body.result.got).toBe('1')
    expect(fake.requests[0]!.query.has('b')).toBe(false)
  })
})
