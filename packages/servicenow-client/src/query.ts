// Encoded-query builder (Table API `sysparm_query`). Field names are validated and a value containing `^` is refused,
// so user input (a user name, a serial number) can add a condition's value but never a condition.

export type QueryValue = string | number | boolean

export interface QueryBuilder {
  eq(field: string, value: QueryValue): QueryBuilder
  ne(field: string, value: QueryValue): QueryBuilder
  lt(field: string, value: QueryValue): QueryBuilder
  lte(field: string, value: QueryValue): QueryBuilder
  gt(field: string, value: QueryValue): QueryBuilder
  gte(field: string, value: QueryValue): QueryBuilder
  like(field: string, value: QueryValue): QueryBuilder
  notLike(field: string, value: QueryValue): QueryBuilder
  startsWith(field: string, value: QueryValue): QueryBuilder
  endsWith(field: string, value: QueryValue): QueryBuilder
  in(field: string, values: readonly QueryValue[]): QueryBuilder
  notIn(field: string, values: readonly QueryValue[]): QueryBuilder
  isEmpty(field: string): QueryBuilder
  isNotEmpty(field: string): QueryBuilder
  /** `sys_class_nameINSTANCEOF<cls>`: records of the class and its subclasses. */
  instanceOf(cls: string): QueryBuilder
  /** The next condition is ORed with the previous one (`^OR`). */
  or(): QueryBuilder
  /** Starts a new query whose matches are added to the previous ones (`^NQ`). */
  nq(): QueryBuilder
  orderBy(field: string): QueryBuilder
  orderByDesc(field: string): QueryBuilder
  /** Appends an encoded query verbatim. Only for trusted, literal text: nothing is escaped. */
  raw(encoded: string): QueryBuilder
  toString(): string
}

export class QueryBuilderError extends Error {
  override name = 'QueryBuilderError'
}

/** A field name, possibly dot-walked; what the query builder and the Table API's `fields` accept. */
export const FIELD_PATTERN = /^[a-z0-9_.]+$/i

/**
 * A value holding `^`, which no encoded query can carry safely. `summary`, `reason` and `fix` are the three lines a
 * person reads (the CLI prints them as error/cause/fix).
 */
export class UnsafeQueryValueError extends QueryBuilderError {
  override name = 'UnsafeQueryValueError'
  readonly summary: string
  readonly reason: string
  readonly fix: string
  constructor(readonly field: string, value: string) {
    const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
    const summary = `the value ${shown} for ${field} cannot be expressed safely in an encoded query`
    super(summary)
    this.summary = summary
    this.reason = 'it contains "^", which separates the conditions of an encoded query, and ServiceNow documents no escape for it inside a value: sent as it is, it could change the query'
    this.fix = 'use a value without "^" (for a user or client name: rename it on the instance, or choose another name)'
  }
}

/**
 * Refuses `^` inside a value instead of escaping it. The `^^` escape this client used to write is not in any ServiceNow
 * document, and a community thread (servicenow.com/community developer-forum m-p/1416248) says there is no escape at
 * all; if `^^` is not one, a value with `^` would change the query on a real instance. (The emulator still parses `^^`.)
 */
function checkNoCaret(field: string, value: QueryValue): string {
  const text = String(value)
  if (text.includes('^')) throw new UnsafeQueryValueError(field, text)
  return text
}

function checkField(field: string): string {
  if (typeof field !== 'string' || !FIELD_PATTERN.test(field)) {
    throw new QueryBuilderError(`invalid field name ${JSON.stringify(field)} in a query: use letters, digits, "_" and "." (dot-walking) only`)
  }
  return field
}

function checkValue(value: QueryValue, field: string): QueryValue {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new QueryBuilderError(`the value for ${field} must be a string, number or boolean, got ${value === null ? 'null' : typeof value}`)
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new QueryBuilderError(`the value for ${field} is not a finite number`)
  return value
}

function listValue(field: string, values: readonly QueryValue[], op: string): string {
  // `as unknown`: Array.isArray would narrow the readonly array to any[], untyping every value after it.
  if (!Array.isArray(values as unknown) || values.length === 0) throw new QueryBuilderError(`${op} on ${field} needs at least one value`)
  return values
    .map((v) => {
      const s = checkNoCaret(field, checkValue(v, field))
      // The platform splits IN lists on ',' and has no escape for it; a comma would silently become two values.
      if (s.includes(',')) throw new QueryBuilderError(`a value for ${op} on ${field} contains ",": ${op} lists cannot hold commas; query with eq() and or() instead`)
      return s
    })
    .join(',')
}

class EncodedQuery implements QueryBuilder {
  private readonly parts: string[] = []
  private pending: '^' | '^OR' | '^NQ' = '^'

  private push(condition: string, allowOr = true): this {
    if (!allowOr && this.pending === '^OR') throw new QueryBuilderError('or() must be followed by a condition, not an ORDERBY')
    if (this.parts.length > 0) this.parts.push(this.pending, condition)
    else this.parts.push(condition)
    this.pending = '^'
    return this
  }

  private cond(field: string, op: string, value: QueryValue): this {
    return this.push(`${checkField(field)}${op}${checkNoCaret(field, checkValue(value, field))}`)
  }

  eq(f: string, v: QueryValue) { return this.cond(f, '=', v) }
  ne(f: string, v: QueryValue) { return this.cond(f, '!=', v) }
  lt(f: string, v: QueryValue) { return this.cond(f, '<', v) }
  lte(f: string, v: QueryValue) { return this.cond(f, '<=', v) }
  gt(f: string, v: QueryValue) { return this.cond(f, '>', v) }
  gte(f: string, v: QueryValue) { return this.cond(f, '>=', v) }
  like(f: string, v: QueryValue) { return this.cond(f, 'LIKE', v) }
  // `NOT LIKE` with a space, as the platform's list filter writes it (copy query from a breadcrumb).
  notLike(f: string, v: QueryValue) { return this.cond(f, 'NOT LIKE', v) }
  startsWith(f: string, v: QueryValue) { return this.cond(f, 'STARTSWITH', v) }
  endsWith(f: string, v: QueryValue) { return this.cond(f, 'ENDSWITH', v) }
  in(f: string, vs: readonly QueryValue[]) { return this.push(`${checkField(f)}IN${listValue(f, vs, 'in()')}`) }
  notIn(f: string, vs: readonly QueryValue[]) { return this.push(`${checkField(f)}NOT IN${listValue(f, vs, 'notIn()')}`) }
  isEmpty(f: string) { return this.push(`${checkField(f)}ISEMPTY`) }
  isNotEmpty(f: string) { return this.push(`${checkField(f)}ISNOTEMPTY`) }
  instanceOf(cls: string) {
    if (typeof cls !== 'string' || !/^[a-z0-9_]+$/i.test(cls)) throw new QueryBuilderError(`invalid table name ${JSON.stringify(cls)} for instanceOf()`)
    return this.push(`sys_class_nameINSTANCEOF${cls}`)
  }
  or() {
    if (this.parts.length === 0) throw new QueryBuilderError('or() needs a condition before it')
    this.pending = '^OR'
    return this
  }
  nq() {
    if (this.parts.length === 0) throw new QueryBuilderError('nq() needs a condition before it')
    this.pending = '^NQ'
    return this
  }
  orderBy(f: string) { return this.push(`ORDERBY${checkField(f)}`, false) }
  orderByDesc(f: string) { return this.push(`ORDERBYDESC${checkField(f)}`, false) }
  raw(encoded: string) {
    if (typeof encoded !== 'string') throw new QueryBuilderError('raw() takes an encoded query string')
    if (encoded === '') return this
    return this.push(encoded)
  }
  toString() {
    if (this.pending !== '^') throw new QueryBuilderError(`the query ends with ${this.pending === '^OR' ? 'or()' : 'nq()'}: add the condition it joins`)
    return this.parts.join('')
  }
}

/** Starts an encoded query: `query().eq('user_name', name).toString()`. */
export function query(): QueryBuilder {
  return new EncodedQuery()
}
