// The insertMultiple experiment on its own, with the probe app installed: the transform timing it reports for each
// value of insertMultipleTransform, the key evidence (label or name), answers no variant explains, and that its
// clean-up leaves no import set, run, multi import set, staging or target row behind (before the app is uninstalled).
import { describe, expect, it } from 'vitest'
import { PLATFORM_TABLES, REST_INSERT_MULTIPLE, switchObservationSchema } from '@kandji-sn/contract'
import { defaultRuntime, startEmulator, type Emulator, type EmulatorSwitches, type FaultRule, type ScriptRuntime } from '@kandji-sn/instance-emulator'
import { findLeftovers, removeObjects } from '../../src/commands/probe/cleanup.ts'
import { BY_LABEL, BY_NAME, INSERT_MULTIPLE_TABLES, insertMultipleTransform, POLL, removeInsertMultipleSets, type Poll } from '../../src/commands/probe/app/insert-multiple.ts'
import { PROBE_IMPORT, probeAppZip } from '../../src/commands/probe/app/package.ts'
import { probeContext } from './support.ts'

const STAGING = PROBE_IMPORT.stagingTable
const POST = `POST /api/now/import/${STAGING}/insertMultiple ({records: [1 record]}, its value keyed by the label "Probe key" and by the name u_probe_key)`
const READ = `GET /api/now/table/${STAGING} (sys_import_set={import_set_id})`
const TARGET_READ = `GET /api/now/table/${PROBE_IMPORT.targetTable}/{sys_target_sys_id}`

/** Rows the experiment may make, outside the app's history: all must be gone after its clean-up. */
function importRows(emu: Emulator): Record<string, number> {
  const count = (table: string, q: string) => (emu.db.tableExists(table) ? emu.db.query(table, q).length : 0)
  const sets = emu.db.query(PLATFORM_TABLES.importSet, `table_name=${STAGING}`).map((s) => String(s.sys_id))
  return {
    [PLATFORM_TABLES.importSet]: sets.length,
    [PLATFORM_TABLES.importSetRun]: sets.reduce((n, id) => n + count(PLATFORM_TABLES.importSetRun, `set=${id}`), 0),
    [PLATFORM_TABLES.multiImportSet]: count(PLATFORM_TABLES.multiImportSet, `table_name=${STAGING}`),
    [STAGING]: count(STAGING, ''),
    [PROBE_IMPORT.targetTable]: count(PROBE_IMPORT.targetTable, ''),
  }
}
const NONE = { [PLATFORM_TABLES.importSet]: 0, [PLATFORM_TABLES.importSetRun]: 0, [PLATFORM_TABLES.multiImportSet]: 0, [STAGING]: 0, [PROBE_IMPORT.targetTable]: 0 }

async function experiment(options: { switches?: Partial<EmulatorSwitches>; faults?: FaultRule[]; keyByName?: boolean; runtime?: ScriptRuntime; poll?: Poll; importTransformDelayMs?: number; before?: (emu: Emulator) => void } = {}) {
  const emu = await startEmulator({ updateMutexHoldMs: 0, switches: options.switches ?? {}, ...(options.runtime ? { runtime: options.runtime } : {}), ...(options.importTransformDelayMs !== undefined ? { importTransformDelayMs: options.importTransformDelayMs } : {}) })
  try {
    await emu.installApp(probeAppZip('v1'))
    if (options.keyByName) emu.db.insert(REST_INSERT_MULTIPLE.table, { [REST_INSERT_MULTIPLE.sourceTableField]: STAGING, [REST_INSERT_MULTIPLE.columnMappingField]: REST_INSERT_MULTIPLE.columnNameValue, [REST_INSERT_MULTIPLE.activeField]: 'true' })
    options.before?.(emu)
    for (const f of options.faults ?? []) emu.addFault(f)
    const t = probeContext(emu)
    const observation = await insertMultipleTransform(t.ctx, options.poll)
    emu.clearFaults()
    await emu.importsIdle()
    await removeInsertMultipleSets(t.ctx.admin)
    await t.removeCreated()
    // As the command does after each experiment: rows never recorded (their read was lost) are found by name.
    await removeObjects(t.ctx.admin, await findLeftovers(t.ctx.admin, INSERT_MULTIPLE_TABLES))
    expect(switchObservationSchema.parse(observation)).toEqual(observation)
    return { observation, created: t.created.map((c) => `${c.table} ${c.name}`), left: importRows(emu) }
  } finally {
    await emu.close()
  }
}

const staged = (state: string, key = BY_LABEL) => `200 {result: [sys_import_state: "${state}", u_probe_key: "${key}"]}`

describe('insertMultipleTransform', () => {
  it('asynchronous: pending right after the answer, transformed on a later read; keyed by label; nothing left', async () => {
    // Wide margins on both sides of the transform's start (the first read within 500 ms of the answer, the second
    // 1.5 s after it): with the defaults' 100 ms, a busy machine let the transform run before the first read.
    const { observation, created, left } = await experiment({ switches: { insertMultipleTransform: 'asynchronous' }, importTransformDelayMs: 500, poll: { ...POLL, firstMs: 1_500 } })
    expect(observation.outcome === 'observed' && observation.value).toBe('asynchronous')
    const evidence = observation.evidence
    expect(evidence[0]).toEqual({ request: POST, status: 201, answer: '201 {import_set_id, multi_import_set_id}; keyed by column label ("Probe key")' })
    expect(evidence[1]).toEqual({ request: `${READ}, right after the answer`, status: 200, answer: staged('pending') })
    // The first wait (1.5 s) outlasts the emulator's transform delay (500 ms): always the second read.
    expect(evidence[2]).toEqual({ request: `${READ}, read 2`, status: 200, answer: staged('inserted') })
    expect(evidence[3]).toEqual({ request: TARGET_READ, status: 200, answer: `200 {result.name: "${BY_LABEL}"}` })
    expect(evidence).toHaveLength(4)
    expect(created).toEqual([`${STAGING} ${BY_LABEL}`, `${PROBE_IMPORT.targetTable} ${BY_LABEL}`])
    expect(left).toEqual(NONE)
  })

  it('synchronous: transformed on the read right after the answer', async () => {
    const { observation, left } = await experiment({ switches: { insertMultipleTransform: 'synchronous' } })
    expect(observation).toEqual({
      outcome: 'observed',
      value: 'synchronous',
      evidence: [
        { request: POST, status: 201, answer: '201 {import_set_id, multi_import_set_id}; keyed by column label ("Probe key")' },
        { request: `${READ}, right after the answer`, status: 200, answer: staged('inserted') },
        { request: TARGET_READ, status: 200, answer: `200 {result.name: "${BY_LABEL}"}` },
      ],
    })
    expect(left).toEqual(NONE)
  })

  it('a sys_rest_insert_multiple record that maps by column name: the evidence says keyed by name', async () => {
    const { observation, left } = await experiment({ switches: { insertMultipleTransform: 'synchronous' }, keyByName: true })
    expect(observation.evidence[0]?.answer).toBe('201 {import_set_id, multi_import_set_id}; keyed by column name (u_probe_key)')
    expect(observation.evidence[1]?.answer).toBe(staged('inserted', BY_NAME))
    expect(left).toEqual(NONE)
  })

  it('insertMultiple refused (the plugin is absent): could not tell, with the refusal', async () => {
    const { observation, left } = await experiment({ switches: { insertMultiplePlugin: 'absent' } })
    expect(observation).toMatchObject({ outcome: 'could-not-tell', reason: expect.stringMatching(/^the insertMultiple request was not accepted: /) })
    expect(observation.evidence).toEqual([{ request: POST, status: 400, answer: expect.stringMatching(/^400 \{error: /) }])
    expect(left).toEqual(NONE)
  })

  const rowRead: FaultRule['when'] = ({ method, path }) => method === 'GET' && path === `/api/now/table/${STAGING}`

  it('a row that stays pending (no transform runs): could not tell after the bounded reads; nothing left', async () => {
    const { observation, left } = await experiment({ runtime: defaultRuntime, poll: { firstMs: 1, maxMs: 2, reads: 4 } })
    expect(observation).toEqual({
      outcome: 'could-not-tell',
      reason: 'the staging row was not transformed: its sys_import_state is still pending after 4 reads (about 0 s)',
      evidence: [
        { request: POST, status: 201, answer: '201 {import_set_id, multi_import_set_id}; keyed by column label ("Probe key")' },
        { request: `${READ}, right after the answer`, status: 200, answer: staged('pending') },
        { request: `${READ}, read 4`, status: 200, answer: staged('pending') },
      ],
    })
    expect(left).toEqual(NONE)
  })

  it('the staging table answers no row for the set: could not tell', async () => {
    const rowRead: FaultRule['when'] = ({ method, path }) => method === 'GET' && path === `/api/now/table/${STAGING}`
    const { observation, left } = await experiment({ faults: [{ kind: 'status', status: 200, when: rowRead, body: { result: [] } }] })
    expect(observation).toMatchObject({ outcome: 'could-not-tell', reason: 'the import set holds 0 staging rows, not the one sent' })
    expect(observation.evidence.at(-1)).toEqual({ request: `${READ}, right after the answer`, status: 200, answer: '200 {result: []}' })
    expect(left).toEqual(NONE)
  })

  it('a row the transform failed: could not tell, with its state', async () => {
    // The map's target table is gone: the transform marks the row "error".
    const { observation, left } = await experiment({ switches: { insertMultipleTransform: 'synchronous' }, before: (emu) => emu.db.dictionary.drop(PROBE_IMPORT.targetTable) })
    expect(observation).toMatchObject({ outcome: 'could-not-tell', reason: 'the staging row was not transformed: its sys_import_state is "error"' })
    expect(left).toEqual(NONE)
  })
})
