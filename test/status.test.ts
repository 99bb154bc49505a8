// `deploy-integration status` on a running instance: deploy, Iru Endpoint pushes devices (simulator), and the status
// endpoint's figures as the CLI shows them (--json and the human table), exact; then the emulator's clock moves on and
// the windows and the last push age follow it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE, EXIT_CODES, IMPORT_REJECTED_PREFIX, IMPORT_ROW_STATES, PLATFORM_TABLES, TABLES, integrationStatusSchema, type IntegrationStatus } from '@kandji-sn/contract'
import { generateDevices, malformedRows, pushInventory, type KandjiDevice } from '@kandji-sn/iru-simulator'
import { explain, startInstance, type Instance } from './support/instance.ts'

const SEED = 'e2e-status'
const DEVICE_COUNT = 24
const ZERO = Object.fromEntries(IMPORT_ROW_STATES.map((s) => [s, 0])) as Record<(typeof IMPORT_ROW_STATES)[number], number>
const HOUR_MS = 3_600_000

async function status(inst: Instance): Promise<IntegrationStatus> {
  const run = await inst.cli(['status', '--json'])
  expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
  expect(run.json).toMatchObject({ command: 'status', instance: inst.admin.instance })
  return integrationStatusSchema.parse((run.json as { status: unknown }).status)
}

describe('deploy-integration status on a running instance', () => {
  let inst: Instance
  let devices: KandjiDevice[]
  let before: IntegrationStatus
  let withoutSerial: number
  let withSerial: number
  let flagged: (field: 'is_missing' | 'is_removed') => number

  let start: Date

  beforeAll(async () => {
    inst = await startInstance({ release: 'zurich' })
    const deploy = await inst.deploy(['--json'])
    expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
    before = await status(inst)
    // The instance clock stands still from here on (the emulator's injectable clock), so ages and windows are exact.
    start = inst.emulator.db.now()
    inst.emulator.db.now = () => start
    devices = generateDevices({ count: DEVICE_COUNT, seed: SEED })
    const malformed = malformedRows(4, SEED)
    withoutSerial = malformed.filter((m) => !m.row.serial_number).length
    withSerial = malformed.length - withoutSerial
    // The devices with the flag among those that landed (the malformed rows with a serial number land too).
    flagged = (field) => devices.filter((d) => d[field]).length + malformed.filter((m) => m.row.serial_number && m.row[field] === 'true').length
    const report = await pushInventory({ handoff: inst.handoff(), devices, malformed, mode: 'bulk', batchSize: 10 })
    expect(report).toMatchObject({ results: 'complete', totals: { failed: 0, pending: 0 } })
  })
  afterAll(async () => {
    await inst?.close()
  })

  it('before any push: no staging row, no CI, no error, no last push', () => {
    expect(before.imports.map((i) => i.windows)).toEqual([
      { hour: ZERO, day: ZERO, week: ZERO },
      { hour: ZERO, day: ZERO, week: ZERO },
    ])
    expect(before.last_push).toEqual({ at: null, age_seconds: null, table: null })
    expect(before.cis).toEqual({ total: 0, by_class: {}, other_source: 0 })
    expect(before.errors).toEqual({ rows: 0, sampled: 0, distinct: 0, messages: [] })
  })

  it('--json: the rows by state, the rejected rows\' message, the CIs by class, exactly', async () => {
    const s = await status(inst)
    const computers = DEVICE_COUNT + withSerial
    const deviceRows = { ...ZERO, inserted: computers, rejected: withoutSerial }
    expect(s.imports).toEqual([
      { table: TABLES.deviceImport, windows: { hour: deviceRows, day: deviceRows, week: deviceRows } },
      { table: TABLES.appImport, windows: { hour: ZERO, day: ZERO, week: ZERO } },
    ])
    expect(s.last_push.table).toBe(TABLES.deviceImport)
    expect(s.last_push.age_seconds).toBe(0)
    expect(s.last_push.at).toBe(s.generated_at)
    // One cause, however many devices: the device id each comment names is left out.
    expect(s.errors).toEqual({
      rows: withoutSerial,
      sampled: withoutSerial,
      distinct: 1,
      messages: [{ table: TABLES.deviceImport, state: 'rejected', message: `${IMPORT_REJECTED_PREFIX}Row has no serial_number; the CMDB identifies computers by serial number, so nothing was written. Send the device again with its serial number.`, count: withoutSerial, last_seen: s.generated_at }],
    })
    // Every Kandji platform lands in cmdb_ci_computer by default (the vendor's behaviour).
    const kandjiComputers = await inst.client.table.list(PLATFORM_TABLES.computer, { query: `${DISCOVERY_SOURCE.element}=${DISCOVERY_SOURCE.value}`, fields: ['sys_id'] })
    expect(kandjiComputers).toHaveLength(computers)
    expect(s.cis).toEqual({ total: computers, by_class: { [PLATFORM_TABLES.computer]: computers }, other_source: 0 })
    expect(s.devices.missing).toEqual({ available: true, count: flagged('is_missing') })
    expect(s.devices.removed).toEqual({ available: true, count: flagged('is_removed') })
    expect(flagged('is_missing') + flagged('is_removed')).toBeGreaterThan(0)
  })

  it('the human output shows the same figures', async () => {
    const run = await inst.cli(['status'])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    const lines = run.stdout.split('\n')
    const computers = DEVICE_COUNT + withSerial
    const at = (await status(inst)).generated_at
    expect(lines).toContain(`  last push: ${at} UTC (0s ago, devices)`)
    const header = lines.find((l) => l.includes('WINDOW'))!
    expect(header.trim().split(/\s+/)).toEqual(['TABLE', 'WINDOW', ...IMPORT_ROW_STATES.map((s) => s.toUpperCase())])
    const deviceHour = lines.find((l) => /^\s+devices\s+last hour\s/.test(l))!
    expect(deviceHour.trim().split(/\s+/).slice(3)).toEqual(IMPORT_ROW_STATES.map((s) => String({ ...ZERO, inserted: computers, rejected: withoutSerial }[s])))
    expect(lines).toContain(`errors in the last week: ${withoutSerial} rows, 1 distinct message`)
    expect(lines).toContain(`CIs: ${computers} linked to Kandji devices`)
    expect(lines.find((l) => l.trim().startsWith(PLATFORM_TABLES.computer))?.trim().split(/\s+/)).toEqual([PLATFORM_TABLES.computer, String(computers)])
  })

  it('the windows and the last push age follow the instance clock: 2 hours on, the hour is empty; 2 days on, the day too', async () => {
    inst.emulator.db.now = () => new Date(start.getTime() + 2 * HOUR_MS)
    let s = await status(inst)
    const rows = { ...ZERO, inserted: DEVICE_COUNT + withSerial, rejected: withoutSerial }
    expect(s.imports[0]!.windows).toEqual({ hour: ZERO, day: rows, week: rows })
    expect(s.last_push.age_seconds).toBe(7_200)
    inst.emulator.db.now = () => new Date(start.getTime() + 48 * HOUR_MS)
    s = await status(inst)
    expect(s.imports[0]!.windows).toEqual({ hour: ZERO, day: ZERO, week: rows })
    inst.emulator.db.now = () => new Date(start.getTime() + 8 * 24 * HOUR_MS)
    s = await status(inst)
    expect(s.imports[0]!.windows).toEqual({ hour: ZERO, day: ZERO, week: ZERO })
    expect(s.errors).toEqual({ rows: 0, sampled: 0, distinct: 0, messages: [] })
    expect(s.last_push.age_seconds).toBe(8 * 86_400)
  })
})
