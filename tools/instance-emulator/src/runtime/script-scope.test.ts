// What a script leaves behind — a global, a built-in prototype's new member, state in a Script Include's or a
// module's scope — and who sees it: the later rows of the same import run (switch transformScriptScope
// 'import-run'), never another request; with 'row' not even the next row.
import { beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import { col, columnsFrom } from '../db/dictionary.ts'
import { runImportSet } from '../routes/import-run.ts'
import type { SessionUser } from '../types.ts'
import { createGlideRuntime } from './index.ts'
import { addModule, adminOf, SCOPE_ID, testDatabase } from './test-support.ts'

const STAGING = 'x_test_app_staging'
const TARGET = 'x_test_app_target'
const MODULE = 'x_test_app/test-app/1.0.0/src/server/stash.js'
let db: Database
let admin: SessionUser

/** Reports what earlier executions left, then leaves the same things behind. */
const LEAKY = `var seen = [typeof leakedGlobal, typeof [].leakedMember, x_test_app.Stash.count(), require('${MODULE}').count()].join(',');
leakedGlobal = 1; Array.prototype.leakedMember = 1; x_test_app.Stash.bump(); require('${MODULE}').bump();`

beforeEach(() => {
  db = testDatabase()
  admin = adminOf(db)
  db.insert('sys_script_include', {
    name: 'Stash',
    api_name: 'x_test_app.Stash',
    access: 'public',
    active: 'true',
    sys_scope: SCOPE_ID,
    script: `var Stash = (function () { var n = 0; return { bump: function () { n++; }, count: function () { return n; } }; })();`,
  })
  addModule(db, MODULE, `let n = 0;\nexport function bump() { n++; }\nexport function count() { return n; }\n`)
})

describe('import runs (switch transformScriptScope)', () => {
  beforeEach(() => {
    db.dictionary.define({ name: STAGING, label: 'Staging', extends: 'sys_import_set_row', wsAccess: true, scopeId: SCOPE_ID, columns: columnsFrom({ u_serial: col.string('Serial', 100) }) })
    db.dictionary.define({ name: TARGET, label: 'Target', wsAccess: true, scopeId: SCOPE_ID, columns: columnsFrom({ serial: col.string('Serial', 100) }) })
    const mapId = db.insert('sys_transform_map', { name: 'Leaky map', source_table: STAGING, target_table: TARGET, active: 'true', run_script: 'false', sys_scope: SCOPE_ID }).sys_id as string
    db.insert('sys_transform_script', { map: mapId, when: 'onBefore', order: '100', active: 'true', sys_scope: SCOPE_ID, script: `${LEAKY}\nignore = true; status_message = seen;` })
  })

  /** One request's rows, transformed in one run; returns each row's status message. */
  async function run(runtime: ReturnType<typeof createGlideRuntime>, rows: number): Promise<string[]> {
    const set = db.insert('sys_import_set', { table_name: STAGING })
    const staged = Array.from({ length: rows }, (_, i) => db.insert(STAGING, { u_serial: `S${i}`, sys_import_set: set.sys_id, sys_import_state: 'pending' }))
    const result = await runImportSet({ db, runtime, user: admin }, STAGING, set, { rows: staged })
    return result.outcomes.map((o) => String(o[0]?.status_message))
  }

  it("'import-run' (default): the rows of one run share the scope; the next request's run starts fresh", async () => {
    const runtime = createGlideRuntime()
    expect(await run(runtime, 3)).toEqual(['undefined,undefined,0,0', 'number,number,1,1', 'number,number,2,2'])
    expect(await run(runtime, 2)).toEqual(['undefined,undefined,0,0', 'number,number,1,1'])
  })

  it("'row': every row starts fresh", async () => {
    const runtime = createGlideRuntime({ transformScriptScope: 'row' })
    expect(await run(runtime, 3)).toEqual(['undefined,undefined,0,0', 'undefined,undefined,0,0', 'undefined,undefined,0,0'])
  })

  it('a row whose script throws does not hand its half-run scope to the next row', async () => {
    const mapId = db.query('sys_transform_map', 'name=Leaky map')[0]?.sys_id as string
    db.insert('sys_transform_script', { map: mapId, when: 'onBefore', order: '50', active: 'true', sys_scope: SCOPE_ID, script: `leakedGlobal = 1; if (source.u_serial == 'S0') throw new Error('first row fails');` })
    const result = await runImportSet({ db, runtime: createGlideRuntime(), user: admin }, STAGING, db.insert('sys_import_set', { table_name: STAGING }), {
      rows: ['S0', 'S1'].map((s) => db.insert(STAGING, { u_serial: s, sys_import_state: 'pending' })),
    })
    expect(result.outcomes.map((o) => [o[0]?.status, o[0]?.status === 'error' ? o[0]?.error_message : o[0]?.status_message])).toEqual([
      ['error', 'first row fails'],
      ['ignored', 'number,undefined,0,0'],
    ])
  })
})

describe('the time limit of an import run', () => {
  it('stops a script that never ends: the run did not complete, rows before it keep their outcome, rows after it stay pending', async () => {
    db.dictionary.define({ name: STAGING, label: 'Staging', extends: 'sys_import_set_row', wsAccess: true, scopeId: SCOPE_ID, columns: columnsFrom({ u_serial: col.string('Serial', 100) }) })
    db.dictionary.define({ name: TARGET, label: 'Target', wsAccess: true, scopeId: SCOPE_ID, columns: columnsFrom({ serial: col.string('Serial', 100) }) })
    const mapId = db.insert('sys_transform_map', { name: 'Looping map', source_table: STAGING, target_table: TARGET, active: 'true', run_script: 'false', sys_scope: SCOPE_ID }).sys_id as string
    db.insert('sys_transform_script', { map: mapId, when: 'onBefore', order: '100', active: 'true', sys_scope: SCOPE_ID, script: `if (source.u_serial == 'S1') { while (true) {} } ignore = true;` })
    const set = db.insert('sys_import_set', { table_name: STAGING })
    const rows = ['S0', 'S1', 'S2'].map((s) => db.insert(STAGING, { u_serial: s, sys_import_set: set.sys_id, sys_import_state: 'pending' }))
    const run = runImportSet({ db, runtime: createGlideRuntime({ scriptTimeoutMs: 200 }), user: admin }, STAGING, set, { rows })
    await expect(run).rejects.toThrow(/Script execution timed out after 200ms/)
    expect(rows.map((r) => db.get(STAGING, r.sys_id as string)?.sys_import_state)).toEqual(['ignored', 'pending', 'pending'])
    expect(db.query('sys_import_set_run', `set=${set.sys_id}`).map((r) => r.state)).toEqual(['did_not_complete'])
  })
})

describe('scripted REST requests', () => {
  it('never see what an earlier request left behind', async () => {
    const op = db.insert('sys_ws_operation', { name: 'leaky', http_method: 'GET', relative_path: '/leaky', operation_script: `${LEAKY}\nresponse.setBody({ seen: seen });`, sys_scope: SCOPE_ID })
    const runtime = createGlideRuntime()
    const call = async () => (await runtime.scriptedRest({ operation: op, user: admin, db, method: 'GET', path: '/api/x_test_app/t/leaky', pathParams: {}, query: {}, body: undefined, headers: {} })).body
    expect(await call()).toEqual({ result: { seen: 'undefined,undefined,0,0' } })
    expect(await call()).toEqual({ result: { seen: 'undefined,undefined,0,0' } })
  })
})
