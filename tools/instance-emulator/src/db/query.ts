// Encoded queries (sysparm_query): parsing, matching and ordering.
//
// Grammar, as the platform's query builder writes it (Table API docs, facts 4.1):
//   query   := part ( '^' part )*          '^^' inside a value is a literal caret
//   part    := condition | 'OR' condition | 'NQ' condition | 'ORDERBY' field | 'ORDERBYDESC' field | 'EQ'
//   condition := field operator value      field is lower case and may be dot-walked (role.name)
// '^' binds as AND, '^OR' ORs a condition with the one before it (a^b^ORc = a AND (b OR c)), '^NQ' starts a new
// query whose rows are added to the rows of the previous ones. Parts the engine cannot understand are ignored, as
// the platform does unless glide.invalid_query.returns_no_rows=true.

import type { TableRecordRow } from '../types.ts'
import type { ValueKind } from './dictionary.ts'

export const OPERATORS = [
  'ISNOTEMPTY',
  'ISEMPTY',
  'ANYTHING',
  'EMPTYSTRING',
  'NOT LIKE',
  'NOTLIKE',
  'LIKE',
  'STARTSWITH',
  'ENDSWITH',
  'NOT IN',
  'NOTIN',
  'INSTANCEOF',
  'IN',
  'BETWEEN',
  'NSAMEAS',
  'SAMEAS',
  '!=',
  '<=',
  '>=',
  '=',
  '<',
  '>',
] as const
export type Operator = (typeof OPERATORS)[number]

const VALUELESS: ReadonlySet<Operator> = new Set(['ISNOTEMPTY', 'ISEMPTY', 'ANYTHING', 'EMPTYSTRING'])

export interface Condition {
  /** The field as written, e.g. `role.name`. */
  field: string
  path: string[]
  operator: Operator
  value: string
}

export interface OrderBy {
  field: string
  path: string[]
  descending: boolean
}

export interface ParsedQuery {
  /** Queries joined by ^NQ; each is a list of AND-ed terms; each term a list of OR-ed conditions. */
  queries: Condition[][][]
  orderBy: OrderBy[]
  /** Parts that are not syntactically a condition or a keyword. */
  invalid: string[]
}

const CONDITION = new RegExp(
  `^([a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*)*?)(${OPERATORS.map((op) => op.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(.*)$`,
  's',
)
/** A field name, possibly dot-walked (`assigned_to.name`). */
export const FIELD = /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*$/

/** Splits on '^' while turning '^^' into a literal caret. */
export function splitEncodedQuery(encoded: string): string[] {
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i]
    if (ch === '^') {
      if (encoded[i + 1] === '^') {
        current += '^'
        i++
        continue
      }
      parts.push(current)
      current = ''
      continue
    }
    current += ch
  }
  parts.push(current)
  return parts
}

export function parseCondition(text: string): Condition | undefined {
  const m = CONDITION.exec(text)
  if (!m) return undefined
  const field = m[1] as string
  const operator = m[2] as Operator
  const value = VALUELESS.has(operator) ? '' : (m[3] as string)
  return { field, path: field.split('.'), operator, value }
}

export function parseEncodedQuery(encoded: string | undefined): ParsedQuery {
  const parsed: ParsedQuery = { queries: [], orderBy: [], invalid: [] }
  if (!encoded) return parsed
  let query: Condition[][] = []
  parsed.queries.push(query)
  for (const part of splitEncodedQuery(encoded)) {
    if (part === '' || part === 'EQ') continue
    if (part.startsWith('ORDERBYDESC') || part.startsWith('ORDERBY')) {
      const descending = part.startsWith('ORDERBYDESC')
      const field = part.slice(descending ? 'ORDERBYDESC'.length : 'ORDERBY'.length)
      if (FIELD.test(field)) parsed.orderBy.push({ field, path: field.split('.'), descending })
      else parsed.invalid.push(part)
      continue
    }
    if (part.startsWith('NQ')) {
      query = []
      parsed.queries.push(query)
      const rest = part.slice(2)
      if (rest === '') continue
      const condition = parseCondition(rest)
      if (condition) query.push([condition])
      else parsed.invalid.push(part)
      continue
    }
    if (part.startsWith('OR')) {
      const condition = parseCondition(part.slice(2))
      if (!condition) {
        parsed.invalid.push(part)
        continue
      }
      const previous = query[query.length - 1]
      if (previous) previous.push(condition)
      else query.push([condition])
      continue
    }
    const condition = parseCondition(part)
    if (condition) query.push([condition])
    else parsed.invalid.push(part)
  }
  parsed.queries = parsed.queries.filter((q) => q.length > 0)
  return parsed
}

/** What the engine needs to know about the table it queries. */
export interface QueryContext {
  /** How a (dot-walked) field compares, or undefined when the path names no column. */
  kind(path: readonly string[]): ValueKind | undefined
  /** The (dot-walked) field's value on a row; '' when empty or when a reference on the way is empty. */
  value(row: TableRecordRow, path: readonly string[]): string
  isInstanceOf(className: string, base: string): boolean
}

export interface CompiledQuery {
  matches(row: TableRecordRow): boolean
  /** Sorts in place by the ORDERBY parts (stable; rows keep their order otherwise). */
  sort(rows: TableRecordRow[]): TableRecordRow[]
  /** Parts ignored because they were unparseable, named no column, or used an operator the field cannot take. */
  invalid: string[]
}

export interface CompileOptions {
  /** glide.invalid_query.returns_no_rows=true: a query with an invalid part matches nothing. */
  invalidReturnsNoRows?: boolean
}

type Predicate = (row: TableRecordRow) => boolean

function normalize(value: string, kind: ValueKind): string {
  if (kind === 'boolean') {
    const v = value.toLowerCase()
    return v === 'true' || v === '1' ? 'true' : v === '' ? '' : 'false'
  }
  return value.toLowerCase()
}

function compareValues(a: string, b: string, kind: ValueKind): number {
  if (kind === 'number') {
    const x = Number(a)
    const y = Number(b)
    if (a !== '' && b !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x === y ? 0 : x < y ? -1 : 1
  }
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  return x === y ? 0 : x < y ? -1 : 1
}

function compileCondition(c: Condition, ctx: QueryContext): Predicate | undefined {
  const kind = ctx.kind(c.path)
  if (!kind) return undefined
  // Script values (javascript:gs.daysAgo(1), ...) need a script engine; the emulator ignores such parts.
  if (c.value.startsWith('javascript:')) return undefined
  const get = (row: TableRecordRow) => ctx.value(row, c.path)
  const want = normalize(c.value, kind)
  switch (c.operator) {
    case 'ANYTHING':
      return () => true
    case 'ISEMPTY':
      return (row) => get(row) === ''
    case 'ISNOTEMPTY':
      return (row) => get(row) !== ''
    case 'EMPTYSTRING':
      return (row) => get(row) === ''
    case '=':
      if (c.value === '') return (row) => get(row) === ''
      if (kind === 'number') return (row) => get(row) !== '' && compareValues(get(row), c.value, kind) === 0
      return (row) => normalize(get(row), kind) === want
    // Comparisons follow SQL: an empty value never satisfies a negative or ordering operator.
    case '!=':
      if (kind === 'number') return (row) => get(row) !== '' && compareValues(get(row), c.value, kind) !== 0
      return (row) => get(row) !== '' && normalize(get(row), kind) !== want
    case '<':
      return (row) => get(row) !== '' && compareValues(get(row), c.value, kind) < 0
    case '<=':
      return (row) => get(row) !== '' && compareValues(get(row), c.value, kind) <= 0
    case '>':
      return (row) => get(row) !== '' && compareValues(get(row), c.value, kind) > 0
    case '>=':
      return (row) => get(row) !== '' && compareValues(get(row), c.value, kind) >= 0
    case 'LIKE':
      return (row) => normalize(get(row), kind).includes(want)
    case 'NOT LIKE':
    case 'NOTLIKE':
      return (row) => get(row) !== '' && !normalize(get(row), kind).includes(want)
    case 'STARTSWITH':
      return (row) => normalize(get(row), kind).startsWith(want)
    case 'ENDSWITH':
      return (row) => normalize(get(row), kind).endsWith(want)
    case 'IN': {
      const set = new Set(c.value.split(',').map((v) => normalize(v, kind)))
      return (row) => set.has(normalize(get(row), kind))
    }
    case 'NOT IN':
    case 'NOTIN': {
      const set = new Set(c.value.split(',').map((v) => normalize(v, kind)))
      return (row) => get(row) !== '' && !set.has(normalize(get(row), kind))
    }
    case 'INSTANCEOF':
      if (kind !== 'class') return undefined
      return (row) => ctx.isInstanceOf(get(row), c.value)
    case 'BETWEEN': {
      const [low, high, ...rest] = c.value.split('@')
      if (low === undefined || high === undefined || rest.length > 0) return undefined
      return (row) => get(row) !== '' && compareValues(get(row), low, kind) >= 0 && compareValues(get(row), high, kind) <= 0
    }
    case 'SAMEAS':
    case 'NSAMEAS': {
      const other = c.value.split('.')
      if (!FIELD.test(c.value) || !ctx.kind(other)) return undefined
      const same = (row: TableRecordRow) => normalize(get(row), kind) === normalize(ctx.value(row, other), kind)
      return c.operator === 'SAMEAS' ? same : (row) => !same(row)
    }
  }
}

function describe(c: Condition): string {
  return `${c.field}${c.operator}${c.value}`
}

export function compileQuery(parsed: ParsedQuery, ctx: QueryContext, options: CompileOptions = {}): CompiledQuery {
  const invalid = [...parsed.invalid]
  const queries: Predicate[][][] = []
  for (const query of parsed.queries) {
    const terms: Predicate[][] = []
    for (const term of query) {
      const alternatives: Predicate[] = []
      for (const condition of term) {
        const predicate = compileCondition(condition, ctx)
        if (predicate) alternatives.push(predicate)
        else invalid.push(describe(condition))
      }
      if (alternatives.length > 0) terms.push(alternatives)
    }
    queries.push(terms)
  }
  const orderBy = parsed.orderBy.filter((o) => {
    if (ctx.kind(o.path)) return true
    invalid.push(`${o.descending ? 'ORDERBYDESC' : 'ORDERBY'}${o.field}`)
    return false
  })
  const noRows = options.invalidReturnsNoRows === true && invalid.length > 0
  const matches = (row: TableRecordRow): boolean => {
    if (noRows) return false
    if (queries.length === 0) return true
    return queries.some((terms) => terms.every((alternatives) => alternatives.some((p) => p(row))))
  }
  const sort = (rows: TableRecordRow[]): TableRecordRow[] => {
    if (orderBy.length === 0) return rows
    const keyed = rows.map((row, index) => ({ row, index, keys: orderBy.map((o) => ctx.value(row, o.path)) }))
    keyed.sort((a, b) => {
      for (let i = 0; i < orderBy.length; i++) {
        const o = orderBy[i] as OrderBy
        const kind = ctx.kind(o.path) ?? 'string'
        const x = a.keys[i] as string
        const y = b.keys[i] as string
        // Empty values sort first ascending, last descending (SQL NULL ordering on the platform's MySQL).
        let cmp = x === y ? 0 : x === '' ? -1 : y === '' ? 1 : compareValues(x, y, kind)
        if (o.descending) cmp = -cmp
        if (cmp !== 0) return cmp
      }
      return a.index - b.index
    })
    keyed.forEach((k, i) => (rows[i] = k.row))
    return rows
  }
  return { matches, sort, invalid }
}

/** Escapes a value for use inside an encoded query ('^' becomes '^^'). */
export function escapeQueryValue(value: string): string {
  return value.replace(/\^/g, '^^')
}
