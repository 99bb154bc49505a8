import { describe, expect, it } from 'vitest'
import { createClock } from './clock.ts'

describe('the instance clock', () => {
  it('follows the host, moves by set and advance, and keeps running from there', () => {
    let host = 1_000_000
    const clock = createClock(() => host)
    expect(clock.now().getTime()).toBe(1_000_000)
    clock.set(new Date('2026-01-31T12:00:00Z'))
    expect(clock.now().toISOString()).toBe('2026-01-31T12:00:00.000Z')
    host += 5_000
    expect(clock.now().toISOString()).toBe('2026-01-31T12:00:05.000Z')
    clock.advance(3_600_000)
    expect(clock.now().toISOString()).toBe('2026-01-31T13:00:05.000Z')
    clock.reset()
    expect(clock.now().getTime()).toBe(1_005_000)
  })

  it('refuses malformed values with what, cause and fix, and keeps its time', () => {
    const clock = createClock(() => 0)
    clock.set(new Date('2026-01-31T12:00:00Z'))
    for (const bad of [new Date('garbage'), '2026-01-31' as unknown as Date, undefined as unknown as Date, 5 as unknown as Date]) {
      expect(() => clock.set(bad)).toThrow(/clock\.set: expected a valid Date[\s\S]*fix:/)
    }
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '100' as unknown as number, undefined as unknown as number]) {
      expect(() => clock.advance(bad)).toThrow(/clock\.advance: expected a number of milliseconds >= 0[\s\S]*fix:/)
    }
    expect(clock.now().toISOString()).toBe('2026-01-31T12:00:00.000Z')
  })
})
