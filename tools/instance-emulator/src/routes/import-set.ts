// Import Set API (SN docs "Import Set API", facts 4.2):
//   POST /api/now/import/{staging_table}                 one row, transformed synchronously
//   POST /api/now/import/{staging_table}/insertMultiple  {"records":[...]}; keys by column label (or name)
// The platform transforms insertMultiple asynchronously by default; the emulator transforms every row before it
// answers (so tests can read the outcome at once) and records the set's mode as "asynchronous" all the same.
import { canAccessTable } from '../acl/acl.ts'
import { requireUnscopedApiUser } from '../auth/authenticate.ts'
import type { Database } from '../db/database.ts'
import { ERRORS, PlatformError } from '../db/errors.ts'
import { json, type Reply, type RequestContext } from '../http.ts'
import type { ImportRowOutcome, SessionUser } from '../types.ts'

export const IMPORT_PATH = /^\/api\/now\/(?:v1\/)?import\/([^/]+)(\/insertMultiple)?\/?$/

/** Import set values are strings; nested JSON is mangled the way the platform does it (":" becomes "="). */
function toImportValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value).replace(/:/g, '=')
  return String(value)
}

/** Maps request keys to column names: a column's label first (insertMultiple's default), then its name. */
function columnMapper(db: Database, table: string): (key: string) => string | undefined {
  const byLabel = new Map<string, string>()
  const names = new Set<string>()
  for (const c of db.dictionary.columns(table)) {
    if (c.name.startsWith('sys_')) continue
    names.add(c.name)
    if (!byLabel.has(c.label)) byLabel.set(c.label, c.name)
  }
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

async function loadRow(ctx: RequestContext, table: string, importSetId: string, index: number, values: Record<string, string>, user: SessionUser): Promise<ImportRowOutcome[]> {
  const { db, runtime } = ctx.emu
  const row = db.insert(table, { ...values, sys_import_set: importSetId, sys_import_row: String(index), sys_import_state: 'pending' }, { user: user.userName })
  return runtime.transformRow({ stagingTable: table, row, importSetId, user, db })
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
  const map = columnMapper(db, table)

  if (!multiple) {
    if (!isObject(body)) throw ERRORS.badJson('The payload must be one JSON object of staging column names and string values')
    const set = db.insert('sys_import_set', { table_name: table, mode: 'synchronous', state: 'loading' }, { user: user.userName })
    const result = await loadRow(ctx, table, set.sys_id as string, 0, stagingValues(map, body), user)
    db.update('sys_import_set', set.sys_id as string, { state: 'processed' }, { user: user.userName })
    return json(201, { import_set: set.number, staging_table: table, result })
  }

  const records = isObject(body) ? body.records : undefined
  if (!Array.isArray(records) || !records.every(isObject)) {
    throw ERRORS.badJson('The payload must be {"records": [ {...}, ... ]} with one JSON object per row')
  }
  const multi = db.insert('sys_multi_import_set', { table_name: table }, { user: user.userName })
  const set = db.insert('sys_import_set', { table_name: table, mode: 'asynchronous', state: 'loading', multi_import_set: multi.sys_id }, { user: user.userName })
  for (const [i, record] of records.entries()) await loadRow(ctx, table, set.sys_id as string, i, stagingValues(map, record), user)
  db.update('sys_import_set', set.sys_id as string, { state: 'processed' }, { user: user.userName })
  return json(201, { import_set_id: set.sys_id, multi_import_set_id: multi.sys_id })
}
