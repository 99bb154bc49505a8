// Loads a built app (its XML records) into the store, as the platform's app installer does:
// tables from the dictionary first, then every record into its table; an upgrade replaces the app's records,
// removes the ones the new version no longer ships and never touches customer rows in the app's tables.
import { createHash } from 'node:crypto'
import type { AppPackage, AppRecord } from '@kandji-sn/app-package'
import type { Database } from '../db/database.ts'
import { glideDateTime } from '../db/database.ts'
import { columnTypeFrom, columnsFrom, type ColumnDef } from '../db/dictionary.ts'
import { SYSTEM_COLUMNS } from '../db/platform-tables.ts'
import { recomputeAllInheritedRoles } from '../db/roles.ts'

export type AppClass = 'sys_app' | 'sys_store_app'

export interface InstalledRecord {
  table: string
  sysId: string
  /** Hash of the fields as the install wrote them: a different hash later means the customer changed the record. */
  hash: string
}

export interface InstalledApp {
  scope: string
  scopeId: string
  name: string
  version: string
  appClass: AppClass
  records: InstalledRecord[]
  /** Tables the app defines (its data lives there). */
  tables: string[]
}

export interface ApplyOptions {
  previous?: InstalledApp
  appClass: AppClass
  /** Keep records the customer changed since the previous install (the platform skips them on upgrade). */
  keepCustomerChanges: boolean
  /** user_name recorded as the writer. */
  user: string
  /** What a packaged choice list does to the field's other choices (switch choiceListLoader). */
  choiceListLoader: ChoiceListLoader
  /** Write the sys_upgrade_history row (an app install does; an update set commit is no install). Default true. */
  recordHistory?: boolean
}

export type ChoiceListLoader = 'replace' | 'skip' | 'additive'

export interface ApplyResult {
  installed: InstalledApp
  /** Records kept as the customer changed them, and packaged choices the loader skipped. */
  skipped: Array<{ table: string; sysId: string }>
  /** Choices of other owners that a packaged choice list replaced (choiceListLoader 'replace'). */
  replacedChoices: Array<{ sysId: string; field: string; value: string }>
  /** Records of the previous version removed because the new version no longer ships them. */
  removed: Array<{ table: string; sysId: string }>
}

export class InstallError extends Error {
  constructor(
    message: string,
    readonly detail = '',
  ) {
    super(message)
    this.name = 'InstallError'
  }
}

/** References must resolve to rows that already exist, so parents go first. */
const LOAD_ORDER = ['sys_db_object', 'sys_dictionary', 'sys_user_role', 'sys_user_role_contains', 'sys_security_acl', 'sys_security_acl_role', 'sys_ws_definition', 'sys_transform_map', 'sys_atf_test']

function flatten(records: readonly AppRecord[]): AppRecord[] {
  const out: AppRecord[] = []
  for (const r of records) {
    out.push(r)
    out.push(...flatten(r.children))
  }
  return out
}

function rank(table: string): number {
  const i = LOAD_ORDER.indexOf(table)
  return i === -1 ? LOAD_ORDER.length : i
}

function hashOf(db: Database, table: string, sysId: string, fields: readonly string[]): string {
  const row = db.findStored(table, sysId)?.row ?? {}
  const h = createHash('sha1')
  for (const f of [...fields].sort()) h.update(`${f}\u0000${row[f] ?? ''}\u0001`)
  return h.digest('hex')
}

function ensureTable(db: Database, name: string, extendsName: string | undefined, label: string | undefined, scopeId: string | undefined): void {
  if (db.dictionary.has(name)) return
  let parent = extendsName
  if (parent && !db.dictionary.has(parent)) {
    // A platform table the emulator does not model: a real instance has it, so stand it up empty.
    ensureTable(db, parent, undefined, parent, undefined)
  }
  db.dictionary.define({
    name,
    label: label || name,
    wsAccess: true,
    columns: columnsFrom(parent ? {} : SYSTEM_COLUMNS),
    ...(parent ? { extends: parent } : {}),
    ...(scopeId ? { scopeId } : {}),
  })
}

function defineAppTables(db: Database, pkg: AppPackage): string[] {
  const names: string[] = []
  for (const t of pkg.tables) {
    ensureTable(db, t.name, t.extends, t.label, pkg.scopeId)
    const def = db.dictionary.get(t.name)
    if (def && !def.scopeId && !db.dictionary.lineage(t.name).includes('sys_metadata')) def.scopeId = pkg.scopeId
    for (const c of t.columns) {
      const column: ColumnDef = {
        name: c.name,
        label: c.label ?? c.name,
        type: columnTypeFrom(c.type),
        ...(c.reference ? { reference: c.reference } : {}),
        ...(c.maxLength ? { maxLength: c.maxLength } : {}),
        ...(c.mandatory ? { mandatory: true } : {}),
        ...(c.defaultValue ? { defaultValue: c.defaultValue } : {}),
      }
      db.dictionary.addColumn(t.name, column)
    }
    const display = displayFieldOf(pkg, t.name)
    if (def && display) def.displayField = display
    else if (def?.scopeId === pkg.scopeId) delete def.displayField // an upgrade that no longer marks one
    names.push(t.name)
  }
  return names
}

/**
 * The column a table's records are shown by: its `sys_dictionary` row with display=true (the platform's rule for a
 * table's display value). Undefined when the package marks none (the dictionary then falls back to name, number,
 * sys_id).
 */
function displayFieldOf(pkg: AppPackage, table: string): string | undefined {
  const row = flatten(pkg.records).find(
    (r) => r.table === 'sys_dictionary' && r.action !== 'DELETE' && r.fields.name === table && r.fields.element && r.fields.display === 'true',
  )
  return row?.fields.element
}

/**
 * The field ("table.element") a packaged sys_choice travels as: its update name is the field's whole choice list
 * (sys_choice_<table>_<element>, KB0657356; the SDK names every sys_choice file so, choice-set-utils.js).
 */
function choiceListOf(record: AppRecord): string | undefined {
  if (record.table !== 'sys_choice' || record.action === 'DELETE') return undefined
  const { name, element } = record.fields
  if (!name || !element) return undefined
  return record.fields.sys_update_name === `sys_choice_${name}_${element}` ? `${name}.${element}` : undefined
}

/**
 * Applies the loader variant to the packaged choice lists before their rows are written: 'replace' deletes every
 * other choice of the field (v3), 'skip' drops the package's rows for a field that already has choices.
 */
function loadChoiceLists(db: Database, records: readonly AppRecord[], options: ApplyOptions, ownIds: ReadonlySet<string>): { skip: Set<AppRecord>; replaced: ApplyResult['replacedChoices'] } {
  const byField = new Map<string, AppRecord[]>()
  for (const r of records) {
    const field = choiceListOf(r)
    if (field) byField.set(field, [...(byField.get(field) ?? []), r])
  }
  const skip = new Set<AppRecord>()
  const replaced: ApplyResult['replacedChoices'] = []
  if (options.choiceListLoader === 'additive') return { skip, replaced }
  for (const [field, rows] of byField) {
    const [table, element] = field.split('.') as [string, string]
    const others = db.query('sys_choice', `name=${table}^element=${element}`).filter((c) => !ownIds.has(c.sys_id as string))
    if (options.choiceListLoader === 'skip') {
      if (others.length > 0) for (const r of rows) skip.add(r)
      continue
    }
    const shipped = new Set(rows.map((r) => r.sysId))
    for (const c of others) {
      if (shipped.has(c.sys_id as string)) continue
      db.delete('sys_choice', c.sys_id as string, { user: options.user, skipRules: true })
      replaced.push({ sysId: c.sys_id as string, field, value: c.value ?? '' })
    }
  }
  return { skip, replaced }
}

function deleteMultiple(db: Database, record: AppRecord): void {
  if (!db.tableExists(record.table)) return
  const query = record.fields.query ?? ''
  // An empty query would mean "every row of the table": never do that on behalf of a package.
  if (query.trim() === '') return
  for (const row of db.query(record.table, query)) db.delete(record.table, row.sys_id as string, { skipRules: true })
}

export function applyAppPackage(db: Database, pkg: AppPackage, options: ApplyOptions): ApplyResult {
  if (!pkg.scope || !pkg.scopeId) throw new InstallError('The package names no application scope', 'scope/sys_app_<scopeId>.xml is missing or has no scope')
  const appRecord = pkg.records.find((r) => r.table === 'sys_app' && r.sysId === pkg.scopeId)
  if (!appRecord) throw new InstallError(`The package has no sys_app record for scope ${pkg.scope}`, 'scope/sys_app_<scopeId>.xml is missing')
  const writer = { user: options.user, addUnknownColumns: true }
  const previous = new Map((options.previous?.records ?? []).map((r) => [`${r.table}:${r.sysId}`, r]))
  const skipped: ApplyResult['skipped'] = []
  const written: InstalledRecord[] = []

  const tables = defineAppTables(db, pkg)

  // The application record itself, in the class the install method creates.
  const existingScope = db.findStored('sys_scope', pkg.scopeId)
  if (existingScope && existingScope.table !== options.appClass) db.delete(existingScope.table, pkg.scopeId, { skipRules: true })
  const appFields = { ...appRecord.fields, version: pkg.version, active: 'true' }
  if (db.findStored(options.appClass, pkg.scopeId)) db.update(options.appClass, pkg.scopeId, appFields, writer)
  else db.insert(options.appClass, { ...appFields, sys_id: pkg.scopeId }, writer)

  const records = flatten(pkg.records)
    .filter((r) => r !== appRecord && r.sysId)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r.table) - rank(b.r.table) || a.i - b.i)
    .map(({ r }) => r)
  const ownIds = new Set((options.previous?.records ?? []).map((r) => r.sysId))
  const choiceLists = loadChoiceLists(db, records, options, ownIds)
  for (const record of records) {
    if (record.action === 'delete_multiple') {
      deleteMultiple(db, record)
      continue
    }
    if (!db.tableExists(record.table)) ensureTable(db, record.table, 'sys_metadata', record.table, undefined)
    if (record.action === 'DELETE') {
      if (db.findStored(record.table, record.sysId)) db.delete(record.table, record.sysId, { user: options.user })
      continue
    }
    const before = previous.get(`${record.table}:${record.sysId}`)
    if (choiceLists.skip.has(record)) {
      skipped.push({ table: record.table, sysId: record.sysId })
      // Not loading the list is not removing it: a choice the previous version loaded stays the app's.
      if (before && db.findStored(record.table, record.sysId)) written.push(before)
      continue
    }
    const fields = Object.keys(record.fields).filter((f) => f !== 'sys_id')
    const exists = db.findStored(db.dictionary.root(record.table), record.sysId)
    if (exists && before && options.keepCustomerChanges && hashOf(db, record.table, record.sysId, fields) !== before.hash) {
      skipped.push({ table: record.table, sysId: record.sysId })
      written.push(before)
      continue
    }
    const values: Record<string, string> = {}
    for (const f of fields) values[f] = record.fields[f] as string
    const write = { ...writer, displayValues: record.displayValues }
    if (exists) db.update(exists.table, record.sysId, values, write)
    else db.insert(record.table, { ...values, sys_id: record.sysId }, write)
    written.push({ table: record.table, sysId: record.sysId, hash: hashOf(db, record.table, record.sysId, fields) })
  }

  const shipped = new Set(written.map((r) => `${r.table}:${r.sysId}`))
  const removed: ApplyResult['removed'] = []
  for (const old of options.previous?.records ?? []) {
    if (shipped.has(`${old.table}:${old.sysId}`)) continue
    if (db.tableExists(old.table) && db.findStored(old.table, old.sysId)) db.delete(old.table, old.sysId, { user: options.user })
    removed.push({ table: old.table, sysId: old.sysId })
  }

  const now = glideDateTime(db.now())
  if (options.recordHistory !== false) {
    // [U] to_version holds the scope: now-sdk finds an install's row by `to_version=<scope>^ORDERBYDESCupgrade_started`
    // (sdk-api connector.js appUpgradeStatus); the versions are in the name and from_version.
    db.insert(
      'sys_upgrade_history',
      { name: `${pkg.name} ${pkg.version}`, from_version: options.previous?.version ?? '', to_version: pkg.scope, upgrade_started: now, upgrade_finished: now, state: 'complete' },
      writer,
    )
  }
  recomputeAllInheritedRoles(db)
  const allTables = [...new Set([...(options.previous?.tables ?? []), ...tables])]
  return {
    installed: { scope: pkg.scope, scopeId: pkg.scopeId, name: pkg.name, version: pkg.version, appClass: options.appClass, records: written, tables: allTables },
    skipped,
    removed,
    replacedChoices: choiceLists.replaced,
  }
}

/** Uninstall: the app's records, its application record and its tables (with their rows) are removed. */
export function removeApp(db: Database, app: InstalledApp, user: string): void {
  for (const record of [...app.records].reverse()) {
    if (db.tableExists(record.table) && db.findStored(record.table, record.sysId)) db.delete(record.table, record.sysId, { user })
  }
  const scope = db.findStored('sys_scope', app.scopeId)
  if (scope) db.delete(scope.table, app.scopeId, { user })
  for (const table of app.tables) if (db.tableExists(table)) db.dropTable(table)
  recomputeAllInheritedRoles(db)
}
