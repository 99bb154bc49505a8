import { ADMIN_SIGN_IN, OAUTH_CLIENT, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import type { ServiceNowErrorKind } from './types.ts'

export interface ServiceNowErrorInit {
  kind: ServiceNowErrorKind
  /** What happened, one line. Must already be free of secrets (the transport redacts it). */
  message: string
  hint: string
  method: string
  path: string
  status?: number
  snMessage?: string
  snDetail?: string
  retryable?: boolean
  records?: string[]
  retryAfterSeconds?: number
  mayHaveBeenProcessed?: boolean
  cause?: unknown
}

/**
 * The one error the client throws for anything an instance (or the network to it) did. `message` says what happened,
 * `hint` the likely cause and the fix; neither ever contains a password, client secret, token or cookie, and `path`
 * never carries the query string.
 */
export class ServiceNowError extends Error {
  override name = 'ServiceNowError'
  kind: ServiceNowErrorKind
  status?: number
  method: string
  path: string
  snMessage?: string
  snDetail?: string
  hint: string
  /**
   * True when trying again later may succeed (429, 5xx, network, timeout, waking instance). For a POST that creates,
   * the client itself never retries after the request may have reached the server: re-read by natural key first.
   */
  retryable: boolean
  records?: string[]
  /** For kind 'rate_limited': the wait the instance asked for (Retry-After), when it sent one. */
  retryAfterSeconds?: number
  /**
   * True when a call that is not repeatable (calls.ts) may have reached the instance and been done there, but its
   * answer was lost (a reset, a timeout or a 5xx after sending): the client did not send it again.
   */
  mayHaveBeenProcessed: boolean

  constructor(init: ServiceNowErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.kind = init.kind
    this.method = init.method
    this.path = init.path
    this.hint = init.hint
    this.retryable = init.retryable ?? false
    this.mayHaveBeenProcessed = init.mayHaveBeenProcessed ?? false
    if (init.status !== undefined) this.status = init.status
    if (init.snMessage !== undefined) this.snMessage = init.snMessage
    if (init.snDetail !== undefined) this.snDetail = init.snDetail
    if (init.records !== undefined) this.records = init.records
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds
  }
}

export function isServiceNowError(e: unknown): e is ServiceNowError {
  return e instanceof ServiceNowError
}

/** KB2731346: the Zurich OAuth scope restriction answers 403 with this detail. */
export const SCOPE_RESTRICTED_DETAIL = 'Access to unscoped api is not allowed'

export type AuthMode = 'basic' | 'oauth' | 'bearer' | 'none' | 'session' | 'apikey'

export interface StatusContext {
  status: number
  method: string
  path: string
  snMessage?: string
  snDetail?: string
  authMode: AuthMode
  retryAfterSeconds?: number
}

/** Maps an HTTP error status (and ServiceNow's error envelope) to a kind and an actionable hint. */
export function classifyStatus(ctx: StatusContext): { kind: ServiceNowErrorKind; hint: string; retryable: boolean } {
  const { status } = ctx
  if (status === 401) return { kind: 'auth', hint: authHint(ctx.authMode), retryable: false }
  if (status === 403) {
    if ((ctx.snDetail ?? '').toLowerCase().includes(SCOPE_RESTRICTED_DETAIL.toLowerCase())) {
      return {
        kind: 'scope_restricted',
        hint:
          'the OAuth client is scope-restricted (Zurich and later, KB2731346): set its Scope Restriction to "Broadly scoped" ' +
          `(${PLATFORM_TABLES.oauthEntity}.${OAUTH_CLIENT.scopeRestrictionField}) in System OAuth > Application Registry, or re-run deploy-integration deploy`,
        retryable: false,
      }
    }
    return {
      kind: 'permission',
      hint: `the account is authenticated but not allowed to ${ctx.method} ${ctx.path}: it lacks a role or an ACL denies it; grant the role the operation needs (admin for setup, the service-account roles for inventory)`,
      retryable: false,
    }
  }
  if (status === 404) {
    return {
      kind: 'not_found',
      hint: `${ctx.path} does not exist on this instance, or an ACL hides it from this account: check the name (is the app installed?) and the account's roles`,
      retryable: false,
    }
  }
  if (status === 429) {
    const wait = ctx.retryAfterSeconds !== undefined ? `the instance asks to wait ${ctx.retryAfterSeconds} s` : 'wait and try again'
    return {
      kind: 'rate_limited',
      hint: `the account hit an inbound REST rate limit (sys_rate_limit_rules): ${wait}, or raise the limit for this user`,
      retryable: true,
    }
  }
  if (status >= 500) {
    return {
      kind: 'server',
      hint: 'the instance failed to answer (overloaded, restarting or upgrading): try again in a minute; if it persists, check the instance system log',
      retryable: true,
    }
  }
  return {
    kind: 'bad_request',
    hint: `the instance refused the request (${status}): check the values sent; the detail above names what it did not accept`,
    retryable: false,
  }
}

function authHint(mode: AuthMode): string {
  switch (mode) {
    case 'basic':
      return (
        'the user name or password was refused, the account is inactive or locked out, or the instance\'s Basic Authentication Restriction ' +
        `blocks basic auth for this account (new instances admit only web-service-only accounts and holders of ${ADMIN_SIGN_IN.basicAuthRole}; the 401 looks the same): ` +
        'check the user name and password, or sign in with an OAuth client, a bearer token or an API key'
      )
    case 'oauth':
      return 'the OAuth token was refused: check the client id and secret, that the OAuth client is active, and that the user is active and not locked out (the reason is only in the instance system log)'
    case 'bearer':
      return 'the bearer token was refused: it expired or was revoked; obtain a new token'
    case 'session':
      return 'the UI session was refused: the user cannot log in interactively (MFA, web-service-only or SSO-only accounts cannot); use an admin account with a local password'
    case 'none':
      return 'the endpoint needs credentials: configure basic or OAuth authentication'
    case 'apikey':
      return (
        `the API key was refused: it is unknown, inactive or expired, the plugin ${ADMIN_SIGN_IN.apiKeyPlugin} is not active, or no active REST API access policy ` +
        'of this API (System Web Services > REST API Access Policies, not Global) has the API key authentication profile'
      )
  }
}

export const LOGIN_REDIRECT_HINT =
  'the instance sent the caller to its login page instead of answering: the UI session expired or was ended, or single sign-on in front of the instance redirects this account; try again (a new session is opened), and if it keeps happening sign in with an account that may use a password, or with OAuth'

export const HIBERNATING_HINT =
  'the instance answered with a web page instead of JSON: a developer instance that is hibernating or waking up does this; open the instance in a browser (or wake it at developer.servicenow.com), wait until it loads, then try again'

/** A network failure without an HTTP response, by Node's error code (fetch puts it in `cause.code`). */
export interface NetworkFailure {
  kind: ServiceNowErrorKind
  code: string
  /** The request never left this machine (no connection), so even a POST may be sent again. */
  notSent: boolean
  /** Worth retrying at all (a misspelt host or a bad certificate is not). */
  transient: boolean
  hint: string
}

export function classifyNetworkError(error: unknown, host: string): NetworkFailure {
  const name = (error as { name?: string } | undefined)?.name
  if (name === 'TimeoutError' || name === 'AbortError') {
    return {
      kind: 'timeout',
      code: 'TIMEOUT',
      notSent: false,
      transient: true,
      hint: 'the instance did not answer in time: it may be overloaded or waking up; try again, or raise the timeout',
    }
  }
  const code = errorCode(error)
  if (code === 'ENOTFOUND') {
    return { kind: 'dns', code, notSent: true, transient: false, hint: `the host name ${host} does not resolve: check the instance name for typos` }
  }
  if (code === 'EAI_AGAIN') {
    return { kind: 'dns', code, notSent: true, transient: true, hint: `the DNS lookup of ${host} failed temporarily: check the network or DNS server and try again` }
  }
  if (/^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|EPROTO$|HOSTNAME_MISMATCH)/.test(code)) {
    return {
      kind: 'tls',
      code,
      notSent: true,
      transient: false,
      hint: `the TLS connection to ${host} failed (${code}): a proxy that intercepts TLS needs its CA in NODE_EXTRA_CA_CERTS; check the URL uses https on the instance's own host`,
    }
  }
  if (code === 'ECONNREFUSED' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
    return { kind: 'network', code, notSent: true, transient: true, hint: `nothing accepted the connection to ${host}: check the URL and port, the network, or a proxy` }
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { kind: 'timeout', code, notSent: true, transient: true, hint: `connecting to ${host} timed out: check the network, a firewall or a proxy` }
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return { kind: 'timeout', code, notSent: false, transient: true, hint: 'the instance did not answer in time: it may be overloaded or waking up; try again' }
  }
  return {
    kind: 'network',
    code: code || 'UNKNOWN',
    notSent: false,
    transient: true,
    hint: `the connection to ${host} broke (${code || 'unknown network error'}): a flaky network, proxy or an instance restart; try again`,
  }
}

function errorCode(error: unknown): string {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code !== '') return code
    const nested = (current as { errors?: unknown[] }).errors
    if (Array.isArray(nested) && nested.length > 0) {
      const inner = errorCode(nested[0])
      if (inner) return inner
    }
    current = (current as { cause?: unknown }).cause
  }
  return ''
}
