import '@servicenow/sdk/global'
import { CrossScopePrivilege } from '@servicenow/sdk/core'
import { PLATFORM_TABLES, REST_INSERT_MULTIPLE } from '@kandji-sn/contract/constants'

// One allowed privilege per (table, operation) the app's scripts perform on a global table: exactly the contract's
// CROSS_SCOPE_PRIVILEGES (each entry says which script needs it). Fluent allows no loop here, so each is written out;
// app-package validation fails the build when this file and the contract's list differ in either direction.
// An installed app runs under Enforcing runtime access tracking (KB0717945): a missing one is refused at runtime.

export const choiceRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_choice_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.choice,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const choiceCreate = CrossScopePrivilege({
  $id: Now.ID['cross_scope_choice_create'],
  status: 'allowed',
  operation: 'create',
  targetName: PLATFORM_TABLES.choice,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const choiceWrite = CrossScopePrivilege({
  $id: Now.ID['cross_scope_choice_write'],
  status: 'allowed',
  operation: 'write',
  targetName: PLATFORM_TABLES.choice,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const userRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_user_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.user,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const userRoleRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_userRole_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.userRole,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const roleRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_role_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.role,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const oauthEntityRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_oauthEntity_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.oauthEntity,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const scopeRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_scope_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.scope,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const fixScriptRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_fixScript_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.fixScript,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const dbObjectRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_dbObject_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.dbObject,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const transformMapRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_transformMap_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.transformMap,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const hardwareRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_hardware_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.hardware,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const computerRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_computer_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.computer,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const importSetRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_importSet_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.importSet,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const importSetRunRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_importSetRun_read'],
  status: 'allowed',
  operation: 'read',
  targetName: PLATFORM_TABLES.importSetRun,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})

export const restInsertMultipleRead = CrossScopePrivilege({
  $id: Now.ID['cross_scope_restInsertMultiple_read'],
  status: 'allowed',
  operation: 'read',
  targetName: REST_INSERT_MULTIPLE.table,
  targetScope: 'global',
  targetType: PLATFORM_TABLES.dbObject,
})
