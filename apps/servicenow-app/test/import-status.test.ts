import { describe, expect, it } from 'vitest'
import { IMPORT_REJECTED_PREFIX, PLATFORM_TABLES, TABLES, importStatusSchema } from '@kandji-sn/contract'
import { handleImportStatus } from '../src/server/rest/handlers.ts'
import { FakeDb, fakePlatform } from './fake-platform.ts'

const SET = 'a'.repeat(32)

function instance(run?: Record<string, string>): FakeDb {
  const db = new FakeDb()
  db.add(PLATFORM_TABLES.importSet, { sys_id: SET, number: 'ISET0010001', table_name: TABLES.deviceImport, state: 'processed', mode: 'asynchronous' })
  if (run) db.add(PLATFORM_TABLES.importSetRun, { set: SET, sys_created_on: '2026-01-02 00:00:00', ...run })
  const rows: Array<[string, string, string]> = [
    ['1', 'ignored', `${IMPORT_REJECTED_PREFIX}Row has no serial_number`],
    ['0', 'inserted', 'CI c1 insert through IRE.'],
    ['2', 'ignored', 'Deploy probe row: accepted and ignored'],
    ['3', 'pending', ''],
  ]
  for (const [row, state, comment] of rows) {
    db.add(TABLES.deviceImport, { sys_import_set: SET, sys_import_row: row, sys_import_state: state, sys_import_state_comment: comment, device_id: `d${row}`, serial_number: row === '1' ? '' : `S${row}` })
  }
  return db
}

describe('GET import_sets/{sys_id}', () => {
  it('reports the run, each row in load order with its state (rejected told apart from ignored) and the counts', () => {
    const reply = handleImportStatus(fakePlatform(instance({ state: 'complete', total: '3', inserts: '1', updates: '0', ignored: '2', skipped: '0', errors: '0' })), { sys_id: SET.toUpperCase() })
    expect(reply.status).toBe(200)
    // What the simulator and the CLI parse: the contract's schema.
    expect(importStatusSchema.parse(reply.body)).toEqual(reply.body)
    expect(reply.body).toEqual({
      import_set: { sys_id: SET, number: 'ISET0010001', table: TABLES.deviceImport, state: 'processed', mode: 'asynchronous' },
      run: { state: 'complete', total: 3, inserts: 1, updates: 0, ignored: 2, skipped: 0, errors: 0 },
      done: true,
      counts: { pending: 1, inserted: 1, updated: 0, ignored: 1, rejected: 1, skipped: 0, error: 0 },
      rows: [
        { row: 0, state: 'inserted', comment: 'CI c1 insert through IRE.', device_id: 'd0', serial_number: 'S0' },
        { row: 1, state: 'rejected', comment: `${IMPORT_REJECTED_PREFIX}Row has no serial_number`, device_id: 'd1', serial_number: '' },
        { row: 2, state: 'ignored', comment: 'Deploy probe row: accepted and ignored', device_id: 'd2', serial_number: 'S2' },
        { row: 3, state: 'pending', comment: '', device_id: 'd3', serial_number: 'S3' },
      ],
      truncated: false,
    })
  })

  it('is done once the import set is processed, whatever value the run state has (its values are unverified)', () => {
    const db = instance({ state: 'Finished somehow' })
    expect((handleImportStatus(fakePlatform(db), { sys_id: SET }).body as { done: boolean }).done).toBe(true)
    db.rows(PLATFORM_TABLES.importSet)[0]!.state = 'loading'
    expect((handleImportStatus(fakePlatform(db), { sys_id: SET }).body as { done: boolean }).done).toBe(false)
  })

  it('is not done while the run is running or before it started', () => {
    const loading = (run?: Record<string, string>) => {
      const db = instance(run)
      db.rows(PLATFORM_TABLES.importSet)[0]!.state = 'loaded'
      return fakePlatform(db)
    }
    expect((handleImportStatus(loading(), { sys_id: SET }).body as { done: boolean; run: unknown }).done).toBe(false)
    expect((handleImportStatus(loading(), { sys_id: SET }).body as { run: unknown }).run).toBeNull()
    expect((handleImportStatus(loading({ state: 'running' }), { sys_id: SET }).body as { done: boolean }).done).toBe(false)
  })

  it('answers 400 for a malformed id and 404 for an unknown set or one of another staging table, each with cause and fix', () => {
    for (const sysId of ['', 'x', `${SET}0`, 'a'.repeat(31) + 'g', undefined]) {
      const reply = handleImportStatus(fakePlatform(instance()), { sys_id: sysId })
      expect(reply.status, String(sysId)).toBe(400)
      expect(reply.body).toEqual({ error: { error: expect.stringContaining('is not an import set sys_id'), cause: expect.any(String), fix: expect.any(String) } })
    }
    expect(handleImportStatus(fakePlatform(instance()), { sys_id: 'b'.repeat(32) }).status).toBe(404)
    const other = instance()
    other.rows(PLATFORM_TABLES.importSet)[0]!.table_name = 'u_other_import'
    const reply = handleImportStatus(fakePlatform(other), { sys_id: SET })
    expect(reply).toEqual({ status: 404, body: { error: { error: `no import set ${SET} of the Kandji staging tables exists`, cause: expect.any(String), fix: expect.any(String) } } })
  })
})
