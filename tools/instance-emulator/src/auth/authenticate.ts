// Who is calling: basic auth, a bearer token, a REST API key (x-sn-apikey), or a UI session (cookie + X-UserToken).
import { OAUTH_CLIENT } from '@kandji-sn/contract/constants'
import { ERRORS } from '../db/errors.ts'
import type { RequestContext } from '../http.ts'
import type { SessionUser } from '../types.ts'
import { API_KEY_HEADER, apiKeyUser } from './api-key.ts'
import { basicAuthAllowed } from './basic-auth-restriction.ts'
import { parseCookies, SESSION_COOKIE } from './sessions.ts'
import { checkCredentials, recordLogin, sessionUser, usable } from './users.ts'

/**
 * The caller, or undefined when the request carries no credentials. Credentials that do not authenticate are the
 * platform's 401 "User Not Authenticated" (no fallback to another method).
 */
export function authenticate(ctx: RequestContext): SessionUser | undefined {
  const { db, tokens, sessions, switches } = ctx.emu
  const authorization = ctx.headers.authorization
  const cookieSession = sessions.get(parseCookies(ctx.headers.cookie)[SESSION_COOKIE])
  if (authorization) {
    const [scheme, value = ''] = authorization.split(/\s+/, 2)
    let user: SessionUser
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon < 0) throw ERRORS.notAuthenticated()
      const result = checkCredentials(db, decoded.slice(0, colon), decoded.slice(colon + 1))
      if ('failure' in result) throw ERRORS.notAuthenticated()
      // A refusal by the Basic Auth Restriction is the same 401 as a wrong password (audit item 19).
      if (!basicAuthAllowed(db, result.user)) throw ERRORS.notAuthenticated()
      recordLogin(db, result.user, switches)
      user = sessionUser(db, db.findStored('sys_user', result.user.sys_id as string)?.row ?? result.user, 'basic')
    } else if (scheme?.toLowerCase() === 'bearer') {
      const token = tokens.find(value, 'access')
      if (!token) throw ERRORS.notAuthenticated()
      const entity = db.findStored('oauth_entity', token.entitySysId)?.row
      if (!entity || entity.active === 'false') throw ERRORS.notAuthenticated()
      const row = db.findStored('sys_user', token.userSysId)?.row
      if (!row || 'failure' in usable(row)) throw ERRORS.notAuthenticated()
      user = sessionUser(db, row, 'bearer', token.entitySysId)
    } else {
      throw ERRORS.notAuthenticated()
    }
    // An authenticated call that carries a fresh session cookie binds that session to the caller: this is how
    // now-sdk turns an OAuth token into a UI session (fluent-sdk-findings 5, "CSRF/session exchange").
    if (cookieSession && !cookieSession.userSysId) cookieSession.userSysId = user.sysId
    return user
  }
  const apiKey = ctx.headers[API_KEY_HEADER]
  if (apiKey !== undefined) {
    const row = apiKeyUser(db, apiKey, ctx.path)
    if (!row || 'failure' in usable(row)) throw ERRORS.notAuthenticated()
    const user = sessionUser(db, row, 'apikey')
    // [U] whether an API-key call binds a fresh UI session as a token does: switch apiKeyBindsUiSession.
    if (switches.apiKeyBindsUiSession && cookieSession && !cookieSession.userSysId) cookieSession.userSysId = user.sysId
    return user
  }
  if (cookieSession?.userSysId) {
    // A session authenticates an API call only together with its X-UserToken (CSRF protection).
    if (ctx.headers['x-usertoken'] !== cookieSession.userToken) return undefined
    const row = db.findStored('sys_user', cookieSession.userSysId)?.row
    if (!row || 'failure' in usable(row)) return undefined
    return sessionUser(db, row, 'session')
  }
  return undefined
}

export function requireUser(ctx: RequestContext): SessionUser {
  const user = authenticate(ctx)
  if (!user) throw ERRORS.notAuthenticated()
  return user
}

/**
 * The caller of an unscoped REST API (/api/now/...). On Zurich and later a bearer token from an OAuth client whose
 * scope_restriction_status is set and not "Broadly scoped" gets the 403 of KB2731346. An empty value (records from
 * before the column existed) is treated as unrestricted.
 */
export function requireUnscopedApiUser(ctx: RequestContext): SessionUser {
  const user = requireUser(ctx)
  if (user.via === 'bearer' && user.oauthEntity && ctx.path.startsWith('/api/now/')) {
    const field = OAUTH_CLIENT.scopeRestrictionField
    if (ctx.emu.db.dictionary.column('oauth_entity', field)) {
      const status = ctx.emu.db.findStored('oauth_entity', user.oauthEntity)?.row[field] ?? ''
      if (status !== '' && status !== OAUTH_CLIENT.broadlyScopedValue) throw ERRORS.unscopedApi()
    }
  }
  return user
}
