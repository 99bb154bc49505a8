// The records a fresh instance has that the integration touches.
import { DISCOVERY_SOURCE, INSERT_MULTIPLE_PLUGIN, INSTANCE_PROPERTIES, OAUTH_CLIENT, SAM_PRO_PLUGIN } from '@kandji-sn/contract/constants'
import type { EmulatedRelease, EmulatorSwitches } from '../types.ts'
import type { Database } from './database.ts'
import { API_KEY_PLUGIN } from '../auth/api-key.ts'
import { basicAuthProperties } from '../auth/basic-auth-restriction.ts'
import { BASE_ROLES, containmentLinks, type RoleContainmentOverride } from './fixtures/role-containment.ts'
import { grantRole, roleSysId } from './roles.ts'

/** Build identifiers per release (facts 5: the family is the second dash-separated token of the build tag). */
export const RELEASE_BUILDS: Record<EmulatedRelease, { buildname: string; buildtag: string }> = {
  xanadu: { buildname: 'Xanadu', buildtag: 'glide-xanadu-07-02-2024__patch9-05-29-2025' },
  yokohama: { buildname: 'Yokohama', buildtag: 'glide-yokohama-12-18-2024__patch8-09-24-2025' },
  zurich: { buildname: 'Zurich', buildtag: 'glide-zurich-07-01-2025__patch4-11-14-2025' },
  australia: { buildname: 'Australia', buildtag: 'glide-australia-02-11-2026__patch1-03-23-2026' },
}

/** Existing choices on cmdb_ci.discovery_source on a base instance (an excerpt). */
export const BASE_DISCOVERY_SOURCES = ['ServiceNow', 'SCCM', 'Manual Entry', 'ImportSet', 'Altiris', 'LANDesk', 'Other'] as const

/**
 * Fixed sys_id of the platform's "Scripted REST External Default" ACL that `now-sdk build` writes into
 * sys_ws_definition/operation.enforce_acl when an API names none (fluent-sdk-findings c).
 */
export const SCRIPTED_REST_DEFAULT_ACL = 'cf9d01d3e73003009d6247e603f6a990'

export const ADMIN_USER_NAME = 'admin'

/** The sys_db_object row of a platform table the dictionary defines (super_class is set by the caller). */
export function platformTableRecord(db: Database, name: string, globalTableAccess: EmulatorSwitches['globalTableAccess'] = 'read-only'): Record<string, string> {
  const def = db.dictionary.get(name)
  const extensible = db.dictionary.tableNames().some((t) => db.dictionary.get(t)?.extends === name)
  // Application access for other scopes' scripts (runtime/cross-scope.ts): read only unless switch globalTableAccess is 'open'.
  const writes = String(globalTableAccess === 'open')
  return {
    name,
    label: def?.label ?? name,
    is_extendable: String(extensible),
    ws_access: String(def?.wsAccess ?? true),
    sys_scope: 'global',
    access: 'public',
    read_access: 'true',
    create_access: writes,
    update_access: writes,
    delete_access: writes,
  }
}

export function seedDatabase(db: Database, options: { adminPassword: string; release: EmulatedRelease; globalTableAccess?: EmulatorSwitches['globalTableAccess']; samPro?: EmulatorSwitches['samPro']; insertMultiplePlugin?: EmulatorSwitches['insertMultiplePlugin']; basicAuthRestriction?: EmulatorSwitches['basicAuthRestriction']; ireSkipDuplicates?: boolean; instanceName?: string; roleContainment?: RoleContainmentOverride }): void {
  const system = { user: 'system' }
  // sys_db_object rows for the platform tables, so references to them (super_class name="sys_import_set_row") resolve.
  const tableIds = new Map<string, string>()
  for (const name of db.dictionary.tableNames()) {
    const row = db.insert('sys_db_object', platformTableRecord(db, name, options.globalTableAccess), system)
    tableIds.set(name, row.sys_id as string)
  }
  for (const [name, sysId] of tableIds) {
    const parent = db.dictionary.get(name)?.extends
    if (parent && tableIds.has(parent)) db.update('sys_db_object', sysId, { super_class: tableIds.get(parent) }, system)
  }
  for (const role of BASE_ROLES) {
    db.insert('sys_user_role', { name: role.name, description: role.description ?? '', elevated_privilege: role.elevated ? 'true' : 'false', sys_scope: 'global' }, system)
  }
  for (const link of containmentLinks(options.roleContainment ?? {})) {
    for (const name of [link.role, link.contains]) {
      // A role a profile names that the base roles lack (another release's, a plugin's) is created.
      if (db.query('sys_user_role', `name=${name}`, { limit: 1 }).length === 0) db.insert('sys_user_role', { name, description: '', elevated_privilege: 'false', sys_scope: 'global' }, system)
    }
    db.insert('sys_user_role_contains', { role: roleSysId(db, link.role), contains: roleSysId(db, link.contains), sys_scope: 'global' }, system)
  }

  const admin = db.insert(
    'sys_user',
    { user_name: ADMIN_USER_NAME, first_name: 'System', last_name: 'Administrator', email: 'admin@example.com', user_password: options.adminPassword },
    { ...system, inputDisplayValue: true },
  )
  grantRole(db, admin.sys_id as string, 'admin')

  const build = RELEASE_BUILDS[options.release]
  const properties: Record<string, string> = {
    'glide.buildname': build.buildname,
    'glide.buildtag': build.buildtag,
    'glide.war': `${build.buildtag}.zip`,
    'glide.product.description': 'Emulated ServiceNow instance',
    ...basicAuthProperties(options.basicAuthRestriction ?? 'upgraded'),
    // The property is true when absent (id-detect-dup-ci.md): it is seeded only as an admin who turned it off left it.
    ...(options.ireSkipDuplicates === false ? { [INSTANCE_PROPERTIES.ireSkipDuplicates]: 'false' } : {}),
    ...(options.instanceName !== undefined ? { [INSTANCE_PROPERTIES.instanceName]: options.instanceName } : {}),
  }
  for (const [name, value] of Object.entries(properties)) db.insert('sys_properties', { name, value, type: 'string', sys_scope: 'global' }, system)

  BASE_DISCOVERY_SOURCES.forEach((value, i) => {
    db.insert('sys_choice', { name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value, label: value, language: 'en', sequence: String(i * 10), sys_scope: 'global' }, system)
  })
  if (db.dictionary.column('oauth_entity', OAUTH_CLIENT.scopeRestrictionField)) {
    // ASSUMPTION (facts 3.2, open item 4): labels of the stored values; "Broadly scoped" -> unrestricted is the likeliest.
    const choices = [
      { value: OAUTH_CLIENT.broadlyScopedValue, label: 'Broadly scoped' },
      { value: 'restricted', label: 'Secured scopes only' },
      { value: 'useraccount', label: 'User account' },
    ]
    choices.forEach((c, i) => db.insert('sys_choice', { name: 'oauth_entity', element: OAUTH_CLIENT.scopeRestrictionField, ...c, language: 'en', sequence: String(i), sys_scope: 'global' }, system))
  }
  for (const state of ['pending', 'inserted', 'updated', 'ignored', 'skipped', 'error']) {
    db.insert('sys_choice', { name: 'sys_import_set_row', element: 'sys_import_state', value: state, label: state[0]?.toUpperCase() + state.slice(1), language: 'en', sys_scope: 'global' }, system)
  }

  const plugins = [
    { source: SAM_PRO_PLUGIN, name: 'Software Asset Management Professional', active: options.samPro ?? 'inactive' },
    { source: 'com.glide.explicit_roles', name: 'Explicit Roles', active: 'active' },
    { source: 'com.snc.cicd', name: 'CI/CD REST API', active: 'active' },
    { source: 'com.glide.rest', name: 'REST API Provider', active: 'active' },
    // "You can activate the plugin API Key and HMAC Authentication" (active-api-key-hmac.md): off until an admin does.
    { source: API_KEY_PLUGIN, name: 'API Key and HMAC Authentication', active: 'inactive' },
    { source: INSERT_MULTIPLE_PLUGIN, name: 'Insert Multiple Web Service', active: options.insertMultiplePlugin === 'absent' ? 'inactive' : 'active' },
  ]
  for (const p of plugins) db.insert('sys_plugins', { ...p, version: build.buildname }, system)

  db.insert('sys_cluster_state', { build_name: build.buildname, build_tag: build.buildtag, system_id: 'emulator:node1' }, system)

  const defaultAcl = db.insert(
    'sys_security_acl',
    { sys_id: SCRIPTED_REST_DEFAULT_ACL, name: 'Scripted REST External Default', type: 'REST_Endpoint', operation: 'execute', active: 'true', admin_overrides: 'true', sys_scope: 'global' },
    system,
  )
  // ASSUMPTION: the default scripted REST ACL admits any internal user (snc_internal).
  db.insert('sys_security_acl_role', { sys_security_acl: defaultAcl.sys_id, sys_user_role: roleSysId(db, 'snc_internal'), sys_scope: 'global' }, system)
  db.insert('sys_scope', { sys_id: 'global', name: 'Global', scope: 'global', version: build.buildname, active: 'true' }, system)
}
