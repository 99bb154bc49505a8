// Issue 16, stale device retirement: 100 devices, 10 not pushed for 31 days -> exactly those 10 retired, none
// deleted; pushed again -> active again; a dry run lists the 10 and changes nothing; is_removed retires at once; a
// device another source still reports is left alone. Time is the emulator's injectable clock (db.now); the job's
// one-line script is run through the emulator's scheduler (jobs.run) and, where a test reads what it returns, in the
// app's scope with runScript.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP, APP_SETTINGS, CI_LIFECYCLE, EXIT_CODES, MDM_FIELDS, PLATFORM_TABLES, RETIREMENT_JOB, TABLES } from '@kandji-sn/contract'
import { runScript } from '@kandji-sn/instance-emulator'
import { generateDevices, pushInventory, type KandjiDevice } from '@kandji-sn/iru-simulator'
import { explain, setProperty, startInstance, type Instance } from './support/instance.ts'

const DAY = 86_400_000
const T0 = new Date('2026-06-01T12:00:00Z')
const at = (days: number) => new Date(T0.getTime() + days * DAY)

interface Result { enabled: boolean; dryRun: boolean; days: number; cutoff: string; retired: Array<{ serialNumber: string }>; leftAlone: Array<{ serialNumber: string; reason: string }>; error?: string }


/** The installed job's script, run in the app's scope: what the scheduler runs. */
function runJob(inst: Instance): Result {
  const db = inst.emulator.db
  const job = db.query('sysauto_script', `name=${RETIREMENT_JOB.name}`)
  expect(job).toHaveLength(1)
  const run = runScript(inst.emulator, String(job[0]!.script), APP.scope)
  expect(run.error).toBeUndefined()
  return JSON.parse(JSON.stringify(run.value)) as Result
}

function ciOf(inst: Instance, serial: string): Record<string, unknown> | undefined {
  const db = inst.emulator.db
  const mdm = db.query(TABLES.mdm, `serial_number=${serial}`)
  expect(mdm).toHaveLength(1)
  return db.get(PLATFORM_TABLES.hardware, String(mdm[0]!.ci))
}

const lifecycle = (inst: Instance, serial: string) => {
  const ci = ciOf(inst, serial)
  return [ci?.install_status, ci?.operational_status]
}
const RETIRED = [CI_LIFECYCLE.retiredInstallStatus, CI_LIFECYCLE.retiredOperationalStatus]
const ACTIVE = [CI_LIFECYCLE.activeInstallStatus, CI_LIFECYCLE.activeOperationalStatus]

describe('stale device retirement', () => {
  let inst: Instance
  let devices: KandjiDevice[]
  let stale: KandjiDevice[]
  let fresh: KandjiDevice[]
  const push = (list: readonly KandjiDevice[]) => pushInventory({ handoff: inst.handoff(), devices: list, mode: 'bulk' })

  beforeAll(async () => {
    inst = await startInstance({})
    const run = await inst.deploy()
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    devices = generateDevices({ count: 100, seed: 'e2e-retire', referenceTime: T0 }).map((d) => ({ ...d, is_removed: false }))
    stale = devices.slice(0, 10)
    fresh = devices.slice(10)
    inst.emulator.db.now = () => T0
    expect((await push(devices)).totals).toMatchObject({ sent: 100, inserted: 100, rejected: 0 })
    inst.emulator.db.now = () => at(31)
    expect((await push(fresh)).totals).toMatchObject({ sent: 90, rejected: 0 })
  }, 180_000)
  afterAll(async () => {
    await inst?.close()
  })

  it('is off by default: the job retires nothing', () => {
    expect(runJob(inst)).toEqual({ enabled: false, dryRun: false, days: 0, cutoff: '', retired: [], leftAlone: [] })
    for (const d of devices) expect(lifecycle(inst, d.serial_number)).toEqual(ACTIVE)
  })

  it('in a dry run lists exactly the 10 devices not pushed for 31 days and changes nothing', () => {
    setProperty(inst, APP_SETTINGS.retireAfterDays, '30')
    setProperty(inst, APP_SETTINGS.retireDryRun, 'true')
    const before = JSON.stringify(inst.emulator.db.query(PLATFORM_TABLES.hardware)) + JSON.stringify(inst.emulator.db.query(TABLES.mdm))
    const result = runJob(inst)
    expect(result).toMatchObject({ enabled: true, dryRun: true, days: 30, cutoff: '2026-06-02 12:00:00', leftAlone: [] })
    expect(result.retired.map((r) => r.serialNumber).sort()).toEqual(stale.map((d) => d.serial_number).sort())
    expect(JSON.stringify(inst.emulator.db.query(PLATFORM_TABLES.hardware)) + JSON.stringify(inst.emulator.db.query(TABLES.mdm))).toBe(before)
  })

  it('retires exactly those 10 when the scheduler runs the installed job (install and operational status Retired, the reason on the MDM row), deleting nothing', () => {
    setProperty(inst, APP_SETTINGS.retireDryRun, 'false')
    const run = inst.emulator.jobs.run(RETIREMENT_JOB.name)
    expect([run.ok, run.error, run.scope]).toEqual([true, undefined, APP.scope])
    const db = inst.emulator.db
    expect(db.count(PLATFORM_TABLES.hardware)).toBe(100)
    expect(db.count(TABLES.mdm)).toBe(100)
    for (const d of stale) {
      expect(lifecycle(inst, d.serial_number)).toEqual(RETIRED)
      const reason = String(db.query(TABLES.mdm, `serial_number=${d.serial_number}`)[0]?.[MDM_FIELDS.retiredReason])
      expect(reason).toBe(`${RETIREMENT_JOB.staleReason}not pushed by Iru Endpoint since 2026-06-01 12:00:00 UTC (more than 30 days); retired 2026-07-02 12:00:00 UTC`)
    }
    for (const d of fresh) expect(lifecycle(inst, d.serial_number)).toEqual(ACTIVE)
    // a second run finds nothing more to do
    expect(runJob(inst)).toMatchObject({ retired: [], leftAlone: [] })
  })

  it('makes a retired device active again when Iru Endpoint pushes it again, and clears the reason', async () => {
    const back = stale[0]!
    expect((await push([back])).totals).toMatchObject({ sent: 1, rejected: 0 })
    expect(lifecycle(inst, back.serial_number)).toEqual(ACTIVE)
    expect(inst.emulator.db.query(TABLES.mdm, `serial_number=${back.serial_number}`)[0]?.[MDM_FIELDS.retiredReason]).toBe('')
    for (const d of stale.slice(1)) expect(lifecycle(inst, d.serial_number)).toEqual(RETIRED)
    expect(inst.emulator.db.count(PLATFORM_TABLES.hardware)).toBe(100)
  })

  it('retires a device at once when Iru Endpoint sends it with is_removed true', async () => {
    const removed = { ...fresh[0]!, is_removed: true }
    expect((await push([removed])).totals).toMatchObject({ sent: 1, rejected: 0 })
    expect(lifecycle(inst, removed.serial_number)).toEqual(RETIRED)
    expect(String(inst.emulator.db.query(TABLES.mdm, `serial_number=${removed.serial_number}`)[0]?.[MDM_FIELDS.retiredReason])).toMatch(new RegExp(`^${RETIREMENT_JOB.removedReason}`))
  })

  it('leaves alone a stale device that another source still reports', () => {
    const db = inst.emulator.db
    const other = fresh[1]!
    db.now = () => at(62)
    // another source discovered it after Iru Endpoint's last push (day 31)
    db.update(PLATFORM_TABLES.hardware, String(ciOf(inst, other.serial_number)?.sys_id), { last_discovered: '2026-07-20 00:00:00', discovery_source: 'SCCM' })
    const result = runJob(inst)
    expect(result.leftAlone).toEqual([{ serialNumber: other.serial_number, ci: ciOf(inst, other.serial_number)?.sys_id, lastPushed: '2026-07-02 12:00:00', reason: 'another source reported it on 2026-07-20 00:00:00 UTC (last_discovered), after Iru Endpoint\'s last push' }])
    expect(lifecycle(inst, other.serial_number)).toEqual(ACTIVE)
    // not pushed since day 31, so stale at day 62: the 88 other fresh devices (the removed one is retired already)
    // and the device pushed back on day 31
    expect(result.retired.map((r) => r.serialNumber).sort()).toEqual([...fresh.slice(2), stale[0]!].map((d) => d.serial_number).sort())
  })

  it('refuses a malformed setting with a message and changes nothing', () => {
    setProperty(inst, APP_SETTINGS.retireAfterDays, 'thirty')
    const before = JSON.stringify(inst.emulator.db.query(PLATFORM_TABLES.hardware))
    expect(runJob(inst)).toEqual({ enabled: false, dryRun: true, days: 0, cutoff: '', retired: [], leftAlone: [], error: `${APP_SETTINGS.retireAfterDays} is "thirty", not a whole number of days; nothing was retired. Fix: set it to 0 (off) or a number of days such as 30.` })
    setProperty(inst, APP_SETTINGS.retireAfterDays, '30')
    setProperty(inst, APP_SETTINGS.retireDryRun, 'maybe')
    expect(runJob(inst).error).toBe(`${APP_SETTINGS.retireDryRun} is "maybe", not true or false; nothing was retired. Fix: set it to true (list only) or false.`)
    expect(JSON.stringify(inst.emulator.db.query(PLATFORM_TABLES.hardware))).toBe(before)
  })
})
