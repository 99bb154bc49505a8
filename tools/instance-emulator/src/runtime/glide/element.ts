// GlideElement: what `gr.field` gives a script. It converts to the field's value (gr.name.toString(), gr.name + ''),
// and a reference element dot-walks (gr.assigned_to.email) by reading the referenced record (a counted read).
import { notEmulated } from '../errors.ts'
import type { GlideRecordCore } from './record.ts'

const NOT_EMULATED = new Set(['getED', 'getAttribute', 'getBooleanAttribute', 'getChoices', 'getDecryptedValue', 'getGlideObject', 'getHTMLValue', 'getJournalEntry', 'changes', 'changesFrom', 'changesTo', 'canRead', 'canWrite', 'canCreate', 'dateNumericValue', 'setDateNumericValue', 'setError', 'setPhoneNumber', 'getCurrencyValue', 'getReferenceValue'])

export class GlideElementCore {
  readonly #record: GlideRecordCore
  readonly #field: string

  constructor(record: GlideRecordCore, field: string) {
    this.#record = record
    this.#field = field
  }

  getName(): string {
    return this.#field
  }

  getTableName(): string {
    return this.#record.getTableName()
  }

  getValue(): string | null {
    return this.#record.getValue(this.#field)
  }

  getDisplayValue(): string {
    return this.#record.getDisplayValue(this.#field)
  }

  setValue(value: unknown): void {
    this.#record.setValue(this.#field, value)
  }

  nil(): boolean {
    return this.#record.rawValue(this.#field) === ''
  }

  getLabel(): string {
    return this.#record.executionContext().db.dictionary.column(this.#record.getTableName(), this.#field)?.label ?? this.#field
  }

  /** Internal: the referenced table, when this element is a reference. */
  referenceTable(): string | undefined {
    const column = this.#record.executionContext().db.dictionary.column(this.#record.getTableName(), this.#field)
    return column?.type === 'reference' ? column.reference : undefined
  }

  getReferenceTable(): string {
    return this.referenceTable() ?? ''
  }

  getRefRecord(): unknown {
    const table = this.referenceTable()
    if (!table) return notEmulated(`GlideElement.getRefRecord on the non-reference field ${this.#field}`)
    const ctx = this.#record.executionContext()
    // Deferred import keeps element.ts and record.ts free of a load-order cycle.
    const { GlideRecordCore: Core, wrapRecord } = recordModule
    const ref = new Core(ctx, table, false)
    const sysId = this.#record.rawValue(this.#field)
    if (sysId) ref.get(sysId)
    return wrapRecord(ref, 'GlideRecord')
  }

  toString(): string {
    return this.#record.rawValue(this.#field)
  }

  valueOf(): string {
    return this.toString()
  }

  toJSON(): string {
    return this.toString()
  }

  [Symbol.toPrimitive](): string {
    return this.toString()
  }
}

let recordModule: { GlideRecordCore: typeof GlideRecordCore; wrapRecord: (core: GlideRecordCore, api: string) => GlideRecordCore }

export function registerRecordModule(mod: typeof recordModule): void {
  recordModule = mod
}

export function createElement(record: GlideRecordCore, field: string): GlideElementCore {
  const core = new GlideElementCore(record, field)
  return new Proxy(core, {
    get(target, prop) {
      if (typeof prop === 'symbol') {
        const member = Reflect.get(target, prop) as unknown
        return typeof member === 'function' ? (member as () => unknown).bind(target) : member
      }
      const member = Reflect.get(target, prop) as unknown
      if (typeof member === 'function') return (member as (...args: unknown[]) => unknown).bind(target)
      if (NOT_EMULATED.has(prop)) return notEmulated(`GlideElement.${prop}`)
      // Dot-walking: gr.ref.field reads the referenced record.
      const table = target.referenceTable()
      if (table) {
        const ref = target.getRefRecord() as GlideRecordCore
        if (ref.isValidField(prop)) return (ref as unknown as Record<string, unknown>)[prop]
      }
      return member
    },
  })
}
