// Issue 16, "devices", against the platform fake: the device class mapping, user matching (every mode and
// outcome, recorded on the MDM row), the lifecycle values the transform sends IRE, and the retirement run.
import { describe, expect, it } from 'vitest'
import { APP_SETTINGS, CI_LIFECYCLE, HANDHELD_DEVICE_CLASSES, MDM_FIELDS, PLATFORM_TABLES, RETIREMENT_JOB, TABLES } from '@kandji-sn/contract'
import { classFor, parseClassMap } from '../src/server/import/device-classes.ts'
import { processDeviceRow } from '../src/server/import/device-transform.ts'
import { matchUser, parseUserMatchMode } from '../src/server/import/user-match.ts'
import { retireStaleDevices } from '../src/server/devices/retirement.ts'
import { FakeDb, fakeLog, fakePlatform, sourceRow, type Row } from './fake-platform.ts'

const CI = 'c'.repeat(32)
const ALL_COMPUTERS = { Mac: 'cmdb_ci_computer', iPhone: 'cmdb_ci_computer', iPad: 'cmdb_ci_computer', AppleTV: 'cmdb_ci_computer' }

describe('device class mapping', () => {
  it('defaults every platform to a computer, and fills platforms a mapping leaves out with it', () => {
    expect(parseClassMap('')).toEqual({ ok: true, classes: ALL_COMPUTERS })
    expect(parseClassMap('  ')).toEqual({ ok: true, classes: ALL_COMPUTERS })
    expect(parseClassMap('{"iPhone":"cmdb_ci_handheld_computing"}')).toEqual({ ok: true, classes: { ...ALL_COMPUTERS, iPhone: 'cmdb_ci_handheld_computing' } })
    expect(parseClassMap(JSON.stringify(HANDHELD_DEVICE_CLASSES))).toEqual({ ok: true, classes: HANDHELD_DEVICE_CLASSES })
  })

  it('refuses malformed values with the reason and the fix', () => {
    for (const [raw, what] of [
      ['{', 'is not valid JSON'], ['null', 'is not a JSON object'], ['"x"', 'is not a JSON object'], ['[]', 'is not a JSON object'],
      ['{"Windows":"cmdb_ci_computer"}', 'names the unknown platform "Windows"'], ['{"iPad":"cmdb_ci_server"}', 'maps iPad to "cmdb_ci_server", which is not one of'],
      ['{"iPad":null}', 'maps iPad to "null", which is not one of'],
    ] as const) {
      const result = parseClassMap(raw)
      expect(result.ok, raw).toBe(false)
      if (!result.ok) expect(result.message).toMatch(new RegExp(`^The device class mapping ${APP_SETTINGS.deviceClasses.replace(/\./g, '\\.')} ${what.replace(/[()[\]"]/g, '\\$&')}.*Fix: `))
    }
  })

  it('files a platform it does not know (or an empty one) as a computer', () => {
    expect([classFor(HANDHELD_DEVICE_CLASSES, 'iPhone'), classFor(HANDHELD_DEVICE_CLASSES, ''), classFor(HANDHELD_DEVICE_CLASSES, 'Windows')]).toEqual(['cmdb_ci_handheld_computing', 'cmdb_ci_computer', 'cmdb_ci_computer'])
  })
})

describe('user matching', () => {
  const users = (): FakeDb => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.user, { sys_id: 'u1', email: 'ana@example.com', user_name: 'ana', active: 'true' })
    db.add(PLATFORM_TABLES.user, { sys_id: 'u2', email: 'bo@example.com', user_name: 'bo', active: 'false' })
    db.add(PLATFORM_TABLES.user, { sys_id: 'u3', email: 'twin@example.com', user_name: 'twin1', active: 'true' })
    db.add(PLATFORM_TABLES.user, { sys_id: 'u4', email: 'twin@example.com', user_name: 'twin2', active: 'true' })
    return db
  }
  const p = fakePlatform(users())

  it('reads the mode, falling back to email (the behaviour before the setting) with a note', () => {
    expect(parseUserMatchMode('')).toEqual({ mode: 'email' })
    expect(parseUserMatchMode('user_name')).toEqual({ mode: 'user_name' })
    expect(parseUserMatchMode(' off ')).toEqual({ mode: 'off' })
    expect(parseUserMatchMode('EMAIL')).toEqual({ mode: 'email', note: `${APP_SETTINGS.userMatch} "EMAIL" is not one of email, user_name, off; matched by email. Fix the property` })
  })

  it('matches by e-mail or user name to exactly one active user, and says why not otherwise', () => {
    expect(matchUser(p, 'email', { email: 'ana@example.com', rawEmail: 'ana@example.com', userName: '' })).toEqual({ outcome: 'matched', sysId: 'u1' })
    expect(matchUser(p, 'user_name', { rawEmail: '', userName: 'ana' })).toEqual({ outcome: 'matched', sysId: 'u1' })
    expect(matchUser(p, 'email', { email: 'bo@example.com', rawEmail: 'bo@example.com', userName: 'bo' })).toEqual({ outcome: 'unmatched', note: 'no active user has e-mail bo@example.com; assigned_to left empty' })
    expect(matchUser(p, 'user_name', { rawEmail: '', userName: 'bo' })).toEqual({ outcome: 'unmatched', note: 'no active user has user name bo; assigned_to left empty' })
    expect(matchUser(p, 'email', { email: 'twin@example.com', rawEmail: 'twin@example.com', userName: '' })).toEqual({ outcome: 'unmatched', note: 'more than one active user has e-mail twin@example.com; assigned_to left empty' })
    expect(matchUser(p, 'email', { rawEmail: 'not-an-email', userName: 'ana' })).toEqual({ outcome: 'unmatched' })
    expect(matchUser(p, 'email', { rawEmail: '', userName: 'ana' })).toEqual({ outcome: 'no_user' })
    expect(matchUser(p, 'user_name', { email: 'ana@example.com', rawEmail: 'ana@example.com', userName: '' })).toEqual({ outcome: 'no_user' })
    expect(matchUser(p, 'off', { email: 'ana@example.com', rawEmail: 'ana@example.com', userName: 'ana' })).toEqual({ outcome: 'off' })
  })
})

/** A transform target that also reads (the coalesced MDM row). */
function mdmTarget(existing: Row = {}): { values: Row; setValue(f: string, v: string | number | boolean): void; getValue(f: string): string | null } {
  const values: Row = {}
  return { values, setValue: (f, v) => void (values[f] = String(v)), getValue: (f) => values[f] ?? existing[f] ?? null }
}

describe('the device transform with the device settings', () => {
  const row = { serial_number: 'S1', device_name: 'Phone', platform: 'iPhone', user_email: 'ana@example.com', user_name: 'ana' }
  const setup = (properties: Record<string, string>) => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.user, { sys_id: 'u1', email: 'ana@example.com', user_name: 'ana', active: 'true' })
    const p = fakePlatform(db, { properties, ire: (_s, payload) => {
      const item = (JSON.parse(payload) as { items: Array<{ className: string }> }).items[0]!
      return JSON.stringify({ items: [{ className: item.className, operation: 'INSERT', sysId: CI }] })
    } })
    return p
  }
  const payloadOf = (p: ReturnType<typeof setup>) => (p.ireCalls[0]?.payload as { items: Array<Record<string, unknown>> }).items[0]

  it('sends the mapped class, assigned_to by the chosen mode, and records last_pushed and the outcome', () => {
    const p = setup({ [APP_SETTINGS.deviceClasses]: JSON.stringify(HANDHELD_DEVICE_CLASSES), [APP_SETTINGS.userMatch]: 'user_name' })
    const target = mdmTarget()
    expect(processDeviceRow(p, sourceRow(row), target, fakeLog()).state).toBe('continue')
    expect(payloadOf(p)).toEqual({ className: 'cmdb_ci_handheld_computing', values: { serial_number: 'S1', name: 'Phone', assigned_to: 'u1' } })
    expect(target.values).toMatchObject({ ci: CI, [MDM_FIELDS.lastPushed]: '2026-01-02 03:04:05', [MDM_FIELDS.userMatch]: 'matched', [MDM_FIELDS.retiredReason]: '' })
  })

  it('with matching off sends no assigned_to and records "off"', () => {
    const p = setup({ [APP_SETTINGS.userMatch]: 'off' })
    const target = mdmTarget()
    processDeviceRow(p, sourceRow(row), target, fakeLog())
    expect(payloadOf(p)).toEqual({ className: 'cmdb_ci_computer', values: { serial_number: 'S1', name: 'Phone' } })
    expect(target.values[MDM_FIELDS.userMatch]).toBe('off')
  })

  it('asks IRE for a class change only for a CI already in a device class', () => {
    const p = setup({ [APP_SETTINGS.deviceClasses]: JSON.stringify(HANDHELD_DEVICE_CLASSES) })
    p.db.add(PLATFORM_TABLES.hardware, { sys_id: CI, name: 'Phone', serial_number: 'S1', sys_class_name: PLATFORM_TABLES.computer })
    processDeviceRow(p, sourceRow(row), mdmTarget(), fakeLog())
    expect(payloadOf(p)).toMatchObject({ className: 'cmdb_ci_handheld_computing', classUpgrade: true, classDowngrade: true, classSwitch: true })
    const other = setup({ [APP_SETTINGS.deviceClasses]: JSON.stringify(HANDHELD_DEVICE_CLASSES) })
    other.db.add(PLATFORM_TABLES.hardware, { sys_id: CI, name: 'Phone', serial_number: 'S1', sys_class_name: 'cmdb_ci_server' })
    processDeviceRow(other, sourceRow(row), mdmTarget(), fakeLog())
    expect(Object.keys(payloadOf(other) ?? {}).sort()).toEqual(['className', 'values'])
  })

  it('retires at once a device sent with is_removed true, and makes a retired one active again', () => {
    const p = setup({})
    const removed = mdmTarget()
    processDeviceRow(p, sourceRow({ ...row, is_removed: 'true' }), removed, fakeLog())
    expect((payloadOf(p)?.values as Row)).toMatchObject({ install_status: CI_LIFECYCLE.retiredInstallStatus, operational_status: CI_LIFECYCLE.retiredOperationalStatus })
    expect(removed.values[MDM_FIELDS.retiredReason]).toBe(`${RETIREMENT_JOB.removedReason}retired when Iru Endpoint sent is_removed on 2026-01-02 03:04:05 UTC`)
    const q = setup({})
    const back = mdmTarget({ [MDM_FIELDS.retiredReason]: `${RETIREMENT_JOB.staleReason}...` })
    const outcome = processDeviceRow(q, sourceRow(row), back, fakeLog())
    expect((payloadOf(q)?.values as Row)).toMatchObject({ install_status: CI_LIFECYCLE.activeInstallStatus, operational_status: CI_LIFECYCLE.activeOperationalStatus })
    expect(back.values[MDM_FIELDS.retiredReason]).toBe('')
    expect(outcome.message).toMatch(/Active again: pushed after its retirement\./)
  })
})

describe('retirement run', () => {
  const fleet = (properties: Record<string, string>) => {
    const db = new FakeDb()
    const add = (serial: string, lastPushed: string, lastDiscovered: string, reason = '') => {
      const ci = db.add(PLATFORM_TABLES.hardware, { name: serial, serial_number: serial, sys_class_name: PLATFORM_TABLES.computer, last_discovered: lastDiscovered })
      db.add(TABLES.mdm, { serial_number: serial, ci: ci.sys_id ?? '', [MDM_FIELDS.lastPushed]: lastPushed, [MDM_FIELDS.retiredReason]: reason })
      return ci.sys_id ?? ''
    }
    const ids = {
      stale: add('OLD', '2025-12-01 00:00:00', '2025-11-30 00:00:00'),
      fresh: add('NEW', '2026-01-02 00:00:00', '2026-01-02 00:00:00'),
      other: add('SCCM', '2025-12-01 00:00:00', '2026-01-01 12:00:00'),
      done: add('DONE', '2025-12-01 00:00:00', '2025-11-30 00:00:00', 'Stale: earlier'),
    }
    const ireCalls: string[] = []
    const p = fakePlatform(db, { properties, ire: (_s, payload) => (ireCalls.push(payload), JSON.stringify({ items: [{ className: 'cmdb_ci_computer', operation: 'UPDATE', sysId: ids.stale }] })) })
    p.daysAgoUtc = () => '2026-01-01 00:00:00'
    return { p, db, ids, ireCalls }
  }

  it('is off by default and touches nothing', () => {
    const { p, ireCalls, db } = fleet({})
    expect(retireStaleDevices(p)).toEqual({ enabled: false, dryRun: false, days: 0, cutoff: '', retired: [], leftAlone: [] })
    expect([ireCalls, db.queries]).toEqual([[], 0])
  })

  it('retires the stale device through IRE, leaves the one another source reports, and skips the retired one', () => {
    const { p, ids, ireCalls, db } = fleet({ [APP_SETTINGS.retireAfterDays]: '30' })
    const result = retireStaleDevices(p)
    expect(result).toEqual({
      enabled: true, dryRun: false, days: 30, cutoff: '2026-01-01 00:00:00',
      retired: [{ serialNumber: 'OLD', ci: ids.stale, lastPushed: '2025-12-01 00:00:00' }],
      leftAlone: [{ serialNumber: 'SCCM', ci: ids.other, lastPushed: '2025-12-01 00:00:00', reason: "another source reported it on 2026-01-01 12:00:00 UTC (last_discovered), after Iru Endpoint's last push" }],
    })
    expect(ireCalls.map((c) => JSON.parse(c))).toEqual([{ items: [{ className: 'cmdb_ci_computer', values: { serial_number: 'OLD', install_status: '7', operational_status: '6' } }] }])
    expect(db.rows(TABLES.mdm).find((r) => r.serial_number === 'OLD')?.[MDM_FIELDS.retiredReason]).toBe(`${RETIREMENT_JOB.staleReason}not pushed by Iru Endpoint since 2025-12-01 00:00:00 UTC (more than 30 days); retired 2026-01-02 03:04:05 UTC`)
  })

  it('in a dry run (parameter or property) lists and changes nothing', () => {
    for (const [props, arg] of [[{ [APP_SETTINGS.retireAfterDays]: '30' }, true], [{ [APP_SETTINGS.retireAfterDays]: '30', [APP_SETTINGS.retireDryRun]: 'true' }, undefined]] as const) {
      const { p, ireCalls, db } = fleet(props)
      expect(retireStaleDevices(p, arg)).toMatchObject({ dryRun: true, retired: [{ serialNumber: 'OLD' }] })
      expect(ireCalls).toEqual([])
      expect(db.rows(TABLES.mdm).filter((r) => r[MDM_FIELDS.retiredReason] !== '').map((r) => r.serial_number)).toEqual(['DONE'])
    }
  })

  it('refuses malformed settings, and a table without the columns, changing nothing', () => {
    for (const [props, error] of [
      [{ [APP_SETTINGS.retireAfterDays]: '-1' }, `${APP_SETTINGS.retireAfterDays} is "-1", not a whole number of days`],
      [{ [APP_SETTINGS.retireAfterDays]: '3.5' }, `${APP_SETTINGS.retireAfterDays} is "3.5", not a whole number of days`],
      [{ [APP_SETTINGS.retireAfterDays]: '30', [APP_SETTINGS.retireDryRun]: 'yes please' }, `${APP_SETTINGS.retireDryRun} is "yes please", not true or false`],
    ] as const) {
      const { p, ireCalls } = fleet(props)
      expect(retireStaleDevices(p).error).toMatch(new RegExp(`^${error.replace(/[.()]/g, '\\$&')}; nothing was retired\\. Fix: `))
      expect(ireCalls).toEqual([])
    }
    const { p, db, ireCalls } = fleet({ [APP_SETTINGS.retireAfterDays]: '30' })
    db.columns.set(TABLES.mdm, new Set(['serial_number', 'ci']))
    expect(retireStaleDevices(p).error).toMatch(/has no last_pushed or retired_reason column, so stale devices cannot be told apart; nothing was retired/)
    expect(ireCalls).toEqual([])
  })
})
