import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { harness, json, rejection, startFake, type Fake, type Seen } from './fake-instance.ts'

let fake: Fake
beforeEach(async () => {
  fake = await startFake()
})
afterEach(async () => {
  vi.useRealTimers()
  await fake.close()
})

const passwordAuth = { type: 'password', clientId: 'cid-123', clientSecret: 'client-secret-xyz', user: 'kandji_rest_api_user', password: 'svc-Passw0rd!' } as const

/** An instance that issues numbered tokens and accepts only the newest one. */
function tokenServer(opts: { expiresIn?: number; refresh?: boolean } = {}) {
  let issued = 0
  let valid = ''
  const grants: Array<Record<string, string>> = []
  const handler = (req: Seen, res: Parameters<typeof json>[0]) => {
    if (req.path === '/oauth_token.do') {
      const form = Object.fromEntries(new URLSearchParams(req.text))
      grants.push(form)
      if (form.client_secret !== passwordAuth.clientSecret) return json(res, 401, { error_description: 'access_denied', error: 'server_error' })
      issued++
      valid = `access-${issued}`
      const body: Record<string, unknown> = { access_token: valid, scope: 'useraccount', token_type: 'Bearer', expires_in: opts.expiresIn ?? 1799 }
      if (opts.refresh !== false && form.grant_type === 'password') body.refresh_token = `refresh-${issued}`
      return json(res, 200, body)
    }
    if (req.headers.authorization !== `Bearer ${valid}`) return json(res, 401, { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' })
    json(res, 200, { result: [] })
  }
  return { handler, grants, revoke: () => (valid = 'revoked') }
}

describe('OAuth', () => {
  it('gets a token with the password grant, form-encoded, and sends it as a bearer token', async () => {
    const server = tokenServer()
    fake.handle(server.handler)
    const { client } = harness(fake, { auth: passwordAuth })
    await client.table.list('sys_user')
    const tokenRequest = fake.requests[0]!
    expect(tokenRequest.method).toBe('POST')
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(server.grants[0]).toEqual({ grant_type: 'password', client_id: 'cid-123', client_secret: 'client-secret-xyz', username: 'kandji_rest_api_user', password: 'svc-Passw0rd!' })
    expect(fake.requests[1]!.headers.authorization).toBe('Bearer access-1')
  })

  it('caches the token: three calls, one grant; concurrent calls share it', async () => {
    const server = tokenServer()
    fake.handle(server.handler)
    const { client } = harness(fake, { auth: passwordAuth })
    await Promise.all([client.table.list('a'), client.table.list('b')])
    await client.table.list('c')
    expect(server.grants).toHaveLength(1)
  })

  it('renews with the refresh token shortly before the access token expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
    const server = tokenServer({ expiresIn: 1800 })
    fake.handle(server.handler)
    const { client } = harness(fake, { auth: passwordAuth })
    await client.table.list('sys_user')
    vi.setSystemTime(new Date('2026-01-01T00:28:00Z')) // 28 min: still 2 min left, no renewal
    await client.table.list('sys_user')
    expect(server.grants).toHaveLength(1)
    vi.setSystemTime(new Date('2026-01-01T00:29:30Z')) // inside the last minute: renew before it expires
    await client.table.list('sys_user')
    expect(server.grants.map((g) => g.grant_type)).toEqual(['password', 'refresh_token'])
    expect(server.grants[1]).toMatchObject({ refresh_token: 'refresh-1', client_id: 'cid-123', client_secret: 'client-secret-xyz' })
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer access-2')
  })

  it('keeps the refresh token across refreshes (the refresh grant returns only an access token)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const server = tokenServer({ expiresIn: 10 })
    fake.handle(server.handler)
    const { client } = harness(fake, { auth: passwordAuth })
    for (let i = 0; i < 3; i++) {
      await client.table.list('sys_user')
      vi.advanceTimersByTime(6_000)
    }
    expect(server.grants.map((g) => g.refresh_token ?? g.grant_type)).toEqual(['password', 'refresh-1', 'refresh-1'])
  })

  it('re-grants when there is no refresh token (client credentials)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const server = tokenServer({ expiresIn: 10 })
    fake.handle(server.handler)
    const { client } = harness(fake, { auth: { type: 'client_credentials', clientId: 'cid-123', clientSecret: 'client-secret-xyz' } })
    await client.table.list('sys_user')
    vi.advanceTimersByTime(6_000)
    await client.table.list('sys_user')
    expect(server.grants.map((g) => g.grant_type)).toEqual(['client_credentials', 'client_credentials'])
  })

  it('a 401 on a cached token renews it once and repeats the request', async () => {
    const server = tokenServer()
    fake.handle(server.handler)
    const { client, events } = harness(fake, { auth: passwordAuth })
    await client.table.list('sys_user')
    server.revoke()
    await client.table.list('sys_user')
    expect(server.grants.map((g) => g.grant_type)).toEqual(['password', 'refresh_token'])
    expect(events.filter((e) => e.path === '/api/now/table/sys_user').map((e) => e.status)).toEqual([200, 401, 200])
  })

  it('a refused grant is kind auth with a hint about the client and the user, and is not retried', async () => {
    const server = tokenServer()
    fake.handle(server.handler)
    const { client } = harness(fake, { auth: { ...passwordAuth, clientSecret: 'wrong-secret' } })
    const error = await rejection(client.table.list('sys_user'))
    expect(error).toMatchObject({ kind: 'auth', status: 401, path: '/oauth_token.do', snMessage: 'server_error', snDetail: 'access_denied' })
    expect(error.hint).toMatch(/client id and secret/)
    expect(server.grants).toHaveLength(1)
  })

  it('a 400 from the client-credentials grant is kind auth and names the property that enables it', async () => {
    fake.handle((_req, res) => json(res, 400, { error_description: 'access_denied', error: 'unsupported_grant_type' }))
    const { client } = harness(fake)
    const error = await rejection(client.oauth.requestToken({ grant_type: 'client_credentials', client_id: 'c', client_secret: 'secret-1' }))
    expect(error.kind).toBe('auth')
    expect(error.hint).toContain('glide.oauth.inbound.client.credential.grant_type.enabled')
  })

  it('the token POST is retried on a 503 (it creates nothing durable)', async () => {
    let first = true
    fake.handle((_req, res) => {
      if (first) {
        first = false
        return json(res, 503, {})
      }
      json(res, 200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 1799 })
    })
    const { client } = harness(fake)
    const token = await client.oauth.requestToken({ grant_type: 'client_credentials', client_id: 'c', client_secret: 'secret-1' })
    expect(token).toEqual({ access_token: 'at-1', token_type: 'Bearer', expires_in: 1799 })
    expect(fake.requests).toHaveLength(2)
  })

  it('an unexpected token response names the field', async () => {
    fake.handle((_req, res) => json(res, 200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 'soon' }))
    const { client } = harness(fake)
    const error = await rejection(client.oauth.requestToken({ grant_type: 'client_credentials', client_id: 'c', client_secret: 'secret-1' }))
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain('expires_in')
  })

  it('refuses an incomplete grant before sending it', async () => {
    const { client } = harness(fake)
    await expect(client.oauth.requestToken({ grant_type: 'password', client_id: 'c', client_secret: 's', username: 'u', password: '' })).rejects.toThrow(/non-empty password/)
    await expect(client.oauth.requestToken({ grant_type: 'implicit' } as never)).rejects.toThrow(/unsupported grant_type/)
    expect(fake.requests).toHaveLength(0)
  })
})

describe('basic and bearer', () => {
  it('bearer auth sends the token as given', async () => {
    fake.handle((_req, res) => json(res, 200, { result: [] }))
    const { client } = harness(fake, { auth: { type: 'bearer', token: 'given-token' } })
    await client.table.list('sys_user')
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer given-token')
  })

  it('auth none sends no Authorization header', async () => {
    fake.handle((_req, res) => json(res, 200, { result: [] }))
    const { client } = harness(fake, { auth: { type: 'none' } })
    await client.table.list('sys_user')
    expect(fake.requests[0]!.headers.authorization).toBeUndefined()
  })
})
