// Cross-scope access from an app script (cross-scope.ts): runtime access tracking and the target table's application
// access, each refusing with the platform's message in the system log and the operation not done.
import { describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import { col, columnsFrom } from '../db/dictionary.ts'
import { SYSTEM_COLUMNS } from '../db/platform-tables.ts'
import { Sandbox } from './sandbox.ts'
import { privilegesOf, type CrossScopeRefusal, type RuntimeAccessTracking } from './cross-scope.ts'
import { SYSLOG_TABLE } from './syslog.ts'
import { adminOf, contextFor, SCOPE, SCOPE_ID, testDatabase } from './test-support.ts'

function run(db: Database, body: string, tracking: RuntimeAccessTracking = 'enforcing', scope = SCOPE, refusal: CrossScopeRefusal = 'quiet'): unknown {
  return new Sandbox(contextFor(db, adminOf(db), scope, tracking, refusal)).run(body, 'test')
}

function allow(db: Database, table: string, operation: string, status = 'allowed', extra: Record<string, string> = {}): void {
  db.insert('sys_scope_privilege', { source_scope: SCOPE_ID, target_scope: 'global', target_name: table, target_type: 'sys_db_object', operation, status, sys_scope: SCOPE_ID, ...extra })
}

function tableAccess(db: Database, table: string, access: Record<string, string>): void {
  const row = db.query('sys_db_object', `name=${table}`)[0]
  db.update('sys_db_object', row?.sys_id as string, access)
}

function securityLog(db: Database): string[] {
  if (!db.tableExists(SYSLOG_TABLE)) return []
  return db.query(SYSLOG_TABLE, 'messageSTARTSWITHSecurity restricted^ORDERBYsys_created_on').map((r) => r.message ?? '')
}

const READ_CHOICES = `var gr = new GlideRecord('sys_choice'); gr.addQuery('name', 'cmdb_ci'); gr.query(); var n = 0; while (gr.next()) n++; return n;`
const INSERT_CHOICE = `var gr = new GlideRecord('sys_choice'); gr.setValue('name', 'cmdb_ci'); gr.setValue('element', 'discovery_source'); gr.setValue('value', 'X'); return gr.insert();`

describe('runtime access tracking: enforcing (an installed app, KB0717945)', () => {
  it('refuses a read of a global table without a privilege: no rows, and the message names the table, the scope and the fix', () => {
    const db = testDatabase('open')
    expect(run(db, READ_CHOICES)).toBe(0)
    expect(securityLog(db)).toEqual([
      "Security restricted: Read operation on table 'sys_choice' from scope 'Test app' was denied. The application 'Test app' must declare a cross scope access privilege. Please contact the application author to update their privilege requests.",
    ])
  })

  it('allows exactly the privileged operation: the read passes, the insert is still refused and writes nothing', () => {
    const db = testDatabase('open')
    allow(db, 'sys_choice', 'read')
    const before = db.count('sys_choice')
    expect(run(db, READ_CHOICES)).toBeGreaterThan(0)
    expect(run(db, INSERT_CHOICE)).toBeNull()
    expect(db.count('sys_choice')).toBe(before)
    expect(securityLog(db)).toEqual([expect.stringContaining("Create operation on table 'sys_choice' from scope 'Test app' was denied")])
  })

  it('a privilege that is requested or denied, for another target scope or another target type, refuses as well', () => {
    const cases: Array<[string, Record<string, string>]> = [['requested', {}], ['denied', {}], ['allowed', { target_scope: SCOPE_ID }], ['allowed', { target_type: 'sys_script_include' }]]
    for (const [status, extra] of cases) {
      const db = testDatabase('open')
      allow(db, 'sys_choice', 'read', status, extra)
      expect(run(db, READ_CHOICES), `${status} ${JSON.stringify(extra)}`).toBe(0)
      expect(securityLog(db)).toEqual([expect.stringContaining("Read operation on table 'sys_choice' from scope 'Test app' was denied. The application 'Test app' must declare a cross scope access privilege")])
    }
  })

  it('checks the privilege first: with both layers refusing, the message is the missing privilege (then the table policy once it is allowed)', () => {
    const db = testDatabase('read-only')
    expect(run(db, INSERT_CHOICE)).toBeNull()
    allow(db, 'sys_choice', 'create')
    expect(run(db, INSERT_CHOICE)).toBeNull()
    expect(securityLog(db).map((m) => m.replace(/ from scope.*/, ''))).toEqual(["Security restricted: Create operation on table 'sys_choice'", "Security restricted: Create operation against 'sys_choice'"])
  })

  it("a table accessible from its own scope only, or without Can read, refuses even reads", () => {
    for (const access of [{ access: 'package_private' }, { read_access: 'false' }] as Array<Record<string, string>>) {
      const db = testDatabase('open')
      allow(db, 'sys_choice', 'read')
      tableAccess(db, 'sys_choice', access)
      expect(run(db, READ_CHOICES), JSON.stringify(access)).toBe(0)
      expect(securityLog(db)).toEqual([expect.stringContaining("has been refused due to the table's cross-scope access policy")])
    }
  })

  it('by default the refusal is thrown into the script (KB1641480), which can catch it; nothing is written', () => {
    const db = testDatabase('open')
    const caught = run(db, `try { ${INSERT_CHOICE.replace('return gr.insert();', 'gr.insert(); return "inserted";')} } catch (e) { return e.name + ': ' + e.message; }`, 'enforcing', SCOPE, 'throw')
    expect(caught).toMatch(/^SecurityRestrictedError: Security restricted: Create operation on table 'sys_choice'/)
    expect(db.count('sys_choice', 'value=X')).toBe(0)
    expect(() => run(db, READ_CHOICES, 'enforcing', SCOPE, 'throw')).toThrow(/Security restricted: Read operation on table 'sys_choice'/)
  })

  it('a scope that is not installed is refused (the source could not be found)', () => {
    const db = testDatabase('open')
    expect(run(db, READ_CHOICES, 'enforcing', 'x_not_installed')).toBe(0)
    expect(securityLog(db)).toEqual(["Security restricted: Read operation on table 'sys_choice' was denied: the source scope 'x_not_installed' could not be found"])
  })

  it("the table's application access refuses a write even with a privilege (KB0727180)", () => {
    const db = testDatabase('read-only')
    allow(db, 'sys_choice', 'create')
    expect(run(db, INSERT_CHOICE)).toBeNull()
    expect(securityLog(db)).toEqual(["Security restricted: Create operation against 'sys_choice' from scope 'x_test_app' has been refused due to the table's cross-scope access policy"])
    expect(db.count('sys_choice', 'value=X')).toBe(0)
  })

  it('with the privilege and an open table the insert happens', () => {
    const db = testDatabase('open')
    allow(db, 'sys_choice', 'create')
    expect(run(db, INSERT_CHOICE)).toMatch(/^[0-9a-f]{32}$/)
    expect(db.count('sys_choice', 'value=X')).toBe(1)
    expect(securityLog(db)).toEqual([])
  })

  it('checks updates and deletes of rows it may read', () => {
    const db = testDatabase('open')
    allow(db, 'sys_choice', 'read')
    const target = db.insert('sys_choice', { name: 'x_test_app_thing', element: 'state', value: 'one', label: 'One' })
    const result = run(db, `
      var gr = new GlideRecord('sys_choice'); gr.get('${target.sys_id}'); gr.setValue('label', 'Changed'); var updated = gr.update();
      var del = new GlideRecord('sys_choice'); del.get('${target.sys_id}'); var deleted = del.deleteRecord();
      var many = new GlideRecord('sys_choice'); many.addQuery('sys_id', '${target.sys_id}'); many.deleteMultiple();
      return { updated: updated, deleted: deleted };`)
    expect(result).toEqual({ updated: null, deleted: false })
    expect(db.get('sys_choice', target.sys_id as string)?.label).toBe('One')
    expect(securityLog(db).map((m) => m.replace(/ from scope.*/, ''))).toEqual([
      "Security restricted: Write operation on table 'sys_choice'",
      "Security restricted: Delete operation on table 'sys_choice'",
      "Security restricted: Delete operation on table 'sys_choice'",
    ])
  })

  it('covers aggregates, get, dot-walks and reference display values', () => {
    const db = testDatabase('open')
    const user = db.insert('sys_user', { user_name: 'someone', email: 'someone@example.com' })
    db.insert('sys_user_has_role', { user: user.sys_id, role: db.query('sys_user_role', 'name=itil')[0]?.sys_id ?? '' })
    allow(db, 'sys_user_has_role', 'read')
    const result = run(db, `
      var ga = new GlideAggregate('sys_user'); ga.addAggregate('COUNT'); ga.query(); ga.next();
      var gr = new GlideRecord('sys_user_has_role'); gr.addQuery('user', '${user.sys_id}'); gr.query(); gr.next();
      var u = new GlideRecord('sys_user'); var found = u.get('${user.sys_id}');
      return { count: ga.getAggregate('COUNT'), walked: gr.getValue('user.email'), shown: gr.getDisplayValue('role'), found: found };`)
    expect(result).toEqual({ count: '0', walked: null, shown: '', found: false })
    expect(securityLog(db).map((m) => m.replace(/ from scope.*/, ''))).toEqual([
      "Security restricted: Read operation on table 'sys_user'",
      "Security restricted: Read operation on table 'sys_user'",
      "Security restricted: Read operation on table 'sys_user'",
      "Security restricted: Read operation on table 'sys_user_role'",
    ])
  })

  it("checks nothing for the app's own tables, or for a script in the global scope", () => {
    const db = testDatabase('read-only')
    db.dictionary.define({ name: 'x_test_app_own', label: 'Own', wsAccess: true, scopeId: SCOPE_ID, columns: columnsFrom({ ...SYSTEM_COLUMNS, code: col.string('Code', 40) }) })
    expect(run(db, `var gr = new GlideRecord('x_test_app_own'); return gr.insert();`)).toMatch(/^[0-9a-f]{32}$/)
    expect(run(db, READ_CHOICES, 'enforcing', 'global')).toBeGreaterThan(0)
    expect(securityLog(db)).toEqual([])
  })
})

describe('runtime access tracking: tracking and none', () => {
  it('tracking records one allowed privilege per table and operation and lets the operation run', () => {
    const db = testDatabase('open')
    run(db, `${READ_CHOICES}`, 'tracking')
    run(db, `${READ_CHOICES}`, 'tracking')
    run(db, INSERT_CHOICE, 'tracking')
    expect(privilegesOf(db, SCOPE)).toEqual(['sys_choice:create', 'sys_choice:read'])
    expect(db.count('sys_choice', 'value=X')).toBe(1)
  })

  it("none skips the privileges but not the table's application access", () => {
    const db = testDatabase('read-only')
    expect(run(db, READ_CHOICES, 'none')).toBeGreaterThan(0)
    expect(run(db, INSERT_CHOICE, 'none')).toBeNull()
    expect(securityLog(db)).toEqual([expect.stringContaining("has been refused due to the table's cross-scope access policy")])
  })
})
