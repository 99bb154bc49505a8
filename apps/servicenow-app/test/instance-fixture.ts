// A fake instance on which the Kandji integration is configured correctly: every verify check passes.
import {
  APP,
  DISCOVERY_SOURCE,
  FIX_SCRIPT_NAME,
  INSERT_MULTIPLE_PLUGIN,
  OAUTH_CLIENT,
  PLATFORM_TABLES,
  REST_INSERT_MULTIPLE,
  SERVICE_ACCOUNT,
  SERVICE_ACCOUNT_ROLES,
  TABLES,
  TRANSFORM_MAPS,
} from '@kandji-sn/contract/constants'
import { APP_VERSION } from '../src/server/generated/contract.ts'
import { FakeDb } from './fake-platform.ts'

export const USER_SYS_ID = 'a'.repeat(32)

export function healthyInstance(options: { zurich?: boolean } = {}): FakeDb {
  const db = new FakeDb()
  db.add(PLATFORM_TABLES.scope, { scope: APP.scope, version: APP_VERSION, sys_class_name: PLATFORM_TABLES.app })
  db.add(PLATFORM_TABLES.choice, {
    name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value: DISCOVERY_SOURCE.value,
    label: DISCOVERY_SOURCE.label, language: DISCOVERY_SOURCE.language, inactive: 'false',
  })
  db.add(PLATFORM_TABLES.fixScript, { name: FIX_SCRIPT_NAME })
  db.add(PLATFORM_TABLES.user, {
    sys_id: USER_SYS_ID, user_name: SERVICE_ACCOUNT.defaultUserName, active: 'true', locked_out: 'false',
    password_needs_reset: 'false', web_service_access_only: 'true',
  })
  for (const role of SERVICE_ACCOUNT_ROLES) db.add(PLATFORM_TABLES.userRole, { user: USER_SYS_ID, 'role.display': role, inherited: 'false' })
  const zurich = options.zurich ?? true
  const oauthColumns = ['name', 'type', 'active', 'redirect_url', ...(zurich ? [OAUTH_CLIENT.scopeRestrictionField] : [])]
  db.columns.set(PLATFORM_TABLES.oauthEntity, new Set(oauthColumns))
  db.add(PLATFORM_TABLES.oauthEntity, {
    name: OAUTH_CLIENT.defaultName, type: OAUTH_CLIENT.type, active: 'true', redirect_url: OAUTH_CLIENT.redirectUrl,
    refresh_token_lifespan: String(OAUTH_CLIENT.refreshTokenLifespanSeconds),
    ...(zurich ? { [OAUTH_CLIENT.scopeRestrictionField]: OAUTH_CLIENT.broadlyScopedValue } : {}),
  })
  for (const table of Object.values(TABLES)) db.add(PLATFORM_TABLES.dbObject, { name: table })
  for (const name of Object.values(TRANSFORM_MAPS)) db.add(PLATFORM_TABLES.transformMap, { name, active: 'true' })
  db.add('sys_plugins', { source: INSERT_MULTIPLE_PLUGIN, active: 'active' })
  for (const table of [TABLES.deviceImport, TABLES.appImport]) {
    db.add(REST_INSERT_MULTIPLE.table, { [REST_INSERT_MULTIPLE.sourceTableField]: table, [REST_INSERT_MULTIPLE.columnMappingField]: REST_INSERT_MULTIPLE.columnNameValue })
  }
  return db
}
