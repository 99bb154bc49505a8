import {
  APP,
  APP_ROLES,
  CROSS_SCOPE_PRIVILEGES,
  FIX_SCRIPT_NAME,
  PLATFORM_TABLES,
  REST_API,
  TABLES,
  TRANSFORM_MAPS,
} from '@kandji-sn/contract/constants'
import type { AppPackage, AppRecord, ValidationIssue } from './types.ts'

const REBUILD = 'rebuild with `now-sdk build`'

/**
 * Everything that would make the package fail to install, install into the wrong place, or install an app that
 * does not do its job. Generic checks apply to any Fluent app; the Kandji checks apply when the package's scope
 * is the contract's scope.
 */
export function validateAppPackage(pkg: AppPackage): ValidationIssue[] {
  const issues: ValidationIssue[] = [...(pkg.readProblems ?? [])]
  const add = (severity: ValidationIssue['severity'], path: string, message: string) =>
    issues.push({ severity, path, message })

  checkApp(pkg, add)
  checkIds(pkg, add)
  checkScope(pkg, add)
  checkNames(pkg, add)
  checkForeignChoiceLists(pkg, add)
  if (pkg.scope === APP.scope) checkKandjiApp(pkg, add)
  return issues
}

type Add = (severity: ValidationIssue['severity'], path: string, message: string) => void

function live(pkg: AppPackage, table: string): AppRecord[] {
  return pkg.records.filter((r) => r.table === table && r.action !== 'DELETE')
}

function checkApp(pkg: AppPackage, add: Add): void {
  const apps = live(pkg, PLATFORM_TABLES.app)
  if (apps.length === 0) {
    add('error', '', 'the package has no sys_app record (scope/sys_app_<scopeId>.xml), so the instance cannot tell which app it installs; rebuild from a project with now.config.json (scope, scopeId, name)')
  }
  if (apps.length > 1) {
    add('error', apps[1]!.path, `the package has ${apps.length} sys_app records (${apps.map((a) => a.path).join(', ')}); a package is one app: remove the extra files and ${REBUILD}`)
  }
  for (const app of apps) {
    if (app.fields['scope'] !== pkg.scope || app.sysId !== pkg.scopeId) {
      add('error', app.path, `sys_app ${app.fields['scope']}/${app.sysId} does not match the package's scope ${pkg.scope}/${pkg.scopeId}; the package mixes two apps: ${REBUILD} into a clean dist/app`)
    }
    if (!app.fields['version']) add('error', app.path, 'sys_app has no version; set "version" in the app\'s package.json and ' + REBUILD)
  }
}

function checkIds(pkg: AppPackage, add: Add): void {
  const seen = new Map<string, AppRecord>()
  for (const record of pkg.records) {
    for (const row of [record, ...record.children]) {
      if (row.action === 'delete_multiple') continue // a clean-up query, not a row: it has no sys_id by design
      const what = row === record ? `the ${row.table} record` : `the ${row.table} row embedded in it`
      if (!/^[0-9a-f]{32}$/.test(row.sysId)) {
        add('error', record.path, row.sysId
          ? `${what} has sys_id "${row.sysId}", which is not 32 hex characters; the instance will reject or mis-key it: give it a Now.ID and ${REBUILD}`
          : `${what} has no sys_id, so installing it would create a new row on every install instead of updating one: give it a Now.ID and ${REBUILD}`)
        continue
      }
      const first = seen.get(row.sysId)
      if (first) {
        add('error', record.path, `sys_id ${row.sysId} (${row.table}) is also used by ${first.table} in ${first.path}; one record would overwrite the other on install: remove the duplicate key from src/fluent/generated/keys.ts and ${REBUILD}`)
      } else seen.set(row.sysId, { ...row, path: record.path })
    }
  }
}

function checkScope(pkg: AppPackage, add: Add): void {
  // a sys_scope of another app is the scan's record-outside-scope rule (src/scan/rules/package-rules.ts)
  for (const record of pkg.records) {
    if (record.fields['sys_scope'] === undefined && record.action !== 'DELETE') {
      add('warning', record.path, `the ${record.table} record has no sys_scope, so it installs into whatever scope the installer is in; ${REBUILD} so it carries sys_scope ${pkg.scopeId}`)
    }
  }
}

function checkNames(pkg: AppPackage, add: Add): void {
  for (const role of live(pkg, PLATFORM_TABLES.role)) {
    const name = role.fields['name'] ?? ''
    if (!name.startsWith(`${pkg.scope}.`)) {
      add('error', role.path, `role "${name}" is not prefixed with "${pkg.scope}."; a scoped app may only define roles in its own namespace: rename it to "${pkg.scope}.${name.split('.').pop()}"`)
    }
  }
  const tableNames = new Map<string, string>()
  for (const t of live(pkg, PLATFORM_TABLES.dbObject)) tableNames.set(t.fields['name'] ?? '', t.path)
  for (const t of pkg.tables) {
    // a sys_dictionary row on a table the app does not create (a column added to a platform table) is not a table definition
    if (!tableNames.has(t.name) && !t.label && !t.extends) continue
    if (!tableNames.has(t.name)) tableNames.set(t.name, `dictionary/${t.name}.xml`)
  }
  for (const [name, path] of tableNames) {
    if (!name.startsWith(`${pkg.scope}_`)) {
      add('error', path, `table "${name}" is not prefixed with "${pkg.scope}_"; a scoped app may only create tables in its own namespace: rename it to "${pkg.scope}_${name}"`)
    }
  }
}

/**
 * A packaged sys_choice travels under its field's choice-list update name (sys_choice_<table>_<element>, KB0657356),
 * and a loader may treat it as the whole list: the v3 loader deletes the field's other choices, older loaders skip
 * it (now-sdk choiceset-guide). On a field of another scope's table (cmdb_ci.discovery_source above all) that would
 * delete every other integration's choices, so a package must never carry one, not even as a DELETE.
 */
function checkForeignChoiceLists(pkg: AppPackage, add: Add): void {
  for (const record of pkg.records) {
    if (record.table !== PLATFORM_TABLES.choice && record.table !== 'sys_choice_set') continue
    const table = record.fields['name'] ?? ''
    if (table.startsWith(`${pkg.scope}_`)) continue
    add(
      'error',
      record.path,
      `the package ships a ${record.table} ${record.action === 'DELETE' ? 'deletion ' : ''}for ${table}.${record.fields['element'] ?? ''}, a field of a table outside ${pkg.scope}; ` +
        'an installer may apply it as the whole choice list and delete the field\'s other choices (v3 loader) or skip it: ' +
        'remove it from the app (and its key from src/fluent/generated/keys.ts) and add the choice at runtime instead (deploy-integration adds Kandji through the Table API)',
    )
  }
}

/** The package's cross-scope privileges as "table:operation" (status allowed, table targets), sorted. */
export function crossScopePrivilegesOf(pkg: AppPackage): string[] {
  return live(pkg, 'sys_scope_privilege')
    .filter((p) => p.fields['target_type'] === PLATFORM_TABLES.dbObject && p.fields['status'] === 'allowed')
    .map((p) => `${p.fields['target_name'] ?? ''}:${p.fields['operation'] ?? ''}`)
    .sort()
}

/**
 * Every privilege the app's scripts need (contract CROSS_SCOPE_PRIVILEGES), allowed: one missing or not allowed is an
 * operation Enforcing runtime access tracking refuses on the customer's instance (KB0717945).
 */
function checkCrossScopePrivileges(pkg: AppPackage, add: Add): void {
  const shipped = new Set(crossScopePrivilegesOf(pkg))
  for (const p of CROSS_SCOPE_PRIVILEGES) {
    if (!shipped.has(`${p.table}:${p.operation}`)) {
      add('error', '', `no allowed sys_scope_privilege for ${p.operation} on ${p.table}, which the app's scripts need (${p.why}); an installed app runs under Enforcing runtime access tracking, so the instance refuses it: add it to src/fluent/cross-scope.now.ts (from CROSS_SCOPE_PRIVILEGES)`)
    }
  }
  for (const record of live(pkg, 'sys_scope_privilege')) {
    const key = `${record.fields['target_name'] ?? ''}:${record.fields['operation'] ?? ''}`
    if (record.fields['status'] !== 'allowed') {
      add('error', record.path, `the cross-scope privilege ${key} has status "${record.fields['status'] ?? ''}"; the operation is refused until an admin allows it: build it with status 'allowed'`)
    }
    // one that no script uses is the scan's cross-scope-privilege-unused rule
  }
}

/** What the Kandji app must ship (issue 3); names come from the contract, never spelled here. */
function checkKandjiApp(pkg: AppPackage, add: Add): void {
  const appPath = live(pkg, PLATFORM_TABLES.app)[0]?.path ?? ''
  if (pkg.scopeId !== APP.scopeId) {
    add('error', appPath, `scopeId is ${pkg.scopeId} but the contract fixes ${APP.scopeId}; installs and upgrades would address a different app: set scopeId in now.config.json from APP.scopeId`)
  }
  if (pkg.name !== APP.name) {
    add('warning', appPath, `the app is named "${pkg.name}", the contract says "${APP.name}": set name in now.config.json from APP.name`)
  }
  checkCrossScopePrivileges(pkg, add)
  const roleNames = new Map(live(pkg, PLATFORM_TABLES.role).map((r) => [r.fields['name'] ?? '', r]))
  for (const role of Object.values(APP_ROLES)) {
    if (!roleNames.has(role)) add('error', '', `role ${role} is missing; the verify/repair ACLs depend on it: add a Role from APP_ROLES`)
  }
  const admin = roleNames.get(APP_ROLES.admin)
  const viewer = roleNames.get(APP_ROLES.viewer)
  if (admin && viewer) {
    const contains = live(pkg, PLATFORM_TABLES.roleContains).some(
      (c) => c.fields['role'] === admin.sysId && c.fields['contains'] === viewer.sysId,
    )
    if (!contains) add('warning', admin.path, `${APP_ROLES.admin} does not contain ${APP_ROLES.viewer}, so admins cannot read what viewers can: add containsRoles: [viewer]`)
  }
  if (!live(pkg, PLATFORM_TABLES.fixScript).some((s) => s.fields['name'] === FIX_SCRIPT_NAME)) {
    add('error', '', `the fix script ${FIX_SCRIPT_NAME} is missing; the setup guide's repair step runs it: add a Record on sys_script_fix named FIX_SCRIPT_NAME`)
  }
  const tables = new Map(pkg.tables.map((t) => [t.name, t]))
  for (const name of Object.values(TABLES)) {
    if (!tables.has(name)) add('warning', '', `table ${name} is missing; the inventory import needs it: add it from TABLES in @kandji-sn/contract`)
  }
  for (const name of [TABLES.deviceImport, TABLES.appImport]) {
    const t = tables.get(name)
    if (t?.extends && t.extends !== PLATFORM_TABLES.importSetRow) {
      add('error', `dictionary/${name}.xml`, `staging table ${name} extends ${t.extends}, not ${PLATFORM_TABLES.importSetRow}; the Import Set API cannot load it: set extends: '${PLATFORM_TABLES.importSetRow}'`)
    }
  }
  const maps = new Set(live(pkg, PLATFORM_TABLES.transformMap).map((m) => m.fields['name']))
  for (const name of Object.values(TRANSFORM_MAPS)) {
    if (!maps.has(name)) add('warning', '', `transform map "${name}" is missing; imported rows will stay in the staging table: add an ImportSet named from TRANSFORM_MAPS`)
  }
  const operations = live(pkg, 'sys_ws_operation').map((o) => o.fields['operation_uri'])
  for (const route of Object.values(REST_API.routes)) {
    const uri = `${REST_API.basePath}${route.path}`
    if (!operations.includes(uri)) add('warning', '', `REST operation ${route.method} ${uri} is missing; the deployer's verification calls it: add the route from REST_API.routes`)
  }
}
