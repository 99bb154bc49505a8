// gs.eventQueue (sysevent rows, registration, switch unregisteredEvents) and scheduled jobs (sysauto_script).
import { beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import type { SessionUser } from '../types.ts'
import { EVENT_REGISTRY_TABLE, EVENT_TABLE, ensureEventTables, type UnregisteredEvents } from './events.ts'
import { createGlideRuntime } from './index.ts'
import { durationMs, findJob, JOB_TABLE } from './jobs.ts'
import { SYSLOG_TABLE } from './syslog.ts'
import { adminOf, contextFor, makeUser, SCOPE, SCOPE_ID, testDatabase } from './test-support.ts'
import { Sandbox } from './sandbox.ts'

let db: Database
let admin: SessionUser

beforeEach(() => {
  db = testDatabase()
  admin = adminOf(db)
})

function queueWith(unregistered: UnregisteredEvents, body: string): void {
  new Sandbox({ ...contextFor(db, admin), unregisteredEvents: unregistered }).run(body, 'test')
}

function events(): Array<Record<string, string | undefined>> {
  if (!db.tableExists(EVENT_TABLE)) return []
  return db.query(EVENT_TABLE, 'ORDERBYsys_created_on').map((r) => ({ name: r.name, instance: r.instance, table: r.table, parm1: r.parm1, parm2: r.parm2, queue: r.queue, state: r.state, user_name: r.user_name }))
}

describe('gs.eventQueue', () => {
  beforeEach(() => {
    ensureEventTables(db)
    db.insert(EVENT_REGISTRY_TABLE, { event_name: `${SCOPE}.thing.happened`, suffix: 'thing.happened', table: 'cmdb_ci', sys_scope: SCOPE_ID })
  })

  for (const variant of ['dropped', 'queued'] as const) {
    it(`queues a registered event as a ready sysevent row with its record, table and parms (${variant})`, () => {
      const ci = db.insert('cmdb_ci', { name: 'alpha' })
      queueWith(variant, `var gr = new GlideRecord('cmdb_ci'); gr.get('${ci.sys_id}'); gs.eventQueue('${SCOPE}.thing.happened', gr, 'one', 2);`)
      expect(events()).toEqual([{ name: `${SCOPE}.thing.happened`, instance: ci.sys_id, table: 'cmdb_ci', parm1: 'one', parm2: '2', queue: '', state: 'ready', user_name: 'admin' }])
    })
  }

  it('drops an unregistered event by default and queues it under unregisteredEvents queued', () => {
    queueWith('dropped', `gs.eventQueue('${SCOPE}.not.registered', null, 'a', 'b');`)
    expect(events()).toEqual([])
    queueWith('queued', `gs.eventQueue('${SCOPE}.not.registered', null, 'a', 'b', 'my_queue');`)
    expect(events()).toEqual([{ name: `${SCOPE}.not.registered`, instance: '', table: '', parm1: 'a', parm2: 'b', queue: 'my_queue', state: 'ready', user_name: 'admin' }])
  })

  it('refuses an empty event name, and stores missing parms as empty strings', () => {
    expect(() => queueWith('queued', `gs.eventQueue('', null);`)).toThrow(/event name is empty/)
    expect(() => queueWith('queued', `gs.eventQueue(null, null);`)).toThrow(/event name is empty/)
    queueWith('dropped', `gs.eventQueue('${SCOPE}.thing.happened', null);`)
    expect(events()).toEqual([{ name: `${SCOPE}.thing.happened`, instance: '', table: '', parm1: '', parm2: '', queue: '', state: 'ready', user_name: 'admin' }])
  })
})

describe('scheduled jobs (sysauto_script)', () => {
  const runtime = createGlideRuntime({ runtimeAccessTracking: 'none' })
  const job = (fields: Record<string, string>) => db.insert(JOB_TABLE, { active: 'true', run_type: 'periodically', run_period: '1970-01-01 01:00:00', sys_scope: SCOPE_ID, ...fields }, { addUnknownColumns: true })

  it('runs the script in the job scope as its Run as user and reports what it logged', () => {
    const svc = makeUser(db, 'svc.health', ['admin'])
    const row = job({ name: 'Health', run_as: svc.sysId, script: `gs.info('ran as ' + gs.getUserName() + ' in ' + gs.getCurrentScopeName()); gs.error('bad {0}', 'news'); gs.warn('careful');` })
    expect(runtime.runJob(db, row)).toEqual({
      name: 'Health',
      sysId: row.sys_id,
      scope: SCOPE,
      runAs: 'svc.health',
      ok: true,
      log: [
        { level: 'info', message: `ran as svc.health in ${SCOPE}` },
        { level: 'error', message: 'bad news' },
        { level: 'warn', message: 'careful' },
      ],
    })
    expect(db.query(SYSLOG_TABLE, 'level=2').map((r) => [r.message, r.source])).toEqual([['bad news', SCOPE]])
  })

  it('runs a job without Run as as the system user, and refuses a Run as that names no user', () => {
    const system = job({ name: 'Sys', script: `gs.info(gs.getUserName());` })
    expect(runtime.runJob(db, system)).toMatchObject({ ok: true, runAs: 'system', log: [{ level: 'info', message: 'system' }] })
    const orphan = job({ name: 'Orphan', run_as: 'ffffffffffffffffffffffffffffffff', script: `gs.info('never');` })
    expect(runtime.runJob(db, orphan)).toEqual({ name: 'Orphan', sysId: orphan.sys_id, scope: SCOPE, runAs: 'ffffffffffffffffffffffffffffffff', ok: false, error: "the job's Run as (ffffffffffffffffffffffffffffffff) names no user", log: [] })
  })

  it('reports a script that throws as not ok with its message', () => {
    const row = job({ name: 'Throws', script: `throw new Error('boom');` })
    expect(runtime.runJob(db, row)).toMatchObject({ ok: false, error: 'boom' })
  })

  it('finds a job by name or sys_id and says why it cannot', () => {
    const row = job({ name: 'Health', script: '' })
    expect(findJob(db, 'Health').sys_id).toBe(row.sys_id)
    expect(findJob(db, row.sys_id as string).name).toBe('Health')
    expect(() => findJob(db, 'Nope')).toThrow(/no scheduled job \(sysauto_script\) is named or has the sys_id "Nope"/)
    expect(() => findJob(db, '')).toThrow(/expected a job's name or sys_id/)
    expect(() => findJob(db, undefined as unknown as string)).toThrow(/expected a job's name or sys_id/)
    job({ name: 'Health', script: '' })
    expect(() => findJob(db, 'Health')).toThrow(/more than one scheduled job is named "Health"/)
  })

  it('parses glide_duration run periods', () => {
    expect(durationMs('1970-01-01 01:00:00')).toBe(3_600_000)
    expect(durationMs('1970-01-02 00:30:00')).toBe(86_400_000 + 1_800_000)
    for (const bad of ['', '01:00:00', '1970-01-01 00:00:00', 'garbage', undefined]) expect(durationMs(bad)).toBeUndefined()
  })
})
