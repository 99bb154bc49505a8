// GlideAggregate: COUNT / MIN / MAX / SUM / AVG with optional groupBy. A plain COUNT is one counted select that
// does not read rows, which is what lets verify stay constant in the number of CIs.
import type { TableRecordRow } from '../../types.ts'
import type { ExecutionContext } from '../context.ts'
import { notEmulated, strictApi } from '../errors.ts'
import { QueryBuilder } from './query-builder.ts'

const AGGREGATES = new Set(['COUNT', 'MIN', 'MAX', 'SUM', 'AVG'])

interface Group {
  values: Record<string, string>
  rows: TableRecordRow[]
  count: number
}

export class GlideAggregateCore extends QueryBuilder {
  readonly #ctx: ExecutionContext
  readonly #table: string
  readonly #aggregates: Array<{ fn: string; field: string }> = []
  readonly #groupBy: string[] = []
  #groups: Group[] = []
  #index = -1

  constructor(ctx: ExecutionContext, table: unknown) {
    super('GlideAggregate')
    this.#ctx = ctx
    this.#table = String(table ?? '')
  }

  addAggregate(fn: unknown, field?: unknown): void {
    const name = String(fn ?? '').toUpperCase()
    if (!AGGREGATES.has(name)) notEmulated(`GlideAggregate.addAggregate("${String(fn)}")`)
    this.#aggregates.push({ fn: name, field: field === undefined || field === null ? '' : String(field) })
  }

  groupBy(field: unknown): void {
    this.#groupBy.push(String(field))
  }

  setGroup(group: unknown): void {
    if (group === false) this.#groupBy.length = 0
  }

  getTableName(): string {
    return this.#table
  }

  query(): void {
    this.#groups = []
    this.#index = -1
    if (!this.#ctx.db.tableExists(this.#table)) throw new Error(`GlideAggregate: invalid table name ${this.#table}`)
    if (!this.#ctx.scopeAllows(this.#table, 'read')) {
      // Refused like a GlideRecord read: counted, no rows, so COUNT answers 0.
      this.#ctx.db.counters.select++
      this.#groups = this.#groupBy.length === 0 ? [{ values: {}, rows: [], count: 0 }] : []
      return
    }
    const onlyCount = this.#groupBy.length === 0 && this.#aggregates.every((a) => a.fn === 'COUNT' && a.field === '')
    if (onlyCount) {
      const count = this.#ctx.db.count(this.#table, this.getEncodedQuery())
      this.#groups = [{ values: {}, rows: [], count }]
      return
    }
    const rows = this.#ctx.db.query(this.#table, this.getEncodedQuery())
    const byKey = new Map<string, Group>()
    for (const row of rows) {
      const values: Record<string, string> = {}
      for (const f of this.#groupBy) values[f] = row[f] ?? ''
      const key = JSON.stringify(this.#groupBy.map((f) => values[f]))
      let group = byKey.get(key)
      if (!group) {
        group = { values, rows: [], count: 0 }
        byKey.set(key, group)
      }
      group.rows.push(row)
      group.count++
    }
    this.#groups = this.#groupBy.length === 0 ? [{ values: {}, rows, count: rows.length }] : [...byKey.values()]
  }

  next(): boolean {
    if (this.#index + 1 >= this.#groups.length) return false
    this.#index++
    return true
  }

  hasNext(): boolean {
    return this.#index + 1 < this.#groups.length
  }

  getRowCount(): number {
    return this.#groups.length
  }

  getAggregate(fn: unknown, field?: unknown): string | null {
    const group = this.#groups[this.#index]
    if (!group) return null
    const name = String(fn ?? '').toUpperCase()
    const f = field === undefined || field === null ? '' : String(field)
    if (!this.#aggregates.some((a) => a.fn === name && a.field === f)) return null
    if (name === 'COUNT') return String(f ? group.rows.filter((r) => (r[f] ?? '') !== '').length : group.count)
    const values = group.rows.map((r) => r[f] ?? '').filter((v) => v !== '')
    if (values.length === 0) return ''
    const numeric = values.every((v) => v.trim() !== '' && Number.isFinite(Number(v)))
    switch (name) {
      case 'MIN':
        return numeric ? String(Math.min(...values.map(Number))) : [...values].sort()[0] ?? ''
      case 'MAX':
        return numeric ? String(Math.max(...values.map(Number))) : [...values].sort().at(-1) ?? ''
      case 'SUM':
        return String(values.reduce((s, v) => s + (Number(v) || 0), 0))
      default:
        return String(values.reduce((s, v) => s + (Number(v) || 0), 0) / values.length)
    }
  }

  getValue(field: unknown): string | null {
    const group = this.#groups[this.#index]
    if (!group) return null
    const v = group.values[String(field)]
    return v === undefined || v === '' ? null : v
  }

  getDisplayValue(field: unknown): string {
    return this.getValue(field) ?? ''
  }
}

export function createGlideAggregateClass(ctx: ExecutionContext): unknown {
  return function GlideAggregate(this: unknown, table: unknown) {
    const core = new GlideAggregateCore(ctx, table)
    const bound = new Proxy(core, {
      get(target, prop) {
        const member = Reflect.get(target, prop) as unknown
        return typeof member === 'function' ? (member as (...args: unknown[]) => unknown).bind(target) : member
      },
    })
    return strictApi(bound, 'GlideAggregate')
  }
}
