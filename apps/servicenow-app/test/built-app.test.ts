// Parses the BUILT app (dist/app) and asserts every record the issue asks for, with its key fields.
// Builds once when dist/app is missing (turbo's build normally ran before the tests).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readAppPackage, recordsOf, validateAppPackage, type AppPackage, type AppRecord } from '@kandji-sn/app-package'
import {
  ACL_GRANTS,
  HEALTH_RUN,
  RETIREMENT_JOB,
  APP,
  APP_PROPERTIES,
  APP_ROLES,
  CROSS_SCOPE_PRIVILEGES,
  FIX_SCRIPT_NAME,
  MDM_FIELDS,
  OAUTH_CLIENT,
  PLATFORM_TABLES,
  REST_API,
  REST_INSERT_MULTIPLE,
  SERVICE_ACCOUNT,
  SETUP_SCRIPT_INCLUDE,
  TABLES,
  TRANSFORM_MAPS,
  repairPath,
  statusPath,
  verifyPath,
} from '@kandji-sn/contract'
import { healthModule } from '../src/fluent/bridges.ts'
import { APP_IMPORT_COLUMNS, SOFTWARE_CI_COLUMN, SOFTWARE_INSTALL_COLUMN } from '../src/server/import/app-transform.ts'
import { DEVICE_IMPORT_COLUMNS, MDM_BOOLEAN_COLUMNS, MDM_CI_COLUMN, MDM_DATETIME_COLUMNS, MDM_STRING_COLUMNS } from '../src/server/import/device-mapping.ts'
import { appRoot, readPackageJson } from '../scripts/generate.ts'

let pkg: AppPackage
const dist = join(appRoot, 'dist', 'app')

beforeAll(() => {
  if (!existsSync(join(dist, 'scope'))) {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: appRoot, stdio: 'pipe' })
  }
}, 180_000)
beforeAll(async () => {
  pkg = await readAppPackage(dist)
})

const live = (table: string) => recordsOf(pkg, table).filter((r) => r.action !== 'DELETE')
const one = (table: string, pred: (r: AppRecord) => boolean): AppRecord => {
  const found = live(table).filter(pred)
  expect(found, `exactly one ${table} record`).toHaveLength(1)
  return found[0]!
}
const roleName = (sysId: string) => one(PLATFORM_TABLES.role, (r) => r.sysId === sysId).fields.name
/** Role names granted by an ACL (app roles by sys_id, platform roles by their name attribute). */
const aclRoles = (acl: AppRecord) =>
  live('sys_security_acl_role')
    .filter((r) => r.fields.sys_security_acl === acl.sysId)
    .map((r) => r.displayValues.sys_user_role || roleName(r.fields.sys_user_role ?? ''))
    .sort()

describe('the built Kandji app', () => {
  it('is the contract scope and name, at the package.json version', () => {
    expect(pkg.scope).toBe(APP.scope)
    expect(pkg.scopeId).toBe(APP.scopeId)
    expect(pkg.name).toBe(APP.name)
    expect(pkg.version).toBe(readPackageJson().version)
  })

  it('deletes only the two field maps 1.1.0 wrote onto cmdb_sam_sw_install and the two verify modules 1.3.0 moved to the contract, and has no unevaluated values', () => {
    // The application transform moved to the app's software table (1.2.0): its old installed_on and display_name
    // field maps would otherwise stay on upgraded instances. The check catalogue moved to the contract (1.3.0): the
    // old verify/checks and verify/snapshots modules go. Nothing else is ever deleted.
    const deletes = pkg.records.filter((r) => r.action === 'DELETE')
    expect(deletes.map((r) => `${r.table}:${r.sysId}`).sort()).toEqual([
      'sys_module:503dd3db1ce1427cad481229f7cebf62',
      'sys_module:e9d213d370bb4111816dfcc771a91154',
      'sys_transform_entry:376e330e85294fbeb013da1a013a912b',
      'sys_transform_entry:802e7c2d170548da99a0d5e5cd870686',
    ])
    for (const r of pkg.records) expect(r.xml).not.toMatch(/Now\.UNRESOLVED|\[object Object\]/)
  })

  it('defines admin containing viewer', () => {
    const admin = one(PLATFORM_TABLES.role, (r) => r.fields.name === APP_ROLES.admin)
    const viewer = one(PLATFORM_TABLES.role, (r) => r.fields.name === APP_ROLES.viewer)
    const contains = live(PLATFORM_TABLES.roleContains)
    expect(contains).toHaveLength(1)
    expect(contains[0]?.fields).toMatchObject({ role: admin.sysId, contains: viewer.sysId })
  })

  it('packages no choice at all: a packaged sys_choice travels as its field\'s whole choice list', () => {
    expect(pkg.records.filter((r) => r.table === PLATFORM_TABLES.choice || r.table === 'sys_choice_set').map((r) => r.path)).toEqual([])
  })

  it("ships exactly the contract's cross-scope privileges, allowed, on global tables", () => {
    const privileges = live('sys_scope_privilege').map((p) => ({ ...p.fields }))
    expect(privileges.map((p) => `${p.target_name}:${p.operation}`).sort()).toEqual(CROSS_SCOPE_PRIVILEGES.map((p) => `${p.table}:${p.operation}`).sort())
    for (const p of privileges) expect(p).toMatchObject({ source_scope: APP.scopeId, target_scope: 'global', target_type: PLATFORM_TABLES.dbObject, status: 'allowed' })
  })

  it('ships KandjiSetup and kandji_fix_script, both reaching the setup module that is shipped', () => {
    const si = one(PLATFORM_TABLES.scriptInclude, (r) => r.fields.name === SETUP_SCRIPT_INCLUDE)
    expect(si.fields).toMatchObject({ api_name: `${APP.scope}.${SETUP_SCRIPT_INCLUDE}`, active: 'true', access: 'package_private' })
    expect(si.fields.script).toContain(`${SETUP_SCRIPT_INCLUDE}.ensureDiscoverySource = function`)
    const fix = one(PLATFORM_TABLES.fixScript, (r) => r.fields.name === FIX_SCRIPT_NAME)
    expect(fix.fields.script).toContain(`${APP.scope}.${SETUP_SCRIPT_INCLUDE}.ensureDiscoverySource()`)
    expect(fix.fields.script).toMatch(/gs\.info/)
  })

  it('resolves every module path a script requires to a shipped sys_module exporting the called function', () => {
    const modules = new Map(live('sys_module').map((m) => [m.fields.path ?? '', m.fields.content ?? '']))
    const scripts = [
      ...live(PLATFORM_TABLES.scriptInclude).map((r) => r.fields.script ?? ''),
      ...live('sys_transform_script').map((r) => r.fields.script ?? ''),
      ...live('sys_ws_operation').map((r) => r.fields.operation_script ?? ''),
    ]
    const calls = scripts.flatMap((s) => [...s.matchAll(/require\('([^']+)'\)(?:\.(\w+)\(|;)/g)].map((m) => ({ path: m[1]!, fn: m[2] })))
    expect(calls.length).toBeGreaterThanOrEqual(5)
    for (const { path, fn } of calls) {
      expect(modules.has(path), path).toBe(true)
      if (fn) expect(modules.get(path), `${path} exports ${fn}`).toMatch(new RegExp(`export function ${fn}\\(`))
    }
    for (const content of modules.values()) expect(content).not.toMatch(/from '@kandji-sn\//)
  })

  it('exposes GET verify and GET status (viewer or admin), POST repair (admin) and GET import status (also the pushing account) under the contract base path', () => {
    const api = one('sys_ws_definition', () => true)
    expect(api.fields).toMatchObject({ name: REST_API.name, service_id: REST_API.serviceId, base_uri: REST_API.basePath, namespace: APP.scope })
    const ops = live('sys_ws_operation')
    expect(ops).toHaveLength(4)
    const integrationStatusOp = one('sys_ws_operation', (r) => r.fields.operation_uri === statusPath)
    expect(integrationStatusOp.fields).toMatchObject({ http_method: 'GET', requires_authentication: 'true', requires_acl_authorization: 'true' })
    const verifyOp = one('sys_ws_operation', (r) => r.fields.operation_uri === verifyPath)
    const repairOp = one('sys_ws_operation', (r) => r.fields.operation_uri === repairPath)
    const statusOp = one('sys_ws_operation', (r) => r.fields.operation_uri === `${REST_API.basePath}${REST_API.routes.importStatus.path}`)
    expect(verifyOp.fields).toMatchObject({ http_method: 'GET', requires_authentication: 'true', requires_acl_authorization: 'true' })
    expect(repairOp.fields).toMatchObject({ http_method: 'POST', requires_authentication: 'true', requires_acl_authorization: 'true' })
    expect(statusOp.fields).toMatchObject({ http_method: 'GET', requires_authentication: 'true', requires_acl_authorization: 'true' })
    const aclOf = (op: AppRecord) => one('sys_security_acl', (a) => a.sysId === op.fields.enforce_acl)
    expect(aclOf(verifyOp).fields).toMatchObject({ type: 'REST_Endpoint', operation: 'execute', active: 'true' })
    expect(aclRoles(aclOf(verifyOp))).toEqual([APP_ROLES.admin, APP_ROLES.viewer].sort())
    expect(aclRoles(aclOf(repairOp))).toEqual([APP_ROLES.admin])
    expect(aclOf(integrationStatusOp).fields).toMatchObject({ type: 'REST_Endpoint', operation: 'execute', active: 'true' })
    expect(aclRoles(aclOf(integrationStatusOp))).toEqual([APP_ROLES.admin, APP_ROLES.viewer].sort())
    expect(aclRoles(aclOf(statusOp))).toEqual([ACL_GRANTS.stagingCreate, APP_ROLES.admin, APP_ROLES.viewer].sort())
    // the API's default ACL is ours, not the OOB "Scripted REST External Default"
    expect(api.fields.enforce_acl).toBe(verifyOp.fields.enforce_acl)
  })

  it('has exactly the table ACLs the issue asks for, none anonymous', () => {
    const tableAcls = live('sys_security_acl').filter((a) => a.fields.type === 'record')
    const summary = tableAcls.map((a) => `${a.fields.name}:${a.fields.operation}:${aclRoles(a).join('+')}`).sort()
    expect(summary).toEqual([
      `${TABLES.appImport}:create:${[ACL_GRANTS.stagingCreate, APP_ROLES.admin].sort().join('+')}`,
      `${TABLES.appImport}:read:${APP_ROLES.admin}`,
      `${TABLES.deviceImport}:create:${[ACL_GRANTS.stagingCreate, APP_ROLES.admin].sort().join('+')}`,
      `${TABLES.deviceImport}:read:${APP_ROLES.admin}`,
      `${TABLES.mdm}:read:${[ACL_GRANTS.mdmRead, APP_ROLES.viewer].sort().join('+')}`,
      `${TABLES.software}:read:${[ACL_GRANTS.mdmRead, APP_ROLES.viewer].sort().join('+')}`,
      `${HEALTH_RUN.table}:read:${[APP_ROLES.admin, APP_ROLES.viewer].sort().join('+')}`,
      `${HEALTH_RUN.table}:write:${APP_ROLES.admin}`,
      `${HEALTH_RUN.table}:create:${APP_ROLES.admin}`,
      `${HEALTH_RUN.table}:delete:${APP_ROLES.admin}`,
    ].sort())
  })

  it('ships the health monitor (an active periodic job, its registered event and an inactive example notification) and the daily retirement job', () => {
    const jobs = live('sysauto_script').map((r) => [r.fields.name, r.fields.active, r.fields.run_type, r.fields.run_period, r.fields.run_as ?? ''])
    expect(jobs.sort()).toEqual([
      [HEALTH_RUN.job, 'true', 'periodically', '1970-01-01 00:05:00', ''],
      [RETIREMENT_JOB.name, 'true', 'daily', undefined, ''],
    ])
    expect(live('sysevent_register').map((r) => [r.fields.event_name, r.fields.table])).toEqual([[HEALTH_RUN.event, HEALTH_RUN.table]])
    expect(live('sysevent_email_action').map((r) => [r.fields.event_name, r.fields.active, r.fields.collection, r.fields.event_parm_1])).toEqual([[HEALTH_RUN.event, 'false', HEALTH_RUN.table, 'true']])
    for (const acl of live('sys_security_acl')) {
      expect(aclRoles(acl).length, `${acl.fields.name} has roles`).toBeGreaterThan(0)
      expect(acl.fields.script ?? '').toBe('')
    }
  })

  it('defines the staging tables (web-service access, extending sys_import_set_row) with the device fields', () => {
    const table = (name: string) => pkg.tables.find((t) => t.name === name)
    const device = table(TABLES.deviceImport)
    const apps = table(TABLES.appImport)
    expect(device?.extends).toBe(PLATFORM_TABLES.importSetRow)
    expect(apps?.extends).toBe(PLATFORM_TABLES.importSetRow)
    expect(device?.columns.map((c) => c.name).sort()).toEqual([...DEVICE_IMPORT_COLUMNS].sort())
    expect(apps?.columns.map((c) => c.name).sort()).toEqual([...APP_IMPORT_COLUMNS].sort())
    for (const name of [TABLES.deviceImport, TABLES.appImport]) {
      expect(one(PLATFORM_TABLES.dbObject, (r) => r.fields.name === name).fields.ws_access).toBe('true')
    }
  })

  it('defines the MDM table with a reference to the hardware CI (every device class) and every column the transform writes', () => {
    const mdm = pkg.tables.find((t) => t.name === TABLES.mdm)
    const ci = mdm?.columns.find((c) => c.name === MDM_CI_COLUMN)
    expect(ci?.reference).toBe(PLATFORM_TABLES.hardware)
    const names = mdm?.columns.map((c) => c.name).sort()
    const devices = [MDM_FIELDS.lastPushed, MDM_FIELDS.retiredReason, MDM_FIELDS.userMatch]
    expect(names).toEqual([MDM_CI_COLUMN, ...MDM_STRING_COLUMNS, ...MDM_BOOLEAN_COLUMNS, ...MDM_DATETIME_COLUMNS, ...devices].sort())
    expect(mdm?.columns.find((x) => x.name === MDM_FIELDS.lastPushed)?.type).toBe('glide_date_time')
    for (const c of MDM_BOOLEAN_COLUMNS) expect(mdm?.columns.find((x) => x.name === c)?.type).toBe('boolean')
    for (const c of MDM_DATETIME_COLUMNS) expect(mdm?.columns.find((x) => x.name === c)?.type).toBe('glide_date_time')
  })

  it('transforms devices into the MDM table (coalesced on serial) with an onBefore that calls the IRE module', () => {
    const map = one(PLATFORM_TABLES.transformMap, (r) => r.fields.name === TRANSFORM_MAPS.device)
    expect(map.fields).toMatchObject({ source_table: TABLES.deviceImport, target_table: TABLES.mdm, active: 'true' })
    const entries = live('sys_transform_entry').filter((e) => e.fields.map === map.sysId)
    expect(entries.map((e) => [e.fields.source_field, e.fields.target_field, e.fields.coalesce])).toEqual([['serial_number', 'serial_number', 'true']])
    const scripts = live('sys_transform_script').filter((s) => s.fields.map === map.sysId)
    expect(scripts.map((s) => s.fields.when)).toEqual(['onBefore'])
    expect(scripts[0]?.fields.script).toMatch(/onBeforeDeviceRow\(source, target, log\)[\s\S]*if \(outcome.state !== 'continue'\) ignore = true;\s+status_message = outcome.message;/)
    // error = true in onBefore may halt the whole import set (r_MapWithTransformationEventScripts.md): never set.
    for (const script of live('sys_transform_script')) expect(script.fields.script).not.toMatch(/\berror\s*=/)
  })

  it("transforms applications into the app's software table keyed by serial, name and version, with an onBefore that calls IRE", () => {
    const map = one(PLATFORM_TABLES.transformMap, (r) => r.fields.name === TRANSFORM_MAPS.app)
    expect(map.fields).toMatchObject({ source_table: TABLES.appImport, target_table: TABLES.software, active: 'true' })
    const entries = live('sys_transform_entry').filter((e) => e.fields.map === map.sysId)
    expect(entries.map((e) => [e.fields.source_field, e.fields.target_field, e.fields.coalesce]).sort()).toEqual([
      ['app_name', 'app_name', 'true'],
      ['bundle_id', 'bundle_id', 'false'],
      ['device_id', 'device_id', 'false'],
      ['publisher', 'publisher', 'false'],
      ['serial_number', 'serial_number', 'true'],
      ['version', 'version', 'true'],
    ])
    const software = pkg.tables.find((t) => t.name === TABLES.software)
    expect(software?.columns.map((c) => c.name).sort()).toEqual(['app_name', 'bundle_id', 'ci', 'device_id', 'publisher', 'serial_number', 'software_install', 'version'])
    expect(software?.columns.find((c) => c.name === SOFTWARE_CI_COLUMN)?.reference).toBe(PLATFORM_TABLES.computer)
    expect(software?.columns.some((c) => c.name === SOFTWARE_INSTALL_COLUMN)).toBe(true)
    expect(live('sys_transform_script').find((s) => s.fields.map === map.sysId)?.fields.script).toContain('onBeforeAppRow(source, target, log)')
  })

  it('ships a Rest Insert Multiples record per staging table that maps keys by column name', () => {
    const records = live(REST_INSERT_MULTIPLE.table)
    expect(records.map((r) => [r.fields[REST_INSERT_MULTIPLE.sourceTableField], r.fields[REST_INSERT_MULTIPLE.columnMappingField]]).sort()).toEqual([
      [TABLES.appImport, REST_INSERT_MULTIPLE.columnNameValue],
      [TABLES.deviceImport, REST_INSERT_MULTIPLE.columnNameValue],
    ])
  })

  it('ships the app properties with the contract defaults', () => {
    expect(one(PLATFORM_TABLES.property, (r) => r.fields.name === APP_PROPERTIES.serviceAccount).fields.value).toBe(SERVICE_ACCOUNT.defaultUserName)
    expect(one(PLATFORM_TABLES.property, (r) => r.fields.name === APP_PROPERTIES.oauthClient).fields.value).toBe(OAUTH_CLIENT.defaultName)
  })

  it('has the Kandji menu with the MDM table, device imports and integration health', () => {
    const menu = one('sys_app_application', (r) => r.fields.title === APP.name)
    expect(menu.fields.roles?.split(',').sort()).toEqual([APP_ROLES.admin, APP_ROLES.viewer].sort())
    const modules = live('sys_app_module').filter((m) => m.fields.application === menu.sysId)
    const summary = Object.fromEntries(modules.map((m) => [m.fields.link_type === 'DIRECT' ? m.fields.query : m.fields.name, m.fields.roles]))
    expect(summary[TABLES.mdm]).toBe(`${APP_ROLES.viewer},${APP_ROLES.admin}`)
    expect(summary[TABLES.deviceImport]).toBe(APP_ROLES.admin)
    expect(summary[verifyPath]).toBe(`${APP_ROLES.viewer},${APP_ROLES.admin}`)
    for (const m of modules) expect(m.fields.active).toBe('true')
  })

  it('ships ATF tests for verify, status, repair, a device import, a removed device and the health monitor, each with steps', () => {
    const tests = live('sys_atf_test')
    expect(tests).toHaveLength(6)
    const stepsOf = (t: AppRecord) => live('sys_atf_step').filter((s) => s.fields.test === t.sysId)
    const inputsOf = (t: AppRecord) => stepsOf(t).flatMap((s) => s.children.map((c) => c.fields.value ?? ''))
    const byPath = (path: string) => tests.find((t) => inputsOf(t).includes(path))
    expect(byPath(verifyPath)).toBeDefined()
    expect(byPath(repairPath)).toBeDefined()
    expect(byPath(statusPath)).toBeDefined()
    expect(byPath(`/api/now/import/${TABLES.deviceImport}`)).toBeDefined()
    const removed = tests.find((t) => inputsOf(t).some((v) => v.includes('"is_removed":"true"')))
    expect(inputsOf(removed!).filter((v) => v.includes('install_status=7^operational_status=6'))).toHaveLength(1)
    const health = tests.find((t) => inputsOf(t).some((v) => v.includes(`require('${healthModule}').runHealth()`)))
    expect(health, 'the health monitor test runs the job script').toBeDefined()
    expect(inputsOf(health!)).toContain(HEALTH_RUN.table)
    for (const t of tests) {
      expect(t.fields.active).toBe('true')
      expect(stepsOf(t).length).toBeGreaterThanOrEqual(t === health ? 2 : 3)
    }
  })

  it('passes the app-package validator and has the update set beside the zip', () => {
    expect(validateAppPackage(pkg).filter((i) => i.severity === 'error')).toEqual([])
    const { name, version } = readPackageJson()
    const base = `${name}_${version}`.replace(/[^A-Za-z0-9]+/g, '_')
    expect(existsSync(join(appRoot, 'target', `${base}.zip`))).toBe(true)
    const updateSet = readFileSync(join(appRoot, 'target', `${base}_update_set.xml`), 'utf8')
    expect(updateSet).toContain('<unload')
    expect(updateSet).toContain(FIX_SCRIPT_NAME)
  })
})
