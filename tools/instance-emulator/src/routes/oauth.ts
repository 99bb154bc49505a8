// POST /oauth_token.do: password (ROPC), refresh_token and client_credentials grants (facts 3.3).
import { timingSafeEqual } from 'node:crypto'
import { ADMIN_SIGN_IN, OAUTH_CLIENT } from '@kandji-sn/contract/constants'
import { checkCredentials, recordLogin, usable } from '../auth/users.ts'
import type { TokenRecord } from '../auth/tokens.ts'
import { json, type Reply, type RequestContext } from '../http.ts'
import type { TableRecordRow } from '../types.ts'

export const OAUTH_TOKEN_PATH = /^\/oauth_token\.do$/

/** The instance answers every refusal with the same opaque body; the cause is only in its system log (facts 3.3). */
export const OAUTH_DENIED = { error_description: 'access_denied', error: 'server_error' } as const

const CLIENT_CREDENTIALS_PROPERTY = ADMIN_SIGN_IN.clientCredentialsProperty

class Denied extends Error {}

function deny(reason: string): never {
  throw new Denied(reason)
}

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function client(ctx: RequestContext, form: URLSearchParams): TableRecordRow {
  const { db } = ctx.emu
  const id = form.get('client_id') ?? ''
  const secret = form.get('client_secret') ?? ''
  if (!id) deny('no client_id')
  const matches = [...db.scan('oauth_entity')].map((e) => e.row).filter((row) => row.client_id === id)
  const entity = matches[0]
  if (!entity || matches.length > 1) deny('unknown client')
  if (entity.active === 'false') deny('inactive client')
  if (entity.type && entity.type !== OAUTH_CLIENT.type) deny('not an OAuth client')
  const stored = db.decrypt('oauth_entity', entity.sys_id as string, 'client_secret') ?? ''
  if (entity.public_client !== 'true' && (!secret || !equalSecret(stored, secret))) deny('bad client secret')
  return entity
}

function lifespan(entity: TableRecordRow, field: 'access_token_lifespan' | 'refresh_token_lifespan', fallback: number): number {
  const n = Number(entity[field])
  return Number.isFinite(n) && n > 0 ? n : fallback
}

export async function handleOAuthToken(ctx: RequestContext): Promise<Reply> {
  ctx.route = 'POST /oauth_token.do'
  const { db, tokens, switches } = ctx.emu
  try {
    if (ctx.method !== 'POST') deny('method')
    // "A content-type of application/json results in an unspecified error" (facts 3.3).
    if (ctx.contentType !== 'application/x-www-form-urlencoded') deny('not a form body')
    const form = await ctx.form()
    const grant = form.get('grant_type')
    const entity = client(ctx, form)
    const entityId = entity.sys_id as string
    const accessLife = lifespan(entity, 'access_token_lifespan', OAUTH_CLIENT.accessTokenLifespanSeconds)
    const refreshLife = lifespan(entity, 'refresh_token_lifespan', OAUTH_CLIENT.refreshTokenLifespanSeconds)
    const access = (userSysId: string): TokenRecord => tokens.current('access', userSysId, entityId) ?? tokens.issue('access', userSysId, entityId, accessLife)
    const body = (a: TokenRecord, r?: TokenRecord) => ({
      access_token: a.token,
      ...(r ? { refresh_token: r.token } : {}),
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: tokens.expiresIn(a),
    })

    if (grant === 'password') {
      const result = checkCredentials(db, form.get('username') ?? '', form.get('password') ?? '')
      if ('failure' in result) deny(result.failure)
      if (switches.ropcRefusedForWebServiceOnly && result.user.web_service_access_only === 'true') deny('web service access only')
      recordLogin(db, result.user, switches)
      const userId = result.user.sys_id as string
      const refresh = tokens.current('refresh', userId, entityId) ?? tokens.issue('refresh', userId, entityId, refreshLife)
      // The password grant "always returns two tokens" (facts 3.3).
      return json(200, body(access(userId), refresh))
    }

    if (grant === 'refresh_token') {
      const refresh = tokens.find(form.get('refresh_token') ?? '', 'refresh')
      if (!refresh || refresh.entitySysId !== entityId) deny('bad refresh token')
      const user = db.findStored('sys_user', refresh.userSysId)?.row
      if (!user || 'failure' in usable(user)) deny('user no longer usable')
      // The refresh grant "returns only an access token" (facts 3.3).
      return json(200, body(access(refresh.userSysId)))
    }

    if (grant === 'client_credentials') {
      const enabled = db.query('sys_properties', `name=${CLIENT_CREDENTIALS_PROPERTY}`)[0]?.value === 'true'
      if (!enabled) deny('client_credentials grant disabled')
      const user = entity.user ? db.findStored('sys_user', entity.user)?.row : undefined
      if (!user || 'failure' in usable(user)) deny('no usable OAuth application user')
      recordLogin(db, user, switches)
      return json(200, body(access(user.sys_id as string)))
    }

    deny('unsupported grant_type')
  } catch (error) {
    if (error instanceof Denied) return json(401, OAUTH_DENIED)
    throw error
  }
}
