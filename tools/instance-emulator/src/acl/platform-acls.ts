// Platform default table ACLs the integration runs into, as a fixture. A real instance has thousands; these are
// the ones that decide what the deployer (admin) and the service account (cmdb_read, import_transformer,
// rest_api_explorer) can do. Roles [] means "any authenticated user". Rows are evaluated like sys_security_acl
// records of type `record` at table level: the most specific table in the class hierarchy that has a rule for the
// operation decides (then `*`); admin passes every rule (admin_overrides).
//
// ASSUMPTION: the role lists are the emulator's reading of the base system, not a copy of a real instance's ACLs.

export type AclOperation = 'read' | 'write' | 'create' | 'delete'

export interface PlatformAcl {
  table: string
  operations: readonly AclOperation[]
  roles: readonly string[]
}

const ALL: readonly AclOperation[] = ['read', 'write', 'create', 'delete']
const WRITE: readonly AclOperation[] = ['write', 'create', 'delete']

export const PLATFORM_ACLS: readonly PlatformAcl[] = [
  { table: 'sys_user', operations: ALL, roles: ['user_admin'] },
  { table: 'sys_user_role', operations: ['read'], roles: ['user_admin'] },
  { table: 'sys_user_has_role', operations: ALL, roles: ['user_admin'] },
  { table: 'sys_user_role_contains', operations: ['read'], roles: ['user_admin'] },
  { table: 'cmdb_ci', operations: ['read'], roles: ['cmdb_read', 'itil', 'asset'] },
  { table: 'cmdb_ci', operations: ['write', 'create'], roles: ['itil', 'asset', 'cmdb_admin'] },
  { table: 'cmdb_ci', operations: ['delete'], roles: ['cmdb_admin', 'asset'] },
  { table: 'cmdb_sam_sw_install', operations: ['read'], roles: ['sam_user', 'cmdb_read'] },
  { table: 'cmdb_sam_sw_install', operations: WRITE, roles: ['sam_admin'] },
  { table: 'sys_choice', operations: ['read'], roles: [] },
  { table: 'sys_choice', operations: WRITE, roles: ['personalize_choices'] },
  { table: 'oauth_entity', operations: ALL, roles: ['oauth_admin'] },
  { table: 'sys_properties', operations: ALL, roles: ['admin'] },
  { table: 'sys_scope', operations: ['read'], roles: [] },
  { table: 'sys_plugins', operations: ['read'], roles: ['admin'] },
  { table: 'sys_db_object', operations: ['read'], roles: ['personalize_dictionary'] },
  { table: 'sys_dictionary', operations: ['read'], roles: ['personalize_dictionary'] },
  { table: 'sys_import_set', operations: ['read'], roles: ['import_admin', 'import_transformer', 'import_set_loader'] },
  { table: 'sys_import_set_row', operations: ['read', 'create'], roles: ['import_admin', 'import_transformer', 'import_set_loader'] },
  { table: 'sys_import_set_row', operations: ['write', 'delete'], roles: ['import_admin', 'import_transformer'] },
  { table: 'sys_transform_map', operations: ['read'], roles: ['import_transformer', 'import_admin'] },
  { table: 'sys_transform_entry', operations: ['read'], roles: ['import_transformer', 'import_admin'] },
  { table: 'sys_script_fix', operations: ALL, roles: ['script_fix_admin'] },
  { table: 'sys_execution_tracker', operations: ['read'], roles: ['sn_cicd.sys_ci_automation'] },
  // Everything else: admin only.
  { table: '*', operations: ALL, roles: ['admin'] },
]
