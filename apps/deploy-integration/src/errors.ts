import { ADMIN_SIGN_IN, ENV, EXIT_CODES, SERVICE_ACCOUNT_ROLES, type ExitCode } from '@kandji-sn/contract/constants'
import type { AdminSignInMethod } from '@kandji-sn/contract'
import type { ServiceNowError } from '@kandji-sn/servicenow-client'
import { DEFAULT_ADMIN_ENV, type AdminEnvNames } from './config/admin-env.ts'

/**
 * An error a person can act on: what happened, the likely cause, what to do. Every failure that reaches the
 * user is turned into one of these (see toCliError) so the exit code and the three lines are decided in one place.
 */
export class CliError extends Error {
  override name = 'CliError'
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly causeText: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Problems joined with "; ", the first `max` only (a huge file can have a million): the rest are counted. */
export function firstOf(problems: readonly string[], max = 5): string {
  const shown = problems.slice(0, max).join('; ')
  return problems.length > max ? `${shown}; and ${problems.length - max} more` : shown
}

export const usageError = (message: string, cause: string, fix: string) => new CliError(EXIT_CODES.usage, message, cause, fix)

/**
 * The client's ServiceNowError. A type-only import, and recognised by its fields rather than `instanceof`: the CLI
 * loads the client lazily (start-up time), so this module must not import it at run time.
 */
export type ServiceNowErrorLike = ServiceNowError

export function isServiceNowErrorLike(error: unknown): error is ServiceNowErrorLike {
  if (!(error instanceof Error)) return false
  const e = error as Partial<ServiceNowErrorLike>
  return typeof e.kind === 'string' && typeof e.method === 'string' && typeof e.path === 'string'
}

/** Maps an error kind of the client (packages/servicenow-client/src/types.ts ServiceNowErrorKind) to an exit code. */
export function exitCodeForKind(kind: string): ExitCode {
  switch (kind) {
    case 'auth':
    case 'permission':
    case 'scope_restricted':
      return EXIT_CODES.auth
    default:
      return EXIT_CODES.instance
  }
}

function describeRequest(e: ServiceNowErrorLike): string {
  const status = e.status === undefined ? '' : `${e.status} `
  const sn = [e.snMessage, e.snDetail].filter((s) => s !== undefined && s !== '').join(': ')
  return `${status}on ${e.method} ${e.path}${sn ? ` (${sn})` : ''}`
}

export interface KindText {
  what: string
  cause: string
  fix: string
}

function textForKind(e: ServiceNowErrorLike): KindText {
  switch (e.kind) {
    case 'auth':
      return {
        what: 'the instance refused the credentials',
        cause: 'the user name or password is wrong, the account is locked out or inactive, or the OAuth client id/secret do not match',
        fix: 'check SN_ADMIN_USER / SN_ADMIN_PASSWORD (or the config file), log in once in a browser to confirm, then re-run',
      }
    case 'permission':
      return {
        what: 'the instance denied the request',
        cause: 'the admin account lacks a role this step needs (admin, or user_admin + oauth_admin + sn_cicd.sys_ci_automation), or an ACL blocks it',
        fix: 'run as a user with the admin role, or grant the missing role, then re-run `deploy-integration plan`',
      }
    case 'scope_restricted':
      return {
        what: 'the OAuth client may not call this API (Access to unscoped api is not allowed)',
        cause: 'on Zurich and later the OAuth client\'s Scope Restriction is not "Broadly scoped" (ServiceNow KB2731346)',
        fix: 're-run `deploy-integration deploy` (it sets it), or set Scope Restriction to "Broadly scoped" in System OAuth > Application Registry',
      }
    case 'login_redirect':
      return {
        what: 'the instance sent the request to its login page instead of answering it',
        cause: 'the instance wants an interactive sign-in: the UI session the app upload and uninstall use expired or was ended, or single sign-on in front of the instance redirects this account',
        fix: 're-run (it opens a new session); if it keeps happening, check that the admin account can sign in with a password (not single sign-on only), or sign in with OAuth (SN_ADMIN_CLIENT_ID and SN_ADMIN_CLIENT_SECRET)',
      }
    case 'hibernating':
      return {
        what: 'the instance answered with a web page instead of JSON',
        cause: 'a developer instance that is hibernating or waking up (or a login/maintenance page in front of it)',
        fix: 'wake the instance at developer.servicenow.com (sign in, "Wake up instance"), wait until it loads in a browser, then re-run',
      }
    case 'timeout':
      return { what: 'the instance did not answer in time', cause: 'the instance is slow, busy upgrading, or waking from hibernation', fix: 'retry in a few minutes; if it keeps happening, wait longer for each answer with --timeout SECONDS (default 30)' }
    case 'network':
      return { what: 'the connection to the instance failed', cause: 'no network route, a proxy or firewall in the way, or the instance is down', fix: 'check the instance URL and that it opens in a browser from this machine, then re-run' }
    case 'dns':
      return { what: 'the instance name does not resolve', cause: 'a typo in the instance name, or the instance was retired', fix: 'check --instance / SN_INSTANCE (a tenant such as "acme" means https://acme.service-now.com)' }
    case 'tls':
      return { what: 'the TLS handshake with the instance failed', cause: 'a proxy that intercepts TLS, or a wrong host', fix: 'check the URL; behind an intercepting proxy set NODE_EXTRA_CA_CERTS to its CA bundle' }
    case 'server':
      return { what: 'the instance failed to process a request', cause: 'a server error on the instance (a broken business rule, an upgrade in progress, or a feature not available there)', fix: 'retry; if it persists, check System Logs > Errors on the instance around this time' }
    case 'not_found':
      return { what: 'the instance has no such resource', cause: 'a missing plugin or table, the app not installed, or an ACL that hides it (404 can mean either)', fix: 'run `deploy-integration plan` to see what is missing; check the admin has the admin role' }
    case 'ambiguous':
      return { what: 'more than one record matches where exactly one is expected', cause: 'duplicate records on the instance (created by hand or by an earlier tool)', fix: 'delete or rename the duplicates named above so one remains, then re-run' }
    case 'install_failed':
      return { what: 'the app installation failed on the instance', cause: 'the package conflicts with what is installed, or the install was canceled', fix: 'open the execution tracker on the instance (sys_execution_tracker) for details; roll back with the version reported, then re-run' }
    case 'invalid_response':
      return { what: 'the instance answered with something unexpected', cause: 'a proxy in front of the instance, or an API that differs on this release', fix: 're-run with --debug and report the output (it contains no secrets)' }
    default:
      return { what: 'the request was refused', cause: 'the instance rejected the request as malformed or conflicting', fix: 're-run with --debug and check the request named above' }
  }
}

/**
 * What the CLI knows about a failed request beyond the error itself: whether the instance had answered earlier
 * requests of this run (then a broken connection is not a wrong URL), and whose request it was.
 */
export interface ErrorContext {
  /** Requests of this run the instance answered before this error (counted with the client's onRequest). */
  answeredBefore?: number
  /** The identity that made the failing request; the admin unless the smoke test acted as the service account. */
  actor?: { kind: 'admin' } | { kind: 'service-account'; userName: string }
  /** How the admin signs in: a refusal of the admin's credentials is explained for that method. */
  adminSignIn?: AdminSignInMethod
  /** The variables the admin's credentials came from (a fleet entry's adminEnvPrefix ones); default SN_ADMIN_*. */
  adminEnv?: AdminEnvNames
}

/** The UI endpoint the client opens its UI session on (servicenow-client session.ts LOGIN_PATH). */
const UI_LOGIN_PATH = '/angular.do'

/** No UI session for the app upload or uninstall: the credentials work for REST APIs, the UI refused them. */
function uiSessionRefused(e: ServiceNowErrorLike, signIn: AdminSignInMethod): KindText {
  return {
    what: 'the instance opened no UI session for the admin, which the app upload and uninstall need',
    cause: e.hint,
    fix:
      signIn === 'apikey'
        ? 'install the app with --app-source repo or --app-source store (the CI/CD API accepts the API key), or sign the admin in with an OAuth client or a bearer token for this run'
        : signIn === 'basic'
          ? 'use an admin account that can log in interactively (not web-service-only, no MFA), or sign the admin in with an OAuth client or a bearer token'
          : 'sign the admin in as a user that can hold a UI session (an admin with Identity Type Human), or install the app with --app-source repo or --app-source store',
  }
}

/** The other ways to sign the admin in, by their variables (runbook "Admin sign-in"). */
function otherSignIns(env: AdminEnvNames): string {
  return `an OAuth client (${env.clientId} + ${env.clientSecret}, with ${env.user} + ${env.password} for the password grant or without the password for client credentials), a bearer token (${env.token}) or a REST API key (${env.apiKey}); see docs/runbook.md "Admin sign-in"`
}

/**
 * A 401 for the admin's own credentials, per sign-in method. For basic auth the instance's Basic Authentication
 * Restriction answers exactly like a wrong password (ServiceNowDocs platform-security/authentication/
 * basic-auth-restriction.md), so the text names both.
 */
export function adminAuthRefused(signIn: AdminSignInMethod, env: AdminEnvNames = DEFAULT_ADMIN_ENV): KindText {
  switch (signIn) {
    case 'basic':
      return {
        what: 'the instance refused the admin\'s basic-auth credentials',
        cause:
          'the user name or password is wrong, the account is locked out or inactive, or the instance\'s Basic Authentication Restriction refuses basic auth for this account: ' +
          `newly provisioned instances accept basic-auth API calls only from web-service-only accounts and holders of the ${ADMIN_SIGN_IN.basicAuthRole} role, and refuse the rest with the same 401 as a wrong password`,
        fix: `if the password logs in in a browser, it is the restriction: sign the admin in another way, with ${otherSignIns(env)} (or have a security_admin grant the account ${ADMIN_SIGN_IN.basicAuthRole}); otherwise correct ${env.user} / ${env.password}`,
      }
    case 'password':
      return {
        what: 'the instance refused the admin\'s OAuth password grant',
        cause: 'the OAuth client id or secret does not match an active OAuth client, or the user name or password is wrong, or the account is locked out or inactive (the exact reason is only in the instance system log)',
        fix: `check ${env.clientId} / ${env.clientSecret} against System OAuth > Application Registry and ${env.user} / ${env.password}, then re-run`,
      }
    case 'client_credentials':
      return {
        what: 'the instance refused the admin\'s OAuth client-credentials grant',
        cause: `the OAuth client id or secret does not match an active OAuth client, the client has no active OAuth Application User, or the grant is disabled (${ADMIN_SIGN_IN.clientCredentialsProperty} is not true)`,
        fix: `check ${env.clientId} / ${env.clientSecret}, set the client's OAuth Application User to an admin account, and set ${ADMIN_SIGN_IN.clientCredentialsProperty}=true (docs/runbook.md "Admin sign-in")`,
      }
    case 'bearer':
      return {
        what: 'the instance refused the admin\'s bearer token',
        cause: 'the token expired or was revoked, or it was not issued for this instance (an identity provider\'s token needs the instance to trust that provider)',
        fix: `obtain a fresh access token for this instance and set it in ${env.token}, then re-run`,
      }
    case 'apikey':
      return {
        what: 'the instance refused the admin\'s API key',
        cause: `the key is unknown, inactive or expired, the plugin ${ADMIN_SIGN_IN.apiKeyPlugin} is not active, or this REST API has no active access policy with the API key authentication profile (a Global policy does not admit API keys)`,
        fix: `check the REST API Key record and ${env.apiKey}, and that System Web Services > REST API Access Policies has an active policy with the API key profile for each of ${ADMIN_SIGN_IN.apiKeyRestApis.join(', ')} (docs/runbook.md "Admin sign-in"), then re-run`,
      }
  }
}

/** "3600 s (about 1 h)": the client's Retry-After wait, readable. */
export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${seconds} s (about ${Math.round(seconds / 60)} min)`
  return `${seconds} s (about ${Math.round((seconds / 3600) * 10) / 10} h)`
}

/**
 * The client's hints are written for callers of the library (re-read by natural key, count with list()); a person
 * running the CLI needs what to do instead. Each phrase the client uses for programmers, in words for an admin.
 */
const CALLER_PHRASES: ReadonlyArray<[RegExp, string]> = [
  // Each non-repeatable call's way to recover (servicenow-client calls.ts), which the CLI does itself on a re-run.
  [/the request may have been processed: [^;]*/g, 'the request may have been processed: re-run the same command: it finds what was done and does not do it twice'],
  [/; count with list\(\) instead/g, ': check for a proxy in front of the instance, then re-run'],
  [/ \(or make the query more specific\)/g, ''],
  [/raise the timeout/g, 'raise --timeout'],
]

export function hintForAdmins(hint: string): string {
  return CALLER_PHRASES.reduce((text, [phrase, replacement]) => text.replace(phrase, replacement), hint)
}

/** Texts for a request the service account made (the smoke test): its roles, not the admin's, are the cause. */
function textForServiceAccount(e: ServiceNowErrorLike, userName: string): KindText | undefined {
  const restore = 'run `deploy-integration deploy` to restore the service account (it grants its roles again and re-activates it), then re-run this command'
  switch (e.kind) {
    case 'permission':
      return {
        what: `the instance denied the service account "${userName}"`,
        cause: `the service account lacks one of its roles (${SERVICE_ACCOUNT_ROLES.join(', ')}), or an ACL blocks it`,
        fix: restore,
      }
    case 'auth':
      return {
        what: `the instance refused the service account "${userName}"`,
        cause: 'its token was revoked, or the account was deactivated or locked out during the run',
        fix: restore,
      }
    case 'rate_limited':
      return rateLimited(e, `the service account "${userName}"`)
    default:
      return undefined
  }
}

function rateLimited(e: ServiceNowErrorLike, who: string): KindText {
  const seconds = e.retryAfterSeconds
  return {
    what: 'the instance rate-limited the requests',
    cause: `a rate limit rule (sys_rate_limit_rules) for ${who} was exceeded`,
    fix: `${seconds === undefined ? 'wait a few minutes' : `wait ${describeWait(seconds)}, as the instance asks (Retry-After)`}, or exempt ${who} from the rule, then re-run`,
  }
}

/** A connection that broke after the instance had answered this run: the URL is right, the run was interrupted. */
function droppedMidRun(e: ServiceNowErrorLike, answered: number): KindText {
  const notRepeated = e.mayHaveBeenProcessed ? `; ${NOT_REPEATED}` : ''
  return {
    what: 'the connection to the instance dropped in the middle of the run',
    cause: `the instance had answered ${answered} request${answered === 1 ? '' : 's'} of this run, so the address is right: a network blip, a proxy or an instance restart broke this one${notRepeated}`,
    fix: RE_RUN_CONVERGES,
  }
}

const NOT_REPEATED = 'the instance may have done the request before its answer was lost, so the client did not send it again'
const RE_RUN_CONVERGES = 're-run the same command: it reads every object by name first, so it finishes what this run started without creating anything twice'

/** A call the instance may have done whose answer was lost: the generic text of its kind would say nothing of it. */
function mayHaveBeenDone(text: KindText): KindText {
  if (text.cause.includes(NOT_REPEATED)) return text
  return { what: text.what, cause: `${text.cause}; ${NOT_REPEATED}`, fix: RE_RUN_CONVERGES }
}

function namesOf(records: ServiceNowErrorLike['records']): string {
  if (!records || records.length === 0) return ''
  return records.join(', ')
}

/**
 * Errors of our libraries that carry the three lines and are a usage error (exit 2): app-package's AppPackageError
 * (an unreadable or invalid app package) and the client's UnsafeQueryValueError (a name with "^", which an encoded
 * query cannot carry safely). Matched by name: the libraries are loaded lazily.
 */
function isUsageLibraryError(error: unknown): error is Error & { summary: string; reason: string; fix: string } {
  if (!(error instanceof Error)) return false
  const e = error as Error & Record<string, unknown>
  return ['AppPackageError', 'UnsafeQueryValueError'].includes(e.name) && typeof e.summary === 'string' && typeof e.reason === 'string' && typeof e.fix === 'string'
}

function textFor(e: ServiceNowErrorLike, context: ErrorContext): KindText {
  if (e.status === 501) {
    return {
      what: 'the instance does not implement this endpoint',
      cause: 'the app\'s scripted REST API is not running there (an app version without it, or an emulator without the script runtime)',
      fix: 'install the current app (`deploy --app-source package`); to deploy without the verification step pass --no-verify',
    }
  }
  if (e.kind === 'network' && (context.answeredBefore ?? 0) > 0) return droppedMidRun(e, context.answeredBefore!)
  if (context.actor?.kind === 'service-account') {
    const text = textForServiceAccount(e, context.actor.userName)
    if (text) return text
  }
  if (e.kind === 'rate_limited') return rateLimited(e, 'the admin user')
  if (e.kind === 'auth' && context.adminSignIn && context.actor?.kind !== 'service-account') {
    return e.path === UI_LOGIN_PATH ? uiSessionRefused(e, context.adminSignIn) : adminAuthRefused(context.adminSignIn, context.adminEnv)
  }
  return textForKind(e)
}

/** Turns anything thrown into a CliError with an exit code and error/cause/fix text. */
export function toCliError(error: unknown, context: ErrorContext = {}): CliError {
  if (error instanceof CliError) return error
  if (isServiceNowErrorLike(error)) {
    const text = error.mayHaveBeenProcessed && !['server', 'rate_limited'].includes(error.kind) ? mayHaveBeenDone(textFor(error, context)) : textFor(error, context)
    const records = namesOf(error.records)
    const actor = context.actor?.kind === 'service-account' ? context.actor.userName : undefined
    const as = actor && !text.what.includes(`"${actor}"`) ? `, as the service account "${actor}"` : ''
    const what = `${text.what} (${describeRequest(error)}${as})${records ? `: ${records}` : ''}`
    // The client's hint is specific where our text is generic (which request, which records, what the instance said,
    // how long to wait); phrased for the library's callers, it is translated for the person running the CLI.
    const specific = ['bad_request', 'not_found', 'install_failed', 'invalid_response', 'server', 'ambiguous', 'rate_limited'].includes(error.kind)
    const fix = specific && error.hint ? `${text.fix} (details: ${hintForAdmins(error.hint)})` : text.fix
    return new CliError(exitCodeForKind(error.kind), what, text.cause, fix, { cause: error })
  }
  if (isUsageLibraryError(error)) return new CliError(EXIT_CODES.usage, error.summary, error.reason, error.fix, { cause: error })
  const message = error instanceof Error ? error.message : String(error)
  return new CliError(EXIT_CODES.instance, `unexpected failure: ${message}`, 'a bug in deploy-integration or an unexpected answer from the instance', 're-run with --debug and report the output (it contains no secrets)', { cause: error })
}

/** The three lines (and with debug the stack) a person sees. */
export function formatError(error: CliError, debug: boolean): string {
  const lines = [`error: ${error.message}`, `cause: ${error.causeText}`, `fix:   ${error.fix}`]
  if (debug) {
    const inner = error.cause instanceof Error ? error.cause : error
    if (inner.stack) lines.push('', inner.stack)
  }
  return lines.join('\n')
}
