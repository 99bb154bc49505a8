// Table API (/api/now/table). Reference links are always excluded, so every value is a string (a reference is its
// sys_id), which is what TableRecord promises.
import type { ListOptions, Page, TableApi, TableRecord, WriteOptions } from './types.ts'
import { isServiceNowError, ServiceNowError } from './errors.ts'
import { describeIssue, listEnvelope, looseRecordSchema, recordSchema, singleEnvelope } from './schemas.ts'
import { FIELD_PATTERN } from './query.ts'
import type { CallName } from './calls.ts'
import type { Credentials, QueryParams, Transport, TransportResponse } from './transport.ts'

const TABLE_BASE = '/api/now/table'
const DEFAULT_PAGE_SIZE = 1000
/** How many matches findOne reads to name them in an 'ambiguous' error. */
const AMBIGUOUS_SAMPLE = 10
/** What the client accepts as a table name in a path (Table and Import Set APIs). */
export const TABLE_NAME = /^[a-z0-9_]+$/i
const SYS_ID = /^[a-z0-9_-]+$/i
const TABLE_CALLS = { GET: 'read', POST: 'create', PATCH: 'update', DELETE: 'delete' } as const satisfies Record<string, CallName>

export function createTableApi(transport: Transport, credentials: () => Credentials | undefined): TableApi {
  const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, query: QueryParams, body?: unknown) =>
    transport.send({
      method,
      path,
      query,
      ...(body === undefined ? {} : { body: { type: 'json' as const, value: body } }),
      credentials: credentials(),
      call: TABLE_CALLS[method],
      expect: 'json',
    })

  async function page(table: string, options: ListOptions = {}): Promise<Page> {
    const offset = nonNegative(options.offset ?? 0, 'offset')
    const pageSize = positive(options.pageSize ?? DEFAULT_PAGE_SIZE, 'pageSize')
    const path = tablePath(table)
    let response: TransportResponse
    try {
      response = await send('GET', path, { ...readParams(options), sysparm_limit: pageSize, sysparm_offset: offset })
    } catch (error) {
      // Table API v1 answers 404 to a query with no matches ("Version 1 returns error code 404 with no results").
      if (isRowsNotFound(error)) return { records: [], totalCount: 0, nextOffset: undefined }
      throw missingTable(error, table)
    }
    const records = parseList(response, 'GET', path, options.displayValue)
    const totalCount = headerInt(response.headers.get('x-total-count'))
    return { records, totalCount, nextOffset: nextOffset(response.headers, offset, pageSize, records.length, totalCount) }
  }

  const api: TableApi = {
    async get(table, sysId, options = {}) {
      const path = `${tablePath(table)}/${checkSysId(sysId)}`
      try {
        const response = await send('GET', path, readParams(options))
        return parseSingle(response, 'GET', path, options.displayValue)
      } catch (error) {
        if (isRowsNotFound(error)) return undefined
        throw missingTable(error, table)
      }
    },

    page,

    async list(table, options = {}) {
      const limit = options.limit === undefined ? Infinity : nonNegative(options.limit, 'limit')
      const pageSize = positive(options.pageSize ?? DEFAULT_PAGE_SIZE, 'pageSize')
      const out: TableRecord[] = []
      let offset: number | undefined = nonNegative(options.offset ?? 0, 'offset')
      while (offset !== undefined && out.length < limit) {
        const wanted = Math.min(pageSize, limit - out.length)
        const result = await page(table, { ...options, offset, pageSize: wanted })
        out.push(...result.records.slice(0, limit - out.length))
        // A next offset that does not move forward would loop forever.
        offset = result.nextOffset !== undefined && result.nextOffset > offset ? result.nextOffset : undefined
      }
      return out
    },

    async count(table, query) {
      const path = tablePath(table)
      let response: TransportResponse
      try {
        response = await send('GET', path, { ...(query ? { sysparm_query: query } : {}), sysparm_fields: 'sys_id', sysparm_limit: 1, sysparm_exclude_reference_link: true })
      } catch (error) {
        if (isRowsNotFound(error)) return 0
        throw missingTable(error, table)
      }
      const total = headerInt(response.headers.get('x-total-count'))
      if (total === undefined) {
        throw new ServiceNowError({
          kind: 'invalid_response',
          message: `GET ${path} answered without an X-Total-Count header`,
          hint: 'the instance or a proxy stripped the pagination headers; count with list() instead',
          method: 'GET',
          path,
          status: response.status,
        })
      }
      return total
    },

    async findOne(table, query, options = {}) {
      if (typeof query !== 'string' || query.trim() === '') {
        throw new TypeError('findOne needs a non-empty query: a lookup by natural key without a condition would match every record')
      }
      const fields = options.fields ? unique(['sys_id', ...options.fields]) : undefined
      const result = await page(table, { query, pageSize: AMBIGUOUS_SAMPLE, ...(fields ? { fields } : {}) })
      if (result.records.length <= 1 && (result.totalCount === undefined || result.totalCount <= 1)) return result.records[0]
      const total = result.totalCount ?? result.records.length
      const records = result.records.map(describeRecord)
      const path = tablePath(table)
      throw new ServiceNowError({
        kind: 'ambiguous',
        message: transport.redact(`${total} records in ${table} match ${query}, expected at most one: ${records.join(', ')}${total > records.length ? ', …' : ''}`),
        hint: `a write by natural key must not guess: remove or rename the duplicates in ${table} (or make the query more specific) and run again`,
        method: 'GET',
        path,
        records,
      })
    },

    async create(table, data, options = {}) {
      const path = tablePath(table)
      const response = await send('POST', path, writeParams(options), checkData(data, transport))
      return parseSingle(response, 'POST', path, undefined)
    },

    async patch(table, sysId, data, options = {}) {
      const path = `${tablePath(table)}/${checkSysId(sysId)}`
      const response = await send('PATCH', path, writeParams(options), checkData(data, transport))
      return parseSingle(response, 'PATCH', path, undefined)
    },

    async delete(table, sysId) {
      const path = `${tablePath(table)}/${checkSysId(sysId)}`
      try {
        await send('DELETE', path, {})
        return true
      } catch (error) {
        if (isRowsNotFound(error)) return false
        throw error
      }
    },
  }
  return api
}

function tablePath(table: string): string {
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw new TypeError(`invalid table name ${JSON.stringify(table)}: use letters, digits and "_" (e.g. sys_user)`)
  }
  return `${TABLE_BASE}/${table}`
}

function checkSysId(sysId: string): string {
  if (typeof sysId !== 'string' || !SYS_ID.test(sysId)) throw new TypeError(`invalid sys_id ${JSON.stringify(sysId)}`)
  return sysId
}

/** Field names whose values are credentials (sys_user.user_password, oauth_entity.client_secret, tokens). */
const SECRET_FIELD = /password|secret|token/i

function checkData(data: Record<string, unknown>, transport: Transport): Record<string, unknown> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new TypeError('record data must be an object of field names to values')
  // An instance may echo a value back in an error ("password does not meet policy: …"): never let it reach a log.
  for (const [field, value] of Object.entries(data)) if (SECRET_FIELD.test(field) && typeof value === 'string') transport.addSecret(value)
  return data
}

function fieldsParam(fields: readonly string[] | undefined): QueryParams {
  if (!fields) return {}
  for (const f of fields) if (typeof f !== 'string' || !FIELD_PATTERN.test(f)) throw new TypeError(`invalid field name ${JSON.stringify(f)} in fields`)
  return fields.length > 0 ? { sysparm_fields: fields.join(',') } : {}
}

function readParams(options: Pick<ListOptions, 'query' | 'fields' | 'displayValue'>): QueryParams {
  return {
    ...(options.query ? { sysparm_query: options.query } : {}),
    ...fieldsParam(options.fields),
    ...(options.displayValue !== undefined ? { sysparm_display_value: String(options.displayValue) } : {}),
    sysparm_exclude_reference_link: true,
  }
}

function writeParams(options: WriteOptions): QueryParams {
  return {
    ...fieldsParam(options.fields),
    // "To set the value of an encrypted field, you must set this parameter to true" (Table API, sys_user.user_password).
    ...(options.inputDisplayValue ? { sysparm_input_display_value: true } : {}),
    sysparm_exclude_reference_link: true,
  }
}

function parseList(response: TransportResponse, method: string, path: string, displayValue: ListOptions['displayValue']): TableRecord[] {
  const schema = listEnvelope(displayValue ? looseRecordSchema : recordSchema)
  const parsed = schema.safeParse(response.body)
  if (!parsed.success) throw invalid(method, path, response.status, describeIssue(parsed.error))
  return (parsed.data as { result: TableRecord[] }).result
}

function parseSingle(response: TransportResponse, method: string, path: string, displayValue: ListOptions['displayValue']): TableRecord {
  const schema = singleEnvelope(displayValue ? looseRecordSchema : recordSchema)
  const parsed = schema.safeParse(response.body)
  if (!parsed.success) throw invalid(method, path, response.status, describeIssue(parsed.error))
  return (parsed.data as { result: TableRecord }).result
}

export function invalid(method: string, path: string, status: number, what: string): ServiceNowError {
  return new ServiceNowError({
    kind: 'invalid_response',
    message: `${method} ${path} answered an unexpected body: ${what}`,
    hint: 'the instance answered something this client does not understand: check the URL points at a ServiceNow instance, and report the field named above',
    method,
    path,
    status,
  })
}

/**
 * "Invalid table": the table does not exist. Instances answer it with 400 (Table API; audit item 18), some with
 * 404; either way it is a missing table, not an empty result.
 */
function isMissingTable(error: ServiceNowError): boolean {
  return (error.status === 400 || error.status === 404) && /invalid table/i.test(`${error.snMessage ?? ''} ${error.snDetail ?? ''}`)
}

/** Whether a Table API error says the table does not exist (400 or 404 "Invalid table"), not that a row is missing. */
export function isMissingTableError(error: unknown): boolean {
  return isServiceNowError(error) && isMissingTable(error)
}

/** The 400 "Invalid table" as kind 'not_found', so callers that probe for a table treat both answers alike. */
function missingTable(error: unknown, table: string): unknown {
  if (!isServiceNowError(error) || error.kind !== 'bad_request' || !isMissingTable(error)) return error
  return new ServiceNowError({
    kind: 'not_found',
    message: error.message,
    hint: `the table ${table} does not exist on this instance: the plugin or app that defines it is not installed or not active`,
    method: error.method ?? 'GET',
    path: error.path ?? tablePath(table),
    status: error.status ?? 400,
    ...(error.snMessage !== undefined ? { snMessage: error.snMessage } : {}),
    ...(error.snDetail !== undefined ? { snDetail: error.snDetail } : {}),
    retryable: false,
    cause: error,
  })
}

/** A 404 about the rows (an empty v1 list, a record that is not there), not about the table. */
function isRowsNotFound(error: unknown): boolean {
  return isServiceNowError(error) && error.kind === 'not_found' && !isMissingTable(error)
}

/**
 * The offset of the next page: from `Link` rel="next" (what the instance says), else from X-Total-Count arithmetic
 * (the requested page size, not the records received: sysparm_limit applies before ACLs, so a short page is not the
 * end). With neither, a full page means there may be more.
 */
function nextOffset(headers: Headers, offset: number, pageSize: number, received: number, total: number | undefined): number | undefined {
  const link = headers.get('link')
  if (link) {
    const next = linkNext(link)
    return next
  }
  if (total !== undefined) return offset + pageSize < total ? offset + pageSize : undefined
  return received >= pageSize ? offset + pageSize : undefined
}

/**
 * `rel="next"` of a Link header, matched whole as now-sdk does (sdk-api connector.js parseNextOffset): the URLs carry
 * commas (an instance leaves sysparm_fields' commas unencoded), so the header is never split on ",".
 */
function linkNext(header: string): number | undefined {
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,<]*)*)/g)) {
    if (!/(?:^|;)\s*rel\s*=\s*"?next"?\s*(?:;|$)/i.test(match[2] ?? '')) continue
    try {
      const value = new URL(match[1] ?? '', 'http://x').searchParams.get('sysparm_offset')
      return value !== null && /^\d+$/.test(value) ? Number(value) : undefined
    } catch {
      return undefined
    }
  }
  return undefined
}

function headerInt(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined
}

function describeRecord(record: TableRecord): string {
  const name = record.name ?? record.user_name ?? record.number ?? record.value ?? ''
  return name ? `${record.sys_id ?? '?'} (${name})` : (record.sys_id ?? '?')
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`${name} must be a positive integer, got ${n}`)
  return n
}

function nonNegative(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 0) throw new TypeError(`${name} must be a non-negative integer, got ${n}`)
  return n
}
