// Import Set API (c_ImportSetAPI.md, facts 4.2):
//   POST /api/now/import/{staging_table}                 one row, transformed before the answer
//   POST /api/now/import/{staging_table}/insertMultiple  {"records":[...]}; keys by column label unless the table's
//        sys_rest_insert_multiple record says column name; transformed after the answer unless that record (or
//        switch insertMultipleTransform) says synchronous. The answer is {import_set_id, multi_import_set_id}; the
//        outcome is each row's state and the set's sys_import_set_run.
import { canAccessTable } from '../acl/acl.ts'
import { requireUnscopedApiUser } from '../auth/authenticate.ts'
import type { Database } from '../db/database.ts'
import { ERRORS, PlatformError } from '../db/errors.ts'
import { escapeQueryValue } from '../db/query.ts'
import { json, type Reply, type RequestContext } from '../http.ts'
import type { SessionUser, TableRecordRow } from '../types.ts'
import { runImportSet } from './import-run.ts'
import { INSERT_MULTIPLE_PLUGIN, PLATFORM_TABLES, REST_INSERT_MULTIPLE } from '@kandji-sn/contract/constants'

export const IMPORT_PATH = /^\/api\/now\/(?:v1\/)?import\/([^/]+)(\/insertMultiple)?\/?$/

/** Import set values are strings; nested JSON is mangled the way the platform does it (":" becomes "="). */
function toImportValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value).replace(/:/g, '=')
  return String(value)
}

/** The active sys_rest_insert_multiple record for a staging table, if any (c_ImportSetAPI.md). */
function insertMultipleSettings(db: Database, table: string): { byName: boolean; synchronous: boolean } {
  const row = db.query(REST_INSERT_MULTIPLE.table, `${REST_INSERT_MULTIPLE.sourceTableField}=${escapeQueryValue(table)}^${REST_INSERT_MULTIPLE.activeField}!=false`, { limit: 1 })[0]
  return { byName: row?.[REST_INSERT_MULTIPLE.columnMappingField] === REST_INSERT_MULTIPLE.columnNameValue, synchronous: row?.transformation === 'synchronous' }
}

/**
 * Maps request keys to column names: insertMultiple by label ("The column mapping default key value is to the
 * Column label") or, with a "Column name" mapping, by name; the one-row POST by name or label. A key that maps to
 * no column is dropped, as the platform drops it: a push keyed the wrong way lands empty rows.
 */
function columnMapper(db: Database, table: string, keys: 'label' | 'name' | 'either'): (key: string) => string | undefined {
  const byLabel = new Map<string, string>()
  const names = new Set<string>()
  for (const c of db.dictionary.columns(table)) {
    if (c.name.startsWith('sys_')) continue
    names.add(c.name)
    if (!byLabel.has(c.label)) byLabel.set(c.label, c.name)
  }
  if (keys === 'label') return (key) => byLabel.get(key)
  if (keys === 'name') return (key) => (names.has(key) ? key : undefined)
  return (key) => byLabel.get(key) ?? (names.has(key) ? key : undefined)
}

function stagingValues(map: (key: string) => string | undefined, record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(record)) {
    const column = map(key)
    // Fields the staging table does not have are dropped.
    if (column) out[column] = toImportValue(value)
  }
  return out
}

function loadRow(db: Database, table: string, importSetId: string, index: number, values: Record<string, string>, user: SessionUser): TableRecordRow {
  return db.insert(table, { ...values, sys_import_set: importSetId, sys_import_row: String(index), sys_import_state: 'pending' }, { user: user.userName })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export async function handleImport(ctx: RequestContext, match: RegExpExecArray): Promise<Reply> {
  const { db, switches } = ctx.emu
  const table = decodeURIComponent(match[1] as string)
  const multiple = match[2] !== undefined
  ctx.route = multiple ? 'POST /api/now/import/{table}/insertMultiple' : 'POST /api/now/import/{table}'
  const user = requireUnscopedApiUser(ctx)
  if (ctx.method !== 'POST') throw ERRORS.methodNotAllowed(ctx.method)
  // Without the plugin the endpoint is not there (switch insertMultiplePlugin seeds it inactive): an unknown resource
  // is answered before the table in its path is looked at.
  if (multiple && db.query('sys_plugins', `source=${INSERT_MULTIPLE_PLUGIN}^active=active`, { limit: 1 }).length === 0) {
    throw ERRORS.noResource()
  }
  if (!db.tableExists(table)) throw ERRORS.invalidTable(table)
  if (!db.dictionary.isInstanceOf(table, 'sys_import_set_row') || table === 'sys_import_set_row') {
    throw new PlatformError(400, `Invalid table ${table}`, `${table} is not an import set (staging) table: it must extend sys_import_set_row`)
  }
  if (switches.importSetRequiresWsAccess && db.dictionary.get(table)?.wsAccess === false) {
    throw new PlatformError(403, 'User Not Authorized', `Web service access is not allowed for table ${table} (sys_db_object.ws_access=false)`)
  }
  if (!canAccessTable(db, user, table, 'create')) throw ERRORS.aclInsert()
  if (ctx.contentType !== 'application/json') throw ERRORS.unsupportedMediaType(ctx.contentType)
  const body = await ctx.json()
  const env = { db, runtime: ctx.emu.runtime, user }

  if (!multiple) {
    if (!isObject(body)) throw ERRORS.badJson('The payload must be one JSON object of staging column names and string values')
    // One-row inserts join the table's open synchronous set, which stays Loading until midnight (r_ImportSetMode.md):
    // the set is shared with every other one-row push of the day.
    const open = db.query(PLATFORM_TABLES.importSet, `table_name=${escapeQueryValue(table)}^mode=synchronous^state=loading`, { limit: 1 })[0]
    const set = open ?? db.insert(PLATFORM_TABLES.importSet, { table_name: table, mode: 'synchronous', state: 'loading' }, { user: user.userName })
    const index = db.count(table, `sys_import_set=${set.sys_id}`)
    const row = loadRow(db, table, set.sys_id as string, index, stagingValues(columnMapper(db, table, 'either'), body), user)
    const run = ctx.emu.transforms.enabled ? await runImportSet(env, table, set, { rows: [row], keepOpen: true }) : undefined
    return json(201, { import_set: set.number, staging_table: table, result: run?.outcomes[0] ?? [] })
  }

  const records = isObject(body) ? body.records : undefined
  if (!Array.isArray(records) || !records.every(isObject)) {
    throw ERRORS.badJson('The payload must be {"records": [ {...}, ... ]} with one JSON object per row')
  }
  const settings = insertMultipleSettings(db, table)
  const synchronous = settings.synchronous || switches.insertMultipleTransform === 'synchronous'
  const map = columnMapper(db, table, settings.byName ? 'name' : 'label')
  const multi = db.insert('sys_multi_import_set', { table_name: table }, { user: user.userName })
  const set = db.insert('sys_import_set', { table_name: table, mode: synchronous ? 'synchronous' : 'asynchronous', state: 'loading', multi_import_set: multi.sys_id }, { user: user.userName })
  for (const [i, record] of records.entries()) loadRow(db, table, set.sys_id as string, i, stagingValues(map, record), user)
  db.update('sys_import_set', set.sys_id as string, { state: 'loaded' }, { user: user.userName })
  if (!ctx.emu.transforms.enabled) {
    // the bench's baseline (Emulator.setTransforms): the rows are loaded, nothing transforms them
  } else if (synchronous) await runImportSet(env, table, set)
  else ctx.emu.imports.enqueue(() => runImportSet(env, table, set))
  return json(201, { import_set_id: set.sys_id, multi_import_set_id: multi.sys_id })
}
