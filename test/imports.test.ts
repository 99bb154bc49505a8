// Issue 12: imports behave as documented, across the emulator's variants (a matrix, not copies).
//  - One malformed row never stops, delays or changes another row of its import set, whether error = true in
//    onBefore halts the set (r_MapWithTransformationEventScripts.md) or not, and whether insertMultiple transforms
//    after answering (c_ImportSetAPI.md, the default) or before.
//  - Application rows end "SAM not active" without SAM and land once through IRE with it.
//  - A device whose CI another source created is still a Kandji device; a CI of another class is never linked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE, EXIT_CODES, IMPORT_REJECTED_PREFIX, PLATFORM_TABLES, TABLES, type VerificationReport } from '@kandji-sn/contract'
import type { EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { generateApps, generateDevices, malformedRows, pushApps, pushInventory, type KandjiDevice } from '@kandji-sn/iru-simulator'
import { cmdbSnapshot } from '@kandji-sn/demo'
import { explain, startInstance, type Instance } from './support/instance.ts'

const SAM_NOT_ACTIVE = /^Skipped: Software Asset Management is not active/

async function deployed(switches: Partial<EmulatorSwitches>): Promise<Instance> {
  const inst = await startInstance({ switches, importTransformDelayMs: 20 })
  const run = await inst.deploy()
  expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
  return inst
}

function checkData(report: VerificationReport | undefined, id: string): Record<string, unknown> | undefined {
  return report?.checks.find((c) => c.id === id)?.data as Record<string, unknown> | undefined
}

const BATCH_VARIANTS: Array<Pick<EmulatorSwitches, 'onBeforeError' | 'insertMultipleTransform' | 'transformScriptScope'>> = [
  { onBeforeError: 'halt-import-set', insertMultipleTransform: 'asynchronous', transformScriptScope: 'import-run' },
  { onBeforeError: 'halt-import-set', insertMultipleTransform: 'synchronous', transformScriptScope: 'import-run' },
  { onBeforeError: 'row', insertMultipleTransform: 'asynchronous', transformScriptScope: 'import-run' },
  { onBeforeError: 'row', insertMultipleTransform: 'synchronous', transformScriptScope: 'import-run' },
  { onBeforeError: 'halt-import-set', insertMultipleTransform: 'asynchronous', transformScriptScope: 'row' },
]

describe.each(BATCH_VARIANTS)('one insertMultiple batch of 200 rows, 10 of them malformed (onBefore error: $onBeforeError, transform: $insertMultipleTransform, script scope: $transformScriptScope)', (switches) => {
  let inst: Instance
  let devices: KandjiDevice[]
  let badIds: string[]
  let report: Awaited<ReturnType<typeof pushInventory>>

  beforeAll(async () => {
    inst = await deployed(switches)
    devices = generateDevices({ count: 190, seed: 'e2e-imports' })
    // Rows without a serial number: the transform can identify nothing, so it rejects them. Spread through the
    // batch, the first row among them: a row that halted its set would stop the good rows after it.
    const malformed = malformedRows(20, 'e2e-imports').filter((m) => !m.row.serial_number)
    expect(malformed).toHaveLength(10)
    badIds = malformed.map((m) => m.row.device_id ?? '')
    report = await pushInventory({ handoff: inst.handoff(), devices, malformed, malformedAt: 'spread', mode: 'bulk', batchSize: 200 })
  }, 120_000)
  afterAll(async () => {
    await inst?.close()
  })

  it('lands all 190 good devices exactly once, in one import set, and the push is done when its run is', async () => {
    expect(report.importSets).toHaveLength(1)
    expect(report).toMatchObject({ results: 'complete', totals: { sent: 200, inserted: 190, rejected: 10, updated: 0, ignored: 0, skipped: 0, failed: 0, pending: 0 } })
    const emu = inst.emulator
    const serials = emu.db.query(PLATFORM_TABLES.computer).map((r) => r.serial_number).sort()
    expect(serials).toEqual(devices.map((d) => d.serial_number).sort())
    expect(emu.db.count(TABLES.mdm)).toBe(190)
    expect(emu.db.query('sys_import_set_run', `set=${report.importSets[0]}`).map((r) => [r.state, r.total, r.inserts, r.ignored, r.errors])).toEqual([['complete', '200', '190', '10', '0']])
  })

  it('ends each bad row ignored with the reason on its staging row, never in error', () => {
    const rows = inst.emulator.db.query(TABLES.deviceImport, `device_idIN${badIds.join(',')}`)
    expect(rows).toHaveLength(10)
    for (const row of rows) {
      expect(row.sys_import_state).toBe('ignored')
      expect(row.sys_import_state_comment).toMatch(new RegExp(`^${IMPORT_REJECTED_PREFIX}Row has no serial_number \\(device_id ${row.device_id}\\)`))
    }
    expect(inst.emulator.db.count(TABLES.deviceImport, 'sys_import_state=error')).toBe(0)
    expect(report.errors.reduce((n, e) => n + e.count, 0)).toBe(10)
    for (const e of report.errors) expect(e.message).toMatch(/^Rejected: Row has no serial_number \(device_id /)
  })

  it('verify counts the 10 rejected rows and the 190 devices, and finds insertMultiple usable', async () => {
    const run = await inst.verify()
    // every staging table, the device table with the 10 rejected rows and nothing in error, the app table untouched
    expect(checkData(run.report, 'import_errors')?.tables).toEqual([
      { table: TABLES.deviceImport, errors: 0, rejected: 10, latest_message: expect.stringMatching(/^Rejected: Row has no serial_number/) },
      { table: TABLES.appImport, errors: 0, rejected: 0, latest_message: '' },
    ])
    expect(checkData(run.report, 'kandji_cis')).toEqual({ count: 190, kandji_source: 190, other_source: 0, via: 'mdm' })
    expect(run.report?.checks.find((c) => c.id === 'insert_multiple')?.status).toBe('pass')
  })
})

describe.each(['halt-import-set', 'row'] as const)("another onBefore script that sets error = true (a customer's, on the same map; onBefore error: %s)", (onBeforeError) => {
  it('the push tells the truth: halted rows stay pending with a note to send them again, or only that row fails', async () => {
    const inst = await deployed({ onBeforeError })
    try {
      const db = inst.emulator.db
      const map = db.query(PLATFORM_TABLES.transformMap, `source_table=${TABLES.deviceImport}`)[0]!
      db.insert('sys_transform_script', { map: map.sys_id, when: 'onBefore', order: '50', active: 'true', sys_scope: map.sys_scope, script: "if (source.getValue('device_name') == 'HALT ME') { error = true; error_message = 'customer rule'; }" })
      const devices = generateDevices({ count: 6, seed: 'e2e-halt' }).map((d, i) => (i === 2 ? { ...d, device_name: 'HALT ME' } : d))
      const report = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk' })
      if (onBeforeError === 'halt-import-set') {
        expect(report.totals).toMatchObject({ sent: 6, inserted: 2, rejected: 1, pending: 3 })
        expect(report.results).toBe('pending')
        expect(report.resultsNote).toMatch(/3 row\(s\) were not transformed although their import set's run ended \(a transform halted the set\); send them again/)
      } else {
        expect(report.totals).toMatchObject({ sent: 6, inserted: 5, rejected: 1, pending: 0 })
        expect(report.results).toBe('complete')
      }
      expect(report.errors).toEqual([expect.objectContaining({ count: 1, message: 'customer rule' })])
    } finally {
      await inst.close()
    }
  }, 120_000)
})

describe('rows keyed the way the instance does not map them', () => {
  it('land empty, and the push says so row by row instead of claiming success', async () => {
    const inst = await deployed({})
    try {
      const devices = generateDevices({ count: 5, seed: 'e2e-keys' })
      const report = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk', keys: 'label' })
      expect(report.totals).toMatchObject({ sent: 5, rejected: 5, inserted: 0 })
      expect(inst.emulator.db.count(PLATFORM_TABLES.computer)).toBe(0)
    } finally {
      await inst.close()
    }
  }, 120_000)
})

describe.each(['inactive', 'active'] as const)('application inventory with SAM %s', (samPro) => {
  let inst: Instance
  beforeAll(async () => {
    inst = await deployed({ samPro })
  }, 120_000)
  afterAll(async () => {
    await inst?.close()
  })

  it(samPro === 'active' ? 'lands each installation once through IRE, linked to its computer; pushing again adds nothing' : 'ends every row "SAM not active", none in error, and writes nothing', async () => {
    const devices = generateDevices({ count: 12, seed: 'e2e-sam', platforms: ['Mac'] })
    await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk' })
    const apps = generateApps(devices, 'e2e-sam')
    const report = await pushApps({ handoff: inst.handoff(), apps, mode: 'bulk' })
    const emu = inst.emulator
    expect(report.totals.sent).toBe(apps.length)
    expect(report.totals).toMatchObject({ rejected: 0, failed: 0, pending: 0 })
    expect(emu.db.count(TABLES.appImport, 'sys_import_state=error')).toBe(0)
    if (samPro === 'inactive') {
      expect(report.totals.ignored).toBe(apps.length)
      for (const row of emu.db.query(TABLES.appImport)) expect(row.sys_import_state_comment).toMatch(SAM_NOT_ACTIVE)
      expect(emu.db.tableExists(PLATFORM_TABLES.softwareInstall)).toBe(false)
      expect(emu.db.count(TABLES.software)).toBe(0)
      return
    }
    expect(report.totals.inserted).toBe(apps.length)
    const installs = emu.db.query(PLATFORM_TABLES.softwareInstall)
    expect(installs).toHaveLength(apps.length)
    const serialOf = new Map(emu.db.query(PLATFORM_TABLES.computer).map((c) => [c.sys_id, c.serial_number]))
    expect(installs.map((i) => `${serialOf.get(i.installed_on)}|${i.display_name}|${i.version}`).sort()).toEqual(apps.map((a) => `${a.serial_number}|${a.app_name}|${a.version}`).sort())
    expect(emu.db.count(TABLES.software)).toBe(apps.length)
    const again = await pushApps({ handoff: inst.handoff(), apps, mode: 'bulk' })
    expect(again.totals).toMatchObject({ sent: apps.length, ignored: apps.length, inserted: 0, rejected: 0 })
    expect(emu.db.count(PLATFORM_TABLES.softwareInstall)).toBe(apps.length)
  }, 120_000)
})

// A CI of another class: IRE refuses to move it to a computer (the app asks no class change for a CI that is not
// one of its device classes), or keeps its class and the app refuses to link a non-computer.
const OTHER_CLASS_REFUSALS = {
  'refused-unless-flagged': `CI Reclassification not allowed from class: [${PLATFORM_TABLES.hardware}] to [${PLATFORM_TABLES.computer}].`,
  'update-without': `a ${PLATFORM_TABLES.hardware}, not a computer`,
} as const
const OTHER_SOURCE_VARIANTS: Array<Pick<EmulatorSwitches, 'ireDiscoverySource'> & { ireReclassification: keyof typeof OTHER_CLASS_REFUSALS }> = [
  { ireDiscoverySource: 'insert-only', ireReclassification: 'refused-unless-flagged' },
  { ireDiscoverySource: 'every-update', ireReclassification: 'refused-unless-flagged' },
  { ireDiscoverySource: 'insert-only', ireReclassification: 'update-without' },
]

describe.each(OTHER_SOURCE_VARIANTS)('devices another source found first (IRE discovery source: $ireDiscoverySource, reclassification: $ireReclassification)', ({ ireDiscoverySource, ireReclassification }) => {
  it('are Kandji devices for verify and the CMDB figures; a CI of another class is never linked; duplicates resolve to the oldest', async () => {
    const inst = await deployed({ ireDiscoverySource, ireReclassification })
    try {
      const devices = generateDevices({ count: 8, seed: `e2e-other-${ireDiscoverySource}` })
      const [bySccm, asHardware, duplicated] = devices as [KandjiDevice, KandjiDevice, KandjiDevice]
      const db = inst.emulator.db
      const sccm = db.insert(PLATFORM_TABLES.computer, { name: 'SCCM name', serial_number: bySccm.serial_number, discovery_source: 'SCCM' })
      db.insert(PLATFORM_TABLES.hardware, { name: 'a box', serial_number: asHardware.serial_number, discovery_source: 'SCCM' })
      db.now = () => new Date('2026-01-01T00:00:00Z')
      const oldest = db.insert(PLATFORM_TABLES.computer, { name: 'dup one', serial_number: duplicated.serial_number, discovery_source: 'SCCM' })
      db.now = () => new Date('2026-02-01T00:00:00Z')
      db.insert(PLATFORM_TABLES.computer, { name: 'dup two', serial_number: duplicated.serial_number, discovery_source: 'SCCM' })
      db.now = () => new Date()

      const report = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk' })
      expect(report.totals).toMatchObject({ sent: 8, rejected: 1, pending: 0 })
      expect(report.errors).toEqual([expect.objectContaining({ count: 1, message: expect.stringContaining(OTHER_CLASS_REFUSALS[ireReclassification]) })])
      expect(db.count('reclassification_task')).toBe(ireReclassification === 'refused-unless-flagged' ? 1 : 0)
      const ciOf = (serial: string) => db.query(TABLES.mdm, `serial_number=${serial}`)[0]?.ci
      expect(ciOf(bySccm.serial_number)).toBe(sccm.sys_id)
      expect(ciOf(asHardware.serial_number)).toBeUndefined()
      expect(ciOf(duplicated.serial_number)).toBe(oldest.sys_id)
      expect(db.count('reconcile_duplicate_task')).toBe(1)

      const kept = ireDiscoverySource === 'insert-only'
      expect(db.get(PLATFORM_TABLES.computer, sccm.sys_id as string)?.[DISCOVERY_SOURCE.element]).toBe(kept ? 'SCCM' : DISCOVERY_SOURCE.value)
      const verified = await inst.verify()
      expect(checkData(verified.report, 'kandji_cis')).toEqual({ count: 7, kandji_source: kept ? 5 : 7, other_source: kept ? 2 : 0, via: 'mdm' })
      expect(await cmdbSnapshot(inst.client)).toMatchObject({ computers: 7, otherSource: kept ? 2 : 0, devices: 7 })
    } finally {
      await inst.close()
    }
  }, 120_000)
})
