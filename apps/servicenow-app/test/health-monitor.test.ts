// The health monitor against the platform fake: what a run records, when it queues the event, the interval and the
// retention, and malformed settings.
import { describe, expect, it } from 'vitest'
import { APP_SETTINGS, HEALTH_RUN, SERVICE_ACCOUNT, TABLES } from '@kandji-sn/contract'
import { deleteOldRuns, failingChecks, intervalPassed, isWorse, runHealthMonitor } from '../src/server/health/monitor.ts'
import { fakePlatform, type FakePlatform } from './fake-platform.ts'
import { USER_SYS_ID, healthyInstance } from './instance-fixture.ts'
import type { FakeDb } from './fake-platform.ts'

function platform(db: FakeDb, clock: { now: string }, properties: Record<string, string> = {}): FakePlatform {
  return fakePlatform(db, { now: () => clock.now, properties })
}

/** The fake stores inserts without system fields: stamp the run the way the instance does. */
function stampRuns(db: FakeDb, at: string): void {
  for (const row of db.rows(HEALTH_RUN.table)) row.sys_created_on ??= at
}

const runs = (db: FakeDb) => db.rows(HEALTH_RUN.table).map((r) => [r[HEALTH_RUN.fields.status], r[HEALTH_RUN.fields.failingChecks]])

describe('a health run', () => {
  it('records healthy with the push figures, then degraded with the failing checks and one event while it stays so', () => {
    const db = healthyInstance()
    db.add(TABLES.deviceImport, { sys_created_by: SERVICE_ACCOUNT.defaultUserName, sys_created_on: '2026-03-01 10:00:00', sys_import_state: 'inserted' })
    const clock = { now: '2026-03-01 12:00:00' }
    const p = platform(db, clock)
    expect(runHealthMonitor(p)).toMatchObject({ ran: true, status: 'healthy', failingChecks: [], worsened: false, deletedRuns: 0 })
    stampRuns(db, clock.now)
    const figures = JSON.parse(db.rows(HEALTH_RUN.table)[0]?.[HEALTH_RUN.fields.figures] ?? '{}')
    expect(Object.keys(figures)).toEqual(['service_account', 'oauth_client', 'push_recency', 'push_errors', 'push_pending', 'push_token_lifespan'])
    expect(figures.push_recency).toEqual({ status: 'pass', last_push: '2026-03-01 10:00:00', age_hours: 2, max_age_hours: 48 })
    expect(p.events).toEqual([])

    clock.now = '2026-03-03 11:00:00'
    expect(runHealthMonitor(p)).toMatchObject({ ran: true, status: 'degraded', failingChecks: ['push_recency'], worsened: true })
    stampRuns(db, clock.now)
    expect(p.events).toEqual([{ name: HEALTH_RUN.event, sysId: db.rows(HEALTH_RUN.table)[1]?.sys_id, parm1: '', parm2: expect.stringMatching(/^degraded: push_recency: The last row from .* arrived 49 hours ago/) }])
    expect(p.logs.filter((l) => l.startsWith('error:'))).toHaveLength(1)

    clock.now = '2026-03-03 12:00:00'
    runHealthMonitor(p)
    stampRuns(db, clock.now)
    expect(p.events).toHaveLength(1)

    db.rows('sys_user').find((u) => u.sys_id === USER_SYS_ID)!.password_needs_reset = 'true'
    clock.now = '2026-03-03 13:00:00'
    expect(runHealthMonitor(p)).toMatchObject({ status: 'degraded', failingChecks: ['service_account', 'push_recency'], worsened: true })
    expect(p.events).toHaveLength(2)
    expect(runs(db)).toEqual([['healthy', ''], ['degraded', 'push_recency'], ['degraded', 'push_recency'], ['degraded', 'service_account,push_recency']])
  })

  it('skips until the interval property has passed, and uses the default for a malformed one', () => {
    const db = healthyInstance()
    const clock = { now: '2026-03-01 12:00:00' }
    const p = platform(db, clock, { [APP_SETTINGS.healthIntervalMinutes]: '120' })
    runHealthMonitor(p)
    stampRuns(db, clock.now)
    clock.now = '2026-03-01 13:30:00'
    expect(runHealthMonitor(p)).toEqual({ ran: false, reason: 'the last run (2026-03-01 12:00:00 UTC) is less than 120 minutes old' })
    clock.now = '2026-03-01 13:58:00'
    expect(runHealthMonitor(p)).toMatchObject({ ran: true })

    const other = platform(healthyInstance(), clock, { [APP_SETTINGS.healthIntervalMinutes]: 'hourly' })
    expect(runHealthMonitor(other)).toMatchObject({ ran: true })
    expect(other.logs).toContain(`warn: ${HEALTH_RUN.job}: the property ${APP_SETTINGS.healthIntervalMinutes} holds "hourly", not a whole number >= 1; the default 60 is used.`)
  })

  it('deletes only runs older than the retention, re-checking each row so an ignored query deletes nothing newer', () => {
    const db = healthyInstance()
    db.add(HEALTH_RUN.table, { sys_created_on: '2026-01-01 00:00:00' })
    db.add(HEALTH_RUN.table, { sys_created_on: '2026-02-27 00:00:00' })
    db.add(HEALTH_RUN.table, { sys_created_on: '' })
    const clock = { now: '2026-03-01 12:00:00' }
    expect(runHealthMonitor(platform(db, clock, { [APP_SETTINGS.healthRetentionDays]: '3' }))).toMatchObject({ ran: true, deletedRuns: 1 })
    expect(db.deleted.map((d) => d.table)).toEqual([HEALTH_RUN.table])
    // A query the instance ignored returns every row: only the old one may go.
    const ignoring = fakePlatform(db)
    const record = ignoring.record
    ignoring.record = (table) => {
      const gr = record(table)
      gr.addQuery = () => undefined
      return gr
    }
    expect(deleteOldRuns(ignoring, '2026-02-01 00:00:00')).toBe(0)
  })
})

describe('the rules', () => {
  it('fails a run on failing checks and on the service account warning only', () => {
    const c = (id: string, status: 'pass' | 'warn' | 'fail') => ({ id, status, title: '', detail: '' }) as never
    expect(failingChecks([c('service_account', 'warn'), c('import_errors', 'warn'), c('push_recency', 'fail'), c('kandji_cis', 'pass')])).toEqual(['service_account', 'push_recency'])
  })
  it('is worse after healthy or no run, or when a failing check is added', () => {
    expect(isWorse(undefined, 'degraded', ['a'])).toBe(true)
    expect(isWorse({ status: 'healthy', failing: [], created: '' }, 'degraded', ['a'])).toBe(true)
    expect(isWorse({ status: 'degraded', failing: ['a', 'b'], created: '' }, 'degraded', ['a'])).toBe(false)
    expect(isWorse({ status: 'degraded', failing: ['a'], created: '' }, 'degraded', ['a', 'b'])).toBe(true)
    expect(isWorse(undefined, 'healthy', [])).toBe(false)
  })
  it('runs when there is no previous run or its time is malformed', () => {
    expect(intervalPassed(undefined, '2026-03-01 12:00:00', 60)).toBe(true)
    expect(intervalPassed({ status: 'healthy', failing: [], created: 'garbage' }, '2026-03-01 12:00:00', 60)).toBe(true)
    expect(intervalPassed({ status: 'healthy', failing: [], created: '2026-03-01 11:02:00' }, '2026-03-01 12:00:00', 60)).toBe(true)
    expect(intervalPassed({ status: 'healthy', failing: [], created: '2026-03-01 11:03:00' }, '2026-03-01 12:00:00', 60)).toBe(false)
  })
})
