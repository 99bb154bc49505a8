// GlideRecord and GlideRecordSecure over the emulator's store. GlideRecord is system access, as server-side
// GlideRecord is on an instance; GlideRecordSecure applies the calling user's table ACLs (rows it may not read are
// not returned, writes it may not do return null/false) — table-level ACLs only, like the emulator's REST layer.
import { PlatformError } from '../../db/errors.ts'
import { newSysId } from '../../db/database.ts'
import type { TableRecordRow } from '../../types.ts'
import type { ExecutionContext, TableOperation } from '../context.ts'
import { notEmulated } from '../errors.ts'
import { writeSyslog } from '../syslog.ts'
import { createElement, registerRecordModule } from './element.ts'
import { QueryBuilder } from './query-builder.ts'
import { toGlideString } from './values.ts'

/** GlideRecord methods the emulator does not implement: calling them throws instead of doing nothing. */
const NOT_EMULATED_METHODS = new Set([
  'addJoinQuery', 'applyEncodedQuery', 'autoSysFields', 'setWorkflow', 'updateMultiple', 'setForceUpdate',
  'getElements', 'getFields', 'getLastErrorMessage', 'getClassDisplayValue', 'getAttribute', 'getLink', 'getED',
  'setAbortAction', 'isActionAborted', 'operation', 'addFunction', 'setCategory', 'getCategory', 'setQueryReferences',
  'addDomainQuery', 'setDisplayValue', 'getLabel', 'getPlural', 'isEncodedQueryValid', '_query', '_next',
])

export class GlideRecordCore extends QueryBuilder {
  readonly #ctx: ExecutionContext
  readonly #table: string
  readonly #secure: boolean
  readonly #api: string
  #limit: number | undefined
  #window: { first: number; last: number } | undefined
  #rows: TableRecordRow[] = []
  #index = -1
  #queried = false
  /** The stored values of the current row (undefined for a new record). */
  #current: TableRecordRow | undefined
  /** setValue calls not yet written. */
  #changes: Record<string, string> = {}
  #newSysId = ''

  constructor(ctx: ExecutionContext, table: unknown, secure: boolean) {
    const api = secure ? 'GlideRecordSecure' : 'GlideRecord'
    super(api)
    this.#api = api
    this.#ctx = ctx
    this.#table = String(table ?? '')
    this.#secure = secure
    if (!ctx.db.tableExists(this.#table)) {
      // The platform logs "Invalid table name" and the record stays unusable; queries return nothing.
      writeSyslog(ctx.db, 'error', `${api}: Invalid table name ${this.#table}`, ctx.scope, ctx.user.userName)
    }
  }

  /** Internal: whether a field (own or inherited column, or sys_id) exists on this table. */
  hasColumn(field: string): boolean {
    return field === 'sys_id' || this.#ctx.db.dictionary.column(this.#table, field) !== undefined
  }

  /** Internal: the context the record was created in. */
  executionContext(): ExecutionContext {
    return this.#ctx
  }

  /** Internal: the current value of a field as stored plus pending changes; '' when empty. */
  rawValue(field: string): string {
    if (field in this.#changes) return this.#changes[field] as string
    if (field === 'sys_id') return this.#current?.sys_id ?? this.#newSysId
    return this.#current?.[field] ?? ''
  }

  /** Cross-scope access first (the platform refuses whoever the user is), then the user's ACLs for GlideRecordSecure. */
  #allowed(operation: TableOperation): boolean {
    return this.#ctx.scopeAllows(this.#table, operation) && this.#aclAllows(operation)
  }

  #aclAllows(operation: TableOperation): boolean {
    return !this.#secure || this.#ctx.canAccess(this.#table, operation)
  }

  /** A read of another table a dot-walk or a reference's display value makes. */
  #mayRead(table: string): boolean {
    return this.#ctx.scopeAllows(table, 'read')
  }

  #tableOk(): boolean {
    return this.#ctx.db.tableExists(this.#table)
  }

  getTableName(): string {
    return this.#table
  }

  getRecordClassName(): string {
    return this.#current?.sys_class_name || this.#table
  }

  setLimit(limit: unknown): void {
    const n = Number(limit)
    this.#limit = Number.isFinite(n) && n >= 0 ? Math.trunc(n) : undefined
  }

  chooseWindow(first: unknown, last: unknown): void {
    const f = Math.max(0, Math.trunc(Number(first) || 0))
    const l = Math.max(f, Math.trunc(Number(last) || 0))
    this.#window = { first: f, last: l }
  }

  query(field?: unknown, value?: unknown): void {
    if (arguments.length >= 2) this.addQuery(field, value)
    this.#queried = true
    this.#rows = []
    this.#index = -1
    this.#current = undefined
    this.#changes = {}
    if (!this.#tableOk() || !this.#allowed('read')) {
      if (this.#tableOk()) this.#ctx.db.counters.select++
      return
    }
    const offset = this.#window?.first ?? 0
    let limit = this.#window ? this.#window.last - this.#window.first : undefined
    if (this.#limit !== undefined) limit = limit === undefined ? this.#limit : Math.min(limit, this.#limit)
    this.#rows = this.#ctx.db.query(this.#table, this.getEncodedQuery(), { offset, ...(limit === undefined ? {} : { limit }) })
  }

  next(): boolean {
    if (!this.#queried) return false
    if (this.#index + 1 >= this.#rows.length) {
      this.#index = this.#rows.length
      this.#current = undefined
      return false
    }
    this.#index++
    this.#current = this.#rows[this.#index]
    this.#changes = {}
    return true
  }

  hasNext(): boolean {
    return this.#queried && this.#index + 1 < this.#rows.length
  }

  getRowCount(): number {
    return this.#rows.length
  }

  get(a: unknown, b?: unknown): boolean {
    this.#current = undefined
    this.#changes = {}
    this.#queried = true
    this.#rows = []
    this.#index = -1
    if (!this.#tableOk()) return false
    if (arguments.length >= 2) {
      const probe = new GlideRecordCore(this.#ctx, this.#table, this.#secure)
      probe.addQuery(a, b)
      probe.setLimit(1)
      probe.query()
      if (!probe.next()) return false
      this.#rows = [probe.#current as TableRecordRow]
    } else {
      const sysId = toGlideString(a)
      if (sysId === '') return false
      const row = this.#ctx.db.get(this.#table, sysId)
      if (!row || !this.#allowed('read')) return false
      this.#rows = [row]
    }
    return this.next()
  }

  isValidRecord(): boolean {
    return this.#current !== undefined
  }

  isNewRecord(): boolean {
    return this.#current === undefined
  }

  /** Whether the table exists (GlideRecord.isValid()). */
  isValid(): boolean {
    return this.#ctx.db.tableExists(this.#table)
  }

  isValidField(field: unknown): boolean {
    return this.#tableOk() && this.hasColumn(String(field))
  }

  initialize(): void {
    this.#current = undefined
    this.#changes = {}
    this.#newSysId = ''
  }

  newRecord(): void {
    this.initialize()
    this.#newSysId = newSysId()
  }

  setNewGuidValue(sysId: unknown): void {
    this.#newSysId = toGlideString(sysId)
  }

  getUniqueValue(): string {
    return this.rawValue('sys_id')
  }

  getValue(field: unknown): string | null {
    const name = String(field)
    if (!this.hasColumn(name) && !name.includes('.')) return null
    const value = name.includes('.') ? this.#walk(name.split('.')) : this.rawValue(name)
    return value === '' ? null : value
  }

  /** A dot-walked value; each reference hop is a read (counted). */
  #walk(path: string[]): string {
    let table = this.#table
    let value = this.rawValue(path[0] as string)
    for (let i = 1; i < path.length; i++) {
      const column = this.#ctx.db.dictionary.column(table, path[i - 1] as string)
      if (!column?.reference || value === '') return ''
      if (!this.#mayRead(column.reference)) return ''
      const next = this.#ctx.db.get(column.reference, value)
      if (!next) return ''
      table = column.reference
      value = next[path[i] as string] ?? ''
    }
    return value
  }

  getDisplayValue(field?: unknown): string {
    if (field === undefined) {
      const displayField = this.#ctx.db.dictionary.displayField(this.#table)
      return this.getDisplayValue(displayField)
    }
    const name = String(field)
    if (!this.hasColumn(name)) return ''
    const row: TableRecordRow = { ...(this.#current ?? {}), ...this.#changes }
    const column = this.#ctx.db.dictionary.column(this.#table, name)
    // A reference's display value is a read of the referenced record on an instance: count it.
    if (column?.type === 'reference' && row[name]) {
      this.#ctx.db.counters.select++
      if (column.reference && !this.#mayRead(column.reference)) return ''
    }
    return this.#ctx.db.displayValue(this.#table, row, name)
  }

  setValue(field: unknown, value: unknown): void {
    const name = String(field)
    if (!this.hasColumn(name) || name === 'sys_id') {
      if (name === 'sys_id') this.#newSysId = toGlideString(value)
      return
    }
    this.#changes[name] = toGlideString(value)
  }

  /** Field changes since the record was read (pending setValue calls that differ from the stored values). */
  changedFields(): string[] {
    return Object.keys(this.#changes).filter((f) => (this.#current?.[f] ?? '') !== this.#changes[f])
  }

  insert(): string | null {
    if (!this.#tableOk()) return null
    if (!this.#ctx.scopeAllows(this.#table, 'create')) return null
    if (!this.#aclAllows('create')) return this.#refused('insert')
    const values: Record<string, string> = { ...this.#changes }
    if (this.#newSysId) values.sys_id = this.#newSysId
    try {
      const row = this.#ctx.db.insert(this.#table, values, { user: this.#ctx.user.userName })
      this.#current = row
      this.#changes = {}
      this.#newSysId = ''
      return row.sys_id ?? null
    } catch (err) {
      return this.#failed('insert', err)
    }
  }

  update(): string | null {
    if (!this.#tableOk()) return null
    if (!this.#current) return this.insert()
    if (!this.#ctx.scopeAllows(this.#table, 'write')) return null
    if (!this.#aclAllows('write')) return this.#refused('update')
    const sysId = this.#current.sys_id as string
    const changed = this.changedFields()
    if (changed.length === 0) return sysId
    const values: Record<string, string> = {}
    for (const f of changed) values[f] = this.#changes[f] as string
    try {
      const row = this.#ctx.db.update(this.#table, sysId, values, { user: this.#ctx.user.userName })
      if (!row) return null
      this.#current = row
      this.#changes = {}
      return sysId
    } catch (err) {
      return this.#failed('update', err)
    }
  }

  deleteRecord(): boolean {
    if (!this.#current) return false
    if (!this.#ctx.scopeAllows(this.#table, 'delete')) return false
    if (!this.#aclAllows('delete')) {
      this.#refused('delete')
      return false
    }
    try {
      const ok = this.#ctx.db.delete(this.#table, this.#current.sys_id as string, { user: this.#ctx.user.userName })
      return ok
    } catch (err) {
      this.#failed('delete', err)
      return false
    }
  }

  deleteMultiple(): void {
    if (!this.#tableOk()) return
    if (!this.#ctx.scopeAllows(this.#table, 'delete')) return
    if (!this.#aclAllows('delete')) {
      this.#refused('delete')
      return
    }
    const rows = this.#ctx.db.query(this.#table, this.getEncodedQuery(), this.#limit === undefined ? {} : { limit: this.#limit })
    for (const row of rows) this.#ctx.db.delete(this.#table, row.sys_id as string, { user: this.#ctx.user.userName })
  }

  canRead(): boolean {
    return this.#ctx.canAccess(this.#table, 'read')
  }

  canWrite(): boolean {
    return this.#ctx.canAccess(this.#table, 'write')
  }

  canCreate(): boolean {
    return this.#ctx.canAccess(this.#table, 'create')
  }

  canDelete(): boolean {
    return this.#ctx.canAccess(this.#table, 'delete')
  }

  #refused(operation: string): null {
    // GlideRecordSecure on an instance refuses quietly for the caller and logs the security restriction.
    writeSyslog(this.#ctx.db, 'warn', `Security restricted: ${operation} on ${this.#table} by ${this.#ctx.user.userName} denied by ACL`, this.#ctx.scope, this.#ctx.user.userName)
    return null
  }

  #failed(operation: string, err: unknown): null {
    const detail = err instanceof PlatformError ? `${err.message}${err.detail ? `: ${err.detail}` : ''}` : err instanceof Error ? err.message : String(err)
    writeSyslog(this.#ctx.db, 'error', `${this.#api} ${operation} on ${this.#table} failed: ${detail}`, this.#ctx.scope, this.#ctx.user.userName)
    return null
  }

  override toString(): string {
    return `[object ${this.#api}]`
  }
}

/** The object scripts see: methods of the core, fields as GlideElements (gr.name, gr.name = 'x'). */
export function wrapRecord(core: GlideRecordCore, api: string): GlideRecordCore {
  return new Proxy(core, {
    get(target, prop) {
      if (typeof prop === 'symbol') return Reflect.get(target, prop) as unknown
      const member = Reflect.get(target, prop) as unknown
      if (typeof member === 'function') return (member as (...args: unknown[]) => unknown).bind(target)
      if (NOT_EMULATED_METHODS.has(prop)) return notEmulated(`${api}.${prop}`)
      if (target.isValidField(prop)) return createElement(target, prop)
      return member
    },
    set(target, prop, value) {
      if (typeof prop === 'string' && target.isValidField(prop)) {
        target.setValue(prop, value)
        return true
      }
      return Reflect.set(target, prop, value)
    },
    has(target, prop) {
      return (typeof prop === 'string' && target.isValidField(prop)) || Reflect.has(target, prop)
    },
  })
}

export function createGlideRecordClasses(ctx: ExecutionContext): { GlideRecord: unknown; GlideRecordSecure: unknown } {
  function GlideRecord(this: unknown, table: unknown) {
    return wrapRecord(new GlideRecordCore(ctx, table, false), 'GlideRecord')
  }
  function GlideRecordSecure(this: unknown, table: unknown) {
    return wrapRecord(new GlideRecordCore(ctx, table, true), 'GlideRecordSecure')
  }
  return { GlideRecord, GlideRecordSecure }
}

registerRecordModule({ GlideRecordCore, wrapRecord })
