import { describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE, IMPORT_PROBE, PLATFORM_TABLES, SAM_PRO_PLUGIN } from '@kandji-sn/contract'
import { interpretIreOutput, irePayload, mapDevice } from '../src/server/import/device-mapping.ts'
import { processDeviceRow } from '../src/server/import/device-transform.ts'
import { processAppRow } from '../src/server/import/app-transform.ts'
import { parseBoolean, parseCapacityGb, parseDateTimeUtc } from '../src/server/import/values.ts'
import { FakeDb, fakeLog, fakePlatform, sourceRow, targetRow } from './fake-platform.ts'

const CI_ID = 'c'.repeat(32)
/** A CMDB holding the CI the fake IRE answers with, carrying the device's serial number. */
function cmdbWithDeviceCi(db = new FakeDb()): FakeDb {
  db.add(PLATFORM_TABLES.hardware, { sys_id: CI_ID, name: 'Ana’s MacBook', serial_number: 'C02XK1ABCDEF' })
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
    expect(interpretIreOutput(ireOk('UPDATE')())).toEqual({ ok: true, sysId: CI_ID, operation: 'UPDATE' })
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

  it('ends a row without a serial number in error, writing nothing and calling no IRE', () => {
    const p = fakePlatform(new FakeDb(), { ire: ireOk() })
    const target = targetRow()
    const outcome = processDeviceRow(p, sourceRow({ device_id: 'x' }), target, fakeLog())
    expect(outcome.state).toBe('error')
    expect(outcome.message).toMatch(/no serial_number/)
    expect(p.ireCalls).toHaveLength(0)
    expect(target.values).toEqual({})
  })

  it('ends the row in error when IRE rejects the device or throws', () => {
    const rejecting = fakePlatform(new FakeDb(), { ire: () => JSON.stringify({ items: [{ errors: [{ error: 'DISCOVERY_SOURCE', message: 'Kandji is not a valid discovery source' }] }] }) })
    expect(processDeviceRow(rejecting, sourceRow(device), targetRow(), fakeLog())).toMatchObject({ state: 'error', message: expect.stringContaining('not a valid discovery source') })
    const throwing = fakePlatform(new FakeDb(), { ire: () => { throw new Error('IRE unavailable') } })
    expect(processDeviceRow(throwing, sourceRow(device), targetRow(), fakeLog())).toMatchObject({ state: 'error', message: expect.stringContaining('IRE unavailable') })
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

  it('skips every row with a clear status when SAM Pro is not active', () => {
    const outcome = processAppRow(fakePlatform(), sourceRow(app), fakeLog())
    expect(outcome.state).toBe('ignore')
    expect(outcome.message).toMatch(/^Skipped: SAM Pro/)
  })

  it('continues when SAM Pro is active and the computer exists', () => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.computer, { serial_number: 'S1' })
    expect(processAppRow(fakePlatform(db, { activePlugins: [SAM_PRO_PLUGIN] }), sourceRow(app), fakeLog()).state).toBe('continue')
  })

  it('fails rows without serial/app name, for unknown computers and duplicate serials', () => {
    const db = new FakeDb()
    const p = fakePlatform(db, { activePlugins: [SAM_PRO_PLUGIN] })
    expect(processAppRow(p, sourceRow({ app_name: 'x' }), fakeLog())).toMatchObject({ state: 'error', message: expect.stringContaining('serial_number') })
    expect(processAppRow(p, sourceRow({ serial_number: 'S1', app_name: ' ' }), fakeLog())).toMatchObject({ state: 'error', message: expect.stringContaining('app_name') })
    expect(processAppRow(p, sourceRow(app), fakeLog())).toMatchObject({ state: 'error', message: expect.stringContaining('No computer') })
    db.add(PLATFORM_TABLES.computer, { serial_number: 'S1' })
    db.add(PLATFORM_TABLES.computer, { serial_number: 'S1' })
    expect(processAppRow(p, sourceRow(app), fakeLog())).toMatchObject({ state: 'error', message: expect.stringContaining('More than one') })
  })
})
