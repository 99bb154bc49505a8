// The instance's clock. Every reader of the time (sys_created_on/sys_updated_on, GlideDateTime, gs.nowDateTime,
// gs.daysAgo, token lifespans, IRE's last_discovered, the scheduler) reads Database.now, which this clock drives,
// so a test can move the instance into the future without waiting. The clock keeps running at real speed after a
// set or an advance: it holds an offset from the host's time, not a frozen instant.

export interface EmulatorClock {
  /** The instance's current time. */
  now(): Date
  /** Moves the instance's clock to `date` (it keeps running from there). */
  set(date: Date): void
  /** Moves the instance's clock forward by `ms` milliseconds. */
  advance(ms: number): void
  /** Back to the host's time. */
  reset(): void
}

export function createClock(hostNow: () => number = Date.now): EmulatorClock {
  let offsetMs = 0
  return {
    now: () => new Date(hostNow() + offsetMs),
    set(date: Date) {
      if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
        throw new Error(`clock.set: expected a valid Date, got ${describe(date)}\ncause: the value is not a Date or is an invalid one (new Date('garbage'))\nfix:   pass a Date, e.g. new Date('2026-01-31T12:00:00Z')`)
      }
      offsetMs = date.getTime() - hostNow()
    },
    advance(ms: number) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new Error(`clock.advance: expected a number of milliseconds >= 0, got ${describe(ms)}\ncause: the instance's clock only moves forward by advance\nfix:   pass a finite number >= 0, or use clock.set(date) to go to a given instant`)
      }
      offsetMs += ms
    },
    reset() {
      offsetMs = 0
    },
  }
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'an invalid Date'
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}
