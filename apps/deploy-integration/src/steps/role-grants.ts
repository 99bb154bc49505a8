import {
  EXIT_CODES,
  EXPECTED_TOTAL_ROLE_COUNT,
  PLATFORM_GRANTED_ROLES,
  PLATFORM_TABLES,
  PRIVILEGED_ROLES,
  SERVICE_ACCOUNT_ROLES,
} from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import { CliError } from '../errors.ts'
import { isTrue, type StepPlan, type TableChange } from './types.ts'

const TABLE = PLATFORM_TABLES.userRole

export interface RoleGrant {
  sysId: string
  roleSysId: string
  roleName: string
  inherited: boolean
}

export interface RoleGrantsCurrent {
  /** undefined when the account does not exist yet (its grants are then all to create). */
  userSysId: string | undefined
  grants: RoleGrant[]
  /** sys_id of each required role on this instance. */
  roleIds: Record<string, string>
}

export async function readRoleIds(admin: ServiceNowClient): Promise<Record<string, string>> {
  const roles = await admin.table.list(PLATFORM_TABLES.role, { query: query().in('name', [...SERVICE_ACCOUNT_ROLES]).toString(), fields: ['sys_id', 'name'] })
  const ids: Record<string, string> = {}
  for (const role of roles) if (role.name && role.sys_id) ids[role.name] = role.sys_id
  const missing = SERVICE_ACCOUNT_ROLES.filter((r) => !ids[r])
  if (missing.length > 0) {
    throw new CliError(
      EXIT_CODES.instance,
      `the instance has no role named ${missing.join(', ')}`,
      'the plugin that defines it is not active on this instance, or the role was renamed',
      'activate the plugin that provides the role (System Definition > Plugins), then re-run `deploy-integration plan`',
    )
  }
  return ids
}

const GRANT_FIELDS = ['sys_id', 'role', 'role.name', 'inherited', 'user']

export async function readGrants(admin: ServiceNowClient, userSysId: string): Promise<RoleGrant[]> {
  const rows = await admin.table.list(TABLE, { query: query().eq('user', userSysId).toString(), fields: GRANT_FIELDS })
  return grantsOf(admin, rows, userSysId)
}

/**
 * The grant rows of an account by its user name (dot-walked, so the read need not wait for the account's sys_id):
 * pass them to grantsOf with the sys_id once the account has been read.
 */
export function readGrantRowsByUserName(admin: ServiceNowClient, userName: string): Promise<TableRecord[]> {
  return admin.table.list(TABLE, { query: query().eq('user.user_name', userName).toString(), fields: GRANT_FIELDS })
}

/**
 * Grant rows as RoleGrants, kept only when they are the user's: uninstall and --prune-roles delete these by sys_id,
 * and an instance that ignored the clause would list every user's grants (glide.invalid_query.returns_no_rows is
 * false by default). Role names come from the dot-walked role.name; where the instance left it out, from
 * sys_user_role by sys_id (one more read).
 */
export async function grantsOf(admin: ServiceNowClient, all: readonly TableRecord[], userSysId: string): Promise<RoleGrant[]> {
  const rows = all.filter((r) => r.user === userSysId)
  const names = new Map<string, string>()
  for (const r of rows) if (r.role && r['role.name']) names.set(r.role, r['role.name'])
  const unnamed = [...new Set(rows.map((r) => r.role).filter((r): r is string => !!r && !names.has(r)))]
  if (unnamed.length > 0) {
    const roles = await admin.table.list(PLATFORM_TABLES.role, { query: query().in('sys_id', unnamed).toString(), fields: ['sys_id', 'name'] })
    for (const role of roles) if (role.sys_id) names.set(role.sys_id, role.name ?? role.sys_id)
  }
  return rows.map((r) => ({
    sysId: r.sys_id ?? '',
    roleSysId: r.role ?? '',
    roleName: names.get(r.role ?? '') ?? r.role ?? '',
    inherited: isTrue(r.inherited),
  }))
}

const required = new Set<string>(SERVICE_ACCOUNT_ROLES)
const platformGranted = new Set<string>(PLATFORM_GRANTED_ROLES)
const privileged = new Set<string>(PRIVILEGED_ROLES)

/**
 * Exactly the three roles as direct grants. Extra direct grants are drift: reported, and removed only with
 * --prune-roles (someone may have added them on purpose). Roles the platform adds itself (snc_internal) are not extra.
 */
export function planRoleGrants(current: RoleGrantsCurrent, desired: { userName: string; pruneRoles: boolean }): StepPlan {
  const plan: StepPlan = { step: 'role-grants', object: `roles of "${desired.userName}"`, changes: [], notes: [], warnings: [] }
  const direct = current.grants.filter((g) => !g.inherited)
  for (const role of SERVICE_ACCOUNT_ROLES) {
    if (direct.some((g) => g.roleName === role)) continue
    const change: TableChange = {
      step: 'role-grants',
      action: 'create',
      table: TABLE,
      key: `user=${desired.userName}^role=${role}`,
      fields: [{ field: 'role', from: undefined, to: role }],
      data: { role: current.roleIds[role] },
    }
    if (current.userSysId) change.data = { ...change.data, user: current.userSysId }
    else change.userField = 'user'
    plan.changes.push(change)
  }
  const extra = direct.filter((g) => !required.has(g.roleName) && !platformGranted.has(g.roleName))
  for (const grant of extra) {
    const kind = privileged.has(grant.roleName) ? 'privileged role' : 'role'
    plan.drift = [...(plan.drift ?? []), { kind: 'role-added', detail: extraRoleDetail(desired.userName, grant.roleName, kind) }]
    if (desired.pruneRoles) {
      plan.changes.push({
        step: 'role-grants',
        action: 'delete',
        table: TABLE,
        key: `user=${desired.userName}^role=${grant.roleName}`,
        sysId: grant.sysId,
        fields: [{ field: 'role', from: grant.roleName, to: undefined }],
        reason: `extra ${kind}`,
      })
    } else {
      plan.warnings.push(`extra direct ${kind} "${grant.roleName}": the integration needs only ${SERVICE_ACCOUNT_ROLES.join(', ')} (re-run with --prune-roles to remove it)`)
    }
  }
  if (current.userSysId) plan.notes.push(describeRoleCount(current.grants))
  return plan
}

/** The drift entry's detail for an extra direct role, with --prune-roles or without. */
export function extraRoleDetail(userName: string, roleName: string, kind: 'role' | 'privileged role'): string {
  return `"${userName}" has the extra direct ${kind} ${roleName}; it needs only ${SERVICE_ACCOUNT_ROLES.join(', ')}`
}

/**
 * "the instance reports N roles (3 direct, K inherited: …); the vendor expects 6" (seed: "Verify Role Assignment").
 * Roles the platform adds by itself (snc_internal, at first login) are named apart so the count is not alarming.
 */
export function describeRoleCount(grants: readonly RoleGrant[]): string {
  const direct = grants.filter((g) => !g.inherited && !platformGranted.has(g.roleName))
  const byPlatform = [...new Set(grants.filter((g) => !g.inherited && platformGranted.has(g.roleName)).map((g) => g.roleName))].sort()
  const inherited = [...new Set(grants.filter((g) => g.inherited).map((g) => g.roleName))].sort()
  const total = new Set(grants.map((g) => g.roleName)).size
  const parts = [`${direct.length} direct`, `${inherited.length} inherited${inherited.length ? `: ${inherited.join(', ')}` : ''}`]
  if (byPlatform.length) parts.push(`${byPlatform.length} added by the platform at first login: ${byPlatform.join(', ')}`)
  return `the instance reports ${total} roles (${parts.join('; ')}); the vendor expects ${EXPECTED_TOTAL_ROLE_COUNT}${byPlatform.length ? ' plus those' : ''}`
}
