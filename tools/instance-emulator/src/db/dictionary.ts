// The data dictionary: tables, their columns and the class hierarchy (sys_db_object / sys_dictionary in memory).

export type ColumnType =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'decimal'
  | 'reference'
  | 'glide_date_time'
  | 'choice'
  | 'script'
  | 'glide_list'
  | 'sys_class_name'
  | 'GUID'
  /** One-way hash (sys_user.user_password): settable only with sysparm_input_display_value=true. */
  | 'password'
  /** Two-way encrypted (oauth_entity.client_secret): settable only with sysparm_input_display_value=true. */
  | 'password2'

/** What a table or column name may be (the emulator's rule for sys_db_object / sys_dictionary names). */
export const DB_NAME = /^[a-z_][a-z0-9_]*$/

export interface ColumnDef {
  name: string
  label: string
  type: ColumnType
  /** Target table of a reference column. */
  reference?: string
  maxLength?: number
  mandatory?: boolean
  defaultValue?: string
}

export interface TableDef {
  name: string
  label: string
  extends?: string
  /** Own columns (inherited ones live on the parents). */
  columns: Map<string, ColumnDef>
  /** Field shown as a reference's display value. */
  displayField?: string
  /** "Allow access to this table via web services" (sys_db_object.ws_access). */
  wsAccess: boolean
  /** sys_id of the scope that created the table; undefined for platform tables. */
  scopeId?: string
}

/** What a query treats a field as when it compares values. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'class'

export class Dictionary {
  readonly #tables = new Map<string, TableDef>()
  /** lineage, descendants and columns per table (asked for on every row read): dropped by every change here. */
  readonly #memo = { lineage: new Map<string, readonly string[]>(), descendants: new Map<string, readonly string[]>(), columns: new Map<string, readonly ColumnDef[]>() }

  #changed(): void {
    this.#memo.lineage.clear()
    this.#memo.descendants.clear()
    this.#memo.columns.clear()
  }

  /** Frozen, so that a caller cannot change the memo by changing the answer. */
  #remember<T>(memo: Map<string, readonly T[]>, name: string, compute: () => T[]): readonly T[] {
    let value = memo.get(name)
    if (!value) memo.set(name, (value = Object.freeze(compute())))
    return value
  }

  define(def: TableDef): void {
    this.#tables.set(def.name, def)
    this.#changed()
  }

  /** Makes a defined table extend another (a sys_db_object's super_class written after the table existed). */
  setExtends(name: string, parent: string): void {
    const def = this.#tables.get(name)
    if (!def) return
    def.extends = parent
    this.#changed()
  }

  /** Adds a column to an existing table (or replaces it): the dictionary equivalent of a sys_dictionary insert. */
  addColumn(table: string, column: ColumnDef): void {
    const def = this.#tables.get(table)
    if (!def) throw new Error(`cannot add column ${column.name}: table ${table} is not defined`)
    def.columns.set(column.name, column)
    this.#changed()
  }

  drop(name: string): void {
    this.#tables.delete(name)
    this.#changed()
  }

  has(name: string): boolean {
    return this.#tables.has(name)
  }

  get(name: string): TableDef | undefined {
    return this.#tables.get(name)
  }

  tableNames(): string[] {
    return [...this.#tables.keys()]
  }

  /** The table itself first, then its parents up to the root. */
  lineage(name: string): readonly string[] {
    return this.#remember(this.#memo.lineage, name, () => this.#lineage(name))
  }

  #lineage(name: string): string[] {
    const out: string[] = []
    let current: string | undefined = name
    while (current && this.#tables.has(current) && !out.includes(current)) {
      out.push(current)
      current = this.#tables.get(current)?.extends
    }
    return out
  }

  root(name: string): string {
    const line = this.lineage(name)
    return line[line.length - 1] ?? name
  }

  /** The table and every table that extends it, directly or not. */
  descendants(name: string): readonly string[] {
    return this.#remember(this.#memo.descendants, name, () => this.#descendants(name))
  }

  #descendants(name: string): string[] {
    const out = [name]
    for (let i = 0; i < out.length; i++) {
      for (const def of this.#tables.values()) {
        if (def.extends === out[i] && !out.includes(def.name)) out.push(def.name)
      }
    }
    return out
  }

  isInstanceOf(table: string, base: string): boolean {
    return this.lineage(table).includes(base)
  }

  /** A column of the table or of one of its parents. */
  column(table: string, field: string): ColumnDef | undefined {
    for (const t of this.lineage(table)) {
      const col = this.#tables.get(t)?.columns.get(field)
      if (col) return col
    }
    return undefined
  }

  /** Every column, the root's first. */
  columns(table: string): readonly ColumnDef[] {
    return this.#remember(this.#memo.columns, table, () => this.#columns(table))
  }

  #columns(table: string): ColumnDef[] {
    const seen = new Map<string, ColumnDef>()
    for (const t of [...this.lineage(table)].reverse()) {
      for (const col of this.#tables.get(t)?.columns.values() ?? []) seen.set(col.name, col)
    }
    return [...seen.values()]
  }

  displayField(table: string): string {
    for (const t of this.lineage(table)) {
      const field = this.#tables.get(t)?.displayField
      if (field) return field
    }
    if (this.column(table, 'name')) return 'name'
    if (this.column(table, 'number')) return 'number'
    return 'sys_id'
  }

  valueKind(column: ColumnDef): ValueKind {
    switch (column.type) {
      case 'integer':
      case 'decimal':
        return 'number'
      case 'boolean':
        return 'boolean'
      case 'sys_class_name':
        return 'class'
      default:
        return 'string'
    }
  }
}

/** Builders for column definitions, so table specs read as one line per column. */
export const col = {
  string: (label: string, maxLength = 40, extra: Partial<ColumnDef> = {}): Omit<ColumnDef, 'name'> => ({ label, type: 'string', maxLength, ...extra }),
  text: (label: string, extra: Partial<ColumnDef> = {}): Omit<ColumnDef, 'name'> => ({ label, type: 'string', maxLength: 4000, ...extra }),
  script: (label: string): Omit<ColumnDef, 'name'> => ({ label, type: 'script', maxLength: 1_000_000 }),
  boolean: (label: string, defaultValue = 'false'): Omit<ColumnDef, 'name'> => ({ label, type: 'boolean', defaultValue }),
  integer: (label: string, defaultValue?: string): Omit<ColumnDef, 'name'> => ({ label, type: 'integer', ...(defaultValue === undefined ? {} : { defaultValue }) }),
  reference: (label: string, reference: string): Omit<ColumnDef, 'name'> => ({ label, type: 'reference', reference, maxLength: 32 }),
  dateTime: (label: string): Omit<ColumnDef, 'name'> => ({ label, type: 'glide_date_time' }),
  choice: (label: string, defaultValue?: string): Omit<ColumnDef, 'name'> => ({ label, type: 'choice', maxLength: 40, ...(defaultValue === undefined ? {} : { defaultValue }) }),
  list: (label: string): Omit<ColumnDef, 'name'> => ({ label, type: 'glide_list', maxLength: 4000 }),
  password: (label: string): Omit<ColumnDef, 'name'> => ({ label, type: 'password', maxLength: 255 }),
  password2: (label: string): Omit<ColumnDef, 'name'> => ({ label, type: 'password2', maxLength: 255 }),
}

export function columnsFrom(spec: Record<string, Omit<ColumnDef, 'name'>>): Map<string, ColumnDef> {
  return new Map(Object.entries(spec).map(([name, c]) => [name, { name, ...c }]))
}

/** Maps a sys_dictionary internal_type (or an app package column type) to the types the emulator handles. */
export function columnTypeFrom(internalType: string | undefined): ColumnType {
  switch ((internalType ?? '').toLowerCase()) {
    case 'boolean':
      return 'boolean'
    case 'integer':
    case 'longint':
      return 'integer'
    case 'decimal':
    case 'float':
    case 'numeric':
    case 'currency':
    case 'price':
      return 'decimal'
    case 'reference':
      return 'reference'
    case 'glide_date_time':
    case 'glide_date':
    case 'due_date':
    case 'datetime':
      return 'glide_date_time'
    case 'choice':
      return 'choice'
    case 'script':
    case 'script_plain':
    case 'script_server':
      return 'script'
    case 'glide_list':
      return 'glide_list'
    case 'password':
      return 'password'
    case 'password2':
      return 'password2'
    case 'sys_class_name':
      return 'sys_class_name'
    case 'guid':
      return 'GUID'
    default:
      return 'string'
  }
}
