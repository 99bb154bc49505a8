import { describe, expect, it } from 'vitest'
import { createClient, query, ServiceNowError } from '@kandji-sn/servicenow-client'
import { adminEnvNames } from './config/admin-env.ts'
import { CliError, describeWait, formatError, toCliError } from './errors.ts'

const sn = (kind: ServiceNowError['kind'], extra: Partial<ConstructorParameters<typeof ServiceNowError>[0]> = {}) =>
  new ServiceNowError({ kind, method: 'GET', path: '/api/now/table/sys_user', message: 'x', hint: 'client hint', ...extra })

describe('errors a person sees', () => {
  it.each([
    ['auth', 3],
    ['permission', 3],
    ['scope_restricted', 3],
    ['not_found', 4],
    ['bad_request', 4],
    ['rate_limited', 4],
    ['server', 4],
    ['hibernating', 4],
    ['login_redirect', 4],
    ['invalid_response', 4],
    ['timeout', 4],
    ['network', 4],
    ['dns', 4],
    ['tls', 4],
    ['ambiguous', 4],
    ['install_failed', 4],
  ] as const)('a %s error from the instance exits %i with error/cause/fix lines', (kind, code) => {
    const e = toCliError(sn(kind))
    expect(e.exitCode).toBe(code)
    const text = formatError(e, false)
    expect(text.split('\n')).toHaveLength(3)
    expect(text).toMatch(/^error: .+\ncause: .+\nfix: {3}.+$/)
  })

  it('names KB2731346 for the Zurich scope restriction and developer.servicenow.com for a hibernating instance', () => {
    expect(formatError(toCliError(sn('scope_restricted', { status: 403 })), false)).toContain('KB2731346')
    expect(formatError(toCliError(sn('hibernating')), false)).toMatch(/\ncause: .*hibernating.*\nfix: .*developer\.servicenow\.com/)
  })

  it('a timeout names the --timeout flag that exists', () => {
    expect(toCliError(sn('timeout')).fix).toBe('retry in a few minutes; if it keeps happening, wait longer for each answer with --timeout SECONDS (default 30)')
  })

  it('names the duplicate records of an ambiguous match', () => {
    expect(toCliError(sn('ambiguous', { records: ['abc123', 'def456'] })).message).toContain('abc123, def456')
  })

  it('shows the stack only with --debug', () => {
    const e = toCliError(new Error('boom'))
    expect(formatError(e, false)).not.toContain('    at ')
    expect(formatError(e, true)).toContain('    at ')
    expect(e.exitCode).toBe(4)
  })

  it('a name with "^" refused by the query builder is a usage error (exit 2) with its error/cause/fix', () => {
    let thrown: unknown
    try {
      query().eq('user_name', 'ad^min')
    } catch (error) {
      thrown = error
    }
    const e = toCliError(thrown)
    expect(e.exitCode).toBe(2)
    expect(formatError(e, false)).toMatch(/^error: the value "ad\^min" for user_name cannot be expressed safely in an encoded query\ncause: .*"\^".*\nfix: {3}use a value without "\^"/)
  })

  it('keeps a CliError as it is', () => {
    const e = new CliError(2, 'm', 'c', 'f')
    expect(toCliError(e)).toBe(e)
  })
})

/** A real client whose requests get the answer `respond` gives (no retry delays), to test the texts of its real errors. */
function clientAnswering(respond: (method: string, path: string) => Response | Promise<Response>) {
  return createClient({
    instance: 'https://acme.service-now.com',
    auth: { type: 'basic', user: 'admin', password: 'pw' },
    fetch: (async (url: URL, init: RequestInit) => respond(init.method ?? 'GET', new URL(url).pathname)) as typeof fetch,
    sleep: async () => undefined,
  })
}
async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (error) {
    return error
  }
  throw new Error('the request succeeded')
}
const reset = () => {
  throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) })
}

describe('errors of the client, as a person sees them', () => {
  it('a timeout on a create: the generic timeout text, plus that the instance may have done it and a re-run converges (exit 4)', async () => {
    const error = new ServiceNowError({ kind: 'timeout', method: 'POST', path: '/api/now/table/sys_user', message: 'POST /api/now/table/sys_user failed: TimeoutError (not repeated: the request may have reached the instance)', hint: 'x', retryable: true, mayHaveBeenProcessed: true })
    expect(formatError(toCliError(error), false)).toBe(
      [
        'error: the instance did not answer in time (on POST /api/now/table/sys_user)',
        'cause: the instance is slow, busy upgrading, or waking from hibernation; the instance may have done the request before its answer was lost, so the client did not send it again',
        'fix:   re-run the same command: it reads every object by name first, so it finishes what this run started without creating anything twice',
      ].join('\n'),
    )
    const refused = new ServiceNowError({ kind: 'timeout', method: 'GET', path: '/api/now/table/sys_user', message: 'GET timed out', hint: 'x', retryable: true })
    expect(formatError(toCliError(refused), false)).not.toMatch(/may have done/)
  })

  it('a reset on a create after the instance answered earlier requests: the connection dropped mid-run, re-run the same command (exit 4)', async () => {
    const error = await failure(clientAnswering(reset).table.create('sys_user', { user_name: 'kandji_rest_api_user' }))
    const e = toCliError(error, { answeredBefore: 57 })
    expect(e.exitCode).toBe(4)
    expect(formatError(e, false)).toBe(
      [
        'error: the connection to the instance dropped in the middle of the run (on POST /api/now/table/sys_user)',
        'cause: the instance had answered 57 requests of this run, so the address is right: a network blip, a proxy or an instance restart broke this one; the instance may have done the request before its answer was lost, so the client did not send it again',
        'fix:   re-run the same command: it reads every object by name first, so it finishes what this run started without creating anything twice',
      ].join('\n'),
    )
  })

  it('a reset on the first request of a run still points at the route and the URL', async () => {
    const error = await failure(clientAnswering(reset).table.list('sys_user'))
    const text = formatError(toCliError(error, { answeredBefore: 0 }), false)
    expect(text).toMatch(/^error: the connection to the instance failed \(on GET \/api\/now\/table\/sys_user\)\ncause: no network route, a proxy or firewall in the way, or the instance is down\nfix: {3}check the instance URL/)
  })

  it('a 500 on a create: the library hint for callers (re-read by natural key) becomes what an admin does (re-run)', async () => {
    const answer = () => new Response(JSON.stringify({ error: { message: 'Internal error', detail: '' }, status: 'failure' }), { status: 500, headers: { 'content-type': 'application/json' } })
    const error = await failure(clientAnswering(answer).table.create('sys_user', { user_name: 'x' }))
    expect((error as ServiceNowError).hint).toContain('re-read by natural key') // the client's words for its callers
    const e = toCliError(error)
    expect(e.exitCode).toBe(4)
    expect(e.fix).not.toMatch(/natural key|list\(\)|query/)
    expect(e.fix).toMatch(/^retry; if it persists, check System Logs > Errors on the instance around this time \(details: .*the request may have been processed: re-run the same command: it finds what was done and does not do it twice\)$/)
  })

  it.each([
    ['the instance or a proxy stripped the pagination headers; count with list() instead', 'the instance or a proxy stripped the pagination headers: check for a proxy in front of the instance, then re-run'],
    ['a write by natural key must not guess: remove or rename the duplicates in sys_user (or make the query more specific) and run again', 'a write by natural key must not guess: remove or rename the duplicates in sys_user and run again'],
  ])('the caller hint %j is translated for an admin', (hint, translated) => {
    expect(toCliError(sn('invalid_response', { hint })).fix).toContain(`(details: ${translated})`)
  })

  it('a 429 with Retry-After: 3600 shows the wait the instance asks for, readable, and the client hint', async () => {
    const answer = () => new Response(JSON.stringify({ error: { message: 'Rate limit exceeded' } }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '3600' } })
    const e = toCliError(await failure(clientAnswering(answer).table.list('sys_user')))
    expect(e.exitCode).toBe(4)
    expect(e.fix).toBe(
      'wait 3600 s (about 1 h), as the instance asks (Retry-After), or exempt the admin user from the rule, then re-run (details: the account hit an inbound REST rate limit (sys_rate_limit_rules): the instance asks to wait 3600 s, or raise the limit for this user)',
    )
  })

  it('a 429 without Retry-After says to wait a few minutes', () => {
    expect(toCliError(sn('rate_limited', { status: 429, hint: 'the account hit an inbound REST rate limit (sys_rate_limit_rules): wait and try again, or raise the limit for this user' })).fix).toMatch(/^wait a few minutes, or exempt the admin user/)
  })

  it.each([
    [30, '30 s'],
    [90, '90 s (about 2 min)'],
    [3600, '3600 s (about 1 h)'],
    [5400, '5400 s (about 1.5 h)'],
  ])('describeWait(%i) = %s', (seconds, text) => {
    expect(describeWait(seconds)).toBe(text)
  })

  it('a 403 on a request the service account made names the service account and its roles, with deploy as the fix (exit 3)', () => {
    const error = sn('permission', { status: 403, method: 'POST', path: '/api/now/import/x_kandj_kandji_device_import', snMessage: 'Insufficient rights' })
    const e = toCliError(error, { actor: { kind: 'service-account', userName: 'kandji_rest_api_user' } })
    expect(e.exitCode).toBe(3)
    expect(formatError(e, false)).toBe(
      [
        'error: the instance denied the service account "kandji_rest_api_user" (403 on POST /api/now/import/x_kandj_kandji_device_import (Insufficient rights))',
        'cause: the service account lacks one of its roles (cmdb_read, import_transformer, rest_api_explorer), or an ACL blocks it',
        'fix:   run `deploy-integration deploy` to restore the service account (it grants its roles again and re-activates it), then re-run this command',
      ].join('\n'),
    )
    expect(formatError(toCliError(error), false)).toContain('the admin account lacks a role')
    expect(toCliError(sn('server', { status: 500 }), { actor: { kind: 'service-account', userName: 'svc' } }).message).toContain('(500 on GET /api/now/table/sys_user, as the service account "svc")')
  })
})

describe('a refusal of the admin\'s credentials, per sign-in method (audit item 19)', () => {
  const refused = sn('auth', { status: 401, snMessage: 'User Not Authenticated', snDetail: 'Required to provide Auth information' })
  it.each([
    ['basic', "the instance refused the admin's basic-auth credentials", /Basic Authentication Restriction.*snc_basic_auth_api_access/, /SN_ADMIN_CLIENT_ID \+ SN_ADMIN_CLIENT_SECRET.*SN_ADMIN_TOKEN.*SN_ADMIN_API_KEY/],
    ['password', "the instance refused the admin's OAuth password grant", /OAuth client id or secret/, /SN_ADMIN_CLIENT_ID/],
    ['client_credentials', "the instance refused the admin's OAuth client-credentials grant", /glide\.oauth\.inbound\.client\.credential\.grant_type\.enabled is not true/, /OAuth Application User/],
    ['bearer', "the instance refused the admin's bearer token", /expired or was revoked/, /SN_ADMIN_TOKEN/],
    ['apikey', "the instance refused the admin's API key", /com\.glide\.tokenbased_auth.*Global policy does not admit API keys/, /SN_ADMIN_API_KEY/],
  ] as const)('%s', (signIn, what, cause, fix) => {
    const e = toCliError(refused, { adminSignIn: signIn })
    expect(e.exitCode).toBe(3)
    expect(e.message).toBe(`${what} (401 on GET /api/now/table/sys_user (User Not Authenticated: Required to provide Auth information))`)
    expect(e.causeText).toMatch(cause)
    expect(e.fix).toMatch(fix)
  })

  it.each(['basic', 'password', 'client_credentials', 'bearer', 'apikey'] as const)('%s: a fleet entry\'s refusal names its own variables (adminEnvPrefix), never SN_ADMIN_*', (signIn) => {
    const e = toCliError(refused, { adminSignIn: signIn, adminEnv: adminEnvNames('ACME') })
    const named = { basic: ['ACME_CLIENT_ID', 'ACME_CLIENT_SECRET', 'ACME_USER', 'ACME_PASSWORD', 'ACME_TOKEN', 'ACME_API_KEY'], password: ['ACME_CLIENT_ID', 'ACME_CLIENT_SECRET', 'ACME_USER', 'ACME_PASSWORD'], client_credentials: ['ACME_CLIENT_ID', 'ACME_CLIENT_SECRET'], bearer: ['ACME_TOKEN'], apikey: ['ACME_API_KEY'] }[signIn]
    expect(e.fix.match(/ACME_[A-Z_]+/g)?.filter((v, i, all) => all.indexOf(v) === i)).toStrictEqual(named)
    expect(`${e.message} ${e.causeText} ${e.fix}`).not.toMatch(/SN_ADMIN_/)
  })

  it('a service account\'s 401 keeps its own text', () => {
    const e = toCliError(refused, { adminSignIn: 'basic', actor: { kind: 'service-account', userName: 'kandji_rest_api_user' } })
    expect(e.message).toMatch(/^the instance refused the service account "kandji_rest_api_user"/)
  })

  it('no UI session for an API key: the upload needs another method or a repository install', () => {
    const e = toCliError(sn('auth', { method: 'POST', path: '/angular.do', status: 401, hint: 'the instance opened no UI session for the API key: API keys authenticate REST APIs only' }), { adminSignIn: 'apikey' })
    expect(e.message).toBe('the instance opened no UI session for the admin, which the app upload and uninstall need (401 on POST /angular.do)')
    expect(e.causeText).toBe('the instance opened no UI session for the API key: API keys authenticate REST APIs only')
    expect(e.fix).toBe('install the app with --app-source repo or --app-source store (the CI/CD API accepts the API key), or sign the admin in with an OAuth client or a bearer token for this run')
  })
})
