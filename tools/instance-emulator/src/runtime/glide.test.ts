import { beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import type { SessionUser } from '../types.ts'
import { SYSLOG_TABLE } from './syslog.ts'
import { adminOf, evaluate, makeUser, testDatabase } from './test-support.ts'

let db: Database
let admin: SessionUser

function seedComputers(): void {
  const owner = db.insert('sys_user', { user_name: 'owner', first_name: 'Olga', last_name: 'Owner', email: 'olga@example.com' })
  db.insert('cmdb_ci_computer', { name: 'alpha', serial_number: 'S1', os: 'macOS', ram: '8', assigned_to: owner.sys_id })
  db.insert('cmdb_ci_computer', { name: 'bravo', serial_number: 'S2', os: 'macOS', ram: '16' })
  db.insert('cmdb_ci_computer', { name: 'charlie', serial_number: 'S3', os: 'iOS', ram: '4' })
}

beforeEach(() => {
  db = testDatabase()
  admin = adminOf(db)
  seedComputers()
})

describe('GlideRecord queries', () => {
  it('filters with addQuery (two and three arguments), orders, limits and counts rows', () => {
    const names = evaluate(db, admin, `
      var gr = new GlideRecord('cmdb_ci_computer');
      gr.addQuery('os', 'macOS');
      gr.addQuery('ram', '>', 4);
      gr.orderByDesc('name');
      gr.query();
      var out = [];
      while (gr.next()) out.push(gr.getValue('name'));
      return { out: out, count: gr.getRowCount() };`)
    expect(names).toEqual({ out: ['bravo', 'alpha'], count: 2 })
  })

  it('ORs conditions with addOrCondition and accepts encoded queries', () => {
    const result = evaluate(db, admin, `
      var gr = new GlideRecord('cmdb_ci_computer');
      gr.addQuery('name', 'alpha').addOrCondition('name', 'charlie');
      gr.orderBy('name');
      gr.query();
      var a = [];
      while (gr.next()) a.push(gr.name.toString());
      var enc = new GlideRecord('cmdb_ci_computer');
      enc.addEncodedQuery('serial_numberINS2,S3^ORDERBYserial_number');
      enc.query();
      var b = [];
      while (enc.next()) b.push(enc.getValue('serial_number'));
      return { a: a, b: b };`)
    expect(result).toEqual({ a: ['alpha', 'charlie'], b: ['S2', 'S3'] })
  })

  it('pages with chooseWindow and setLimit', () => {
    const result = evaluate(db, admin, `
      var gr = new GlideRecord('cmdb_ci_computer');
      gr.orderBy('name');
      gr.chooseWindow(1, 3);
      gr.query();
      var out = [];
      while (gr.next()) out.push(gr.getValue('name'));
      var lim = new GlideRecord('cmdb_ci_computer');
      lim.setLimit(1);
      lim.query();
      return { out: out, limited: lim.getRowCount(), hasNext: lim.hasNext() };`)
    expect(result).toEqual({ out: ['bravo', 'charlie'], limited: 1, hasNext: true })
  })

  it('finds a record with get(sys_id) and get(field, value), and reports empty fields as null', () => {
    const id = db.query('cmdb_ci_computer', 'name=bravo')[0]?.sys_id
    const result = evaluate(db, admin, `
      var a = new GlideRecord('cmdb_ci_computer');
      var byId = a.get('${id}');
      var b = new GlideRecord('cmdb_ci_computer');
      var byField = b.get('serial_number', 'S3');
      var c = new GlideRecord('cmdb_ci_computer');
      var missing = c.get('serial_number', 'nope');
      return { byId: byId, name: a.getValue('name'), empty: a.getValue('asset_tag'), byField: byField, other: b.getUniqueValue() !== '', missing: missing, valid: c.isValidRecord() };`)
    expect(result).toEqual({ byId: true, name: 'bravo', empty: null, byField: true, other: true, missing: false, valid: false })
  })

  it('dot-walks references as properties and in getValue, and shows reference display values', () => {
    const result = evaluate(db, admin, `
      var gr = new GlideRecord('cmdb_ci_computer');
      gr.get('name', 'alpha');
      return { email: gr.assigned_to.email.toString(), walked: gr.getValue('assigned_to.email'), display: gr.getDisplayValue('assigned_to'), table: gr.getTableName() };`)
    expect(result).toEqual({ email: 'olga@example.com', walked: 'olga@example.com', display: 'Olga Owner', table: 'cmdb_ci_computer' })
  })

  it('knows which fields exist', () => {
    const result = evaluate(db, admin, `
      var gr = new GlideRecord('cmdb_ci_computer');
      return [gr.isValidField('serial_number'), gr.isValidField('os'), gr.isValidField('no_such_field'), gr.no_such_field === undefined];`)
    expect(result).toEqual([true, true, false, true])
  })
})

describe('GlideRecord writes', () => {
  it('inserts, updates through properties and setValue, and deletes; each write is counted', () => {
    const before = { ...db.counters }
    const result = evaluate(db, admin, `
      var gr = new GlideRecord('cmdb_ci_computer');
      gr.initialize();
      gr.name = 'delta';
      gr.setValue('serial_number', 'S4');
      var id = gr.insert();
      var again = new GlideRecord('cmdb_ci_computer');
      again.get(id);
      again.os = 'Linux';
      again.update();
      var check = new GlideRecord('cmdb_ci_computer');
      check.get(id);
      var os = check.getValue('os');
      var deleted = check.deleteRecord();
      var gone = new GlideRecord('cmdb_ci_computer');
      return { id: typeof id, os: os, deleted: deleted, gone: gone.get(id) };`)
    expect(result).toEqual({ id: 'string', os: 'Linux', deleted: true, gone: false })
    expect(db.counters.insert - before.insert).toBe(1)
    expect(db.counters.update - before.update).toBe(1)
    expect(db.counters.delete - before.delete).toBe(1)
  })

  it('update() without changes writes nothing and still returns the sys_id', () => {
    const before = db.counters.update
    const same = evaluate(db, admin, `
      var gr = new GlideRecord('cmdb_ci_computer');
      gr.get('name', 'alpha');
      gr.setValue('os', 'macOS');
      return gr.update() === gr.getUniqueValue();`)
    expect(same).toBe(true)
    expect(db.counters.update).toBe(before)
  })

  it('deleteMultiple removes every matching record', () => {
    evaluate(db, admin, `var gr = new GlideRecord('cmdb_ci_computer'); gr.addQuery('os', 'macOS'); gr.deleteMultiple();`)
    expect(db.query('cmdb_ci_computer').map((r) => r.name)).toEqual(['charlie'])
  })
})

describe('GlideRecordSecure applies the caller\'s table ACLs; GlideRecord does not', () => {
  it('a user without cmdb_read sees no CIs through GlideRecordSecure but all through GlideRecord', () => {
    const nobody = makeUser(db, 'nobody', [])
    const result = evaluate(db, nobody, `
      var s = new GlideRecordSecure('cmdb_ci_computer'); s.query();
      var g = new GlideRecord('cmdb_ci_computer'); g.query();
      return { secure: s.getRowCount(), system: g.getRowCount(), canRead: g.canRead() };`)
    expect(result).toEqual({ secure: 0, system: 3, canRead: false })
  })

  it('a cmdb_read user reads through GlideRecordSecure but its insert is refused (null) and logged', () => {
    const reader = makeUser(db, 'reader', ['cmdb_read'])
    const result = evaluate(db, reader, `
      var s = new GlideRecordSecure('cmdb_ci_computer'); s.query();
      var n = new GlideRecordSecure('cmdb_ci_computer'); n.name = 'sneaky';
      return { read: s.getRowCount(), inserted: n.insert() };`)
    expect(result).toEqual({ read: 3, inserted: null })
    expect(db.query('cmdb_ci_computer', 'name=sneaky')).toHaveLength(0)
    expect(db.query(SYSLOG_TABLE, 'messageLIKESecurity restricted')).toHaveLength(1)
  })
})

describe('GlideAggregate', () => {
  it('counts with one select that does not depend on the number of rows', () => {
    const before = db.counters.select
    const count = evaluate(db, admin, `
      var ga = new GlideAggregate('cmdb_ci_computer');
      ga.addQuery('os', 'macOS');
      ga.addAggregate('COUNT');
      ga.query();
      return ga.next() ? ga.getAggregate('COUNT') : 'none';`)
    expect(count).toBe('2')
    expect(db.counters.select - before).toBe(2) // one for the Script Include lookup of the sandbox, one COUNT
  })

  it('ignores a condition on a field the table does not have, as the platform does', () => {
    // os is a cmdb_ci_computer column, not a cmdb_ci one.
    expect(evaluate(db, admin, `var ga = new GlideAggregate('cmdb_ci'); ga.addQuery('os', 'macOS'); ga.addAggregate('COUNT'); ga.query(); ga.next(); return ga.getAggregate('COUNT');`)).toBe('3')
  })

  it('groups and computes MIN/MAX', () => {
    const result = evaluate(db, admin, `
      var ga = new GlideAggregate('cmdb_ci_computer');
      ga.addAggregate('COUNT');
      ga.addAggregate('MAX', 'ram');
      ga.addAggregate('MIN', 'ram');
      ga.groupBy('os');
      ga.query();
      var out = {};
      while (ga.next()) out[ga.getValue('os')] = [ga.getAggregate('COUNT'), ga.getAggregate('MIN', 'ram'), ga.getAggregate('MAX', 'ram')];
      return out;`)
    expect(result).toEqual({ macOS: ['2', '8', '16'], iOS: ['1', '4', '4'] })
  })

  it('refuses an aggregate it does not emulate', () => {
    expect(() => evaluate(db, admin, `var ga = new GlideAggregate('cmdb_ci'); ga.addAggregate('STDDEV', 'ram');`)).toThrow(/addAggregate\("STDDEV"\) is not emulated/)
  })
})

describe('gs', () => {
  it('reads and writes properties, with the fallback for a missing one', () => {
    const result = evaluate(db, admin, `
      var missing = gs.getProperty('x_test_app.nothing', 'fallback');
      gs.setProperty('x_test_app.colour', 'blue');
      return [missing, gs.getProperty('x_test_app.colour'), gs.getProperty('x_test_app.none') === null];`)
    expect(result).toEqual(['fallback', 'blue', true])
  })

  it('answers hasRole for the caller (admin has every role) and describes the user', () => {
    const viewer = makeUser(db, 'viewer', ['cmdb_read'])
    expect(evaluate(db, viewer, `return [gs.hasRole('cmdb_read'), gs.hasRole('admin'), gs.getUserName(), gs.getUser().getID() === gs.getUserID()];`)).toEqual([true, false, 'viewer', true])
    expect(evaluate(db, admin, `return gs.hasRole('anything_at_all');`)).toBe(true)
  })

  it('logs into syslog with the scope as source and {0} substitution', () => {
    evaluate(db, admin, `gs.info('hello {0} and {1}', 'a', 2); gs.warn('careful'); gs.error('broken');`)
    const rows = db.query(SYSLOG_TABLE, 'source=x_test_app^ORDERBYlevel')
    expect(rows.map((r) => [r.level, r.message])).toEqual([['0', 'hello a and 2'], ['1', 'careful'], ['2', 'broken']])
  })

  it('computes dates from the store clock in UTC', () => {
    expect(evaluate(db, admin, `return [gs.nowDateTime(), gs.daysAgo(1), gs.daysAgoStart(2), gs.beginningOfToday(), new GlideDateTime().getValue()];`)).toEqual([
      '2026-03-01 12:00:00',
      '2026-02-28 12:00:00',
      '2026-02-27 00:00:00',
      '2026-03-01 00:00:00',
      '2026-03-01 12:00:00',
    ])
  })

  it('GlideDateTime parses its own format and refuses anything else', () => {
    expect(evaluate(db, admin, `var d = new GlideDateTime('2026-01-02 03:04:05'); d.addSeconds(60); return d.getValue();`)).toBe('2026-01-02 03:05:05')
    expect(() => evaluate(db, admin, `new GlideDateTime('yesterday');`)).toThrow(/not a date-time/)
  })

  it('GlidePluginManager.isActive reads sys_plugins', () => {
    expect(evaluate(db, admin, `return [GlidePluginManager.isActive('com.snc.cicd'), GlidePluginManager.isActive('com.snc.samp'), GlidePluginManager.isActive('nope')];`)).toEqual([true, false, false])
  })
})

describe('honest about what is not emulated', () => {
  it('throws a clear error for unimplemented members instead of doing nothing', () => {
    expect(() => evaluate(db, admin, `var gr = new GlideRecord('cmdb_ci'); gr.setWorkflow(false);`)).toThrow('GlideRecord.setWorkflow is not emulated')
    expect(() => evaluate(db, admin, `var gr = new GlideRecord('cmdb_ci'); gr.addQuery('name', 'SOUNDSLIKE', 'x');`)).toThrow(/operator "SOUNDSLIKE" is not emulated/)
    expect(() => evaluate(db, admin, `new GlideDateTime().getLocalTime();`)).toThrow('GlideDateTime.getLocalTime is not emulated')
  })

  it('rejects malformed field names in addQuery', () => {
    expect(() => evaluate(db, admin, `var gr = new GlideRecord('cmdb_ci'); gr.addQuery('name^ORactive', 'x');`)).toThrow(/is not a field name/)
  })

  it('a GlideRecord on a table that does not exist finds nothing and logs the invalid table', () => {
    expect(evaluate(db, admin, `var gr = new GlideRecord('no_such_table'); gr.query(); return [gr.next(), gr.isValidField('name'), gr.insert()];`)).toEqual([false, false, null])
    expect(db.query(SYSLOG_TABLE, 'messageLIKEInvalid table name no_such_table')).toHaveLength(1)
  })
})
