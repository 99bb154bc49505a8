// The store: rows per table, the dictionary, business rules and operation counters. Every value is a string,
// as the Table API shows it. Reads and writes here bypass ACLs (they are enforced by the HTTP routes).
import { randomBytes } from 'node:crypto'
import type { EmulatedRelease, TableRecordRow } from '../types.ts'
import { DB_NAME, Dictionary, type ColumnDef, type TableDef, type ValueKind } from './dictionary.ts'
import { EqualityIndexes } from './equality-index.ts'
import { ERRORS, PlatformError } from './errors.ts'
import { definePlatformTables } from './platform-tables.ts'
import { compileQuery, parseEncodedQuery, type CompiledQuery, type ParsedQuery } from './query.ts'
import { hashPassword, SecretBox, verifyPassword } from './secrets.ts'

export type DbOperation = 'insert' | 'update' | 'delete'

export interface WriteOptions {
  /** user_name written to sys_created_by / sys_updated_by; default 'system'. */
  user?: string
  /** sysparm_input_display_value=true: encrypted columns may be set, references resolve by display value. */
  inputDisplayValue?: boolean
  /** With inputDisplayValue, what a choice field does with a value that is no choice's label (switch choiceInputDisplayValue). */
  choiceInputDisplayValue?: 'label-only' | 'label-or-value'
  /** Unknown fields become string columns instead of being ignored (the app loader: the real table has them). */
  addUnknownColumns?: boolean
  /** Reject the write when a dictionary-mandatory field is empty. */
  enforceMandatory?: boolean
  /** Skip business rules (state loading, uninstall clean-up). */
  skipRules?: boolean
  /** References that do not name an existing record resolve through these display values (app XML `name=` attributes). */
  displayValues?: Record<string, string>
}

export interface RuleContext {
  db: Database
  /** The record's own class. */
  table: string
  operation: DbOperation
  /** The stored row (mutable in before rules). */
  row: TableRecordRow
  /** The row before an update. */
  previous?: TableRecordRow
  options: WriteOptions
}

export interface BusinessRule {
  name: string
  /** Runs for this table and every table that extends it. */
  table: string
  when: 'before' | 'after'
  operations: readonly DbOperation[]
  run(ctx: RuleContext): void
}

export interface QueryOptions {
  limit?: number
  offset?: number
}

export interface DatabaseState {
  release: EmulatedRelease
  secretKey: string
  tables: Array<{ name: string; label: string; extends?: string; displayField?: string; wsAccess: boolean; scopeId?: string; columns: ColumnDef[] }>
  rows: Record<string, TableRecordRow[]>
}

/** sys_ids a caller may choose on insert ('global' is the global scope's). */
const ASSIGNABLE_SYS_ID = /^(?:[0-9a-f]{32}|global)$/

export function newSysId(): string {
  return randomBytes(16).toString('hex')
}

/** Glide date-time format, UTC: `2026-01-31 23:59:59`. */
export function glideDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19)
}

export class Database {
  readonly dictionary = new Dictionary()
  readonly counters = { select: 0, insert: 0, update: 0, delete: 0 }
  /**
   * Values the platform's APIs were handed for a column the table does not have (IRE attributes, transform field
   * maps): the platform drops them without a word, so the emulator keeps a list the tests fail on (audit item 7).
   */
  readonly schemaMisses: Array<{ table: string; column: string; by: string }> = []
  readonly release: EmulatedRelease
  readonly #rows = new Map<string, Map<string, TableRecordRow>>()
  readonly #rules: BusinessRule[] = []
  readonly #indexes = new EqualityIndexes()
  /** Each stored row's place in its table's insertion order (an update keeps it): index hits are put back in it. */
  readonly #order = new WeakMap<TableRecordRow, number>()
  #nextOrder = 0
  #secrets: SecretBox
  /** Injectable clock for tests. */
  now: () => Date = () => new Date()

  constructor(options: { release?: EmulatedRelease; secretKey?: string } = {}) {
    this.release = options.release ?? 'zurich'
    this.#secrets = new SecretBox(options.secretKey)
    definePlatformTables(this.dictionary, this.release)
  }

  addRule(rule: BusinessRule): void {
    this.#rules.push(rule)
  }

  tableExists(table: string): boolean {
    return this.dictionary.has(table)
  }

  #requireTable(table: string): TableDef {
    const def = this.dictionary.get(table)
    if (!def) throw ERRORS.invalidTable(table)
    return def
  }

  #store(table: string): Map<string, TableRecordRow> {
    let store = this.#rows.get(table)
    if (!store) {
      store = new Map()
      this.#rows.set(table, store)
    }
    return store
  }

  /** The stored row and its class, looked up in the table and every table that extends it. */
  findStored(table: string, sysId: string): { table: string; row: TableRecordRow } | undefined {
    for (const t of this.dictionary.descendants(table)) {
      const row = this.#rows.get(t)?.get(sysId)
      if (row) return { table: t, row }
    }
    return undefined
  }

  /** Every stored row of the table and its descendants, in insertion order per class. */
  *scan(table: string): Generator<{ table: string; row: TableRecordRow }> {
    for (const t of this.dictionary.descendants(table)) {
      for (const row of this.#rows.get(t)?.values() ?? []) yield { table: t, row }
    }
  }

  /** The row as the table shows it: its columns only (a parent table does not show a child's columns). */
  visible(table: string, row: TableRecordRow): TableRecordRow {
    const out: TableRecordRow = {}
    for (const c of this.dictionary.columns(table)) out[c.name] = row[c.name] ?? ''
    return out
  }

  /** Query context for the encoded-query engine: dot-walking follows reference columns. */
  queryContext(table: string) {
    const kindOf = (path: readonly string[]): ValueKind | undefined => {
      let current = table
      for (let i = 0; i < path.length; i++) {
        const column = this.dictionary.column(current, path[i] as string)
        if (!column) return undefined
        if (i === path.length - 1) return this.dictionary.valueKind(column)
        if (column.type !== 'reference' || !column.reference) return undefined
        current = column.reference
      }
      return undefined
    }
    return {
      kind: kindOf,
      value: (row: TableRecordRow, path: readonly string[]): string => (path.length === 1 ? (row[path[0] as string] ?? '') : this.dotWalk(table, row, path)),
      isInstanceOf: (className: string, base: string) => this.dictionary.isInstanceOf(className, base),
    }
  }

  /** A (dot-walked) field's value; '' when a reference on the way is empty or broken. */
  dotWalk(table: string, row: TableRecordRow, path: readonly string[]): string {
    let currentTable = table
    let current: TableRecordRow | undefined = row
    for (let i = 0; i < path.length; i++) {
      const field = path[i] as string
      if (!current) return ''
      const value = current[field] ?? ''
      if (i === path.length - 1) return value
      const column = this.dictionary.column(currentTable, field)
      if (!column?.reference || value === '') return ''
      const next = this.findStored(column.reference, value)
      currentTable = next?.table ?? column.reference
      current = next?.row
    }
    return ''
  }

  #compile(table: string, parsed: ParsedQuery): CompiledQuery {
    return compileQuery(parsed, this.queryContext(table), {
      invalidReturnsNoRows: this.#property('glide.invalid_query.returns_no_rows') === 'true',
    })
  }

  #property(name: string): string | undefined {
    for (const row of this.#rowsWhere('sys_properties', 'name', name)) if (row.name === name) return row.value
    return undefined
  }

  /**
   * The rows (of the table and its descendants, in scan order) that can match the query: through an equality
   * index when every match must satisfy one plain `field=value` on a string column, else every row. The caller
   * still tests each row against the whole query.
   */
  #candidates(table: string, parsed: ParsedQuery): Iterable<TableRecordRow> {
    const query = parsed.queries.length === 1 ? parsed.queries[0] : undefined
    const kind = this.queryContext(table).kind
    for (const term of query ?? []) {
      const c = term.length === 1 ? term[0] : undefined
      if (!c || c.operator !== '=' || c.value === '' || c.path.length !== 1 || c.value.startsWith('javascript:')) continue
      const k = kind(c.path)
      if (k === 'string' || k === 'class') return this.#rowsWhere(table, c.field, c.value)
    }
    return this.#allRows(table)
  }

  *#allRows(table: string): Generator<TableRecordRow> {
    for (const { row } of this.scan(table)) yield row
  }

  /** Rows of the table and its descendants whose field equals the value, ignoring case, in scan order. */
  #rowsWhere(table: string, field: string, value: string): TableRecordRow[] {
    const out: TableRecordRow[] = []
    for (const t of this.dictionary.descendants(table)) {
      const store = this.#rows.get(t)
      if (!store) continue
      const rows: TableRecordRow[] = []
      for (const id of this.#indexes.lookup(t, field, value, () => store.values())) {
        const row = store.get(id)
        if (row) rows.push(row)
      }
      if (rows.length > 1) rows.sort((a, b) => (this.#order.get(a) ?? 0) - (this.#order.get(b) ?? 0))
      out.push(...rows)
    }
    return out
  }

  #place(table: string, row: TableRecordRow, previous?: TableRecordRow): void {
    this.#order.set(row, previous ? (this.#order.get(previous) ?? this.#nextOrder++) : this.#nextOrder++)
    this.#store(table).set(row.sys_id as string, row)
    this.#indexes.stored(table, row, previous)
  }

  /**
   * Changes a stored row in place without the write's bookkeeping (sys_updated_on, sys_mod_count, rules): for
   * loaders that restore recorded values. Keeps the indexes current, which writing to a row object would not.
   */
  patchStored(table: string, sysId: string, values: Record<string, string>): void {
    const found = this.findStored(table, sysId)
    if (!found) return
    const previous = { ...found.row }
    Object.assign(found.row, values)
    this.#indexes.stored(found.table, found.row, previous)
  }

  /** Rows matching an encoded query, ordered, then offset/limit applied. Copies, with the table's columns. */
  query(table: string, encoded?: string, options: QueryOptions = {}): TableRecordRow[] {
    return this.queryWithTotal(table, encoded, options).rows
  }

  /** Like query(), also returning how many rows matched before offset/limit (X-Total-Count). */
  queryWithTotal(table: string, encoded?: string, options: QueryOptions = {}): { rows: TableRecordRow[]; total: number; invalid: string[] } {
    this.#requireTable(table)
    this.counters.select++
    const parsed = parseEncodedQuery(encoded)
    const compiled = this.#compile(table, parsed)
    const matched: TableRecordRow[] = []
    for (const row of this.#candidates(table, parsed)) if (compiled.matches(row)) matched.push(row)
    compiled.sort(matched)
    const offset = Math.max(0, options.offset ?? 0)
    const end = options.limit === undefined ? undefined : offset + Math.max(0, options.limit)
    return { rows: matched.slice(offset, end).map((r) => this.visible(table, r)), total: matched.length, invalid: compiled.invalid }
  }

  count(table: string, encoded?: string): number {
    this.#requireTable(table)
    this.counters.select++
    const parsed = parseEncodedQuery(encoded)
    const compiled = this.#compile(table, parsed)
    let n = 0
    for (const row of this.#candidates(table, parsed)) if (compiled.matches(row)) n++
    return n
  }

  get(table: string, sysId: string): TableRecordRow | undefined {
    this.#requireTable(table)
    this.counters.select++
    const found = this.findStored(table, sysId)
    return found ? this.visible(table, found.row) : undefined
  }

  /** The single row matching the query, or undefined; more than one match throws (natural keys must be unique). */
  findOne(table: string, encoded: string): TableRecordRow | undefined {
    const rows = this.query(table, encoded, { limit: 2 })
    if (rows.length > 1) throw new Error(`more than one ${table} record matches ${encoded}`)
    return rows[0]
  }

  insert(table: string, values: Record<string, unknown>, options: WriteOptions = {}): TableRecordRow {
    const def = this.#requireTable(table)
    const now = glideDateTime(this.now())
    const user = options.user ?? 'system'
    const row: TableRecordRow = {}
    for (const c of this.dictionary.columns(table)) row[c.name] = c.defaultValue ?? ''
    const requested = typeof values.sys_id === 'string' ? values.sys_id : ''
    row.sys_id = ASSIGNABLE_SYS_ID.test(requested) && !this.findStored(this.dictionary.root(table), requested) ? requested : newSysId()
    if ('sys_class_name' in row) row.sys_class_name = def.name
    this.#assign(table, row, values, options)
    Object.assign(row, { sys_created_on: now, sys_created_by: user, sys_updated_on: now, sys_updated_by: user, sys_mod_count: '0' })
    if (options.enforceMandatory) this.#checkMandatory(table, row)
    this.#runRules('before', 'insert', table, row, undefined, options)
    this.#place(table, row)
    this.counters.insert++
    const stored = { ...row }
    this.#runRules('after', 'insert', table, row, undefined, options)
    this.#indexes.stored(table, row, stored)
    return this.visible(table, row)
  }

  update(table: string, sysId: string, values: Record<string, unknown>, options: WriteOptions = {}): TableRecordRow | undefined {
    this.#requireTable(table)
    const found = this.findStored(table, sysId)
    if (!found) return undefined
    const previous = { ...found.row }
    const row = { ...found.row }
    this.#assign(found.table, row, values, options)
    row.sys_id = sysId
    if ('sys_class_name' in previous) row.sys_class_name = previous.sys_class_name as string
    row.sys_updated_on = glideDateTime(this.now())
    row.sys_updated_by = options.user ?? 'system'
    row.sys_mod_count = String(Number(previous.sys_mod_count ?? '0') + 1)
    if (options.enforceMandatory) this.#checkMandatory(found.table, row)
    this.#runRules('before', 'update', found.table, row, previous, options)
    this.#place(found.table, row, found.row)
    this.counters.update++
    const stored = { ...row }
    this.#runRules('after', 'update', found.table, row, previous, options)
    this.#indexes.stored(found.table, row, stored)
    return this.visible(table, row)
  }

  /**
   * Moves a row to another class of the same hierarchy, keeping its sys_id (IRE's reclassification, a class change on
   * the form): the columns the new class lacks are dropped, the new ones take their defaults. One counted update.
   */
  reclassify(sysId: string, fromTable: string, toTable: string, values: Record<string, unknown>, options: WriteOptions = {}): TableRecordRow | undefined {
    this.#requireTable(toTable)
    const found = this.findStored(fromTable, sysId)
    if (!found) return undefined
    const row: TableRecordRow = {}
    for (const c of this.dictionary.columns(toTable)) row[c.name] = found.row[c.name] ?? c.defaultValue ?? ''
    this.#assign(toTable, row, values, options)
    row.sys_id = sysId
    row.sys_class_name = toTable
    row.sys_updated_on = glideDateTime(this.now())
    row.sys_updated_by = options.user ?? 'system'
    row.sys_mod_count = String(Number(found.row.sys_mod_count ?? '0') + 1)
    this.#rows.get(found.table)?.delete(sysId)
    this.#indexes.removed(found.table, found.row)
    // keeps its place in scan order; indexed as new in its new table (no `previous` there)
    this.#order.set(row, this.#order.get(found.row) ?? this.#nextOrder++)
    this.#store(toTable).set(sysId, row)
    this.#indexes.stored(toTable, row)
    this.counters.update++
    return this.visible(toTable, row)
  }

  delete(table: string, sysId: string, options: WriteOptions = {}): boolean {
    this.#requireTable(table)
    const found = this.findStored(table, sysId)
    if (!found) return false
    this.#runRules('before', 'delete', found.table, found.row, undefined, options)
    this.#rows.get(found.table)?.delete(sysId)
    this.#indexes.removed(found.table, found.row)
    this.counters.delete++
    this.#runRules('after', 'delete', found.table, found.row, undefined, options)
    return true
  }

  /** Removes a table definition and all its rows (app uninstall). */
  dropTable(table: string): void {
    for (const t of this.dictionary.descendants(table)) {
      this.#rows.delete(t)
      this.#indexes.dropTable(t)
      this.dictionary.drop(t)
    }
  }

  /** Checks a plaintext password against a `password` column. */
  checkPassword(table: string, sysId: string, field: string, plaintext: string): boolean {
    const stored = this.findStored(table, sysId)?.row[field] ?? ''
    return stored !== '' && verifyPassword(stored, plaintext)
  }

  /** The plaintext of a `password2` column (the instance decrypts to compare a client secret). */
  decrypt(table: string, sysId: string, field: string): string | undefined {
    const stored = this.findStored(table, sysId)?.row[field] ?? ''
    return stored === '' ? undefined : this.#secrets.decrypt(stored)
  }

  /** Encrypts a value for a `password2` column (business rules that generate secrets). */
  encryptSecret(plaintext: string): string {
    return this.#secrets.encrypt(plaintext)
  }

  /** The display value of a field: a reference's display field, a choice label, otherwise the value. */
  displayValue(table: string, row: TableRecordRow, field: string): string {
    const column = this.dictionary.column(table, field)
    const value = row[field] ?? ''
    if (!column || value === '') return value
    if (column.type === 'reference' && column.reference) {
      const target = this.findStored(column.reference, value)
      if (!target) return ''
      return target.row[this.dictionary.displayField(target.table)] ?? ''
    }
    if (column.type === 'choice') {
      for (const t of this.dictionary.lineage(table)) {
        for (const { row: choice } of this.scan('sys_choice')) {
          if (choice.name === t && choice.element === field && choice.value === value && choice.inactive !== 'true') return choice.label ?? value
        }
      }
    }
    return value
  }

  #checkMandatory(table: string, row: TableRecordRow): void {
    const missing = this.dictionary.columns(table).filter((c) => c.mandatory && (row[c.name] ?? '') === '').map((c) => c.name)
    if (missing.length > 0) {
      throw new PlatformError(403, 'Operation Failed', `Data Policy Exception: the following fields are mandatory: ${missing.join(', ')}`)
    }
  }

  #assign(table: string, row: TableRecordRow, values: Record<string, unknown>, options: WriteOptions): void {
    for (const [field, raw] of Object.entries(values)) {
      if (field === 'sys_id' || field === 'sys_class_name') continue
      let column = this.dictionary.column(table, field)
      if (!column) {
        // The Table API ignores fields the table does not have.
        if (!options.addUnknownColumns || !DB_NAME.test(field)) continue
        column = { name: field, label: field, type: 'string', maxLength: 4000 }
        this.dictionary.addColumn(table, column)
      }
      const value = this.#coerce(table, column, raw, options, field)
      if (value !== undefined) row[field] = value
    }
  }

  #coerce(table: string, column: ColumnDef, raw: unknown, options: WriteOptions, field: string): string | undefined {
    let text: string
    if (raw === null || raw === undefined) text = ''
    else if (typeof raw === 'object') {
      // A {value, display_value} pair as the Table API returns it; anything else is stored as its JSON text.
      const v = (raw as Record<string, unknown>).value
      text = typeof v === 'string' ? v : JSON.stringify(raw)
    } else text = String(raw)
    switch (column.type) {
      case 'password':
        if (!options.inputDisplayValue) return undefined
        return text === '' ? '' : hashPassword(text)
      case 'password2':
        if (!options.inputDisplayValue) return undefined
        return text === '' ? '' : this.#secrets.encrypt(text)
      case 'boolean': {
        const v = text.toLowerCase()
        return v === 'true' || v === '1' ? 'true' : 'false'
      }
      case 'integer': {
        if (text.trim() === '') return ''
        const n = Number(text)
        return Number.isFinite(n) ? String(Math.trunc(n)) : ''
      }
      case 'decimal': {
        if (text.trim() === '') return ''
        const n = Number(text)
        return Number.isFinite(n) ? String(n) : ''
      }
      case 'reference':
        return this.#resolveReference(column, text, options, field)
      case 'choice':
        if (!options.inputDisplayValue || options.choiceInputDisplayValue === undefined || text === '') return text
        return this.#choiceByLabel(table, field, text) ?? (options.choiceInputDisplayValue === 'label-or-value' ? text : undefined)
      default:
        return column.maxLength && text.length > column.maxLength ? text.slice(0, column.maxLength) : text
    }
  }

  /** "Treats input values as display values" (Table API, sysparm_input_display_value): a choice's label names its value. */
  #choiceByLabel(table: string, field: string, label: string): string | undefined {
    for (const t of this.dictionary.lineage(table)) {
      for (const { row } of this.scan('sys_choice')) {
        if (row.name === t && row.element === field && row.label === label && row.inactive !== 'true') return row.value
      }
    }
    return undefined
  }

  #resolveReference(column: ColumnDef, text: string, options: WriteOptions, field: string): string {
    if (text === '' || !column.reference || !this.dictionary.has(column.reference)) return text
    if (ASSIGNABLE_SYS_ID.test(text) && this.findStored(column.reference, text)) return text
    const byDisplay = options.displayValues?.[field] ?? (options.inputDisplayValue ? text : undefined)
    if (byDisplay !== undefined && byDisplay !== '') {
      const displayField = this.dictionary.displayField(column.reference)
      for (const { row } of this.scan(column.reference)) if (row[displayField] === byDisplay) return row.sys_id as string
    }
    return text
  }

  #runRules(when: 'before' | 'after', operation: DbOperation, table: string, row: TableRecordRow, previous: TableRecordRow | undefined, options: WriteOptions): void {
    if (options.skipRules) return
    for (const rule of this.#rules) {
      if (rule.when !== when || !rule.operations.includes(operation) || !this.dictionary.isInstanceOf(table, rule.table)) continue
      rule.run({ db: this, table, operation, row, ...(previous ? { previous } : {}), options })
    }
  }

  exportState(): DatabaseState {
    const tables = this.dictionary.tableNames().map((name) => {
      const def = this.dictionary.get(name) as TableDef
      return {
        name,
        label: def.label,
        ...(def.extends ? { extends: def.extends } : {}),
        ...(def.displayField ? { displayField: def.displayField } : {}),
        wsAccess: def.wsAccess,
        ...(def.scopeId ? { scopeId: def.scopeId } : {}),
        columns: [...def.columns.values()],
      }
    })
    const rows: Record<string, TableRecordRow[]> = {}
    for (const [name, store] of this.#rows) if (store.size > 0) rows[name] = [...store.values()]
    return { release: this.release, secretKey: this.#secrets.keyHex, tables, rows }
  }

  static fromState(state: DatabaseState): Database {
    const db = new Database({ release: state.release, secretKey: state.secretKey })
    for (const t of state.tables) {
      db.dictionary.define({
        name: t.name,
        label: t.label,
        wsAccess: t.wsAccess,
        columns: new Map(t.columns.map((c) => [c.name, c])),
        ...(t.extends ? { extends: t.extends } : {}),
        ...(t.displayField ? { displayField: t.displayField } : {}),
        ...(t.scopeId ? { scopeId: t.scopeId } : {}),
      })
    }
    for (const [name, rows] of Object.entries(state.rows)) {
      for (const row of rows) if (row.sys_id) db.#place(name, { ...row })
    }
    return db
  }
}

export { PlatformError }
