import { describe, expect, it } from 'vitest'
import { PLATFORM_TABLES } from '@kandji-sn/contract'
import {
  NAME_LOOKUP_LIMIT,
  disambiguatedName,
  findCisNamed,
  identifiedCiProblem,
  nameForIre,
  readIdentifiedCi,
  sameSerial,
} from '../src/server/import/ci-identity.ts'
import { processDeviceRow } from '../src/server/import/device-transform.ts'
import { FakeDb, fakeLog, fakePlatform, sourceRow, targetRow, type Row } from './fake-platform.ts'

const HW = PLATFORM_TABLES.hardware
const ci = (sysId: string, serialNumber: string) => ({ sysId, serialNumber })

describe('the name sent to IRE (pure decision)', () => {
  it('keeps the device name when no CI has it', () => {
    expect(nameForIre('MacBook Pro', 'S2', [])).toBe('MacBook Pro')
  })

  it('keeps the device name when the one CI that has it is this device or has no serial number', () => {
    expect(nameForIre('MacBook Pro', 'S2', [ci('a', 'S2')])).toBe('MacBook Pro')
    expect(nameForIre('MacBook Pro', 'S2', [ci('a', 's2 ')])).toBe('MacBook Pro')
    expect(nameForIre('MacBook Pro', 'S2', [ci('a', '')])).toBe('MacBook Pro')
  })

  it('adds the serial number when a CI with another serial number has the name', () => {
    expect(nameForIre('MacBook Pro', 'S2', [ci('a', 'S1')])).toBe('MacBook Pro (S2)')
  })

  it('adds the serial number when several CIs have the name (IRE would refuse a multiple match)', () => {
    expect(nameForIre('MacBook Pro', 'S2', [ci('a', 'S2'), ci('b', 'S1')])).toBe('MacBook Pro (S2)')
    expect(nameForIre('MacBook Pro', 'S2', [ci('a', ''), ci('b', '')])).toBe('MacBook Pro (S2)')
  })

  it('compares serial numbers the way the instance does: trimmed, case-insensitive, empty never equal to one', () => {
    expect(sameSerial(' c02abc ', 'C02ABC')).toBe(true)
    expect(sameSerial('C02ABC', 'C02ABD')).toBe(false)
    expect(sameSerial('', 'C02ABC')).toBe(false)
    expect(disambiguatedName('iPad', 'DMP1')).toBe('iPad (DMP1)')
  })
})

describe('CMDB lookups around IRE', () => {
  it('looks the name up with one query limited to two rows, however many CIs share it', () => {
    const db = new FakeDb()
    for (let i = 0; i < 50; i++) db.add(HW, { name: 'MacBook Pro', serial_number: `S${i}` })
    db.add(HW, { name: 'Other', serial_number: 'X' })
    const before = db.queries
    const found = findCisNamed(fakePlatform(db), 'MacBook Pro')
    expect(db.queries - before).toBe(1)
    expect(found).toHaveLength(NAME_LOOKUP_LIMIT)
    expect(found[0]).toEqual({ sysId: expect.any(String), serialNumber: 'S0' })
  })

  it('reads the identified CI: its serial (empty when missing), its class, whether it is a computer; undefined when unknown', () => {
    const db = new FakeDb()
    db.add(HW, { sys_id: 'a', name: 'MacBook Pro', sys_class_name: PLATFORM_TABLES.computer })
    db.add(HW, { sys_id: 'b', serial_number: 'S1', sys_class_name: 'cmdb_ci_server' })
    db.add(PLATFORM_TABLES.computer, { sys_id: 'b' })
    db.add(HW, { sys_id: 'c', serial_number: 'S2', sys_class_name: HW })
    expect(findCisNamed(fakePlatform(db), 'MacBook Pro')).toEqual([{ sysId: 'a', serialNumber: '' }])
    expect(readIdentifiedCi(fakePlatform(db), 'a')).toEqual({ serialNumber: '', className: PLATFORM_TABLES.computer, isComputer: true })
    expect(readIdentifiedCi(fakePlatform(db), 'b')).toEqual({ serialNumber: 'S1', className: 'cmdb_ci_server', isComputer: true })
    expect(readIdentifiedCi(fakePlatform(db), 'c')).toEqual({ serialNumber: 'S2', className: HW, isComputer: false })
    expect(readIdentifiedCi(fakePlatform(db), 'nope')).toBeUndefined()
  })

  it('accepts the CI IRE returned only when it is a computer carrying the device serial number', () => {
    const ci = (serialNumber: string, className: string = PLATFORM_TABLES.computer, isComputer = true) => ({ serialNumber, className, isComputer })
    expect(identifiedCiProblem('S2', 'a', ci('s2'))).toBeUndefined()
    expect(identifiedCiProblem('S2', 'a', ci('S1'))).toMatch(/IRE identified serial S2 as CI a, which has serial number "S1"; the MDM row was not written/)
    expect(identifiedCiProblem('S2', 'a', ci(''))).toMatch(/serial number "\(empty\)"/)
    expect(identifiedCiProblem('S2', 'a', undefined)).toMatch(/no hardware CI has that sys_id/)
    expect(identifiedCiProblem('S2', 'a', ci('S2', HW, false))).toMatch(/IRE identified serial S2 as CI a, a cmdb_ci_hardware, not a computer \(cmdb_ci_computer\) nor a device class \(cmdb_ci_computer, cmdb_ci_handheld_computing, cmdb_ci_media_player\); the MDM row was not written/)
    for (const message of [identifiedCiProblem('S2', 'a', ci('S1')), identifiedCiProblem('S2', 'a', undefined), identifiedCiProblem('S2', 'a', ci('S2', HW, false))]) {
      expect(message).toMatch(/Likely cause: .*Fix: /s)
    }
  })
})

/**
 * IRE as the base system's Hardware Rule behaves (serial_number, then name, on cmdb_ci_hardware): a match is
 * updated with the payload's values, no match is inserted, several matches are refused.
 */
function hardwareRuleIre(db: FakeDb) {
  return (_source: string, payload: string): string => {
    const values = (JSON.parse(payload) as { items: Array<{ values: Row }> }).items[0]?.values ?? {}
    const rows = db.rows(HW)
    let match: Row | undefined
    for (const field of ['serial_number', 'name']) {
      const value = values[field]
      if (!value) continue
      const found = rows.filter((r) => r[field] === value)
      if (found.length > 1) return JSON.stringify({ items: [{ sysId: 'Unknown', errors: [{ error: 'MULTIPLE_DUPLICATE_RECORDS', message: field }] }] })
      if ((match = found[0])) break
    }
    const stringValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]))
    if (!match) return JSON.stringify({ items: [{ className: PLATFORM_TABLES.computer, operation: 'INSERT', sysId: db.add(HW, { ...stringValues, sys_class_name: PLATFORM_TABLES.computer }).sys_id }] })
    const changed = Object.entries(stringValues).some(([k, v]) => match[k] !== v)
    Object.assign(match, stringValues)
    return JSON.stringify({ items: [{ className: match.sys_class_name ?? PLATFORM_TABLES.computer, operation: changed ? 'UPDATE' : 'NO_CHANGE', sysId: match.sys_id }] })
  }
}

describe('device transform with devices that share a name', () => {
  const macA = { serial_number: 'C02SAMEA', device_name: 'MacBook Pro' }
  const macB = { serial_number: 'C02SAMEB', device_name: 'MacBook Pro' }

  function run(p: ReturnType<typeof fakePlatform>, row: Row) {
    const target = targetRow()
    const log = fakeLog()
    return { outcome: processDeviceRow(p, sourceRow(row), target, log), target, log }
  }

  it('gives each device its own CI, names the second one by its serial, and re-pushing changes nothing', () => {
    const db = new FakeDb()
    const p = fakePlatform(db, { ire: hardwareRuleIre(db) })
    const a = run(p, macA)
    const b = run(p, macB)
    expect([a.outcome.state, b.outcome.state]).toEqual(['continue', 'continue'])
    expect(db.rows(HW).map((r) => [r.name, r.serial_number])).toEqual([['MacBook Pro', 'C02SAMEA'], ['MacBook Pro (C02SAMEB)', 'C02SAMEB']])
    expect(a.target.values.ci).not.toBe(b.target.values.ci)
    expect(b.target.values.device_name).toBe('MacBook Pro')
    expect(b.outcome.message).toContain('another CI is already named "MacBook Pro", so the CI is named "MacBook Pro (C02SAMEB)"')
    expect(b.log.lines.some((l) => l.startsWith('warn:'))).toBe(false)

    for (const [row, first] of [[macB, b], [macA, a], [macB, b]] as const) {
      const again = run(p, row)
      expect(again.outcome.message).toContain('no_change')
      expect(again.target.values.ci).toBe(first.target.values.ci)
    }
    expect(db.rows(HW)).toHaveLength(2)
  })

  it('reconciles with a CI of the same name that has no serial number instead of adding one', () => {
    const db = new FakeDb()
    db.add(HW, { sys_id: 'manual', name: 'MacBook Pro', sys_class_name: PLATFORM_TABLES.computer })
    const p = fakePlatform(db, { ire: hardwareRuleIre(db) })
    expect(run(p, macA).target.values.ci).toBe('manual')
    expect(db.rows(HW)).toEqual([expect.objectContaining({ sys_id: 'manual', serial_number: 'C02SAMEA' })])
  })

  it('rejects the row, writing no MDM values, when IRE returns a CI with another serial number', () => {
    const db = new FakeDb()
    db.add(HW, { sys_id: 'other', name: 'Elsewhere', serial_number: 'C02OTHER', sys_class_name: PLATFORM_TABLES.computer })
    const p = fakePlatform(db, { ire: () => JSON.stringify({ items: [{ operation: 'UPDATE', sysId: 'other' }] }) })
    const { outcome, target, log } = run(p, macA)
    expect(outcome).toEqual({ state: 'reject', message: expect.stringMatching(/^Rejected: .*which has serial number "C02OTHER"/) })
    expect(target.values).toEqual({})
    expect(log.lines).toEqual([expect.stringMatching(/^error: IRE identified serial C02SAMEA as CI other/)])
  })

  it('rejects the row when the CI IRE returned cannot be found', () => {
    const p = fakePlatform(new FakeDb(), { ire: () => JSON.stringify({ items: [{ operation: 'INSERT', sysId: 'ghost' }] }) })
    const { outcome, target } = run(p, macA)
    expect(outcome).toMatchObject({ state: 'reject', message: expect.stringContaining('IRE returned CI ghost') })
    expect(target.values).toEqual({})
  })

  it('costs a constant number of queries per device, however many CIs share its name', () => {
    const db = new FakeDb()
    const p = fakePlatform(db, { ire: hardwareRuleIre(db) })
    const cost = () => {
      const before = db.queries
      run(p, { ...macB, serial_number: `N${db.rows(HW).length}` })
      return db.queries - before
    }
    const few = cost()
    for (let i = 0; i < 200; i++) db.add(HW, { name: 'MacBook Pro', serial_number: `SEED${i}` })
    expect(cost()).toBe(few)
    // the name lookup and the serial holder; IRE's answer names the class, so the CI is not read again
    expect(few).toBe(2)
  })
})
