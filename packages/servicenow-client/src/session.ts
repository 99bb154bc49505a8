// The UI session `now-sdk install` uses for the app upload processor and AppsAjaxProcessor: those are UI endpoints
// that check a session cookie plus the user token (X-UserToken / sysparm_ck), not REST credentials.
// Sequence read from @servicenow/sdk 4.9 (sdk-cli auth/basic-auth/UISession.js and auth/index.js getCSRFToken) and
// confirmed by shared/reference/now-sdk-install-trace/*.log.
import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import type { AuthConfig } from './types.ts'
import { ServiceNowError } from './errors.ts'
import type { Credentials, Transport } from './transport.ts'

export const LOGIN_PATH = '/angular.do'

class CookieJar {
  private readonly cookies = new Map<string, string>()
  constructor(private readonly transport: Transport) {}
  take(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? ''
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      this.transport.addSecret(value)
      if (value === '' || /expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
  header(): Record<string, string> {
    if (this.cookies.size === 0) return {}
    return { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
  }
}

/**
 * Cookie jar only: the requests that set up a session. `keep` says whether the answer's cookies join the jar: now-sdk
 * keeps the login answer's cookies and ignores those on get_user's answer (sdk-cli UISession.js login and
 * refreshUserToken), which can name another, unbound session.
 */
class JarCredentials implements Credentials {
  readonly mode = 'session' as const
  constructor(
    private readonly jar: CookieJar,
    private readonly keep: boolean,
    private readonly extra: Credentials | undefined = undefined,
  ) {}
  async headers() {
    return { ...(await this.extra?.headers()), ...this.jar.header() }
  }
  observe(headers: Headers) {
    if (this.keep) this.jar.take(headers)
  }
}

export interface UiSession {
  credentials: Credentials
  /** The user token: X-UserToken header and the `sysparm_ck` form field. */
  userToken: string
}

/**
 * Opens a UI session. Basic credentials log in with the form login (`view_form.login`) and keep that answer's
 * cookies; OAuth, bearer and API-key credentials take the cookie of a first `get_user`, attach it to the token with one Table
 * API call, and ask `get_user` again. Either way the user token comes back in the `x-usertoken-response` header of
 * get_user's 401, whose own cookies are not kept; a 200 without a token is the legacy security model, where the
 * session works with an empty token (UISession.js parseUserToken). The session's cookies never change afterwards.
 */
export async function openUiSession(transport: Transport, auth: AuthConfig, apiCredentials: Credentials | undefined): Promise<UiSession> {
  const jar = new CookieJar(transport)
  const cookies = new JarCredentials(jar, true)
  if (auth.type === 'none') {
    throw new ServiceNowError({
      kind: 'auth',
      message: 'installing an app needs a UI session, and the client has no credentials',
      hint: 'configure basic credentials (an admin user with a local password) or an OAuth client',
      method: 'POST',
      path: LOGIN_PATH,
    })
  }
  if (auth.type === 'basic') {
    const login = await transport.send({
      method: 'POST',
      path: LOGIN_PATH,
      query: { sysparm_type: 'view_form.login' },
      body: {
        type: 'form',
        value: new URLSearchParams({ sysparm_type: 'login', 'ni.nolog.user_password': 'true', user_name: auth.user, user_password: auth.password }),
      },
      credentials: cookies,
      call: 'login',
      expect: 'json',
    })
    const body = login.body as { status?: unknown; message?: unknown } | undefined
    if (body && (body.status === 'error' || body.status === 'mfa_code_required')) {
      const mfa = body.status === 'mfa_code_required'
      throw new ServiceNowError({
        kind: 'auth',
        message: transport.redact(`the UI login as ${auth.user} was refused${typeof body.message === 'string' && body.message ? `: ${body.message}` : ''}`),
        hint: mfa
          ? 'the account requires multi-factor authentication, which a headless install cannot answer: use an account without MFA for deployments'
          : 'check the user name and password; the account must be active, not locked out, and allowed to log in interactively (not web-service-only)',
        method: 'POST',
        path: LOGIN_PATH,
        status: login.status,
        ...(typeof body.message === 'string' ? { snMessage: transport.redact(body.message) } : {}),
      })
    }
  } else {
    await transport.send({ method: 'POST', path: LOGIN_PATH, query: { sysparm_type: 'get_user' }, credentials: cookies, call: 'login', expect: 'text', acceptStatus: [401] })
    await transport.send({
      method: 'GET',
      path: `/api/now/table/${PLATFORM_TABLES.scope}`,
      query: { sysparm_fields: 'sys_id,sys_class_name', sysparm_limit: 1 },
      credentials: new JarCredentials(jar, true, apiCredentials),
      call: 'login',
      expect: 'json',
    })
  }
  const tokenResponse = await transport.send({
    method: 'POST',
    path: LOGIN_PATH,
    query: { sysparm_type: 'get_user' },
    credentials: new JarCredentials(jar, false),
    call: 'login',
    expect: 'text',
    acceptStatus: [401],
  })
  const userToken = tokenResponse.headers.get('x-usertoken-response') ?? ''
  // A 200 is the legacy security model: no token, and the processors do not ask for one.
  if (userToken === '' && tokenResponse.status === 401) {
    throw new ServiceNowError({
      kind: 'auth',
      message: `POST ${LOGIN_PATH} (get_user) answered ${tokenResponse.status} without a user token`,
      hint:
        auth.type === 'apikey'
          ? 'the instance opened no UI session for the API key: API keys authenticate REST APIs only, and the app upload and uninstall are UI endpoints; sign the admin in with an OAuth client or a bearer token for them, or install the app from the repository or the Store'
          : 'the UI session was not established: the account cannot log in interactively (SSO-only, MFA or web-service-only) or the Identity Type is not Human; use an admin account with a local password',
      method: 'POST',
      path: LOGIN_PATH,
      status: tokenResponse.status,
    })
  }
  transport.addSecret(userToken)
  const credentials: Credentials = {
    mode: 'session',
    headers: async () => ({ ...jar.header(), 'X-UserToken': userToken }),
  }
  return { credentials, userToken }
}
