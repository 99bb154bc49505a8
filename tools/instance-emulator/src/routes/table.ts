// Table API: /api/now[/v1|/v2]/table/{table}[/{sys_id}] (SN docs "Table API", facts 4.1).
import { canAccessTable } from '../acl/acl.ts'
import { requireUnscopedApiUser } from '../auth/authenticate.ts'
import type { Database } from '../db/database.ts'
import { ERRORS, PlatformError } from '../db/errors.ts'
import { parseEncodedQuery } from '../db/query.ts'
import { json, type Reply, type RequestContext } from '../http.ts'
import type { TableRecordRow } from '../types.ts'

export const TABLE_PATH = /^\/api\/now\/(?:(v1|v2)\/)?table\/([^/]+)(?:\/([^/]+))?\/?$/

const DEFAULT_LIMIT = 10000

type DisplayMode = 'false' | 'true' | 'all'

export interface RenderOptions {
  fields: string[] | undefined
  display: DisplayMode
  excludeReferenceLink: boolean
  baseUrl: string
}

export function renderOptions(ctx: RequestContext): RenderOptions {
  const fields = ctx.query('sysparm_fields')
  const display = (ctx.query('sysparm_display_value') ?? 'false').toLowerCase()
  return {
    fields: fields ? fields.split(',').map((f) => f.trim()).filter(Boolean) : undefined,
    display: display === 'true' || display === 'all' ? display : 'false',
    excludeReferenceLink: ctx.query('sysparm_exclude_reference_link') === 'true',
    baseUrl: ctx.emu.baseUrl(),
  }
}

/** Follows a dot-walked path to the record and field that hold the value. */
function resolve(db: Database, table: string, row: TableRecordRow, path: string[]): { table: string; row: TableRecordRow; field: string } | undefined {
  let currentTable = table
  let current: TableRecordRow | undefined = row
  for (let i = 0; i < path.length - 1; i++) {
    const column = db.dictionary.column(currentTable, path[i] as string)
    if (column?.type !== 'reference' || !column.reference) return undefined
    const ref: string = current?.[path[i] as string] ?? ''
    const next: { table: string; row: TableRecordRow } | undefined = ref ? db.findStored(column.reference, ref) : undefined
    currentTable = next?.table ?? column.reference
    current = next?.row
  }
  const field = path[path.length - 1] as string
  if (!db.dictionary.column(currentTable, field)) return undefined
  return { table: currentTable, row: current ?? {}, field }
}

/** A record as the Table API shows it: reference links, display values, sysparm_fields. */
export function renderRecord(db: Database, table: string, row: TableRecordRow, options: RenderOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const fields = options.fields ?? Object.keys(row)
  for (const name of fields) {
    const target = resolve(db, table, row, name.split('.'))
    // sysparm_fields: invalid fields are ignored (facts 4.1).
    if (!target) continue
    const column = db.dictionary.column(target.table, target.field)
    const value = target.row[target.field] ?? ''
    const isReference = column?.type === 'reference' && column.reference !== undefined
    const link = isReference && value !== '' && !options.excludeReferenceLink ? `${options.baseUrl}/api/now/table/${column?.reference}/${value}` : undefined
    if (options.display === 'false') {
      out[name] = link ? { link, value } : value
      continue
    }
    const displayValue = value === '' ? '' : db.displayValue(target.table, target.row, target.field)
    if (options.display === 'true') out[name] = link ? { display_value: displayValue, link } : displayValue
    else out[name] = { display_value: displayValue, ...(link ? { link } : {}), value }
  }
  return out
}

function intParam(ctx: RequestContext, name: string, fallback: number): number {
  const raw = ctx.query(name)
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return fallback
  return Number(raw)
}

function linkHeader(ctx: RequestContext, offset: number, limit: number, total: number): string | undefined {
  if (limit <= 0) return undefined
  // The platform echoes the request's parameters, percent-encoded except sysparm_fields, whose commas stay as they are
  // (a Link header from an instance: ServiceNowITOM/ansible-sn-inventory issue 15); a client that splits the header
  // on commas breaks such a URL apart.
  const at = (o: number) => {
    const params = new URLSearchParams(ctx.url.search)
    params.set('sysparm_offset', String(o))
    params.set('sysparm_limit', String(limit))
    const search = [...params].map(([k, v]) => `${encodeURIComponent(k)}=${k === 'sysparm_fields' ? encodeURIComponent(v).replaceAll('%2C', ',') : encodeURIComponent(v)}`).join('&')
    return `${ctx.emu.baseUrl()}${ctx.url.pathname}?${search}`
  }
  const links = [`<${at(0)}>;rel="first"`]
  if (offset > 0) links.push(`<${at(Math.max(0, offset - limit))}>;rel="prev"`)
  if (offset + limit < total) links.push(`<${at(offset + limit)}>;rel="next"`)
  links.push(`<${at(total === 0 ? 0 : Math.floor((total - 1) / limit) * limit)}>;rel="last"`)
  return links.join(',')
}

async function writeBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const type = ctx.contentType
  if (type !== '' && type !== 'application/json') throw ERRORS.unsupportedMediaType(type)
  const body = await ctx.json()
  if (body === undefined) return {}
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ERRORS.badJson('The payload must be one JSON object of field names and values')
  }
  return body as Record<string, unknown>
}

const CURRENT_USER_VALUE = 'javascript:gs.getUserID()'

/** The write still ignores fields the table lacks, as the platform does; the emulator lists them so a test sees what was sent. */
function noteUnknownFields(ctx: RequestContext, table: string, body: Record<string, unknown>): void {
  const { db } = ctx.emu
  for (const field of Object.keys(body)) {
    if (field !== 'sys_id' && !db.dictionary.column(table, field)) db.schemaMisses.push({ table, column: field, by: `${ctx.method} /api/now/table/${table}` })
  }
}

export async function handleTable(ctx: RequestContext, match: RegExpExecArray): Promise<Reply> {
  const { db, switches } = ctx.emu
  const user = requireUnscopedApiUser(ctx)
  const version = match[1] ?? switches.unversionedTableApi
  const table = decodeURIComponent(match[2] as string)
  const sysId = match[3] ? decodeURIComponent(match[3]) : undefined
  if (!db.tableExists(table)) throw ERRORS.invalidTable(table)
  const render = renderOptions(ctx)
  const writeOptions = {
    user: user.userName,
    inputDisplayValue: ctx.query('sysparm_input_display_value') === 'true',
    choiceInputDisplayValue: switches.choiceInputDisplayValue,
    enforceMandatory: switches.enforceMandatoryOnTableApi,
  }

  if (ctx.method === 'GET' && sysId === undefined) {
    ctx.route = 'GET /api/now/table/{table}'
    // The one script value the emulator evaluates: the caller's own sys_id (a documented encoded-query idiom,
    // e.g. `assigned_to=javascript:gs.getUserID()`); other javascript: values are ignored (db/query.ts).
    const encoded = ctx.query('sysparm_query')?.replaceAll(CURRENT_USER_VALUE, user.sysId)
    const limit = intParam(ctx, 'sysparm_limit', DEFAULT_LIMIT)
    const offset = intParam(ctx, 'sysparm_offset', 0)
    let rows: TableRecordRow[] = []
    let total = 0
    if (canAccessTable(db, user, table, 'read')) {
      const result = db.queryWithTotal(table, encoded, { limit, offset })
      rows = result.rows
      total = result.total
    } else if (parseEncodedQuery(encoded).queries.length > 0) {
      throw ERRORS.queryNotReadable()
    } else if (switches.listReadDenied === 'forbidden') {
      throw ERRORS.tableNotReadable()
    }
    if (rows.length === 0 && version === 'v1') throw ERRORS.listEmptyV1()
    const headers: Record<string, string> = {}
    if (ctx.query('sysparm_no_count') !== 'true') headers['X-Total-Count'] = String(total)
    const link = ctx.query('sysparm_suppress_pagination_header') === 'true' ? undefined : linkHeader(ctx, offset, limit, total)
    if (link) headers.Link = link
    return json(200, { result: rows.map((r) => renderRecord(db, table, r, render)) }, headers)
  }

  if (ctx.method === 'GET') {
    ctx.route = 'GET /api/now/table/{table}/{sys_id}'
    const row = db.get(table, sysId as string)
    if (!row || !canAccessTable(db, user, table, 'read')) throw ERRORS.recordNotFound()
    return json(200, { result: renderRecord(db, table, row, render) })
  }

  if (ctx.method === 'POST' && sysId === undefined) {
    ctx.route = 'POST /api/now/table/{table}'
    const body = await writeBody(ctx)
    if (!canAccessTable(db, user, table, 'create')) throw ERRORS.aclInsert()
    noteUnknownFields(ctx, table, body)
    const row = db.insert(table, body, writeOptions)
    return json(201, { result: renderRecord(db, table, row, render) }, { Location: `${ctx.emu.baseUrl()}/api/now/table/${table}/${row.sys_id}` })
  }

  if ((ctx.method === 'PUT' || ctx.method === 'PATCH') && sysId !== undefined) {
    ctx.route = `${ctx.method} /api/now/table/{table}/{sys_id}`
    const body = await writeBody(ctx)
    const existing = db.get(table, sysId)
    if (!existing || !canAccessTable(db, user, table, 'read')) throw ERRORS.recordNotFound()
    if (!canAccessTable(db, user, table, 'write')) throw ERRORS.aclUpdate()
    noteUnknownFields(ctx, table, body)
    const row = db.update(table, sysId, body, writeOptions)
    if (!row) throw ERRORS.recordNotFound()
    return json(200, { result: renderRecord(db, table, row, render) })
  }

  if (ctx.method === 'DELETE' && sysId !== undefined) {
    ctx.route = 'DELETE /api/now/table/{table}/{sys_id}'
    const existing = db.get(table, sysId)
    if (!existing || !canAccessTable(db, user, table, 'read')) throw ERRORS.recordNotFound()
    if (!canAccessTable(db, user, table, 'delete')) throw ERRORS.aclDelete()
    db.delete(table, sysId, { user: user.userName })
    return { status: 204 }
  }

  throw ERRORS.methodNotAllowed(ctx.method)
}

export { PlatformError }
