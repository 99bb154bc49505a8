import { beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import { col, columnsFrom } from '../db/dictionary.ts'
import { SYSTEM_COLUMNS } from '../db/platform-tables.ts'
import type { SessionUser, TableRecordRow } from '../types.ts'
import { createGlideRuntime } from './index.ts'
import { IMPORT_LOG_TABLE } from './syslog.ts'
import { adminOf, SCOPE_ID, testDatabase } from './test-support.ts'

const STAGING = 'x_test_app_staging'
const TARGET = 'x_test_app_target'
let db: Database
let admin: SessionUser
let mapId: string

function defineTables(): void {
  db.dictionary.define({ name: STAGING, label: 'Staging', extends: 'sys_import_set_row', wsAccess: true, scopeId: SCOPE_ID, columns: columnsFrom({ u_serial: col.string('Serial', 100), u_name: col.string('Name', 100), u_note: col.string('Note', 100) }) })
  db.dictionary.define({ name: TARGET, label: 'Target', displayField: 'name', wsAccess: true, scopeId: SCOPE_ID, columns: columnsFrom({ ...SYSTEM_COLUMNS, serial: col.string('Serial', 100), name: col.string('Name', 100), note: col.string('Note', 100), counter: col.integer('Counter') }) })
}

function addScript(when: string, script: string, order = 100): void {
  db.insert('sys_transform_script', { map: mapId, when, order: String(order), script, active: 'true', sys_scope: SCOPE_ID })
}

let importSet = ''
function push(values: Record<string, string>, set = importSet) {
  const row = db.insert(STAGING, { ...values, sys_import_set: set, sys_import_state: 'pending' })
  return { row, run: () => createdRuntime.transformRow({ stagingTable: STAGING, row, importSetId: set, user: admin, db }) }
}
let createdRuntime = createGlideRuntime()

function staged(row: TableRecordRow): TableRecordRow {
  return db.get(STAGING, row.sys_id as string) as TableRecordRow
}

beforeEach(() => {
  db = testDatabase()
  admin = adminOf(db)
  defineTables()
  createdRuntime = createGlideRuntime()
  importSet = db.insert('sys_import_set', { table_name: STAGING }).sys_id as string
  mapId = db.insert('sys_transform_map', { name: 'Test map', source_table: STAGING, target_table: TARGET, active: 'true', run_script: 'false', sys_scope: SCOPE_ID }).sys_id as string
  db.insert('sys_transform_entry', { map: mapId, source_field: 'u_serial', target_field: 'serial', coalesce: 'true', sys_scope: SCOPE_ID })
  db.insert('sys_transform_entry', { map: mapId, source_field: 'u_name', target_field: 'name', sys_scope: SCOPE_ID })
  db.insert('sys_transform_entry', { map: mapId, target_field: 'note', use_source_script: 'true', source_script: `answer = (function (source) { return 'from ' + source.u_name; })(source);`, sys_scope: SCOPE_ID })
})

describe('transform maps from the installed records', () => {
  it('inserts a new target through the field maps and records the outcome on the staging row', async () => {
    const { row, run } = push({ u_serial: 'S1', u_name: 'alpha' })
    const [outcome] = await run()
    expect(outcome).toMatchObject({ transform_map: 'Test map', table: TARGET, status: 'inserted', display_name: 'name', display_value: 'alpha' })
    const target = db.get(TARGET, outcome?.sys_id as string)
    expect(target).toMatchObject({ serial: 'S1', name: 'alpha', note: 'from alpha' })
    expect(staged(row)).toMatchObject({ sys_import_state: 'inserted', sys_target_sys_id: outcome?.sys_id, sys_target_table: TARGET, sys_transform_map: mapId })
  })

  it('coalesces on the coalesce field: a second row updates the same target, an unchanged one is ignored', async () => {
    const first = await push({ u_serial: 'S1', u_name: 'alpha' }).run()
    const second = await push({ u_serial: 'S1', u_name: 'alpha-2' }).run()
    const third = push({ u_serial: 'S1', u_name: 'alpha-2' })
    const unchanged = await third.run()
    expect([first[0]?.status, second[0]?.status, unchanged[0]?.status]).toEqual(['inserted', 'updated', 'ignored'])
    expect(second[0]?.sys_id).toBe(first[0]?.sys_id)
    expect(db.query(TARGET)).toHaveLength(1)
    expect(staged(third.row).sys_import_state).toBe('ignored')
  })

  it('onBefore can ignore a row with a status message; nothing is written', async () => {
    addScript('onBefore', `(function (source, map, log, target) { if (source.u_name == 'skip') { ignore = true; status_message = 'skipped on purpose'; } })(source, map, log, target);`)
    const { row, run } = push({ u_serial: 'S9', u_name: 'skip' })
    expect(await run()).toEqual([{ transform_map: 'Test map', table: TARGET, status: 'ignored', status_message: 'skipped on purpose' }])
    expect(db.query(TARGET)).toHaveLength(0)
    expect(staged(row)).toMatchObject({ sys_import_state: 'ignored', sys_import_state_comment: 'skipped on purpose' })
  })

  it('onBefore can fail a row with error and error_message, which land in the outcome and the staging row', async () => {
    addScript('onBefore', `if (source.getValue('u_serial') == null) { error = true; error_message = 'Row has no serial'; log.error('no serial'); }`)
    const { row, run } = push({ u_name: 'nameless' })
    const [outcome] = await run()
    expect(outcome).toMatchObject({ status: 'error', error_message: 'Row has no serial' })
    expect(staged(row)).toMatchObject({ sys_import_state: 'error', sys_import_state_comment: 'Row has no serial' })
    expect(db.query(IMPORT_LOG_TABLE, `message=no serial^import_set=${importSet}`)).toHaveLength(1)
    expect(db.query(TARGET)).toHaveLength(0)
  })

  it('error = true in onBefore halts the import set (switch onBeforeError), a field map rejection or a thrown error does not', async () => {
    addScript('onBefore', `if (source.getValue('u_serial') == null) { error = true; error_message = 'Row has no serial'; }`)
    const halts: string[] = []
    const onHalt = (message: string) => void halts.push(message)
    const row = db.insert(STAGING, { u_name: 'nameless', sys_import_set: importSet, sys_import_state: 'pending' })
    await createdRuntime.transformRow({ stagingTable: STAGING, row, importSetId: importSet, user: admin, db, onHalt })
    expect(halts).toEqual(['Row has no serial'])
    const perRow = createGlideRuntime({ onBeforeError: 'row' })
    const other = db.insert(STAGING, { u_name: 'nameless', sys_import_set: importSet, sys_import_state: 'pending' })
    await perRow.transformRow({ stagingTable: STAGING, row: other, importSetId: importSet, user: admin, db, onHalt })
    expect(halts).toHaveLength(1)
    expect(staged(other).sys_import_state).toBe('error')
    addScript('onAfter', `throw new Error('late')`)
    const thrown = db.insert(STAGING, { u_serial: 'T1', sys_import_set: importSet, sys_import_state: 'pending' })
    await createdRuntime.transformRow({ stagingTable: STAGING, row: thrown, importSetId: importSet, user: admin, db, onHalt })
    expect(halts).toHaveLength(1)
  })

  it('a field map to a column the target lacks is dropped and noted as a schema miss', async () => {
    db.insert('sys_transform_entry', { map: mapId, source_field: 'u_note', target_field: 'no_such_column', sys_scope: SCOPE_ID })
    await push({ u_serial: 'S9', u_name: 'n', u_note: 'x' }).run()
    expect(db.schemaMisses).toEqual([{ table: TARGET, column: 'no_such_column', by: 'transform map Test map' }])
  })

  it('a script that throws fails the row with the exception message', async () => {
    addScript('onBefore', `nope();`)
    const { row, run } = push({ u_serial: 'S1', u_name: 'x' })
    const [outcome] = await run()
    expect(outcome?.status).toBe('error')
    expect(outcome?.error_message).toMatch(/nope is not defined/)
    expect(staged(row).sys_import_state).toBe('error')
  })

  it('onBefore sees the action and can set target values; onAfter sees the written target', async () => {
    addScript('onBefore', `target.setValue('counter', action == 'insert' ? 1 : 2);`)
    addScript('onAfter', `gs.setProperty('x_test_app.after', target.getUniqueValue());`)
    const [first] = await push({ u_serial: 'S1', u_name: 'a' }).run()
    await push({ u_serial: 'S1', u_name: 'b' }).run()
    expect(db.get(TARGET, first?.sys_id as string)?.counter).toBe('2')
    expect(db.query('sys_properties', 'name=x_test_app.after')[0]?.value).toBe(first?.sys_id)
  })

  it('runs onStart once per import set and onComplete after every synchronous transform', async () => {
    addScript('onStart', `gs.info('start');`)
    addScript('onComplete', `gs.info('complete');`)
    await push({ u_serial: 'S1', u_name: 'a' }).run()
    await push({ u_serial: 'S2', u_name: 'b' }).run()
    const other = db.insert('sys_import_set', { table_name: STAGING }).sys_id as string
    await push({ u_serial: 'S3', u_name: 'c' }, other).run()
    expect(db.query('syslog', 'message=start')).toHaveLength(2)
    expect(db.query('syslog', 'message=complete')).toHaveLength(3)
  })

  it('the map script (run_script) runs after the field maps', async () => {
    db.update('sys_transform_map', mapId, { run_script: 'true', script: `target.note = target.name + '!';` })
    const [outcome] = await push({ u_serial: 'S1', u_name: 'a' }).run()
    expect(db.get(TARGET, outcome?.sys_id as string)?.note).toBe('a!')
  })

  it('an inactive map does not run; without any map the row stays pending and the outcome says so', async () => {
    db.update('sys_transform_map', mapId, { active: 'false' })
    const { row, run } = push({ u_serial: 'S1', u_name: 'a' })
    const [outcome] = await run()
    expect(outcome?.status_message).toMatch(/No active transform map has source table x_test_app_staging/)
    expect(staged(row).sys_import_state).toBe('pending')
  })

  it('a coalesce field map with a referenced value field resolves the reference; choice action reject fails an unknown value', async () => {
    db.dictionary.addColumn(TARGET, { name: 'computer', label: 'Computer', type: 'reference', reference: 'cmdb_ci_computer' })
    const ci = db.insert('cmdb_ci_computer', { name: 'mac', serial_number: 'SER-1' })
    const entry = db.query('sys_transform_entry', `map=${mapId}^target_field=serial`)[0]
    db.update('sys_transform_entry', entry?.sys_id as string, { target_field: 'computer', reference_value_field: 'serial_number', choice_action: 'reject' })
    const [first] = await push({ u_serial: 'SER-1', u_name: 'a' }).run()
    const [second] = await push({ u_serial: 'SER-1', u_name: 'b' }).run()
    expect([first?.status, second?.status, second?.sys_id]).toEqual(['inserted', 'updated', first?.sys_id])
    expect(db.get(TARGET, first?.sys_id as string)?.computer).toBe(ci.sys_id)
    const [unknown] = await push({ u_serial: 'SER-404', u_name: 'c' }).run()
    expect(unknown).toMatchObject({ status: 'error', error_message: 'No cmdb_ci_computer record has serial_number=SER-404 (field map computer, choice action reject)' })
  })

  it('a map whose target table does not exist fails the row with that reason', async () => {
    db.update('sys_transform_map', mapId, { target_table: 'x_missing' })
    const [outcome] = await push({ u_serial: 'S1', u_name: 'a' }).run()
    expect(outcome).toMatchObject({ status: 'error', error_message: 'Transform map Test map: target table x_missing does not exist' })
  })
})
