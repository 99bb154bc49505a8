// Issue 16, device classes: with the handheld mapping iPhones and iPads land in cmdb_ci_handheld_computing once each,
// Macs in cmdb_ci_computer, Apple TVs in cmdb_ci_media_player; switching the mapping back and forth reclassifies the
// same CIs through IRE and creates no duplicate, whether IRE reclassifies only when the payload allows it (the
// default switch) or automatically (the base system). Where IRE keeps the class (update_without_*), nothing is
// duplicated and the row says so. A malformed mapping rejects every row with the reason and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_SETTINGS, DEVICE_CLASSES, EXIT_CODES, HANDHELD_DEVICE_CLASSES, IMPORT_REJECTED_PREFIX, PLATFORM_TABLES, TABLES } from '@kandji-sn/contract'
import type { EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { generateDevices, pushInventory, type KandjiDevice } from '@kandji-sn/iru-simulator'
import { explain, setProperty, startInstance, type Instance } from './support/instance.ts'

const HANDHELD = JSON.stringify(HANDHELD_DEVICE_CLASSES)


/** serial -> [class, sys_id] of every hardware CI, and how many CIs each serial has. */
function cmdb(inst: Instance): { bySerial: Map<string, Array<[string, string]>>; total: number } {
  const bySerial = new Map<string, Array<[string, string]>>()
  const rows = inst.emulator.db.query(PLATFORM_TABLES.hardware)
  for (const r of rows) bySerial.set(String(r.serial_number), [...(bySerial.get(String(r.serial_number)) ?? []), [String(r.sys_class_name), String(r.sys_id)]])
  return { bySerial, total: rows.length }
}

function expectClasses(inst: Instance, devices: readonly KandjiDevice[], classOf: (d: KandjiDevice) => string, ids?: Map<string, string>): Map<string, string> {
  const { bySerial, total } = cmdb(inst)
  expect(total).toBe(devices.length)
  const seen = new Map<string, string>()
  for (const d of devices) {
    const cis = bySerial.get(d.serial_number) ?? []
    expect(cis.map(([cls]) => cls), d.serial_number).toEqual([classOf(d)])
    seen.set(d.serial_number, cis[0]![1])
  }
  if (ids) expect(seen).toEqual(ids)
  // the MDM row of each device points at its one CI
  expect(inst.emulator.db.query(TABLES.mdm).map((r) => [r.serial_number, r.ci]).sort()).toEqual([...seen.entries()].sort())
  return seen
}

const handheldClass = (d: KandjiDevice) => HANDHELD_DEVICE_CLASSES[d.platform]

describe.each(['refused-unless-flagged', 'automatic'] as const)('device classes (IRE reclassification: %s)', (ireReclassification) => {
  let inst: Instance
  let devices: KandjiDevice[]
  const push = async () => {
    const report = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk' })
    expect(report.totals, JSON.stringify(report.errors)).toMatchObject({ sent: devices.length, rejected: 0, failed: 0, pending: 0 })
  }

  beforeAll(async () => {
    inst = await startInstance({ switches: { ireReclassification } satisfies Partial<EmulatorSwitches> })
    const run = await inst.deploy()
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    devices = generateDevices({ count: 40, seed: 'e2e-classes' }).map((d) => ({ ...d, is_removed: false }))
    expect(new Set(devices.map((d) => d.platform))).toEqual(new Set(['Mac', 'iPhone', 'iPad', 'AppleTV']))
  }, 120_000)
  afterAll(async () => {
    await inst?.close()
  })

  it('files every device as a computer by default, the vendor behaviour', async () => {
    await push()
    expectClasses(inst, devices, () => DEVICE_CLASSES.computer)
  })

  it('moves iPhones and iPads to handhelds and Apple TVs to media players with the handheld mapping, same CIs, once each', async () => {
    const before = expectClasses(inst, devices, () => DEVICE_CLASSES.computer)
    setProperty(inst, APP_SETTINGS.deviceClasses, HANDHELD)
    await push()
    expectClasses(inst, devices, handheldClass, before)
    await push()
    expectClasses(inst, devices, handheldClass, before)
  })

  it('moves them back when the mapping is emptied, and forth again, without a duplicate', async () => {
    const ids = expectClasses(inst, devices, handheldClass)
    setProperty(inst, APP_SETTINGS.deviceClasses, '')
    await push()
    expectClasses(inst, devices, () => DEVICE_CLASSES.computer, ids)
    setProperty(inst, APP_SETTINGS.deviceClasses, HANDHELD)
    await push()
    expectClasses(inst, devices, handheldClass, ids)
    expect(inst.emulator.db.count('reclassification_task')).toBe(0)
  })
})

describe('device classes where IRE keeps the class (update_without_*)', () => {
  it('creates no duplicate and says on each moved row that the CI kept its class', async () => {
    const inst = await startInstance({ switches: { ireReclassification: 'update-without' } })
    try {
      expect((await inst.deploy()).code).toBe(EXIT_CODES.ok)
      const devices = generateDevices({ count: 12, seed: 'e2e-classes-kept', platforms: ['Mac', 'iPhone'] }).map((d) => ({ ...d, is_removed: false }))
      await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk' })
      setProperty(inst, APP_SETTINGS.deviceClasses, HANDHELD)
      const report = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk' })
      expect(report.totals).toMatchObject({ sent: 12, rejected: 0 })
      expectClasses(inst, devices, () => DEVICE_CLASSES.computer)
      const phones = devices.filter((d) => d.platform === 'iPhone').map((d) => d.serial_number)
      expect(phones.length).toBeGreaterThan(0)
      const rows = inst.emulator.db.query(TABLES.deviceImport, `sys_import_set=${report.importSets[0]}^serial_numberIN${phones.join(',')}`)
      expect(rows).toHaveLength(phones.length)
      for (const row of rows) expect(row.sys_import_state_comment).toMatch(/Notes: .*the CI stays a cmdb_ci_computer although iPhone maps to cmdb_ci_handheld_computing/)
    } finally {
      await inst.close()
    }
  }, 120_000)
})

describe('a malformed device class mapping', () => {
  let inst: Instance
  beforeAll(async () => {
    inst = await startInstance({})
    expect((await inst.deploy()).code).toBe(EXIT_CODES.ok)
  }, 120_000)
  afterAll(async () => {
    await inst?.close()
  })

  it.each([
    ['{"iPhone": ', 'is not valid JSON'],
    ['["cmdb_ci_computer"]', 'is not a JSON object'],
    ['{"Android":"cmdb_ci_handheld_computing"}', 'names the unknown platform "Android"'],
    ['{"iPhone":"cmdb_ci_server"}', 'maps iPhone to "cmdb_ci_server", which is not one of cmdb_ci_computer, cmdb_ci_handheld_computing, cmdb_ci_media_player'],
    ['{"iPhone":7}', 'maps iPhone to "7", which is not one of cmdb_ci_computer, cmdb_ci_handheld_computing, cmdb_ci_media_player'],
  ])('%s: every row is rejected with the reason, and nothing is written', async (value, what) => {
    setProperty(inst, APP_SETTINGS.deviceClasses, value)
    const devices = generateDevices({ count: 3, seed: `e2e-bad-${value}` })
    const before = inst.emulator.db.count(PLATFORM_TABLES.hardware)
    const report = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk' })
    expect(report.totals).toMatchObject({ sent: 3, rejected: 3, inserted: 0, updated: 0 })
    expect(inst.emulator.db.count(PLATFORM_TABLES.hardware)).toBe(before)
    const comments = inst.emulator.db.query(TABLES.deviceImport, `serial_numberIN${devices.map((d) => d.serial_number).join(',')}`).map((r) => r.sys_import_state_comment)
    expect(comments.sort()).toEqual(devices.map((d) =>
      `${IMPORT_REJECTED_PREFIX}The device class mapping ${APP_SETTINGS.deviceClasses} ${what}, so the device was not written (nothing changed). Fix: set ${APP_SETTINGS.deviceClasses} to a JSON object that maps platforms (Mac, iPhone, iPad, AppleTV) to cmdb_ci_computer, cmdb_ci_handheld_computing, cmdb_ci_media_player, or empty it for the default (all cmdb_ci_computer); then send the devices again. (serial ${d.serial_number})`).sort())
  })
})
