// Scripted REST APIs the installed apps define (sys_ws_definition + sys_ws_operation): routing, authentication,
// the snc_internal requirement and REST_Endpoint ACLs; the script itself runs in the ScriptRuntime (part 2).
import { listValues, passesRestAcls } from '../acl/acl.ts'
import { authenticate } from '../auth/authenticate.ts'
import { ERRORS, PlatformError } from '../db/errors.ts'
import { json, type Reply, type RequestContext } from '../http.ts'
import type { SessionUser, TableRecordRow } from '../types.ts'

export const SCRIPTED_REST_PATH = /^\/api\/([^/]+)\/.+$/

/** Matches `/verify` or `/device/{id}` against the request's path below the API's base path. */
function matchTemplate(template: string, rest: string): Record<string, string> | undefined {
  const t = template.split('/').filter(Boolean)
  const r = rest.split('/').filter(Boolean)
  if (t.length !== r.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < t.length; i++) {
    const seg = t[i] as string
    const value = r[i] as string
    const m = /^\{(.+)\}$/.exec(seg)
    if (m) params[m[1] as string] = decodeURIComponent(value)
    else if (seg !== value) return undefined
  }
  return params
}

function findOperation(ctx: RequestContext): { definition: TableRecordRow; operation: TableRecordRow; pathParams: Record<string, string> } | 'method' | undefined {
  const { db } = ctx.emu
  let methodMismatch = false
  // The versioned form /api/<namespace>/v1/<service>/... addresses the same resources.
  const unversioned = /^\/api\/[^/]+\/v\d+\//.test(ctx.path) ? ctx.path.replace(/^(\/api\/[^/]+)\/v\d+\//, '$1/') : undefined
  for (const { row: definition } of db.scan('sys_ws_definition')) {
    if (definition.active === 'false' || !definition.base_uri) continue
    const base = definition.base_uri.replace(/\/$/, '')
    let rest: string | undefined
    for (const candidate of [ctx.path, unversioned]) {
      if (rest === undefined && candidate && (candidate === base || candidate.startsWith(`${base}/`))) rest = candidate.slice(base.length)
    }
    if (rest === undefined) continue
    for (const { row: operation } of db.scan('sys_ws_operation')) {
      if (operation.web_service_definition !== definition.sys_id || operation.active === 'false') continue
      const pathParams = matchTemplate(operation.relative_path ?? '', rest)
      if (!pathParams) continue
      if ((operation.http_method ?? '').toUpperCase() !== ctx.method) {
        methodMismatch = true
        continue
      }
      return { definition, operation, pathParams }
    }
  }
  return methodMismatch ? 'method' : undefined
}

const GUEST: SessionUser = { sysId: '', userName: 'guest', roles: new Set(), via: 'basic' }

export async function handleScriptedRest(ctx: RequestContext): Promise<Reply> {
  const found = findOperation(ctx)
  if (found === undefined) throw ERRORS.noResource()
  if (found === 'method') throw ERRORS.methodNotAllowed(ctx.method)
  const { definition, operation, pathParams } = found
  ctx.route = `${ctx.method} ${definition.base_uri}${operation.relative_path}`
  const { db, runtime } = ctx.emu
  const authenticated = authenticate(ctx)
  if (operation.requires_authentication !== 'false' && !authenticated) throw ERRORS.notAuthenticated()
  const user = authenticated ?? GUEST
  // Routes default to requires_snc_internal_role=true (fluent-sdk-findings c).
  if (operation.requires_snc_internal_role !== 'false' && !user.roles.has('snc_internal') && !user.roles.has('admin')) {
    throw new PlatformError(403, 'User Not Authorized', 'The resource requires the snc_internal role')
  }
  if (operation.requires_acl_authorization !== 'false') {
    const acls = listValues(operation.enforce_acl).length > 0 ? listValues(operation.enforce_acl) : listValues(definition.enforce_acl)
    if (!passesRestAcls(db, user, acls)) throw new PlatformError(403, 'User Not Authorized', 'Failed API level ACL Validation')
  }
  let body: unknown
  const raw = (await ctx.body()).toString('utf8')
  if (raw !== '') {
    if (ctx.contentType === 'application/json') {
      try {
        body = JSON.parse(raw)
      } catch (error) {
        throw ERRORS.badJson(`The payload is not valid JSON: ${(error as Error).message}`)
      }
    } else body = raw
  }
  const response = await runtime.scriptedRest({ operation, user, method: ctx.method, path: ctx.path, pathParams, query: ctx.queryObject(), body, headers: ctx.headers, db })
  if (typeof response.body === 'string') return { status: response.status, text: response.body, contentType: response.headers?.['Content-Type'] ?? 'text/plain', headers: response.headers ?? {} }
  return json(response.status, response.body, response.headers ?? {})
}
