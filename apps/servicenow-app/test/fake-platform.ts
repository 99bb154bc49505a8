// An in-memory stand-in for the Glide subset in src/server/platform/types.ts. Counts queries so tests can prove
// verify's cost does not grow with the data.
import type { AggregateLike, ImportLogLike, Platform, RecordLike } from '../src/server/platform/types.ts'

export type Row = { [field: string]: string }
type Condition = { field: string; op: string; value: string }

export class FakeDb {
  tables = new Map<string, Row[]>()
  /** Columns per table for isValidField; a table not listed accepts any field. */
  columns = new Map<string, Set<string>>()
  refuseWrites = new Set<string>()
  /** Tables whose writes throw, as a cross-scope refusal does on an instance (KB1641480: "is thrown"). */
  throwOnWrite = new Map<string, string>()
  queries = 0
  deleted: Array<{ table: string; sysId: string }> = []
  private nextId = 1

  rows(table: string): Row[] {
    let rows = this.tables.get(table)
    if (!rows) this.tables.set(table, (rows = []))
    return rows
  }

  add(table: string, row: Row): Row {
    const full = { sys_id: row.sys_id ?? this.newId(), ...row }
    this.rows(table).push(full)
    return full
  }

  newId(): string {
    return (this.nextId++).toString(16).padStart(32, '0')
  }
}

function matches(row: Row, conditions: Condition[]): boolean {
  return conditions.every(({ field, op, value }) => {
    const actual = row[field] ?? ''
    switch (op) {
      case '=':
        return actual === value
      case 'IN':
        return value.split(',').includes(actual)
      case '>=':
        return actual >= value
      case '<=':
        return actual <= value
      case '<':
        return actual < value
      case 'ISNOTEMPTY':
        return actual !== ''
      case 'ISEMPTY':
        return actual === ''
      case 'STARTSWITH':
        return actual.startsWith(value)
      default:
        throw new Error(`fake: operator ${op} not supported`)
    }
  })
}

function toCondition(args: unknown[]): Condition {
  const [field, a, b] = args as [string, unknown, unknown]
  return args.length === 3 ? { field, op: String(a), value: String(b) } : { field, op: '=', value: String(a) }
}

export class FakeRecord implements RecordLike {
  private conditions: Condition[] = []
  private limit = Number.POSITIVE_INFINITY
  private order?: string
  private results: Row[] = []
  private index = -1
  private draft: Row = {}
  constructor(private db: FakeDb, private table: string) {}

  addQuery(...args: unknown[]): unknown {
    this.conditions.push(toCondition(args))
    return undefined
  }
  addNullQuery(field: string): unknown {
    this.conditions.push({ field, op: 'ISEMPTY', value: '' })
    return undefined
  }
  setLimit(limit: number): void {
    this.limit = limit
  }
  orderByDesc(field: string): void {
    this.order = field
  }
  query(): void {
    this.db.queries++
    let rows = this.db.rows(this.table).filter((r) => matches(r, this.conditions))
    if (this.order) {
      const f = this.order
      rows = [...rows].sort((a, b) => (b[f] ?? '').localeCompare(a[f] ?? ''))
    }
    this.results = rows.slice(0, this.limit)
    this.index = -1
  }
  next(): boolean {
    this.index++
    return this.index < this.results.length
  }
  private current(): Row | undefined {
    return this.results[this.index]
  }
  getValue(field: string): string | null {
    const row = this.current() ?? this.draft
    return row[field] ?? null
  }
  getDisplayValue(field: string): string {
    const row = this.current() ?? this.draft
    return row[`${field}.display`] ?? row[field] ?? ''
  }
  setValue(field: string, value: string | number | boolean): void {
    const row = this.current() ?? this.draft
    row[field] = String(value)
  }
  getUniqueValue(): string {
    return (this.current() ?? this.draft).sys_id ?? ''
  }
  insert(): string | null {
    const thrown = this.db.throwOnWrite.get(this.table)
    if (thrown) throw new Error(thrown)
    if (this.db.refuseWrites.has(this.table)) return null
    const sysId = this.db.add(this.table, this.draft).sys_id ?? null
    if (sysId) this.draft.sys_id = sysId
    return sysId
  }
  update(): string | null {
    if (this.db.refuseWrites.has(this.table)) return null
    return this.current()?.sys_id ?? null
  }
  deleteRecord(): boolean {
    const row = this.current()
    if (!row || this.db.refuseWrites.has(this.table)) return false
    const rows = this.db.rows(this.table)
    rows.splice(rows.indexOf(row), 1)
    this.db.deleted.push({ table: this.table, sysId: row.sys_id ?? '' })
    return true
  }
  isValidField(field: string): boolean {
    const cols = this.db.columns.get(this.table)
    return cols ? cols.has(field) : true
  }
}

export class FakeAggregate implements AggregateLike {
  private conditions: Condition[] = []
  private aggregates: string[] = []
  private groupFields: string[] = []
  private groups: Row[][] = []
  private index = -1
  constructor(private db: FakeDb, private table: string) {}
  addQuery(...args: unknown[]): unknown {
    this.conditions.push(toCondition(args))
    return undefined
  }
  addNotNullQuery(field: string): unknown {
    this.conditions.push({ field, op: 'ISNOTEMPTY', value: '' })
    return undefined
  }
  addAggregate(aggregate: string, field?: string): void {
    if (aggregate !== 'COUNT' || field !== undefined) throw new Error('fake: only COUNT of rows')
    this.aggregates.push(aggregate)
  }
  groupBy(field: string): void {
    this.groupFields.push(field)
  }
  query(): void {
    this.db.queries++
    const rows = this.db.rows(this.table).filter((r) => matches(r, this.conditions))
    if (this.groupFields.length === 0) {
      this.groups = [rows]
    } else {
      const byKey = new Map<string, Row[]>()
      for (const row of rows) {
        const key = JSON.stringify(this.groupFields.map((f) => row[f] ?? ''))
        byKey.set(key, [...(byKey.get(key) ?? []), row])
      }
      this.groups = [...byKey.values()]
    }
    this.index = -1
  }
  next(): boolean {
    this.index++
    return this.index < this.groups.length
  }
  getAggregate(aggregate: string): string {
    if (!this.aggregates.includes(aggregate)) throw new Error(`fake: ${aggregate} was not added`)
    return String((this.groups[this.index] ?? []).length)
  }
  getValue(field: string): string | null {
    if (!this.groupFields.includes(field)) throw new Error(`fake: ${field} is not grouped`)
    const v = this.groups[this.index]?.[0]?.[field] ?? ''
    return v === '' ? null : v
  }
}

export interface FakeOptions {
  properties?: { [name: string]: string }
  activePlugins?: string[]
  /** tables that do not exist on this fake instance (tableExists answers false) */
  missingTables?: string[]
  ire?: (source: string, payload: string) => string
  /** the instance time; a function lets a test move it between calls */
  now?: string | (() => string)
}

export interface FakePlatform extends Platform {
  db: FakeDb
  logs: string[]
  events: Array<{ name: string; sysId: string; parm1: string; parm2: string }>
  ireCalls: Array<{ source: string; payload: unknown }>
}

export function fakePlatform(db = new FakeDb(), options: FakeOptions = {}): FakePlatform {
  const logs: string[] = []
  const ireCalls: FakePlatform['ireCalls'] = []
  const events: FakePlatform['events'] = []
  return {
    db,
    logs,
    events,
    eventQueue: (name, record, parm1, parm2) => void events.push({ name, sysId: record.getUniqueValue(), parm1, parm2 }),
    ireCalls,
    record: (table) => new FakeRecord(db, table),
    aggregate: (table) => new FakeAggregate(db, table),
    property: (name, fallback) => options.properties?.[name] ?? fallback,
    isPluginActive: (id) => (options.activePlugins ?? db.rows('sys_plugins').filter((r) => r.active === 'active').map((r) => r.source)).includes(id),
    tableExists: (table) => !(options.missingTables ?? []).includes(table),
    createOrUpdateCI: (source, payload) => {
      ireCalls.push({ source, payload: JSON.parse(payload) })
      if (!options.ire) throw new Error('fake: no IRE configured')
      return options.ire(source, payload)
    },
    nowUtc: () => (typeof options.now === 'function' ? options.now() : options.now) ?? '2026-01-02 03:04:05',
    daysAgoUtc: () => '2026-01-01 03:04:05',
    info: (m) => logs.push(`info: ${m}`),
    warn: (m) => logs.push(`warn: ${m}`),
    error: (m) => logs.push(`error: ${m}`),
  }
}

export function fakeLog(): ImportLogLike & { lines: string[] } {
  const lines: string[] = []
  return { lines, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) }
}

/** A staging row as the transform's `source`. */
export function sourceRow(row: Row): { getValue(field: string): string | null } {
  return { getValue: (f) => row[f] ?? null }
}

/** The transform's `target`, recording what was set. */
export function targetRow(): { values: Row; setValue(field: string, value: string | number | boolean): void } {
  const values: Row = {}
  return { values, setValue: (f, v) => void (values[f] = String(v)) }
}
