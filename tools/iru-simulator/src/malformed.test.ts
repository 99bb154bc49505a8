import { describe, expect, it } from 'vitest'
import { MALFORMED_DEFECTS, malformedRows } from './malformed.ts'

describe('malformedRows', () => {
  const rows = malformedRows(12, 'bad')

  it('cycles through every defect', () => {
    expect(rows.map((r) => r.defect)).toEqual([...MALFORMED_DEFECTS, ...MALFORMED_DEFECTS, ...MALFORMED_DEFECTS])
  })

  it('breaks each row the way its defect says, and only that way', () => {
    for (const { defect, row } of rows) {
      expect(Object.values(row).every((v) => typeof v === 'string')).toBe(true)
      expect(row.device_id).toMatch(/^[0-9a-f-]{36}$/)
      switch (defect) {
        case 'missing_serial':
          expect('serial_number' in row).toBe(false)
          expect(Number.isFinite(Date.parse(`${row.last_check_in!.replace(' ', 'T')}Z`))).toBe(true)
          break
        case 'empty_serial':
          expect(row.serial_number).toBe('')
          break
        case 'over_long_values':
          expect(row.device_name!.length).toBeGreaterThan(4000)
          expect(row.model!.length).toBeGreaterThan(4000)
          expect(row.serial_number!.length).toBeGreaterThan(4000)
          break
        case 'bad_dates':
          expect(row.serial_number).toMatch(/^[0-9A-Z]{12}$/)
          for (const field of ['last_check_in', 'first_enrollment', 'last_enrollment']) {
            expect(row[field]).not.toMatch(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/)
          }
          break
      }
    }
  })

  it('is deterministic for a seed', () => {
    expect(malformedRows(12, 'bad')).toEqual(rows)
    expect(malformedRows(12, 'other').map((r) => r.row.device_id)).not.toEqual(rows.map((r) => r.row.device_id))
  })

  it('returns none for 0 and refuses a negative count', () => {
    expect(malformedRows(0, 1)).toEqual([])
    expect(() => malformedRows(-1, 1)).toThrow(/whole number/)
  })
})
