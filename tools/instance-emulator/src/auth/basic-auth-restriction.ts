// The Basic Authentication Restriction gate (ServiceNowDocs platform-security/authentication/basic-auth-restriction.md
// and the hardening pages instance-security-hardening-settings/sc-enable-basic-auth-restriction.md,
// sc-limit-basic-authentication-restriction-allowed-roles.md, sc-limit-basic-auth-restriction-allowed-users.md).
import { ADMIN_SIGN_IN } from '@kandji-sn/contract/constants'
import type { Database } from '../db/database.ts'
import { userRoleNames } from '../db/roles.ts'
import type { EmulatorSwitches, TableRecordRow } from '../types.ts'

/**
 * active: the feature toggle (false bypasses the gate; default true). enforce: the enforcement toggle (false =
 * tracking mode, recorded and not blocked). allowedRoles / allowedUsers: comma-separated role names / sys_user sys_ids
 * that pass the gate (out of the box the dedicated role / empty).
 */
export const BASIC_AUTH_PROPERTIES = ADMIN_SIGN_IN.basicAuthProperties

export const BASIC_AUTH_ROLE = ADMIN_SIGN_IN.basicAuthRole

/**
 * The properties a fresh instance has. "zBoot instances (newly provisioned instances): basic authentication is
 * restricted by default"; on upgraded instances "existing integrations using basic authentication may continue to
 * work" (basic-authentication.md): the restriction is there, in tracking mode.
 */
export function basicAuthProperties(variant: EmulatorSwitches['basicAuthRestriction']): Record<string, string> {
  return {
    [BASIC_AUTH_PROPERTIES.active]: 'true',
    [BASIC_AUTH_PROPERTIES.enforce]: String(variant === 'new-instance'),
    [BASIC_AUTH_PROPERTIES.allowedRoles]: BASIC_AUTH_ROLE,
    [BASIC_AUTH_PROPERTIES.allowedUsers]: '',
  }
}

function property(db: Database, name: string): string | undefined {
  return db.query('sys_properties', `name=${name}`)[0]?.value
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
}

/**
 * Whether an API request with basic credentials of this (already verified) user passes the gate. Enforcement blocks
 * it "unless the requesting account" is web-service-access-only, presents an MFA one-time password (not emulated: a
 * headless client has none), is listed in allowed_users or holds a role in allowed_roles (inherited roles count:
 * mid_server passes "through the platform role hierarchy").
 */
export function basicAuthAllowed(db: Database, user: TableRecordRow): boolean {
  if (property(db, BASIC_AUTH_PROPERTIES.active) !== 'true') return true
  if (property(db, BASIC_AUTH_PROPERTIES.enforce) !== 'true') return true
  if (user.web_service_access_only === 'true') return true
  const sysId = user.sys_id as string
  if (list(property(db, BASIC_AUTH_PROPERTIES.allowedUsers)).includes(sysId)) return true
  const roles = userRoleNames(db, sysId)
  return list(property(db, BASIC_AUTH_PROPERTIES.allowedRoles)).some((role) => roles.has(role))
}
