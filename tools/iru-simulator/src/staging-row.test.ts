import { describe, expect, it } from 'vitest'
import { generateDevices } from './devices.ts'
import { generateApps } from './apps.ts'
import { APP_STAGING_COLUMNS, DEVICE_STAGING_COLUMNS, keyRow, toAppStagingRow, toGlideDateTime, toStagingRow } from './staging-row.ts'

const fleet = generateDevices({ count: 400, seed: 'rows', referenceTime: '2026-03-01T00:00:00Z' })

describe('toStagingRow', () => {
  it('fills exactly the staging columns of the device import table', () => {
    expect(Object.keys(toStagingRow(fleet[0]!))).toEqual([
      'device_id', 'device_name', 'serial_number', 'platform', 'model', 'model_identifier', 'os_version', 'last_check_in',
      'user_email', 'user_name', 'asset_tag', 'blueprint_id', 'blueprint_name', 'mdm_enabled', 'agent_installed', 'agent_version',
      'is_missing', 'is_removed', 'first_enrollment', 'last_enrollment', 'processor', 'memory', 'storage_capacity',
      'storage_available', 'mac_address', 'filevault_enabled', 'activation_lock_enabled',
    ])
  })

  it('sends strings only (the Import Set API mangles anything else)', () => {
    for (const d of fleet) for (const v of Object.values(toStagingRow(d))) expect(typeof v).toBe('string')
  })

  it('maps booleans to "true"/"false", FileVault to "" off the Mac, and a missing user to an empty email', () => {
    for (const d of fleet) {
      const row = toStagingRow(d)
      expect(['true', 'false']).toContain(row.mdm_enabled)
      expect(['true', 'false']).toContain(row.is_removed)
      expect(row.filevault_enabled).toBe(d.platform === 'Mac' ? String(d.filevault_enabled) : '')
      expect(row.user_email).toBe(d.user?.email ?? '')
      expect(Number(row.storage_available)).toBeLessThanOrEqual(Number(row.storage_capacity))
      expect(row.user_name).toBe(d.user?.name ?? '')
    }
  })

  it('writes date-times as UTC yyyy-MM-dd HH:mm:ss', () => {
    const d = fleet[0]!
    const row = toStagingRow(d)
    expect(row.last_check_in).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(Date.parse(`${row.last_check_in!.replace(' ', 'T')}Z`)).toBe(Date.parse(d.last_check_in))
    expect(toGlideDateTime('2026-01-02T03:04:05Z')).toBe('2026-01-02 03:04:05')
    expect(toGlideDateTime('not a date')).toBe('not a date')
  })
})

describe('column keys', () => {
  it('has unique names and unique labels per table', () => {
    for (const columns of [DEVICE_STAGING_COLUMNS, APP_STAGING_COLUMNS]) {
      expect(new Set(columns.map((c) => c.name)).size).toBe(columns.length)
      expect(new Set(columns.map((c) => c.label)).size).toBe(columns.length)
      for (const c of columns) expect(c.name).toMatch(/^[a-z][a-z0-9_]*$/)
    }
  })

  it('re-keys a row by label for insertMultiple and passes unknown keys through', () => {
    const row: Record<string, string> = { ...toStagingRow(fleet[0]!), extra_column: 'x' }
    const byLabel = keyRow(row, DEVICE_STAGING_COLUMNS, 'label')
    expect(byLabel['Serial Number']).toBe(row.serial_number)
    expect(byLabel['Last Check-in']).toBe(row.last_check_in)
    expect(byLabel.extra_column).toBe('x')
    expect('serial_number' in byLabel).toBe(false)
    expect(keyRow(row, DEVICE_STAGING_COLUMNS, 'name')).toBe(row)
  })

  it('maps app installs onto the app staging columns', () => {
    const apps = generateApps(fleet, 'rows')
    expect(apps.length).toBeGreaterThan(0)
    const macs = new Set(fleet.filter((d) => d.platform === 'Mac').map((d) => d.serial_number))
    for (const app of apps) {
      expect(macs.has(app.serial_number)).toBe(true)
      const row = toAppStagingRow(app)
      expect(Object.keys(row)).toEqual(APP_STAGING_COLUMNS.map((c) => c.name))
      expect(row.bundle_id).toBe(app.bundle_id)
    }
  })
})
