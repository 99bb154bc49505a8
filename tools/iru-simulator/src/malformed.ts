// Rows a sloppy or broken sender could push, to show how the app's transform treats them.
// They are staging rows, not devices: some cannot be expressed as a valid device at all.
import { PLATFORMS } from '@kandji-sn/contract/constants'
import { generateDevices } from './devices.ts'
import type { Seed } from './prng.ts'
import { toStagingRow, type StagingRow } from './staging-row.ts'

export const MALFORMED_DEFECTS = ['missing_serial', 'over_long_values', 'bad_dates', 'empty_serial'] as const
export type MalformedDefect = (typeof MALFORMED_DEFECTS)[number]

export interface MalformedRow {
  defect: MalformedDefect
  /** What is wrong, for the report. */
  description: string
  row: StagingRow
}

/** Longer than any string column a staging table would define (ServiceNow's large string limit is 4000). */
const OVER_LONG = 5000
/** Fixed so malformed rows are identical on every run; only their defects matter. */
const MALFORMED_REFERENCE_TIME = '2025-06-02T00:00:00Z'

/**
 * `n` malformed rows, cycling through the defects. Each starts from a valid synthetic device (own seed stream, so
 * serials do not collide with `generateDevices` for the same seed in practice) and then breaks it.
 */
export function malformedRows(n: number, seed: Seed): MalformedRow[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`the number of malformed rows must be a whole number, got ${String(n)}`)
  const base = generateDevices({ count: n, seed: `${String(seed)}/malformed`, platforms: PLATFORMS, referenceTime: MALFORMED_REFERENCE_TIME })
  return base.map((device, i) => {
    const row = toStagingRow(device)
    const defect = MALFORMED_DEFECTS[i % MALFORMED_DEFECTS.length]!
    switch (defect) {
      case 'missing_serial':
        delete row.serial_number
        return { defect, description: 'serial_number is absent', row }
      case 'empty_serial':
        row.serial_number = ''
        return { defect, description: 'serial_number is an empty string', row }
      case 'over_long_values':
        row.device_name = `${device.device_name} `.padEnd(OVER_LONG, 'x')
        row.model = 'M'.repeat(OVER_LONG)
        row.serial_number = `${device.serial_number}${'Z'.repeat(OVER_LONG - device.serial_number.length)}`
        return { defect, description: `device_name, model and serial_number are ${OVER_LONG} characters long`, row }
      case 'bad_dates':
        row.last_check_in = 'yesterday at noon'
        row.first_enrollment = '2024-13-45 25:61:00'
        row.last_enrollment = '0000-00-00T00:00:00Z'
        return { defect, description: 'last_check_in, first_enrollment and last_enrollment are not dates', row }
    }
  })
}
