import { describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE, IMPORT_PROBE, IMPORT_REJECTED_PREFIX, PLATFORM_TABLES } from '@kandji-sn/contract'
import { interpretIreOutput, irePayload, mapDevice } from '../src/server/import/device-mapping.ts'
import { processDeviceRow } from '../src/server/import/device-transform.ts'
import { processAppRow, SAM_NOT_ACTIVE } from '../src/server/import/app-transform.ts'
import { parseBoolean, parseCapacityGb, parseDateTimeUtc } from '../src/server/import/values.ts'
import { FakeDb, fakeLog, fakePlatform, sourceRow, targetRow } from './fake-platform.ts'

const CI_ID = 'c'.repeat(32)
/** A CMDB holding the CI the fake IRE answers with, carrying the device's serial number. */
function cmdbWithDeviceCi(db = new FakeDb()): FakeDb {
  db.add(PLATFORM_TABLES.hardware, { sys_id: CI_ID, name: 'Ana’s MacBook', serial_number: 'C02XK1ABCDEF', sys_class_name: PLATFORM_TABLES.computer })
  return db
}
const ireOk = (operation = 'INSERT') => () => JSON.stringify({ items: [{ className: 'cmdb_ci_computer', operation, sysId: CI_ID }], relations: [] })

const device = {
  device_id: '2a3b', serial_number: ' C02XK1ABCDEF ', device_name: 'Ana’s MacBook', platform: 'Mac',
  model: 'MacBook Pro (14-inch, 2023)', os_version: '15.1', last_check_in: '2025-03-04T05:06:07.123Z',
  mdm_enabled: 'true', agent_installed: 'False', memory: '16 GB', storage_capacity: '1 TB', user_email: 'ana@example.com',
}

describe('value parsing', () => {
  it('parses booleans strictly', () => {
    expect([parseBoolean('true'), parseBoolean('FALSE'), parseBoolean('1'), parseBoolean('no')]).toEqual([true, false, true, false])
    expect([parseBoolean(''), parseBoolean('maybe'), parseBoolean(null)]).toEqual([undefined, undefined, undefined])
  })

  it('turns ISO 8601 and Glide date-times into Glide UTC, rejecting impossible dates', () => {
    expect(parseDateTimeUtc('2025-03-04T05:06:07Z')).toBe('2025-03-04 05:06:07')
    expect(parseDateTimeUtc('2025-03-04T05:06:07.999+02:00')).toBe('2025-03-04 03:06:07')
    expect(parseDateTimeUtc('2025-03-04T23:30:00-0100')).toBe('2025-03-05 00:30:00')
    expect(parseDateTimeUtc('2025-03-04 05:06:07')).toBe('2025-03-04 05:06:07')
    for (const bad of ['2025-02-30T00:00:00Z', '2025-13-01T00:00:00Z', 'yesterday', '2025-03-04', '', '2025-03-04T25:00:00Z']) {
      expect(parseDateTimeUtc(bad)).toBeUndefined()
    }
  })

  it('parses capacities into gigabytes', () => {
    expect(parseCapacityGb('16 GB')).toBe(16)
    expect(parseCapacityGb('1TB')).toBe(1024)
    expect(parseCapacityGb('512 mb')).toBe(0.5)
    expect(parseCapacityGb('500.28')).toBe(500.28)
    expect(parseCapacityGb('lots')).toBeUndefined()
    expect(parseCapacityGb('-1 GB')).toBeUndefined()
  })
})

describe('device mapping (pure)', () => {
  it('maps a Kandji device to IRE values and MDM values', () => {
    const result = mapDevice(device)
    expect(result.kind).toBe('ok')
    if (result.kind !== 'ok') return
    expect(result.mapping.ciValues).toEqual({
      serial_number: 'C02XK1ABCDEF', name: 'Ana’s MacBook', model_number: 'MacBook Pro (14-inch, 2023)', os_version: '15.1',
      last_discovered: '2025-03-04 05:06:07', ram: 16384, disk_space: 1024,
    })
    expect(result.mapping.mdmValues).toMatchObject({ serial_number: 'C02XK1ABCDEF', mdm_enabled: true, agent_installed: false, last_check_in: '2025-03-04 05:06:07', platform: 'Mac' })
    expect(result.mapping.userEmail).toBe('ana@example.com')
    expect(result.mapping.warnings).toEqual([])
  })

  it('names the device by its serial number when it has no name', () => {
    const result = mapDevice({ serial_number: 'S1' })
    expect(result.kind === 'ok' && result.mapping.ciValues.name).toBe('S1')
  })

  it('rejects a row without a serial number with a message that names the device', () => {
    for (const serial of [undefined, '', '   ', null]) {
      const result = mapDevice({ device_id: 'dev-9', serial_number: serial })
      expect(result).toMatchObject({ kind: 'invalid' })
      expect(result.kind === 'invalid' && result.message).toMatch(/no serial_number \(device_id dev-9\)/)
    }
  })

  it('keeps a row with malformed optional values, dropping them with a warning', () => {
    const result = mapDevice({ serial_number: 'S1', platform: 'Windows', mdm_enabled: 'perhaps', last_check_in: 'yesterday', memory: 'lots', user_email: 'not-an-email' })
    expect(result.kind).toBe('ok')
    if (result.kind !== 'ok') return
    expect(result.mapping.mdmValues).not.toHaveProperty('mdm_enabled')
    expect(result.mapping.mdmValues).not.toHaveProperty('last_check_in')
    expect(result.mapping.ciValues).not.toHaveProperty('ram')
    expect(result.mapping.userEmail).toBeUndefined()
    expect(result.mapping.warnings).toHaveLength(5)
  })

  it('recognises the deploy probe row', () => {
    expect(mapDevice({ [IMPORT_PROBE.field]: IMPORT_PROBE.value, serial_number: '' })).toEqual({ kind: 'probe' })
  })

  it('builds an IRE payload for cmdb_ci_computer with assigned_to only when given', () => {
    expect(JSON.parse(irePayload({ serial_number: 'S1', name: 'n' }))).toEqual({ items: [{ className: PLATFORM_TABLES.computer, values: { serial_number: 'S1', name: 'n' } }] })
    expect(JSON.parse(irePayload({ serial_number: 'S1' }, 'u1')).items[0].values.assigned_to).toBe('u1')
  })

  it('reads IRE answers: success, item errors, top-level errors, no sys_id, not JSON', () => {
    expect(interpretIreOutput(ireOk('UPDATE')())).toEqual({ ok: true, sysId: CI_ID, operation: 'UPDATE', className: 'cmdb_ci_computer' })
    expect(interpretIreOutput(JSON.stringify({ items: [{ sysId: 'Unknown', errors: [{ error: 'INVALID_INPUT_DATA', message: 'bad source' }] }] })))
      .toEqual({ ok: false, message: 'IRE rejected the device: INVALID_INPUT_DATA: bad source' })
    expect(interpretIreOutput(JSON.stringify({ errors: ['boom'], items: [] }))).toMatchObject({ ok: false })
    expect(interpretIreOutput(JSON.stringify({ items: [{}] }))).toMatchObject({ ok: false })
    expect(interpretIreOutput('<html>')).toMatchObject({ ok: false })
  })
})

describe('device transform (onBefore)', () => {
  it('sends the device through IRE with source Kandji and fills the MDM row with the CI reference', () => {
    const db = cmdbWithDeviceCi()
    db.add(PLATFORM_TABLES.user, { sys_id: 'u'.repeat(32), email: 'ana@example.com', active: 'true' })
    const p = fakePlatform(db, { ire: ireOk() })
    const target = targetRow()
    const outcome = processDeviceRow(p, sourceRow(device), target, fakeLog())
    expect(outcome.state).toBe('continue')
    expect(outcome.message).toContain(`CI ${CI_ID} insert`)
    expect(p.ireCalls).toHaveLength(1)
    expect(p.ireCalls[0]?.source).toBe(DISCOVERY_SOURCE.value)
    expect((p.ireCalls[0]?.payload as { items: Array<{ values: { assigned_to?: string } }> }).items[0]?.values.assigned_to).toBe('u'.repeat(32))
    expect(target.values).toMatchObject({ ci: CI_ID, serial_number: 'C02XK1ABCDEF', mdm_enabled: 'true' })
  })

  it('leaves assigned_to empty, with a note, when no active user has the e-mail', () => {
    const p = fakePlatform(cmdbWithDeviceCi(), { ire: ireOk() })
    const log = fakeLog()
    const outcome = processDeviceRow(p, sourceRow(device), targetRow(), log)
    expect(outcome.state).toBe('continue')
    expect((p.ireCalls[0]?.payload as { items: Array<{ values: object }> }).items[0]?.values).not.toHaveProperty('assigned_to')
    expect(outcome.message).toContain('no active user has e-mail ana@example.com')
    expect(log.lines.some((l) => l.startsWith('warn:'))).toBe(true)
  })

  it('rejects a row without a serial number (ignored with the reason, never error = true), writing nothing and calling no IRE', () => {
    const p = fakePlatform(new FakeDb(), { ire: ireOk() })
    const target = targetRow()
    const outcome = processDeviceRow(p, sourceRow({ device_id: 'x' }), target, fakeLog())
    expect(outcome.state).toBe('reject')
    expect(outcome.message).toMatch(new RegExp(`^${IMPORT_REJECTED_PREFIX}Row has no serial_number \\(device_id x\\)`))
    expect(p.ireCalls).toHaveLength(0)
    expect(target.values).toEqual({})
  })

  it('rejects the row when IRE rejects the device or throws', () => {
    const rejecting = fakePlatform(new FakeDb(), { ire: () => JSON.stringify({ items: [{ errors: [{ error: 'DISCOVERY_SOURCE', message: 'Kandji is not a valid discovery source' }] }] }) })
    expect(processDeviceRow(rejecting, sourceRow(device), targetRow(), fakeLog())).toMatchObject({ state: 'reject', message: expect.stringContaining('not a valid discovery source') })
    const throwing = fakePlatform(new FakeDb(), { ire: () => { throw new Error('IRE unavailable') } })
    expect(processDeviceRow(throwing, sourceRow(device), targetRow(), fakeLog())).toMatchObject({ state: 'reject', message: expect.stringContaining('IRE unavailable') })
  })

  it('rejects the row, linking nothing, when IRE answers with a CI of a class that is not a computer', () => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.hardware, { sys_id: CI_ID, serial_number: 'C02XK1ABCDEF', sys_class_name: PLATFORM_TABLES.hardware })
    const target = targetRow()
    const outcome = processDeviceRow(fakePlatform(db, { ire: () => JSON.stringify({ items: [{ className: PLATFORM_TABLES.hardware, operation: 'UPDATE', sysId: CI_ID }] }) }), sourceRow(device), target, fakeLog())
    expect(outcome).toMatchObject({ state: 'reject', message: expect.stringContaining(`a ${PLATFORM_TABLES.hardware}, not a computer`) })
    expect(target.values).toEqual({})
  })

  it('sends no MAC address to IRE (not a documented Computer column) and keeps it on the MDM row', () => {
    const p = fakePlatform(cmdbWithDeviceCi(), { ire: ireOk() })
    const target = targetRow()
    processDeviceRow(p, sourceRow({ ...device, mac_address: 'aa:bb:cc:dd:ee:ff' }), target, fakeLog())
    expect((p.ireCalls[0]?.payload as { items: Array<{ values: object }> }).items[0]?.values).not.toHaveProperty('mac_address')
    expect(target.values.mac_address).toBe('aa:bb:cc:dd:ee:ff')
  })

  it('ignores the deploy probe row without touching the CMDB', () => {
    const p = fakePlatform(new FakeDb(), { ire: ireOk() })
    const outcome = processDeviceRow(p, sourceRow({ [IMPORT_PROBE.field]: IMPORT_PROBE.value }), targetRow(), fakeLog())
    expect(outcome.state).toBe('ignore')
    expect(p.ireCalls).toHaveLength(0)
  })
})

describe('application transform (onBefore)', () => {
  const app = { serial_number: 'S1', app_name: 'Slack', version: '4.41', publisher: 'Slack Technologies' }
  const COMPUTER = 'd'.repeat(32)
  const INSTALL = 'e'.repeat(32)
  const ireAnswer = (ciSysId = COMPUTER, related: object = { className: PLATFORM_TABLES.softwareInstall, operation: 'INSERT', sysId: INSTALL, errors: [] }) => () =>
    JSON.stringify({ items: [{ className: PLATFORM_TABLES.computer, operation: 'NO_CHANGE', sysId: ciSysId, errors: [], relatedItems: [related] }] })
  const withComputer = (db = new FakeDb()) => {
    db.add(PLATFORM_TABLES.computer, { sys_id: COMPUTER, serial_number: 'S1', sys_class_name: PLATFORM_TABLES.computer })
    return db
  }

  it('skips every row with a clear status when SAM is not active (its table does not exist), calling no IRE', () => {
    const p = fakePlatform(withComputer(), { missingTables: [PLATFORM_TABLES.softwareInstall], ire: ireAnswer() })
    const outcome = processAppRow(p, sourceRow(app), targetRow(), fakeLog())
    expect(outcome).toEqual({ state: 'ignore', message: SAM_NOT_ACTIVE })
    expect(outcome.message).toMatch(/^Skipped: Software Asset Management is not active/)
    expect(p.ireCalls).toHaveLength(0)
  })

  it('sends the computer with the installation as a related item through IRE and links both on the software row', () => {
    const p = fakePlatform(withComputer(), { ire: ireAnswer() })
    const target = targetRow()
    const outcome = processAppRow(p, sourceRow(app), target, fakeLog())
    expect(outcome).toEqual({ state: 'continue', message: 'Software installation Slack 4.41 on S1: insert through IRE.' })
    expect(p.ireCalls).toEqual([{
      source: DISCOVERY_SOURCE.value,
      payload: { items: [{ className: PLATFORM_TABLES.computer, values: { serial_number: 'S1', sys_class_name: PLATFORM_TABLES.computer }, related: [{ className: PLATFORM_TABLES.softwareInstall, values: { display_name: 'Slack', version: '4.41', publisher: 'Slack Technologies' } }] }] },
    }])
    expect(target.values).toEqual({ ci: COMPUTER, software_install: INSTALL })
  })

  it('rejects rows without serial/app name, for unknown computers, duplicate serials, IRE refusals and another CI', () => {
    const db = new FakeDb()
    const reject = (p: ReturnType<typeof fakePlatform>, row: object, text: string) =>
      expect(processAppRow(p, sourceRow(row as never), targetRow(), fakeLog())).toEqual({ state: 'reject', message: expect.stringContaining(text) })
    const p = fakePlatform(db, { ire: ireAnswer() })
    reject(p, { app_name: 'x' }, 'serial_number')
    reject(p, { serial_number: 'S1', app_name: ' ' }, 'app_name')
    reject(p, app, 'No computer with serial number S1')
    withComputer(db)
    reject(fakePlatform(db, { ire: ireAnswer(COMPUTER, { sysId: 'Unknown', errors: [{ error: 'MISSING_MATCHING_ATTRIBUTES', message: 'display_name' }] }) }), app, 'IRE rejected the software installation: MISSING_MATCHING_ATTRIBUTES: display_name')
    reject(fakePlatform(db, { ire: ireAnswer('f'.repeat(32)) }), app, `not the computer ${COMPUTER}`)
    reject(fakePlatform(db, { ire: () => { throw new Error('IRE down') } }), app, 'IRE failed for Slack on serial S1: IRE down')
    db.add(PLATFORM_TABLES.computer, { serial_number: 'S1' })
    reject(p, app, 'More than one computer')
    for (const outcome of [processAppRow(p, sourceRow(app), targetRow(), fakeLog())]) expect(outcome.message.startsWith(IMPORT_REJECTED_PREFIX)).toBe(true)
  })
})
