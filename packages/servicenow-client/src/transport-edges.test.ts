// Edges of the transport and its helpers that the first mutation run found unasserted (docs/testing.md).
import { describe, expect, it } from 'vitest'
import { classifyNetworkError } from './errors.ts'
import { redact } from './redact.ts'
import { Transport, type Credentials, type TransportRequest } from './transport.ts'
import type { ClientOptions } from './types.ts'

const ORIGIN = 'https://acme.service-now.com'
const get: TransportRequest = { method: 'GET', path: '/api/now/table/x', call: 'read', expect: 'json' }

function transport(replies: Response[], options: Partial<ClientOptions> = {}) {
  const sleeps: number[] = []
  const t = new Transport({ instance: ORIGIN, auth: { type: 'none' }, fetch: (async () => replies.shift()!) as typeof fetch, sleep: async (ms) => void sleeps.push(ms), ...options }, ORIGIN)
  return { t, sleeps }
}
const json = (status: number, headers: Record<string, string> = {}) => new Response('{}', { status, headers: { 'content-type': 'application/json', ...headers } })
const reject = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection') }, (e: unknown) => e as { kind: string; hint: string; retryAfterSeconds?: number; status?: number })

describe('transport edges', () => {
  it('works without a logger or a request hook', async () => {
    const { t } = transport([json(200)], {})
    expect((await t.send(get)).status).toBe(200)
    t.log('no logger: nothing happens')
  })

  it('gives a 401 without credentials the hint to configure some', async () => {
    expect((await reject(transport([json(401)]).t.send(get))).hint).toBe('the endpoint needs credentials: configure basic or OAuth authentication')
  })

  it('refreshes credentials only on a 401, and reads Retry-After only on a 429', async () => {
    let refreshed = 0
    const credentials: Credentials = { mode: 'oauth', headers: async () => ({}), invalidate: () => (++refreshed, true) }
    const error = await reject(transport([json(503, { 'retry-after': '1' })], { retry: { maxAttempts: 1 } }).t.send({ ...get, credentials }))
    expect([refreshed, error.kind, error.retryAfterSeconds]).toEqual([0, 'server', undefined])
  })

  it('tells a create that a 500 may have been processed', async () => {
    const error = await reject(transport([json(500)]).t.send({ ...get, method: 'POST', call: 'create' }))
    expect(error.hint).toMatch(/; the request may have been processed: re-read by natural key before sending it again$/)
  })

  it('treats 300 as a redirect, not a success', async () => {
    expect(await reject(transport([new Response(null, { status: 300 })]).t.send(get))).toMatchObject({ kind: 'hibernating', status: 300 })
  })

  it('takes a body for an HTML page only when it starts like one', async () => {
    expect((await transport([new Response('{"a":"<html>"}', { status: 200 })]).t.send(get)).body).toEqual({ a: '<html>' })
  })

  it('reads Retry-After as whole seconds only, else as a date, else not at all', async () => {
    for (const value of ['x5', '5x']) {
      const { t, sleeps } = transport([json(429, { 'retry-after': value }), json(200)], { retry: { baseDelayMs: 0 } })
      await t.send(get)
      expect(sleeps, value).toEqual([0])
    }
  })
})

describe('helper edges', () => {
  it('classifies a null error, or a cause chain ending in null, as unknown', () => {
    expect(classifyNetworkError(null, 'h').code).toBe('UNKNOWN')
    expect(classifyNetworkError({ cause: null }, 'h').code).toBe('UNKNOWN')
  })

  it('masks credentials whatever the spacing and quoting around them', () => {
    expect(redact('Authorization: Bearer   abcdefghij', [])).toBe('Authorization: Bearer ***')
    expect(redact('q=password%3Dhunter2%5Ex', [])).toBe('q=password%3D***%5Ex')
    expect(redact('{"X-UserToken":"tok1"} X-UserToken : tok2', [])).toBe('{"X-UserToken":"***"} X-UserToken : ***')
  })
})

describe('the answer size cap (maxResponseBytes, default 32 MiB)', () => {
  const body = (text: string, headers: Record<string, string> = {}) => new Response(text, { status: 200, headers: { 'content-type': 'application/json', ...headers } })

  it('reads a body of exactly the cap, and a byte-order mark is dropped as Response.text() drops it', async () => {
    const text = `{"result":"${'x'.repeat(88)}"}`
    expect((await transport([body(text)], { maxResponseBytes: text.length }).t.send(get)).body).toEqual({ result: 'x'.repeat(88) })
    expect((await transport([body(`\uFEFF{"result":1}`)]).t.send(get)).body).toEqual({ result: 1 })
  })

  it.each([
    ['counted while reading', {}],
    ['declared by Content-Length', { 'content-length': '101' }],
  ])('refuses one byte more, %s: invalid_response, not repeated, the hint names the cap', async (_label, headers) => {
    const error = await reject(transport([body('x'.repeat(101), headers), body('{}')], { maxResponseBytes: 100 }).t.send(get))
    expect([error.kind, error.status, error.hint]).toEqual(['invalid_response', 200, expect.stringMatching(/^the answer was larger than 100 bytes and was not read further/)])
  })

  it('refuses a maxResponseBytes that is not a positive integer', () => {
    for (const value of [0, -1, 1.5]) expect(() => transport([], { maxResponseBytes: value })).toThrow(`maxResponseBytes must be a positive integer, got ${value}`)
  })
})
