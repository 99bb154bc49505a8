// GlideDateTime, basic: UTC values in Glide's 'yyyy-MM-dd HH:mm:ss' format. The emulator has no user time zones,
// so display values are UTC too.
import { glideDateTime } from '../../db/database.ts'
import type { ExecutionContext } from '../context.ts'
import { strictApi } from '../errors.ts'

const GLIDE_FORMAT = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/

export function parseGlideDateTime(text: string): number | undefined {
  const m = GLIDE_FORMAT.exec(text.trim())
  if (!m) return undefined
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0))
  return Number.isNaN(ms) ? undefined : ms
}

export class GlideDateTimeCore {
  #ms: number

  constructor(now: () => Date, value?: unknown) {
    this.#ms = now().getTime()
    if (value !== undefined && value !== null) {
      if (value instanceof GlideDateTimeCore) this.#ms = value.getNumericValue()
      else this.setValue(value)
    }
  }

  setValue(value: unknown): void {
    if (typeof value === 'number') {
      this.#ms = value
      return
    }
    const parsed = parseGlideDateTime(String(value))
    if (parsed === undefined) throw new Error(`GlideDateTime: "${String(value)}" is not a date-time in yyyy-MM-dd HH:mm:ss (the emulator parses only that format)`)
    this.#ms = parsed
  }

  getValue(): string {
    return glideDateTime(new Date(this.#ms))
  }

  getDisplayValue(): string {
    return this.getValue()
  }

  getDisplayValueInternal(): string {
    return this.getValue()
  }

  getNumericValue(): number {
    return this.#ms
  }

  setNumericValue(ms: unknown): void {
    this.#ms = Number(ms)
  }

  getDate(): string {
    return this.getValue().slice(0, 10)
  }

  addSeconds(seconds: unknown): void {
    this.#ms += Number(seconds) * 1000
  }

  add(ms: unknown): void {
    this.#ms += Number(ms)
  }

  addDaysUTC(days: unknown): void {
    this.#ms += Number(days) * 86_400_000
  }

  addDays(days: unknown): void {
    this.addDaysUTC(days)
  }

  before(other: GlideDateTimeCore): boolean {
    return this.#ms < other.getNumericValue()
  }

  after(other: GlideDateTimeCore): boolean {
    return this.#ms > other.getNumericValue()
  }

  compareTo(other: GlideDateTimeCore): number {
    return Math.sign(this.#ms - other.getNumericValue())
  }

  equals(other: GlideDateTimeCore): boolean {
    return this.#ms === other.getNumericValue()
  }

  isValid(): boolean {
    return Number.isFinite(this.#ms)
  }

  toString(): string {
    return this.getValue()
  }
}

export function createGlideDateTimeClass(ctx: ExecutionContext): unknown {
  return function GlideDateTime(this: unknown, value?: unknown) {
    const core = new GlideDateTimeCore(() => ctx.db.now(), value)
    const bound = new Proxy(core, {
      get(target, prop) {
        const member = Reflect.get(target, prop) as unknown
        return typeof member === 'function' ? (member as (...args: unknown[]) => unknown).bind(target) : member
      },
    })
    return strictApi(bound, 'GlideDateTime')
  }
}
