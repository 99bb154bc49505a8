// Import Set API (/api/now/import). Both calls create staging rows, so neither is repeated blindly after it may have
// reached the instance (calls.ts).
import type { ImportResult, ImportSetApi, InsertMultipleResult } from './types.ts'
import { isServiceNowError } from './errors.ts'
import { describeIssue, importResultSchema, insertMultipleSchema } from './schemas.ts'
import { invalid, TABLE_NAME } from './table.ts'
import type { Credentials, Transport } from './transport.ts'

const IMPORT_BASE = '/api/now/import'
const DEFAULT_BATCH = 200
const MAX_BATCH = 10_000

export function createImportSetApi(transport: Transport, credentials: () => Credentials | undefined): ImportSetApi {
  return {
    async insert(table, row): Promise<ImportResult> {
      const path = `${IMPORT_BASE}/${checkTable(table)}`
      const response = await transport.send({
        method: 'POST',
        path,
        body: { type: 'json', value: checkRow(row, 0) },
        credentials: credentials(),
        call: 'importInsert',
        expect: 'json',
      })
      const parsed = importResultSchema.safeParse(response.body)
      if (!parsed.success) throw invalid('POST', path, response.status, describeIssue(parsed.error))
      return parsed.data
    },

    async insertMultiple(table, rows, options = {}): Promise<InsertMultipleResult[]> {
      const path = `${IMPORT_BASE}/${checkTable(table)}/insertMultiple`
      const batchSize = options.batchSize ?? DEFAULT_BATCH
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
        throw new TypeError(`batchSize must be an integer from 1 to ${MAX_BATCH}, got ${batchSize}`)
      }
      // `as unknown`: Array.isArray would narrow the readonly array to any[], untyping every row after it.
      if (!Array.isArray(rows as unknown)) throw new TypeError('insertMultiple takes an array of rows')
      rows.forEach((row, i) => checkRow(row, i))
      const results: InsertMultipleResult[] = []
      const batches = Math.ceil(rows.length / batchSize)
      for (let b = 0; b < batches; b++) {
        const batch = rows.slice(b * batchSize, (b + 1) * batchSize)
        let response
        try {
          response = await transport.send({
            method: 'POST',
            path,
            // Later batches join the first batch's multi import set (Import Set API, query parameter multi_import_set_id).
            query: { multi_import_set_id: results[0]?.multi_import_set_id },
            body: { type: 'json', value: { records: batch } },
            credentials: credentials(),
            call: 'importBatch',
            expect: 'json',
          })
        } catch (error) {
          if (isServiceNowError(error) && batches > 1) {
            const first = b * batchSize + 1
            error.message = `${error.message} (batch ${b + 1} of ${batches}, rows ${first}-${first + batch.length - 1}; ${b} earlier batch${b === 1 ? ' was' : 'es were'} accepted)`
          }
          throw error
        }
        // Documented unwrapped; accept a `result` envelope too (scripted proxies and some releases wrap it).
        const body = response.body as { result?: unknown } | undefined
        const candidate = body && typeof body === 'object' && 'result' in body && !('import_set_id' in body) ? body.result : body
        const parsed = insertMultipleSchema.safeParse(candidate)
        if (!parsed.success) throw invalid('POST', path, response.status, describeIssue(parsed.error))
        results.push({ ...parsed.data, rows: batch.length })
      }
      return results
    },
  }
}

function checkTable(table: string): string {
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) throw new TypeError(`invalid staging table name ${JSON.stringify(table)}`)
  return table
}

/** The Import Set API takes string name-value pairs only; nested JSON is mangled (":" becomes "="), so refuse it. */
function checkRow(row: Record<string, string>, index: number): Record<string, string> {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new TypeError(`row ${index} must be an object of column names to strings`)
  for (const [key, value] of Object.entries(row)) {
    if (typeof value !== 'string') throw new TypeError(`row ${index}, column ${key}: the Import Set API takes strings only, got ${value === null ? 'null' : typeof value}`)
  }
  return row
}
