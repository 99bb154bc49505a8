// Equality indexes over the stored rows, so `field=value` does not read the whole table: per class table and
// field, the sys_ids by lower-cased value (the engine's `=` on strings ignores case, query.ts normalize). An
// index is built on the first query that can use it and kept current by every write of database.ts; a query
// re-checks every candidate, so a stale entry can only cost time, never return a wrong row.
import type { TableRecordRow } from '../types.ts'

type FieldIndex = Map<string, Set<string>>

function keyOf(row: TableRecordRow, field: string): string {
  return (row[field] ?? '').toLowerCase()
}

export class EqualityIndexes {
  readonly #byTable = new Map<string, Map<string, FieldIndex>>()

  /** The sys_ids of `table`'s own rows whose `field` equals `value` (any case), building the index if needed. */
  lookup(table: string, field: string, value: string, rows: () => Iterable<TableRecordRow>): ReadonlySet<string> {
    let fields = this.#byTable.get(table)
    if (!fields) this.#byTable.set(table, (fields = new Map<string, FieldIndex>()))
    let index = fields.get(field)
    if (!index) {
      index = new Map()
      fields.set(field, index)
      for (const row of rows()) add(index, keyOf(row, field), row.sys_id as string)
    }
    return index.get(value.toLowerCase()) ?? EMPTY
  }

  /** After a row of `table` was stored (inserted, replaced or changed in place); `previous` is what it replaced. */
  stored(table: string, row: TableRecordRow, previous?: TableRecordRow): void {
    const fields = this.#byTable.get(table)
    if (!fields) return
    const sysId = row.sys_id as string
    for (const [field, index] of fields) {
      const key = keyOf(row, field)
      if (previous) {
        const before = keyOf(previous, field)
        if (before === key) continue
        index.get(before)?.delete(sysId)
      }
      add(index, key, sysId)
    }
  }

  removed(table: string, row: TableRecordRow): void {
    const fields = this.#byTable.get(table)
    if (!fields) return
    for (const [field, index] of fields) index.get(keyOf(row, field))?.delete(row.sys_id as string)
  }

  dropTable(table: string): void {
    this.#byTable.delete(table)
  }
}

const EMPTY: ReadonlySet<string> = new Set()

function add(index: FieldIndex, key: string, sysId: string): void {
  let ids = index.get(key)
  if (!ids) index.set(key, (ids = new Set()))
  ids.add(sysId)
}
