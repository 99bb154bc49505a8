// REST API keys (plugin com.glide.tokenbased_auth; ServiceNowDocs platform-security/authentication/configure-api-key.md):
// a key in the x-sn-apikey header authenticates as its user on a REST API that has an active REST API access policy
// mapped to an active API key authentication profile. "Token Based Auth isn't allowed in the Global REST API Policy."
import { ADMIN_SIGN_IN } from '@kandji-sn/contract/constants'
import type { Database } from '../db/database.ts'
import type { TableRecordRow } from '../types.ts'

export const API_KEY_HEADER = ADMIN_SIGN_IN.apiKeyHeader
export const API_KEY_PLUGIN = ADMIN_SIGN_IN.apiKeyPlugin

/** `/api/now/table/x` -> `now/table`; `/api/x_acme_app/verify/status` -> `x_acme_app/verify` (the REST API PATH). */
export function restApiPath(path: string): string | undefined {
  const m = /^\/api\/([^/]+)\/([^/]+)/.exec(path)
  if (!m) return undefined
  // A versioned path /api/now/v2/table/x is the same API.
  if (/^v\d+$/.test(m[2] ?? '')) return /^\/api\/([^/]+)\/v\d+\/([^/]+)/.exec(path)?.slice(1, 3).join('/')
  return `${m[1]}/${m[2]}`
}

function pluginActive(db: Database): boolean {
  return db.query('sys_plugins', `source=${API_KEY_PLUGIN}`)[0]?.active === 'active'
}

/** The key's user, or undefined when the key does not authenticate this request (unknown, inactive, expired, no policy). */
export function apiKeyUser(db: Database, token: string, path: string): TableRecordRow | undefined {
  if (!token || !pluginActive(db)) return undefined
  const api = restApiPath(path)
  if (!api) return undefined
  const now = db.now().getTime()
  const key = [...db.scan('api_key')]
    .map((e) => e.row)
    .find((row) => row.active !== 'false' && db.decrypt('api_key', row.sys_id as string, 'token') === token)
  if (!key) return undefined
  if (key.expires && Date.parse(`${key.expires.replace(' ', 'T')}Z`) <= now) return undefined
  const policies = db.query('sys_api_access_policy', `active=true^rest_api_path=${api}`).filter((p) => p.apply_global !== 'true')
  const admitted = policies.some((policy) =>
    db.query('sys_auth_profile_mapping', `api_access_policy=${policy.sys_id}`).some((m) => db.findStored('http_key_auth', m.inbound_auth_profile ?? '')?.row.active === 'true'),
  )
  if (!admitted) return undefined
  return key.user ? db.findStored('sys_user', key.user)?.row : undefined
}

/**
 * What an admin sets up on the instance for an API key (configure-api-key.md, steps 1-3), for tests and the demo:
 * activates the plugin, creates an API key authentication profile, one access policy per REST API PATH mapped to it,
 * and a key for the user. Returns the key (the token the admin copies from the record).
 */
export function provisionApiKey(db: Database, options: { userSysId: string; restApiPaths: readonly string[]; token: string; name?: string; expires?: string }): { keySysId: string } {
  const system = { user: 'admin' }
  for (const { row } of db.scan('sys_plugins')) {
    if (row.source === API_KEY_PLUGIN && row.active !== 'active') db.update('sys_plugins', row.sys_id as string, { active: 'active' }, system)
  }
  const name = options.name ?? 'CI API key'
  const profile = db.insert('http_key_auth', { name: `${name} profile`, active: 'true', auth_parameter: `${API_KEY_HEADER}: Auth Header` }, system)
  for (const path of options.restApiPaths) {
    const policy = db.insert('sys_api_access_policy', { name: `${name} ${path}`, active: 'true', rest_api_path: path, apply_global: 'false' }, system)
    db.insert('sys_auth_profile_mapping', { api_access_policy: policy.sys_id, inbound_auth_profile: profile.sys_id }, system)
  }
  const key = db.insert('api_key', { name, user: options.userSysId, active: 'true', token: options.token, ...(options.expires ? { expires: options.expires } : {}) }, { ...system, inputDisplayValue: true })
  return { keySysId: key.sys_id as string }
}
