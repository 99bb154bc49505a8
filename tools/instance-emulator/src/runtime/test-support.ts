// Shared set-up for the runtime's unit tests: a seeded store, users, and app records inserted directly.
import { createDatabase, type Database } from '../db/index.ts'
import { grantRole } from '../db/roles.ts'
import { userRoleNames } from '../db/roles.ts'
import type { SessionUser } from '../types.ts'
import { canAccessTable } from '../acl/acl.ts'
import type { ExecutionContext } from './context.ts'
import { crossScopeAllowed, type CrossScopeRefusal, type RuntimeAccessTracking } from './cross-scope.ts'
import { Sandbox } from './sandbox.ts'

export const SCOPE = 'x_test_app'
export const SCOPE_ID = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'

/**
 * A seeded store with the test app's scope. Platform tables are open to other scopes' writes here ('open'), so the
 * Glide semantics tests run from the app scope; cross-scope.test.ts covers the documented 'read-only' default.
 */
export function testDatabase(globalTableAccess: 'read-only' | 'open' = 'open'): Database {
  const db = createDatabase({ switches: { globalTableAccess } })
  db.now = () => new Date('2026-03-01T12:00:00Z')
  db.insert('sys_scope', { sys_id: SCOPE_ID, scope: SCOPE, name: 'Test app', version: '1.0.0' })
  return db
}

export function makeUser(db: Database, userName: string, roles: string[]): SessionUser {
  const row = db.insert('sys_user', { user_name: userName, first_name: userName, last_name: 'Tester', email: `${userName}@example.com` })
  for (const role of roles) grantRole(db, row.sys_id as string, role)
  return { sysId: row.sys_id as string, userName, roles: userRoleNames(db, row.sys_id as string), via: 'basic' }
}

export function adminOf(db: Database): SessionUser {
  const row = db.query('sys_user', 'user_name=admin')[0]
  if (!row) throw new Error('no admin')
  return { sysId: row.sys_id as string, userName: 'admin', roles: userRoleNames(db, row.sys_id as string), via: 'basic' }
}

/** A context for Glide semantics tests: cross-scope checks off unless `tracking` says otherwise (cross-scope.test.ts). */
export function contextFor(db: Database, user: SessionUser, scope = SCOPE, tracking: RuntimeAccessTracking = 'none', refusal: CrossScopeRefusal = 'quiet'): ExecutionContext {
  return {
    db,
    user,
    scope,
    canAccess: (table, op) => canAccessTable(db, user, table, op),
    scopeAllows: (table, op) => crossScopeAllowed({ db, scope, user: user.userName, tracking, refusal }, table, op),
  }
}

export function sandboxFor(db: Database, user: SessionUser, scope = SCOPE): Sandbox {
  return new Sandbox(contextFor(db, user, scope))
}

/** Runs a script body and returns what it returns. */
export function evaluate(db: Database, user: SessionUser, body: string, scope = SCOPE): unknown {
  return sandboxFor(db, user, scope).run(body, 'test')
}

export function addModule(db: Database, path: string, content: string): void {
  db.insert('sys_module', { path, name: path, content, sys_scope: SCOPE_ID }, { addUnknownColumns: true })
}

export function snapshot(db: Database): { select: number; insert: number; update: number; delete: number } {
  return { ...db.counters }
}
