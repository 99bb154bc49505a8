// insertMultiple as documented (c_ImportSetAPI.md): keys by column label unless a sys_rest_insert_multiple record
// says column name, transform after the answer unless it (or switch insertMultipleTransform) says synchronous, the
// run in sys_import_set_run; a halting row stops its set (switch onBeforeError); the plugin's absence.
import { afterEach, describe, expect, it } from 'vitest'
import { INSERT_MULTIPLE_PLUGIN } from '@kandji-sn/contract/constants'
import { grantRole, startEmulator, type Emulator, type EmulatorOptions, type ScriptRuntime } from '../src/index.ts'
import { builtFixtureApp } from './helpers/fixture-app.ts'
import { api, type Auth } from './helpers/http.ts'

const SVC: Auth = { user: 'svc', password: 'Pw-123456' }
const TABLE = 'x_emu_fixture_import'
const PATH = `/api/now/import/${TABLE}/insertMultiple`

/** Inserts rows with a serial, ignores 'IGNORE', fails 'ERR', halts the set at 'HALT' (as error = true in onBefore would). */
const runtime: ScriptRuntime = {
  async scriptedRest() {
    return { status: 501, body: {} }
  },
  async transformRow(ctx) {
    const serial = ctx.row.serial_number ?? ''
    const state = serial === '' || serial === 'IGNORE' ? 'ignored' : serial === 'ERR' || serial === 'HALT' ? 'error' : 'inserted'
    ctx.db.update(ctx.stagingTable, ctx.row.sys_id as string, { sys_import_state: state, sys_import_state_comment: `state ${state}` })
    if (serial === 'HALT') ctx.onHalt?.('halted here')
    return [{ status: state }]
  },
  async afterInstall() {},
}

let emu: Emulator | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

async function instance(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ runtime, importTransformDelayMs: 50, ...options })
  await emu.installApp((await builtFixtureApp()).zip)
  const id = emu.db.insert('sys_user', { user_name: 'svc', user_password: 'Pw-123456' }, { inputDisplayValue: true }).sys_id as string
  for (const role of ['cmdb_read', 'import_transformer', 'rest_api_explorer']) grantRole(emu.db, id, role)
  return emu
}

function rows(e: Emulator, setId: string) {
  return e.db.query(TABLE, `sys_import_set=${setId}`).map((r) => [r.serial_number, r.device_name, r.sys_import_state])
}

function run(e: Emulator, setId: string) {
  const [found] = e.db.query('sys_import_set_run', `set=${setId}`)
  return found && { state: found.state, total: found.total, inserts: found.inserts, ignored: found.ignored, errors: found.errors }
}

describe('insertMultiple', () => {
  it('with the bench control setTransforms(false) loads the rows and transforms none of them; a non-boolean is refused', { timeout: 180_000 }, async () => {
    const e = await instance()
    expect(() => e.setTransforms('off' as never)).toThrow(/setTransforms: enabled must be true or false, got "off"/)
    e.setTransforms(false)
    const res = await api(e, PATH, { method: 'POST', body: { records: [{ 'Serial Number': 'L1', 'Device Name': 'One' }, { 'Serial Number': 'L2', 'Device Name': 'Two' }] }, auth: SVC })
    expect(res.status).toBe(201)
    await e.importsIdle()
    expect(rows(e, res.body.import_set_id)).toEqual([['L1', 'One', 'pending'], ['L2', 'Two', 'pending']])
    expect(run(e, res.body.import_set_id)).toBeUndefined()
    e.setTransforms(true)
    const again = await api(e, PATH, { method: 'POST', body: { records: [{ 'Serial Number': 'L3', 'Device Name': 'Three' }] }, auth: SVC })
    await e.importsIdle()
    expect(rows(e, again.body.import_set_id)).toEqual([['L3', 'Three', 'inserted']])
  })

  it('keys by column label by default: keys by name land empty rows', { timeout: 180_000 }, async () => {
    const e = await instance()
    const res = await api(e, PATH, { method: 'POST', body: { records: [{ 'Serial Number': 'L1', 'Device Name': 'One' }, { serial_number: 'N1', device_name: 'Two' }] }, auth: SVC })
    expect(res.status).toBe(201)
    await e.importsIdle()
    expect(rows(e, res.body.import_set_id)).toEqual([['L1', 'One', 'inserted'], ['', '', 'ignored']])
  })

  it('keys by column name once a sys_rest_insert_multiple record says so, and labels then land empty', { timeout: 180_000 }, async () => {
    const e = await instance()
    e.db.insert('sys_rest_insert_multiple', { source_table: TABLE, column_mapping: 'name' })
    const res = await api(e, PATH, { method: 'POST', body: { records: [{ 'Serial Number': 'L1' }, { serial_number: 'N1', device_name: 'Two' }] }, auth: SVC })
    await e.importsIdle()
    expect(rows(e, res.body.import_set_id)).toEqual([['', '', 'ignored'], ['N1', 'Two', 'inserted']])
  })

  it('answers before it transforms: the rows are pending and the run absent until the background transform ends', { timeout: 180_000 }, async () => {
    const e = await instance()
    e.db.insert('sys_rest_insert_multiple', { source_table: TABLE, column_mapping: 'name' })
    const res = await api(e, PATH, { method: 'POST', body: { records: [{ serial_number: 'A' }, { serial_number: 'IGNORE' }, { serial_number: 'ERR' }] }, auth: SVC })
    expect(res.body).toEqual({ import_set_id: expect.stringMatching(/^[0-9a-f]{32}$/), multi_import_set_id: expect.stringMatching(/^[0-9a-f]{32}$/) })
    expect(rows(e, res.body.import_set_id).map((r) => r[2])).toEqual(['pending', 'pending', 'pending'])
    expect(e.db.get('sys_import_set', res.body.import_set_id)).toMatchObject({ mode: 'asynchronous', state: 'loaded' })
    expect(run(e, res.body.import_set_id)).toBeUndefined()
    await e.importsIdle()
    expect(rows(e, res.body.import_set_id).map((r) => r[2])).toEqual(['inserted', 'ignored', 'error'])
    expect(run(e, res.body.import_set_id)).toEqual({ state: 'complete_with_errors', total: '3', inserts: '1', ignored: '1', errors: '1' })
    expect(e.db.get('sys_import_set', res.body.import_set_id)?.state).toBe('processed')
  })

  it('transforms before answering with switch insertMultipleTransform synchronous, or a record saying synchronous', { timeout: 180_000 }, async () => {
    const e = await instance({ switches: { insertMultipleTransform: 'synchronous' } })
    e.db.insert('sys_rest_insert_multiple', { source_table: TABLE, column_mapping: 'name' })
    const res = await api(e, PATH, { method: 'POST', body: { records: [{ serial_number: 'A' }] }, auth: SVC })
    expect(run(e, res.body.import_set_id)).toEqual({ state: 'complete', total: '1', inserts: '1', ignored: '0', errors: '0' })
    expect(e.db.get('sys_import_set', res.body.import_set_id)?.mode).toBe('synchronous')
  })

  it('a row that halts its import set leaves every later row pending; the run ends "complete with errors"', { timeout: 180_000 }, async () => {
    const e = await instance()
    e.db.insert('sys_rest_insert_multiple', { source_table: TABLE, column_mapping: 'name', transformation: 'synchronous' })
    const res = await api(e, PATH, { method: 'POST', body: { records: [{ serial_number: 'A' }, { serial_number: 'HALT' }, { serial_number: 'B' }, { serial_number: 'C' }] }, auth: SVC })
    expect(rows(e, res.body.import_set_id).map((r) => r[2])).toEqual(['inserted', 'error', 'pending', 'pending'])
    expect(run(e, res.body.import_set_id)).toEqual({ state: 'complete_with_errors', total: '2', inserts: '1', ignored: '0', errors: '1' })
    expect(e.db.query('syslog', 'messageLIKEtransform halted').map((r) => r.message)).toEqual([expect.stringContaining('halted here')])
  })

  it('is not there without the Insert Multiple Web Service plugin (switch insertMultiplePlugin absent)', { timeout: 180_000 }, async () => {
    const e = await instance({ switches: { insertMultiplePlugin: 'absent' } })
    expect(e.db.query('sys_plugins', `source=${INSERT_MULTIPLE_PLUGIN}`)[0]?.active).toBe('inactive')
    const res = await api(e, PATH, { method: 'POST', body: { records: [{ serial_number: 'A' }] }, auth: SVC })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toBe('Requested URI does not represent any resource')
    expect(e.db.count(TABLE)).toBe(0)
    // The one-row POST is part of the Import Set API itself.
    expect((await api(e, `/api/now/import/${TABLE}`, { method: 'POST', body: { serial_number: 'S' }, auth: SVC })).status).toBe(201)
  })
})
