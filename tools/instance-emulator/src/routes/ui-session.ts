// The UI login `now-sdk install` performs in CI mode (sdk-cli basic-auth/UISession.js; trace
// now-sdk-install-trace/install-basic-requests.log):
//   POST /angular.do?sysparm_type=view_form.login   form user_name, user_password -> JSON status + JSESSIONID cookie
//   POST /angular.do?sysparm_type=get_user          with the cookie -> 401 carrying x-usertoken-response
// The token then authenticates API calls together with the cookie (X-UserToken) and is the upload's sysparm_ck.
import { parseCookies, SESSION_COOKIE, sessionCookies, type UiSession } from '../auth/sessions.ts'
import { checkCredentials, recordLogin, usable } from '../auth/users.ts'
import { ERRORS } from '../db/errors.ts'
import { userRoleNames } from '../db/roles.ts'
import { json, type Reply, type RequestContext } from '../http.ts'

export const ANGULAR_PATH = /^\/angular\.do$/

const LOGIN_FAILED = 'User name or password invalid'

export async function handleAngular(ctx: RequestContext): Promise<Reply> {
  const { db, sessions, switches } = ctx.emu
  const type = ctx.query('sysparm_type')
  if (ctx.method !== 'POST') throw ERRORS.methodNotAllowed(ctx.method)

  if (type === 'view_form.login') {
    ctx.route = 'POST /angular.do?sysparm_type=view_form.login'
    const form = await ctx.form()
    const result = checkCredentials(db, form.get('user_name') ?? '', form.get('user_password') ?? '')
    if ('failure' in result) return json(200, { status: 'error', message: LOGIN_FAILED })
    // Non-interactive users "can't log in to an instance" (facts 4.5, Non-interactive sessions).
    if (result.user.web_service_access_only === 'true') {
      return json(200, { status: 'error', message: 'Non-interactive users cannot log in to the instance' })
    }
    recordLogin(db, result.user, switches)
    const session = newSession(ctx, result.user.sys_id as string)
    return json(200, { status: 'success', user_name: result.user.user_name }, { 'Set-Cookie': sessionCookies(session) })
  }

  if (type === 'get_user') {
    ctx.route = 'POST /angular.do?sysparm_type=get_user'
    const session = sessions.get(parseCookies(ctx.headers.cookie)[SESSION_COOKIE])
    if (!session) {
      // This cookie becomes the session once an authenticated API call carries it (the OAuth/bearer path).
      const fresh = newSession(ctx)
      return json(401, ERRORS.notAuthenticated().toBody(), { 'Set-Cookie': sessionCookies(fresh) })
    }
    const user = session.userSysId ? db.findStored('sys_user', session.userSysId)?.row : undefined
    if (!user || 'failure' in usable(user)) return json(401, ERRORS.notAuthenticated().toBody())
    const legacy = switches.uiSessionSecurity === 'legacy'
    if (!legacy && ctx.headers['x-usertoken'] !== session.userToken) {
      // Without its token the processor refuses, but hands the token out in this header (UISession.js l.19-26). It
      // also sets a cookie of a new, unbound session: now-sdk keeps only the login answer's cookies and ignores this
      // one (UISession.js login: the jar is filled from loginResponse only), so a client that keeps it loses its
      // session. [U] the sources are silent on cookies here; this is the variant that hurts a client most.
      return json(401, ERRORS.notAuthenticated().toBody(), { 'x-usertoken-response': session.userToken, 'Set-Cookie': sessionCookies(newSession(ctx)) })
    }
    return json(200, {
      result: { user_name: user.user_name, user_sys_id: user.sys_id, user_display_name: user.name, roles: [...userRoleNames(db, user.sys_id as string)] },
    })
  }

  throw ERRORS.noResource()
}

/** A UI session; on the legacy security model it has no user token (switch uiSessionSecurity). */
function newSession(ctx: RequestContext, userSysId?: string): UiSession {
  const session = ctx.emu.sessions.create(userSysId)
  if (ctx.emu.switches.uiSessionSecurity === 'legacy') session.userToken = ''
  return session
}
