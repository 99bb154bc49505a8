import { describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE, HEALTH_RUN, IMPORT_REJECTED_PREFIX, MDM_FIELDS, PLATFORM_TABLES, STATUS_REPORT, TABLES, integrationStatusSchema } from '@kandji-sn/contract'
import { handleStatus } from '../src/server/rest/handlers.ts'
import { secondsBefore } from '../src/server/status/clock.ts'
import { FakeDb, fakePlatform } from './fake-platform.ts'

const NOW = '2026-01-10 12:00:00'
const ago = (seconds: number) => secondsBefore(NOW, seconds)
const MINUTE = 60
const HOUR = 3_600
const DAY = 86_400

const MDM_COLUMNS = ['ci', 'device_id', 'platform', 'is_missing', 'is_removed', MDM_FIELDS.lastPushed, MDM_FIELDS.retiredReason, MDM_FIELDS.userMatch]
const ZERO = { pending: 0, inserted: 0, updated: 0, ignored: 0, rejected: 0, skipped: 0, error: 0 }

function staging(db: FakeDb, table: string, state: string, created: string, comment = ''): void {
  db.add(table, { sys_import_state: state, sys_import_state_comment: comment, sys_created_on: created })
}

/** An instance with every table and column of issue 16 and known rows in each. */
function instance(): FakeDb {
  const db = new FakeDb()
  db.columns.set(TABLES.mdm, new Set(MDM_COLUMNS))
  db.columns.set(HEALTH_RUN.table, new Set(['sys_created_on', ...Object.values(HEALTH_RUN.fields)]))
  // device staging: 10 minutes ago (hour), 5 hours ago (day), 3 days ago (week), 9 days ago (outside every window)
  staging(db, TABLES.deviceImport, 'inserted', ago(10 * MINUTE))
  staging(db, TABLES.deviceImport, 'updated', ago(10 * MINUTE))
  staging(db, TABLES.deviceImport, 'error', ago(10 * MINUTE), 'IRE refused the payload')
  staging(db, TABLES.deviceImport, 'ignored', ago(5 * HOUR), `${IMPORT_REJECTED_PREFIX}Row has no serial_number`)
  staging(db, TABLES.deviceImport, 'ignored', ago(5 * HOUR), 'Deploy probe row')
  staging(db, TABLES.deviceImport, 'error', ago(3 * DAY), 'IRE refused the payload')
  staging(db, TABLES.deviceImport, 'pending', ago(3 * DAY))
  staging(db, TABLES.deviceImport, 'error', ago(9 * DAY), 'an old error')
  staging(db, TABLES.appImport, 'inserted', ago(2 * DAY))
  // CIs: two Kandji computers, one Kandji handheld, one computer another source created first
  db.add(PLATFORM_TABLES.hardware, { sys_class_name: 'cmdb_ci_computer', discovery_source: DISCOVERY_SOURCE.value })
  db.add(PLATFORM_TABLES.hardware, { sys_class_name: 'cmdb_ci_computer', discovery_source: DISCOVERY_SOURCE.value })
  db.add(PLATFORM_TABLES.hardware, { sys_class_name: 'cmdb_ci_handheld_computing', discovery_source: DISCOVERY_SOURCE.value })
  db.add(PLATFORM_TABLES.hardware, { sys_class_name: 'cmdb_ci_computer', discovery_source: 'SCCM' })
  db.add(PLATFORM_TABLES.hardware, { sys_class_name: 'cmdb_ci_computer', discovery_source: 'SCCM' })
  const mdm: Array<Record<string, string>> = [
    { ci: 'c1', [MDM_FIELDS.lastPushed]: ago(HOUR), [MDM_FIELDS.userMatch]: 'matched', is_missing: 'false', is_removed: 'false' },
    { ci: 'c2', [MDM_FIELDS.lastPushed]: ago(2 * DAY), [MDM_FIELDS.userMatch]: 'unmatched', is_missing: 'true', is_removed: 'false' },
    { ci: 'c3', [MDM_FIELDS.lastPushed]: ago(10 * DAY), [MDM_FIELDS.userMatch]: 'unmatched', is_missing: 'false', is_removed: 'false' },
    { ci: 'c4', [MDM_FIELDS.lastPushed]: ago(40 * DAY), [MDM_FIELDS.userMatch]: 'no_user', [MDM_FIELDS.retiredReason]: 'not pushed for 30 days', is_missing: 'false', is_removed: 'true' },
    { ci: '', device_id: 'never-linked', [MDM_FIELDS.userMatch]: '', is_missing: 'false', is_removed: 'false' },
  ]
  for (const row of mdm) db.add(TABLES.mdm, row)
  const run = (at: string, status: string, failing: string) => db.add(HEALTH_RUN.table, { sys_created_on: at, status, failing_checks: failing, summary: `${status} run` })
  for (let i = 0; i < STATUS_REPORT.maxHealthRuns + 2; i++) run(ago((i + 2) * HOUR), 'healthy', '')
  run(ago(HOUR), 'degraded', 'service_account, import_errors')
  return db
}

describe('GET status', () => {
  it('reports every figure, exactly, in the contract schema', () => {
    const db = instance()
    const reply = handleStatus(fakePlatform(db, { now: NOW }))
    expect(reply.status).toBe(200)
    expect(integrationStatusSchema.parse(reply.body)).toEqual(reply.body)
    const body = integrationStatusSchema.parse(reply.body)
    expect(body.generated_at).toBe(NOW)
    expect(body.last_push).toEqual({ at: ago(10 * MINUTE), age_seconds: 600, table: TABLES.deviceImport })
    expect(body.imports).toEqual([
      {
        table: TABLES.deviceImport,
        windows: {
          hour: { ...ZERO, inserted: 1, updated: 1, error: 1 },
          day: { ...ZERO, inserted: 1, updated: 1, error: 1, ignored: 1, rejected: 1 },
          week: { ...ZERO, inserted: 1, updated: 1, error: 2, ignored: 1, rejected: 1, pending: 1 },
        },
      },
      { table: TABLES.appImport, windows: { hour: ZERO, day: ZERO, week: { ...ZERO, inserted: 1 } } },
    ])
    expect(body.errors).toEqual({
      messages: [
        { table: TABLES.deviceImport, state: 'error', message: 'IRE refused the payload', count: 2, last_seen: ago(10 * MINUTE) },
        { table: TABLES.deviceImport, state: 'rejected', message: `${IMPORT_REJECTED_PREFIX}Row has no serial_number`, count: 1, last_seen: ago(5 * HOUR) },
      ],
      rows: 3,
      sampled: 3,
      distinct: 2,
    })
    expect(body.cis).toEqual({ total: 4, by_class: { cmdb_ci_computer: 2, cmdb_ci_handheld_computing: 1 }, other_source: 1 })
    expect(body.last_seen).toEqual({ available: true, within_day: 1, within_week: 1, within_month: 1, older: 1, never: 1 })
    expect(body.devices).toEqual({ retired: { available: true, count: 1 }, missing: { available: true, count: 1 }, removed: { available: true, count: 1 } })
    expect(body.users).toEqual({ available: true, matched: 1, unmatched: 2, no_user: 1, off: 0, unknown: 1 })
    expect(body.health).toEqual({
      available: true,
      runs: [
        { at: ago(HOUR), status: 'degraded', failing_checks: ['service_account', 'import_errors'], summary: 'degraded run' },
        ...[2, 3, 4, 5].map((h) => ({ at: ago(h * HOUR), status: 'healthy', failing_checks: [], summary: 'healthy run' })),
      ],
    })
  })

  it('costs a fixed number of queries whatever the number of rows and CIs', () => {
    const small = instance()
    const platform = fakePlatform(small, { now: NOW })
    handleStatus(platform)
    const few = small.queries
    const big = instance()
    for (let i = 0; i < 300; i++) {
      staging(big, TABLES.deviceImport, 'inserted', ago(i * MINUTE))
      big.add(TABLES.mdm, { ci: `x${i}`, [MDM_FIELDS.lastPushed]: ago(i * HOUR), [MDM_FIELDS.userMatch]: 'matched' })
      big.add(PLATFORM_TABLES.hardware, { sys_class_name: 'cmdb_ci_computer', discovery_source: DISCOVERY_SOURCE.value })
    }
    handleStatus(fakePlatform(big, { now: NOW }))
    expect(big.queries).toBe(few)
  })

  it('says which sections are unavailable when the app predates their tables and columns, and still answers 200', () => {
    const db = new FakeDb()
    db.columns.set(TABLES.mdm, new Set(['ci', 'device_id', 'is_missing', 'is_removed']))
    // Rows that a condition on a missing column would count, were it ignored as the platform ignores it.
    db.add(TABLES.mdm, { ci: 'c1' })
    const reply = handleStatus(fakePlatform(db, { now: NOW, missingTables: [HEALTH_RUN.table] }))
    expect(reply.status).toBe(200)
    const body = integrationStatusSchema.parse(reply.body)
    expect(body.last_push).toEqual({ at: null, age_seconds: null, table: null })
    expect(body.imports.map((i) => i.windows)).toEqual([
      { hour: ZERO, day: ZERO, week: ZERO },
      { hour: ZERO, day: ZERO, week: ZERO },
    ])
    expect(body.errors).toEqual({ rows: 0, sampled: 0, distinct: 0, messages: [] })
    expect(body.cis).toEqual({ total: 1, by_class: {}, other_source: 1 })
    const old = 'the installed app is older than this figure'
    expect(body.last_seen).toEqual({ available: false, reason: `${TABLES.mdm}.${MDM_FIELDS.lastPushed} does not exist: ${old}` })
    expect(body.devices).toEqual({
      retired: { available: false, reason: `${TABLES.mdm}.${MDM_FIELDS.retiredReason} does not exist: ${old}` },
      missing: { available: true, count: 0 },
      removed: { available: true, count: 0 },
    })
    expect(body.users).toEqual({ available: false, reason: `${TABLES.mdm}.${MDM_FIELDS.userMatch} does not exist: ${old}` })
    expect(body.health).toEqual({ available: false, reason: `table ${HEALTH_RUN.table} does not exist: the installed app has no health monitor` })
  })

  it('groups error messages by cause: the device id a comment names is left out', () => {
    const db = instance()
    const reason = (id: string) => `${IMPORT_REJECTED_PREFIX}Row has no serial_number (device_id ${id}); send it again`
    staging(db, TABLES.deviceImport, 'ignored', ago(2 * MINUTE), reason('3722dc5f-2d32-48a1-8440-fee2d7ee4944'))
    staging(db, TABLES.deviceImport, 'ignored', ago(MINUTE), reason('7baaac5b-6e10-4491-88b2-2a176325765d'))
    const body = integrationStatusSchema.parse(handleStatus(fakePlatform(db, { now: NOW })).body)
    expect(body.errors.messages[0]).toEqual({ table: TABLES.deviceImport, state: 'rejected', message: `${IMPORT_REJECTED_PREFIX}Row has no serial_number; send it again`, count: 2, last_seen: ago(MINUTE) })
    expect(body.errors).toMatchObject({ rows: 5, sampled: 5, distinct: 3 })
  })

  it('lists at most the newest STATUS_REPORT.maxErrorMessages messages, and counts the rest', () => {
    const db = instance()
    for (let i = 0; i < STATUS_REPORT.maxErrorMessages + 3; i++) staging(db, TABLES.appImport, 'error', ago(i + 1), `cause ${i}`)
    const body = integrationStatusSchema.parse(handleStatus(fakePlatform(db, { now: NOW })).body)
    expect(body.errors.messages.map((m) => m.message)).toEqual(Array.from({ length: STATUS_REPORT.maxErrorMessages }, (_, i) => `cause ${i}`))
    expect(body.errors).toMatchObject({ rows: 3 + STATUS_REPORT.maxErrorMessages + 3, distinct: 2 + STATUS_REPORT.maxErrorMessages + 3 })
  })

  it('a health run table without the status columns is unavailable, not misread', () => {
    const db = instance()
    db.columns.set(HEALTH_RUN.table, new Set(['sys_created_on', HEALTH_RUN.fields.summary]))
    const body = integrationStatusSchema.parse(handleStatus(fakePlatform(db, { now: NOW })).body)
    expect(body.health).toEqual({ available: false, reason: `${HEALTH_RUN.table}.${HEALTH_RUN.fields.status} does not exist: the installed app is older than this figure` })
  })

  it('skips malformed stored values instead of failing: an unparseable row time, an unknown state, an unknown user outcome', () => {
    const db = instance()
    staging(db, TABLES.appImport, 'inserted', 'not a date')
    staging(db, TABLES.appImport, 'weird_state', ago(MINUTE))
    db.add(TABLES.mdm, { ci: 'c9', [MDM_FIELDS.userMatch]: 'by_magic' })
    db.add(HEALTH_RUN.table, { sys_created_on: 'garbage', status: 'healthy', failing_checks: '' })
    const body = integrationStatusSchema.parse(handleStatus(fakePlatform(db, { now: NOW })).body)
    // 'not a date' sorts after every date-time and must not hide the newest row, the app row a minute ago.
    expect(body.last_push).toEqual({ at: ago(MINUTE), age_seconds: 60, table: TABLES.appImport })
    // An unknown state counts as pending, as the import status endpoint reports it.
    expect(body.imports[1]?.windows.hour).toEqual({ ...ZERO, pending: 1 })
    expect(body.users).toMatchObject({ unknown: 2 })
    expect(body.health.available && body.health.runs.map((r) => r.at)).toEqual([1, 2, 3, 4, 5].map((h) => ago(h * HOUR)))
  })
})
