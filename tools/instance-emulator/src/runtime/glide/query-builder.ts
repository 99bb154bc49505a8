// The query half of GlideRecord and GlideAggregate: addQuery & co. build an encoded query the store runs.
import { escapeQueryValue, FIELD } from '../../db/query.ts'
import { notEmulated } from '../errors.ts'
import { toGlideString } from './values.ts'

/** addQuery operators and their encoded-query spelling (GlideRecord scoped API docs). */
const OPERATORS: Record<string, string> = {
  '=': '=',
  '!=': '!=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  IN: 'IN',
  'NOT IN': 'NOT IN',
  STARTSWITH: 'STARTSWITH',
  ENDSWITH: 'ENDSWITH',
  CONTAINS: 'LIKE',
  'DOES NOT CONTAIN': 'NOT LIKE',
  LIKE: 'LIKE',
  'NOT LIKE': 'NOT LIKE',
  INSTANCEOF: 'INSTANCEOF',
  SAMEAS: 'SAMEAS',
  NSAMEAS: 'NSAMEAS',
  ISEMPTY: 'ISEMPTY',
  ISNOTEMPTY: 'ISNOTEMPTY',
  BETWEEN: 'BETWEEN',
}

export function encodeCondition(api: string, field: unknown, a: unknown, b: unknown, argc: number): string {
  const name = String(field ?? '')
  if (!FIELD.test(name)) {
    throw new Error(`${api}.addQuery: "${name}" is not a field name`)
  }
  if (argc <= 2) return `${name}=${escapeQueryValue(toGlideString(a))}`
  const op = String(a ?? '').toUpperCase().trim()
  const encodedOp = OPERATORS[op]
  if (!encodedOp) return notEmulated(`${api}.addQuery operator "${String(a)}"`)
  const value = Array.isArray(b) ? b.map((v) => toGlideString(v)).join(',') : toGlideString(b)
  if (encodedOp === 'ISEMPTY' || encodedOp === 'ISNOTEMPTY') return `${name}${encodedOp}`
  return `${name}${encodedOp}${escapeQueryValue(value)}`
}

/** One AND-ed term; addOrCondition adds alternatives to it. */
interface Term {
  parts: string[]
}

/** What addQuery returns: a condition other conditions can be OR-ed to. */
export class QueryCondition {
  readonly #term: Term
  readonly #api: string

  constructor(term: Term, api: string) {
    this.#term = term
    this.#api = api
  }

  addOrCondition(field: unknown, a?: unknown, b?: unknown): QueryCondition {
    this.#term.parts.push(encodeCondition(this.#api, field, a, b, arguments.length))
    return this
  }

  addCondition(): never {
    return notEmulated('QueryCondition.addCondition')
  }
}

export class QueryBuilder {
  readonly #terms: Term[] = []
  readonly #encodedParts: string[] = []
  readonly #orders: string[] = []
  readonly #api: string

  constructor(api: string) {
    this.#api = api
  }

  addQuery(field: unknown, a?: unknown, b?: unknown): QueryCondition {
    if (arguments.length === 1) {
      this.addEncodedQuery(field)
      return new QueryCondition({ parts: [] }, this.#api)
    }
    const term: Term = { parts: [encodeCondition(this.#api, field, a, b, arguments.length)] }
    this.#terms.push(term)
    return new QueryCondition(term, this.#api)
  }

  addEncodedQuery(query: unknown): void {
    const text = toGlideString(query).trim()
    if (text) this.#encodedParts.push(text)
  }

  addActiveQuery(): QueryCondition {
    return this.addQuery('active', true)
  }

  addNullQuery(field: unknown): QueryCondition {
    return this.addQuery(field, 'ISEMPTY', '')
  }

  addNotNullQuery(field: unknown): QueryCondition {
    return this.addQuery(field, 'ISNOTEMPTY', '')
  }

  orderBy(field: unknown): void {
    this.#orders.push(`ORDERBY${String(field)}`)
  }

  orderByDesc(field: unknown): void {
    this.#orders.push(`ORDERBYDESC${String(field)}`)
  }

  getEncodedQuery(): string {
    const conditions = this.#terms.filter((t) => t.parts.length > 0).map((t) => t.parts.join('^OR'))
    return [...conditions, ...this.#encodedParts, ...this.#orders].join('^')
  }
}
