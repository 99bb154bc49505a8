// The import transforms' exact answers at their edges: the values a staging row may carry, the IRE answers they
// must refuse, and the words an admin reads in the import log and the row's comment (the mutation run in
// docs/testing.md found each of these unasserted).
import { describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE, IMPORT_PROBE, IMPORT_REJECTED_PREFIX, PLATFORMS, PLATFORM_TABLES } from '@kandji-sn/contract'
import { identifiedCiProblem } from '../src/server/import/ci-identity.ts'
import { interpretIreOutput, irePayload, mapDevice } from '../src/server/import/device-mapping.ts'
import { processDeviceRow } from '../src/server/import/device-transform.ts'
import { interpretSoftwareIre, processAppRow, SAM_NOT_ACTIVE } from '../src/server/import/app-transform.ts'
import { collectErrors, parseIreAnswer } from '../src/server/import/ire-answer.ts'
import { looksLikeEmail, parseCapacityGb, parseDateTimeUtc } from '../src/server/import/values.ts'
import { FakeDb, fakeLog, fakePlatform, sourceRow, targetRow } from './fake-platform.ts'

describe('date-times at the edges of the calendar and the clock', () => {
  it('keeps the first and last month, day, hour, minute and second', () => {
    expect(parseDateTimeUtc('2025-01-01T00:00:00Z')).toBe('2025-01-01 00:00:00')
    expect(parseDateTimeUtc('2025-12-31T23:59:59Z')).toBe('2025-12-31 23:59:59')
    expect(parseDateTimeUtc('2024-02-29 12:00:00')).toBe('2024-02-29 12:00:00')
  })

  it('refuses a 60th minute or second instead of rolling it into the next one', () => {
    expect(parseDateTimeUtc('2025-03-04T10:60:00Z')).toBeUndefined()
    expect(parseDateTimeUtc('2025-03-04T10:00:60Z')).toBeUndefined()
  })

  it('refuses text before or after the date-time', () => {
    for (const bad of ['x2025-03-04T05:06:07Z', '2025-03-04T05:06:07Zjunk', '2025-03-04T05:06:07+01:00x', 'on 2025-03-04 05:06:07']) {
      expect(parseDateTimeUtc(bad), bad).toBeUndefined()
    }
  })

  it('applies the minutes of an offset, with or without its colon', () => {
    expect(parseDateTimeUtc('2025-03-04T05:06:07+05:30')).toBe('2025-03-03 23:36:07')
    expect(parseDateTimeUtc('2025-03-04T05:06:07+0530')).toBe('2025-03-03 23:36:07')
    expect(parseDateTimeUtc('2025-03-04T05:06:07-09:30')).toBe('2025-03-04 14:36:07')
  })
})

describe('capacities and e-mail addresses', () => {
  it('converts kilobytes', () => {
    expect(parseCapacityGb('1048576 KB')).toBe(1)
    expect(parseCapacityGb('524288kb')).toBe(0.5)
  })

  it('refuses a size followed by other text, and one too large to be a number', () => {
    expect(parseCapacityGb('16 GBs')).toBeUndefined()
    expect(parseCapacityGb('16 GB of RAM')).toBeUndefined()
    expect(parseCapacityGb(`${'9'.repeat(400)} GB`)).toBeUndefined()
  })

  it('takes one address of at most 254 characters, nothing around it', () => {
    const at254 = `${'a'.repeat(242)}@example.com`
    expect(at254).toHaveLength(254)
    expect(looksLikeEmail(at254)).toBe(true)
    expect(looksLikeEmail(`a${at254}`)).toBe(false)
    expect(looksLikeEmail('ana smith@example.com')).toBe(false)
    expect(looksLikeEmail('ana@example.com ana')).toBe(false)
  })
})

describe("reading IRE's answer", () => {
  it('quotes at most 200 characters of an answer that is not JSON', () => {
    expect(parseIreAnswer('<html>')).toEqual({ ok: false, message: 'IRE returned something that is not JSON: <html>' })
    const long = `<html>${'x'.repeat(300)}`
    expect(parseIreAnswer(long)).toEqual({ ok: false, message: `IRE returned something that is not JSON: ${long.slice(0, 200)}` })
  })

  it('reads a JSON null as an answer without items', () => {
    expect(parseIreAnswer('null')).toEqual({ ok: true, errors: undefined, item: undefined })
    expect(interpretIreOutput('null')).toEqual({ ok: false, message: 'IRE did not return a CI for the device (no sysId in its answer).' })
  })

  it('writes each error as "CODE: message", or what there is of it', () => {
    expect(collectErrors([{ error: 'E1', message: 'm1' }, { error: 'E2' }, { message: 'm3' }, { error: '', message: 'm4' }, { error: 5, message: 'm5' }, { code: 6 }]))
      .toEqual(['E1: m1', 'E2', 'm3', 'm4', 'm5', '{"code":6}'])
    expect(collectErrors(['boom', null, 42])).toEqual(['boom', 'null', '42'])
    expect(collectErrors({ error: 'E' })).toEqual([])
  })

  it('refuses a device answer that is not JSON, lists every error, and refuses an empty, unknown or non-string sys_id', () => {
    expect(interpretIreOutput('<html>')).toEqual({ ok: false, message: 'IRE returned something that is not JSON: <html>' })
    expect(interpretIreOutput(JSON.stringify({ items: [{ sysId: 'Unknown', errors: [{ error: 'A', message: 'a' }, { error: 'B', message: 'b' }] }] })))
      .toEqual({ ok: false, message: 'IRE rejected the device: A: a; B: b' })
    const noCi = { ok: false, message: 'IRE did not return a CI for the device (no sysId in its answer).' }
    for (const sysId of ['', 'Unknown', 42]) expect(interpretIreOutput(JSON.stringify({ items: [{ sysId, operation: 'INSERT' }] })), String(sysId)).toEqual(noCi)
    expect(interpretIreOutput(JSON.stringify({ items: [{ sysId: 'c1' }] }))).toEqual({ ok: true, sysId: 'c1', operation: 'UNKNOWN', className: '' })
  })

  it('refuses a software answer without the computer or the installation', () => {
    const missing = { ok: false, message: 'IRE did not return the software installation (no related item with a sysId in its answer).' }
    const answer = (item: object) => JSON.stringify({ items: [item] })
    expect(interpretSoftwareIre('<html>')).toEqual({ ok: false, message: 'IRE returned something that is not JSON: <html>' })
    expect(interpretSoftwareIre(JSON.stringify({ items: [] }))).toEqual(missing)
    expect(interpretSoftwareIre(answer({ sysId: 'c1', relatedItems: [] }))).toEqual(missing)
    expect(interpretSoftwareIre(answer({ sysId: 'c1', relatedItems: 'none' }))).toEqual(missing)
    expect(interpretSoftwareIre(answer({ relatedItems: [{ sysId: 'i1' }] }))).toEqual(missing)
    expect(interpretSoftwareIre(answer({ sysId: 'c1', relatedItems: [{}] }))).toEqual(missing)
    expect(interpretSoftwareIre(answer({ sysId: 'c1', relatedItems: [{ sysId: 'Unknown' }] }))).toEqual(missing)
    expect(interpretSoftwareIre(answer({ sysId: 'c1', errors: [{ error: 'A', message: 'a' }], relatedItems: [{ sysId: 'i1', errors: [{ error: 'B', message: 'b' }] }] })))
      .toEqual({ ok: false, message: 'IRE rejected the software installation: A: a; B: b' })
    expect(interpretSoftwareIre(answer({ sysId: 'c1', relatedItems: [{ sysId: 'i1' }] }))).toEqual({ ok: true, ciSysId: 'c1', installSysId: 'i1', operation: 'UNKNOWN' })
  })
})

describe('device mapping, exactly', () => {
  it('writes only the columns the row has, and sends model, OS, asset tag and processor to the computer CI', () => {
    const result = mapDevice({ serial_number: 'S1', device_name: 'Mac', model: 'MacBook Air', os_version: '15.1', asset_tag: 'A-7', processor: 'Apple M3', memory: '8 GB' })
    expect(result).toStrictEqual({
      kind: 'ok',
      mapping: {
        serialNumber: 'S1',
        ciValues: { serial_number: 'S1', name: 'Mac', model_number: 'MacBook Air', os_version: '15.1', asset_tag: 'A-7', cpu_name: 'Apple M3', ram: 8192 },
        mdmValues: { serial_number: 'S1', device_name: 'Mac', model: 'MacBook Air', os_version: '15.1', asset_tag: 'A-7', processor: 'Apple M3', memory: '8 GB' },
        warnings: [],
        rawEmail: '',
        userName: '',
        platform: '',
      },
    })
  })

  it('names each malformed value in a warning and keeps the row', () => {
    const result = mapDevice({
      serial_number: 'S1', platform: 'Windows', mdm_enabled: 'perhaps', last_check_in: 'yesterday', memory: 'lots', storage_capacity: 'huge', user_email: 'not-an-email',
    })
    expect(result).toStrictEqual({
      kind: 'ok',
      mapping: {
        serialNumber: 'S1',
        ciValues: { serial_number: 'S1', name: 'S1' },
        mdmValues: { serial_number: 'S1', platform: 'Windows', memory: 'lots', storage_capacity: 'huge', user_email: 'not-an-email' },
        warnings: [
          `platform "Windows" is not one of ${PLATFORMS.join(', ')}`,
          'mdm_enabled "perhaps" is not true/false',
          'last_check_in "yesterday" is not an ISO 8601 date-time',
          'memory "lots" is not a size',
          'storage_capacity "huge" is not a size',
          'user_email "not-an-email" is not an e-mail address; assigned_to left empty',
        ],
        rawEmail: 'not-an-email',
        userName: '',
        platform: 'Windows',
      },
    })
  })

  it('tells a row without serial number or device id that it has no serial number', () => {
    expect(mapDevice({})).toEqual({
      kind: 'invalid',
      message: 'Row has no serial_number; the CMDB identifies computers by serial number, so nothing was written. Send the device again with its serial number.',
    })
  })

  it('sends no assigned_to when the user lookup gave an empty sys_id', () => {
    expect(JSON.parse(irePayload({ serial_number: 'S1' }, ''))).toEqual({ items: [{ className: PLATFORM_TABLES.computer, values: { serial_number: 'S1' } }] })
  })
})

describe('device transform, the words it writes', () => {
  const CI = 'c'.repeat(32)
  const ire = () => JSON.stringify({ items: [{ operation: 'INSERT', sysId: CI }] })
  const withCi = (db = new FakeDb()) => {
    db.add(PLATFORM_TABLES.hardware, { sys_id: CI, name: 'Mac', serial_number: 'S1', sys_class_name: PLATFORM_TABLES.computer })
    return db
  }
  const run = (db: FakeDb, row: Record<string, string>, options: Parameters<typeof fakePlatform>[1] = { ire }) => {
    const p = fakePlatform(db, options)
    const target = targetRow()
    const log = fakeLog()
    return { outcome: processDeviceRow(p, sourceRow(row), target, log), target, log, p }
  }

  it('says nothing more than the IRE operation when there is nothing to note', () => {
    const { outcome, log } = run(withCi(), { serial_number: 'S1' })
    expect(outcome).toEqual({ state: 'continue', message: `CI ${CI} insert through IRE.` })
    expect(log.lines).toEqual([])
  })

  it('notes each malformed value in the row comment and the import log', () => {
    const { outcome, log, target } = run(withCi(), { serial_number: 'S1', memory: 'lots' })
    expect(outcome).toEqual({ state: 'continue', message: `CI ${CI} insert through IRE. Notes: memory "lots" is not a size.` })
    expect(log.lines).toEqual(['warn: serial S1: memory "lots" is not a size'])
    expect(target.values).toEqual({ serial_number: 'S1', memory: 'lots', ci: CI, last_pushed: '2026-01-02 03:04:05', retired_reason: '', user_match: 'no_user' })
  })

  it('names the CI by its serial when another CI has its name, and says so as information', () => {
    const db = withCi()
    db.add(PLATFORM_TABLES.hardware, { sys_id: 'o'.repeat(32), name: 'Other Mac', serial_number: 'S9' })
    const { outcome, log, p } = run(db, { serial_number: 'S1', device_name: 'Other Mac', user_email: 'nobody@example.com' })
    expect((p.ireCalls[0]?.payload as { items: Array<{ values: { name: string } }> }).items[0]?.values.name).toBe('Other Mac (S1)')
    expect(outcome).toEqual({
      state: 'continue',
      message: `CI ${CI} insert through IRE. Notes: another CI is already named "Other Mac", so the CI is named "Other Mac (S1)"; no active user has e-mail nobody@example.com; assigned_to left empty.`,
    })
    expect(log.lines).toEqual([
      'info: serial S1: another CI is already named "Other Mac", so the CI is named "Other Mac (S1)"',
      'warn: serial S1: no active user has e-mail nobody@example.com; assigned_to left empty',
    ])
  })

  it('leaves assigned_to empty when two active users share the e-mail', () => {
    const db = withCi()
    db.add(PLATFORM_TABLES.user, { email: 'ana@example.com', active: 'true' })
    db.add(PLATFORM_TABLES.user, { email: 'ana@example.com', active: 'true' })
    const { outcome, p } = run(db, { serial_number: 'S1', user_email: 'ana@example.com' })
    expect((p.ireCalls[0]?.payload as { items: Array<{ values: object }> }).items[0]?.values).toEqual({ serial_number: 'S1', name: 'S1' })
    expect(outcome.message).toBe(`CI ${CI} insert through IRE. Notes: more than one active user has e-mail ana@example.com; assigned_to left empty.`)
  })

  it('says what the probe row is, and what to check when IRE throws', () => {
    expect(run(new FakeDb(), { [IMPORT_PROBE.field]: IMPORT_PROBE.value }).outcome)
      .toEqual({ state: 'ignore', message: 'Deploy probe row: accepted and ignored; no CI and no MDM row written.' })
    const thrown = run(new FakeDb(), { serial_number: 'S1' }, { ire: () => { throw new Error('IRE unavailable') } })
    const message = 'IRE failed for serial S1: IRE unavailable. If it names the data source, check GET verify (discovery_source) or POST repair.'
    expect(thrown.outcome).toEqual({ state: 'reject', message: `${IMPORT_REJECTED_PREFIX}${message}` })
    expect(thrown.log.lines).toEqual([`error: ${message}`])
  })
})

describe('the identified CI, in words', () => {
  it('names the class of a CI that is not a computer, or says it is unknown', () => {
    expect(identifiedCiProblem('S1', 'x1', { serialNumber: 'S1', className: 'cmdb_ci_netgear', isComputer: false })).toBe(
      `IRE identified serial S1 as CI x1, a cmdb_ci_netgear, not a computer (${PLATFORM_TABLES.computer}) nor a device class (cmdb_ci_computer, cmdb_ci_handheld_computing, cmdb_ci_media_player); the MDM row was not written, so it links only to a device. ` +
        'Likely cause: another source created the device as a cmdb_ci_netgear CI, and IRE keeps the class of the CI it finds. ' +
        'Fix: change the class of CI x1 to Computer (CI Class Manager, or "Change Class" on the CI form), then send the device again.',
    )
    expect(identifiedCiProblem('S1', 'x1', { serialNumber: 'S1', className: '', isComputer: false })).toBe(
      `IRE identified serial S1 as CI x1, a CI of unknown class, not a computer (${PLATFORM_TABLES.computer}) nor a device class (cmdb_ci_computer, cmdb_ci_handheld_computing, cmdb_ci_media_player); the MDM row was not written, so it links only to a device. ` +
        'Likely cause: another source created the device as a non-computer CI, and IRE keeps the class of the CI it finds. ' +
        'Fix: change the class of CI x1 to Computer (CI Class Manager, or "Change Class" on the CI form), then send the device again.',
    )
  })
})

describe('application transform, exactly', () => {
  const COMPUTER = 'd'.repeat(32)
  const INSTALL = 'e'.repeat(32)
  const answer = (ciSysId = COMPUTER) => () =>
    JSON.stringify({ items: [{ sysId: ciSysId, operation: 'NO_CHANGE', relatedItems: [{ sysId: INSTALL, operation: 'INSERT' }] }] })

  it('says which table is missing and what to do when SAM is not active', () => {
    expect(SAM_NOT_ACTIVE).toBe(
      `Skipped: Software Asset Management is not active (no ${PLATFORM_TABLES.softwareInstall} table), so application inventory is not stored. ` +
        'Activate SAM (Foundation or Professional) or turn off app inventory in Iru Endpoint.',
    )
  })

  it('sends a computer without a class as cmdb_ci_computer, and no empty version or publisher', () => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.computer, { sys_id: COMPUTER, serial_number: 'S1' })
    const p = fakePlatform(db, { ire: answer() })
    const outcome = processAppRow(p, sourceRow({ serial_number: 'S1', app_name: 'Slack', version: ' ', publisher: '' }), targetRow(), fakeLog())
    expect(p.ireCalls).toEqual([{
      source: DISCOVERY_SOURCE.value,
      payload: { items: [{ className: PLATFORM_TABLES.computer, values: { serial_number: 'S1', sys_class_name: PLATFORM_TABLES.computer }, related: [{ className: PLATFORM_TABLES.softwareInstall, values: { display_name: 'Slack' } }] }] },
    }])
    expect(outcome).toEqual({ state: 'continue', message: 'Software installation Slack  on S1: insert through IRE.' })
  })

  it("sends the computer's own class (a subclass of cmdb_ci_computer), so IRE keeps it", () => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.computer, { sys_id: COMPUTER, serial_number: 'S1', sys_class_name: 'u_cmdb_ci_mac' })
    const p = fakePlatform(db, { ire: answer() })
    processAppRow(p, sourceRow({ serial_number: 'S1', app_name: 'Slack' }), targetRow(), fakeLog())
    expect((p.ireCalls[0]?.payload as { items: Array<{ className: string; values: object }> }).items[0]).toMatchObject({ className: 'u_cmdb_ci_mac', values: { serial_number: 'S1', sys_class_name: 'u_cmdb_ci_mac' } })
  })

  it('names both missing columns, and says what to do when IRE answers with another CI', () => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.computer, { sys_id: COMPUTER, serial_number: 'S1', sys_class_name: PLATFORM_TABLES.computer })
    const run = (row: Record<string, string>, ire = answer()) => processAppRow(fakePlatform(db, { ire }), sourceRow(row), targetRow(), fakeLog())
    expect(run({})).toEqual({
      state: 'reject',
      message: `${IMPORT_REJECTED_PREFIX}Row has no serial_number and app_name; a software installation needs the device's serial number and the application name.`,
    })
    expect(run({ serial_number: 'S1', app_name: 'Slack' }, answer('f'.repeat(32)))).toEqual({
      state: 'reject',
      message: `${IMPORT_REJECTED_PREFIX}IRE identified serial S1 as CI ${'f'.repeat(32)}, not the computer ${COMPUTER} that has it; the software row was not written. ` +
        'Likely cause: duplicate CIs for this device. Fix: resolve the duplicates (CMDB de-duplication tasks), then send the applications again.',
    })
  })
})
