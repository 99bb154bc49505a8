import { describe, expect, it } from 'vitest'
import { PLATFORMS } from '@kandji-sn/contract/constants'
import { PLATFORM_SPECS, UNKNOWN_USER_DOMAIN } from './catalog.ts'
import { compareVersions, generateDevices, SERIAL_PATTERN } from './devices.ts'

const REF = '2026-03-01T00:00:00Z'

describe('generateDevices', () => {
  it('produces the same devices for the same seed', () => {
    const a = generateDevices({ count: 200, seed: 42, referenceTime: REF })
    const b = generateDevices({ count: 200, seed: 42, referenceTime: REF })
    expect(b).toEqual(a)
  })

  it('produces different devices for a different seed', () => {
    const a = generateDevices({ count: 50, seed: 'one', referenceTime: REF })
    const b = generateDevices({ count: 50, seed: 'two', referenceTime: REF })
    expect(b.map((d) => d.serial_number)).not.toEqual(a.map((d) => d.serial_number))
  })

  it('keeps identity fields independent of the reference time', () => {
    const a = generateDevices({ count: 30, seed: 7, referenceTime: '2026-01-01T00:00:00Z' })
    const b = generateDevices({ count: 30, seed: 7, referenceTime: '2027-06-15T00:00:00Z' })
    expect(b.map((d) => [d.serial_number, d.device_id, d.device_name, d.model])).toEqual(a.map((d) => [d.serial_number, d.device_id, d.device_name, d.model]))
  })

  it('yields the first N devices of a larger fleet for the same seed', () => {
    const small = generateDevices({ count: 25, seed: 'fleet', referenceTime: REF })
    const large = generateDevices({ count: 500, seed: 'fleet', referenceTime: REF })
    expect(large.slice(0, 25)).toEqual(small)
  })

  it('gives 10 000 devices unique 12-character Apple-style serials and unique device ids', () => {
    const fleet = generateDevices({ count: 10_000, seed: 'big', referenceTime: REF })
    const serials = new Set(fleet.map((d) => d.serial_number))
    expect(serials.size).toBe(10_000)
    expect(new Set(fleet.map((d) => d.device_id)).size).toBe(10_000)
    for (const serial of serials) expect(serial).toMatch(SERIAL_PATTERN)
  })

  it('mixes all four platforms, with each model, identifier and OS version belonging to its platform', () => {
    const fleet = generateDevices({ count: 2000, seed: 'mix', referenceTime: REF })
    expect(new Set(fleet.map((d) => d.platform))).toEqual(new Set(PLATFORMS))
    for (const d of fleet) {
      const spec = PLATFORM_SPECS[d.platform]
      const model = spec.models.find((m) => m.identifier === d.model_identifier)
      expect(model?.model).toBe(d.model)
      expect(spec.osVersions).toContain(d.os_version)
      if (model?.minOs) expect(compareVersions(d.os_version, model.minOs)).toBeGreaterThanOrEqual(0)
      if (model?.maxOs) expect(compareVersions(d.os_version, model.maxOs)).toBeLessThanOrEqual(0)
      expect(d.serial_number.endsWith(model!.serialModelCode)).toBe(true)
    }
  })

  it('sets Mac-only fields (FileVault, agent) on Macs only', () => {
    const fleet = generateDevices({ count: 1000, seed: 'mac', referenceTime: REF })
    for (const d of fleet) {
      if (d.platform === 'Mac') expect(typeof d.filevault_enabled).toBe('boolean')
      else {
        expect(d.filevault_enabled).toBeNull()
        expect(d.agent_installed).toBe(false)
        expect(d.agent_version).toBe('')
      }
    }
    expect(fleet.some((d) => d.platform === 'Mac' && d.agent_installed && d.agent_version !== '')).toBe(true)
  })

  it('draws most users from the known emails and the rest from a domain that cannot exist in ServiceNow', () => {
    const known = ['abel.tuter@example.com', 'beth.anglin@example.com']
    const fleet = generateDevices({ count: 1000, seed: 'users', knownUserEmails: known, referenceTime: REF })
    const users = fleet.flatMap((d) => (d.user ? [d.user] : []))
    const knownUsers = users.filter((u) => u.known)
    expect(knownUsers.length).toBeGreaterThan(users.length * 0.6)
    expect(knownUsers.every((u) => known.includes(u.email))).toBe(true)
    const unknown = users.filter((u) => !u.known)
    expect(unknown.length).toBeGreaterThan(0)
    expect(unknown.every((u) => u.email.endsWith(`@${UNKNOWN_USER_DOMAIN}`))).toBe(true)
    expect(fleet.some((d) => d.user === null)).toBe(true)
    expect(knownUsers.find((u) => u.email === 'abel.tuter@example.com')?.name).toBe('Abel Tuter')
  })

  it('assigns no known users when none are given', () => {
    const fleet = generateDevices({ count: 300, seed: 'nousers', referenceTime: REF })
    expect(fleet.some((d) => d.user?.known)).toBe(false)
  })

  it('restricts the fleet to the requested platforms', () => {
    const fleet = generateDevices({ count: 200, seed: 'tv', platforms: ['AppleTV'], referenceTime: REF })
    expect(new Set(fleet.map((d) => d.platform))).toEqual(new Set(['AppleTV']))
  })

  it('keeps timestamps in order: first enrollment <= last enrollment <= last check-in <= reference time', () => {
    const fleet = generateDevices({ count: 1000, seed: 'time', referenceTime: REF })
    for (const d of fleet) {
      expect(Date.parse(d.first_enrollment)).toBeLessThanOrEqual(Date.parse(d.last_enrollment))
      expect(Date.parse(d.last_enrollment)).toBeLessThanOrEqual(Date.parse(d.last_check_in))
      expect(Date.parse(d.last_check_in)).toBeLessThanOrEqual(Date.parse(REF))
      if (d.is_missing) expect(Date.parse(REF) - Date.parse(d.last_check_in)).toBeGreaterThan(30 * 86_400_000)
    }
    expect(fleet.some((d) => d.is_missing)).toBe(true)
  })

  it('refuses a negative or fractional count, an unknown platform and an unparseable reference time', () => {
    expect(() => generateDevices({ count: -1, seed: 1 })).toThrow(/whole number/)
    expect(() => generateDevices({ count: 1.5, seed: 1 })).toThrow(/whole number/)
    expect(() => generateDevices({ count: 1, seed: 1, platforms: ['Android' as never] })).toThrow(/unknown platform "Android"/)
    expect(() => generateDevices({ count: 1, seed: 1, referenceTime: 'soon' })).toThrow(/not a date/)
  })
})
