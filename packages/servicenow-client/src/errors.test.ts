// Which kind, hint and retry decision each status and network failure gets: the words an admin reads, and whether a
// create may be sent again (notSent). Pure functions; the fake-server suites in ../test cover them over HTTP.
import { describe, expect, it } from 'vitest'
import { ADMIN_SIGN_IN } from '@kandji-sn/contract/constants'
import { classifyNetworkError, classifyStatus, isServiceNowError, ServiceNowError, type AuthMode } from './errors.ts'

const at = (status: number, extra: { snDetail?: string; authMode?: AuthMode; retryAfterSeconds?: number } = {}) =>
  classifyStatus({ status, method: 'PATCH', path: '/api/now/table/sys_user/x', authMode: 'basic', ...extra })

describe('classifyStatus', () => {
  it('401 is auth, with the hint of the way the request signed in', () => {
    const hints: Record<AuthMode, string> = {
      basic: "the user name or password was refused, the account is inactive or locked out, or the instance's Basic Authentication Restriction " +
        `blocks basic auth for this account (new instances admit only web-service-only accounts and holders of ${ADMIN_SIGN_IN.basicAuthRole}; the 401 looks the same): ` +
        'check the user name and password, or sign in with an OAuth client, a bearer token or an API key',
      oauth: 'the OAuth token was refused: check the client id and secret, that the OAuth client is active, and that the user is active and not locked out (the reason is only in the instance system log)',
      bearer: 'the bearer token was refused: it expired or was revoked; obtain a new token',
      session: 'the UI session was refused: the user cannot log in interactively (MFA, web-service-only or SSO-only accounts cannot); use an admin account with a local password',
      none: 'the endpoint needs credentials: configure basic or OAuth authentication',
      apikey: `the API key was refused: it is unknown, inactive or expired, the plugin ${ADMIN_SIGN_IN.apiKeyPlugin} is not active, or no active REST API access policy ` +
        'of this API (System Web Services > REST API Access Policies, not Global) has the API key authentication profile',
    }
    for (const [authMode, hint] of Object.entries(hints)) expect(at(401, { authMode: authMode as AuthMode }), authMode).toEqual({ kind: 'auth', hint, retryable: false })
  })

  it('403 is scope_restricted when the detail says so (any case), else permission', () => {
    const scoped = {
      kind: 'scope_restricted',
      hint: 'the OAuth client is scope-restricted (Zurich and later, KB2731346): set its Scope Restriction to "Broadly scoped" ' +
        '(oauth_entity.scope_restriction_status) in System OAuth > Application Registry, or re-run deploy-integration deploy',
      retryable: false,
    }
    expect(at(403, { snDetail: 'Access to unscoped api is not allowed' })).toEqual(scoped)
    expect(at(403, { snDetail: 'Error: ACCESS TO UNSCOPED API IS NOT ALLOWED.' })).toEqual(scoped)
    const permission = {
      kind: 'permission',
      hint: 'the account is authenticated but not allowed to PATCH /api/now/table/sys_user/x: it lacks a role or an ACL denies it; grant the role the operation needs (admin for setup, the service-account roles for inventory)',
      retryable: false,
    }
    expect(at(403)).toEqual(permission)
    expect(at(403, { snDetail: 'ACL Exception' })).toEqual(permission)
  })

  it('404 is not_found naming the path; 429 rate_limited with the wait; 5xx server; other 4xx bad_request', () => {
    expect(at(404)).toEqual({
      kind: 'not_found', retryable: false,
      hint: "/api/now/table/sys_user/x does not exist on this instance, or an ACL hides it from this account: check the name (is the app installed?) and the account's roles",
    })
    expect(at(429, { retryAfterSeconds: 0 })).toEqual({
      kind: 'rate_limited', retryable: true, hint: 'the account hit an inbound REST rate limit (sys_rate_limit_rules): the instance asks to wait 0 s, or raise the limit for this user',
    })
    expect(at(429)).toEqual({
      kind: 'rate_limited', retryable: true, hint: 'the account hit an inbound REST rate limit (sys_rate_limit_rules): wait and try again, or raise the limit for this user',
    })
    const server = { kind: 'server', retryable: true, hint: 'the instance failed to answer (overloaded, restarting or upgrading): try again in a minute; if it persists, check the instance system log' }
    expect([at(500), at(503), at(599)]).toEqual([server, server, server])
    expect(at(499)).toEqual({ kind: 'bad_request', retryable: false, hint: 'the instance refused the request (499): check the values sent; the detail above names what it did not accept' })
    expect(at(409).kind).toBe('bad_request')
  })
})

describe('classifyNetworkError', () => {
  const host = 'acme.service-now.com'
  const withCode = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), { code }) })

  it('a timeout or abort was maybe sent; worth another try', () => {
    const timeout = { kind: 'timeout', code: 'TIMEOUT', notSent: false, transient: true, hint: 'the instance did not answer in time: it may be overloaded or waking up; try again, or raise the timeout' }
    expect(classifyNetworkError(Object.assign(new Error('t'), { name: 'TimeoutError' }), host)).toEqual(timeout)
    expect(classifyNetworkError(Object.assign(new Error('a'), { name: 'AbortError' }), host)).toEqual(timeout)
  })

  it('tells never-sent failures from maybe-sent ones, and permanent from transient, by code', () => {
    const cases: Array<[string, string, boolean, boolean, string]> = [
      ['ENOTFOUND', 'dns', true, false, `the host name ${host} does not resolve: check the instance name for typos`],
      ['EAI_AGAIN', 'dns', true, true, `the DNS lookup of ${host} failed temporarily: check the network or DNS server and try again`],
      ['ECONNREFUSED', 'network', true, true, `nothing accepted the connection to ${host}: check the URL and port, the network, or a proxy`],
      ['ENETUNREACH', 'network', true, true, `nothing accepted the connection to ${host}: check the URL and port, the network, or a proxy`],
      ['EHOSTUNREACH', 'network', true, true, `nothing accepted the connection to ${host}: check the URL and port, the network, or a proxy`],
      ['UND_ERR_CONNECT_TIMEOUT', 'timeout', true, true, `connecting to ${host} timed out: check the network, a firewall or a proxy`],
      ['UND_ERR_HEADERS_TIMEOUT', 'timeout', false, true, 'the instance did not answer in time: it may be overloaded or waking up; try again'],
      ['UND_ERR_BODY_TIMEOUT', 'timeout', false, true, 'the instance did not answer in time: it may be overloaded or waking up; try again'],
      ['ETIMEDOUT', 'timeout', false, true, 'the instance did not answer in time: it may be overloaded or waking up; try again'],
      ['ECONNRESET', 'network', false, true, `the connection to ${host} broke (ECONNRESET): a flaky network, proxy or an instance restart; try again`],
      ['UND_ERR_SOCKET', 'network', false, true, `the connection to ${host} broke (UND_ERR_SOCKET): a flaky network, proxy or an instance restart; try again`],
    ]
    for (const [code, kind, notSent, transient, hint] of cases) expect(classifyNetworkError(withCode(code), host), code).toEqual({ kind, code, notSent, transient, hint })
  })

  it('recognises every TLS failure family, and only at the start of the code', () => {
    for (const code of ['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'EPROTO', 'HOSTNAME_MISMATCH']) {
      expect(classifyNetworkError(withCode(code), host), code).toEqual({
        kind: 'tls', code, notSent: true, transient: false,
        hint: `the TLS connection to ${host} failed (${code}): a proxy that intercepts TLS needs its CA in NODE_EXTRA_CA_CERTS; check the URL uses https on the instance's own host`,
      })
    }
    for (const code of ['X_CERT_HAS_EXPIRED', 'EPROTONOSUPPORT']) expect(classifyNetworkError(withCode(code), host).kind, code).toBe('network')
  })

  it('finds the code on the error, down its causes, in the first of aggregated errors, and survives a cycle', () => {
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), host).kind).toBe('dns')
    const deep = new TypeError('fetch failed', { cause: new Error('wrapper', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }) })
    expect(classifyNetworkError(deep, host).code).toBe('ECONNREFUSED')
    const aggregate = Object.assign(new AggregateError([Object.assign(new Error('v6'), { code: 'ECONNREFUSED' }), Object.assign(new Error('v4'), { code: 'ETIMEDOUT' })]), { code: '' })
    expect(classifyNetworkError(new TypeError('fetch failed', { cause: aggregate }), host).code).toBe('ECONNREFUSED')
    const emptyAggregate = new AggregateError([], 'none', { cause: Object.assign(new Error('x'), { code: 'EAI_AGAIN' }) })
    expect(classifyNetworkError(emptyAggregate, host).code).toBe('EAI_AGAIN')
    const codeless = new AggregateError([new Error('no code')], 'x', { cause: Object.assign(new Error('y'), { code: 'EHOSTUNREACH' }) })
    expect(classifyNetworkError(codeless, host).code).toBe('EHOSTUNREACH')
    const cyclic: { code?: unknown; cause?: unknown } = { code: 5 }
    cyclic.cause = cyclic
    expect(classifyNetworkError(cyclic, host)).toEqual({
      kind: 'network', code: 'UNKNOWN', notSent: false, transient: true,
      hint: `the connection to ${host} broke (unknown network error): a flaky network, proxy or an instance restart; try again`,
    })
    expect(classifyNetworkError(undefined, host).code).toBe('UNKNOWN')
    expect(classifyNetworkError('ECONNREFUSED', host).code).toBe('UNKNOWN')
  })
})

describe('ServiceNowError', () => {
  it('keeps what it was given, defaults retryable to false, and carries the cause', () => {
    const cause = new Error('inner')
    const error = new ServiceNowError({ kind: 'server', message: 'm', hint: 'h', method: 'GET', path: '/p', status: 503, snMessage: 's', snDetail: 'd', retryable: true, records: ['r'], retryAfterSeconds: 3, cause })
    expect([error.name, error.message, error.kind, error.hint, error.method, error.path, error.status, error.snMessage, error.snDetail, error.retryable, error.records, error.retryAfterSeconds, error.cause])
      .toEqual(['ServiceNowError', 'm', 'server', 'h', 'GET', '/p', 503, 's', 'd', true, ['r'], 3, cause])
    const bare = new ServiceNowError({ kind: 'bad_request', message: 'm', hint: 'h', method: 'GET', path: '/p' })
    expect([bare.retryable, bare.status, bare.snMessage, bare.snDetail, bare.records, bare.retryAfterSeconds, 'cause' in bare]).toEqual([false, undefined, undefined, undefined, undefined, undefined, false])
    expect([isServiceNowError(error), isServiceNowError(new Error('x')), isServiceNowError({ kind: 'server' })]).toEqual([true, false, false])
  })
})
