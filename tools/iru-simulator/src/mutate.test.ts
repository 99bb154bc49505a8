import { describe, expect, it } from 'vitest'
import { generateDevices } from './devices.ts'
import { compareVersions } from './devices.ts'
import { mutateDevices } from './mutate.ts'

const fleet = generateDevices({ count: 300, seed: 'm', referenceTime: '2026-03-01T00:00:00Z' })

describe('mutateDevices', () => {
  it('changes the requested number of devices, keeping serial number and device id', () => {
    const changed = mutateDevices(fleet, { seed: 'm', count: 40 })
    expect(changed).toHaveLength(40)
    const bySerial = new Map(fleet.map((d) => [d.serial_number, d]))
    for (const c of changed) {
      const before = bySerial.get(c.serial_number)
      expect(before?.device_id).toBe(c.device_id)
    }
    expect(new Set(changed.map((c) => c.serial_number)).size).toBe(40)
  })

  it('applies what it reports: newer OS, new name, another user; and every changed device checks in again', () => {
    const changed = mutateDevices(fleet, { seed: 'm', fraction: 0.5 })
    const bySerial = new Map(fleet.map((d) => [d.serial_number, d]))
    const kinds = new Set(changed.flatMap((c) => c.changes))
    expect(kinds).toEqual(new Set(['os_update', 'rename', 'new_user']))
    for (const c of changed) {
      const before = bySerial.get(c.serial_number)!
      expect(c.changes.length).toBeGreaterThan(0)
      expect(Date.parse(c.last_check_in)).toBeGreaterThan(Date.parse(before.last_check_in))
      if (c.changes.includes('os_update')) expect(compareVersions(c.os_version, before.os_version)).toBeGreaterThan(0)
      else expect(c.os_version).toBe(before.os_version)
      if (c.changes.includes('rename')) expect(c.device_name).not.toBe(before.device_name)
      else expect(c.device_name).toBe(before.device_name)
      if (c.changes.includes('new_user')) expect(c.user?.email).not.toBe(before.user?.email)
      else expect(c.user).toEqual(before.user)
    }
  })

  it('is deterministic and leaves its input untouched', () => {
    const copy = structuredClone(fleet)
    const a = mutateDevices(fleet, { seed: 'again', count: 25 })
    const b = mutateDevices(fleet, { seed: 'again', count: 25 })
    expect(b).toEqual(a)
    expect(fleet).toEqual(copy)
  })

  it('reassigns to known users when they are given', () => {
    const known = ['abel.tuter@example.com']
    const changed = mutateDevices(fleet, { seed: 'k', fraction: 1, knownUserEmails: known })
    const reassigned = changed.filter((c) => c.changes.includes('new_user'))
    expect(reassigned.some((c) => c.user?.email === 'abel.tuter@example.com' && c.user.known)).toBe(true)
  })

  it('caps the count at the fleet size and refuses nonsense', () => {
    expect(mutateDevices(fleet.slice(0, 5), { seed: 1, count: 50 })).toHaveLength(5)
    expect(mutateDevices(fleet, { seed: 1, count: 0 })).toHaveLength(0)
    expect(() => mutateDevices(fleet, { seed: 1, fraction: 1.5 })).toThrow(/between 0 and 1/)
    expect(() => mutateDevices(fleet, { seed: 1, count: -2 })).toThrow(/0 or more/)
  })
})
