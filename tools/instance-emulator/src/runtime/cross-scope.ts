// Cross-scope access for app scripts: a script of one application scope reading, creating, updating or deleting a
// record of a table that belongs to another scope (global included) passes two layers, as on an instance:
//  1. runtime access tracking (c_RuntimeAccessTracking.md): under Enforcing, which an app gets once it is installed
//     on a target instance (KB0717945), the operation needs a sys_scope_privilege with status "allowed"
//     (c_CrossScopePrivilegeRecord.md); under Tracking one is recorded as allowed; under None nothing is checked;
//  2. the target table's application access (sys_db_object.access / read_access / create_access / update_access /
//     delete_access; c_DefaultRuntimeAccessPermissions.md), whatever the privileges say (KB0727180).
// A refusal writes the platform's "Security restricted" message to the system log and the operation is not done
// (KB1641480 lists the messages; it says the message "is thrown and the operation is blocked", so by default the
// script also gets an exception, switch crossScopeRefusal; 'quiet' returns no rows / null instead).
// The privilege layer is checked first: a community report (developer forum, "Cross Scope Privilege isn't
// Sufficient?") shows the "must declare a cross scope access privilege" refusal turning into the table-policy one
// once the privilege was added.
import type { Database } from '../db/database.ts'
import { escapeQueryValue } from '../db/query.ts'
import type { TableOperation } from './context.ts'
import { writeSyslog } from './syslog.ts'

export type RuntimeAccessTracking = 'enforcing' | 'tracking' | 'none'
export type CrossScopeRefusal = 'throw' | 'quiet'

/** What a script catches when the platform refuses a cross-scope operation (crossScopeRefusal 'throw'). */
export class SecurityRestrictedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SecurityRestrictedError'
  }
}

const SCOPE_PRIVILEGE_TABLE = 'sys_scope_privilege'
const TABLE_TARGET = 'sys_db_object'

const ACCESS_COLUMN: Record<TableOperation, string> = { read: 'read_access', create: 'create_access', write: 'update_access', delete: 'delete_access' }
const LABEL: Record<TableOperation, string> = { read: 'Read', create: 'Create', write: 'Write', delete: 'Delete' }

interface ScopeRef {
  sysId: string
  name: string
}

function scopeByName(db: Database, scope: string): ScopeRef | undefined {
  for (const { row } of db.scan('sys_scope')) if (row.scope === scope) return { sysId: row.sys_id as string, name: row.name || scope }
  return undefined
}

/** The scope a table belongs to: the app that defined it, otherwise global. */
function tableScopeId(db: Database, table: string): string {
  return db.dictionary.get(table)?.scopeId ?? 'global'
}

function tableRecord(db: Database, table: string): Record<string, string | undefined> | undefined {
  for (const { row } of db.scan('sys_db_object')) if (row.name === table) return row
  return undefined
}

/** The target table's application access for other scopes (documented defaults when it has no sys_db_object row). */
function tableAllows(db: Database, table: string, operation: TableOperation): boolean {
  const row = tableRecord(db, table)
  const accessible = (row?.access ?? 'public') === 'public'
  const canRead = (row?.read_access ?? 'true') === 'true'
  if (!accessible || !canRead) return false
  if (operation === 'read') return true
  return row?.[ACCESS_COLUMN[operation]] === 'true'
}

/** The privilege record for exactly this source, target scope, table and operation. */
function privilege(db: Database, source: string, target: string, table: string, operation: TableOperation): Record<string, string | undefined> | undefined {
  for (const { row } of db.scan(SCOPE_PRIVILEGE_TABLE)) {
    if (row.source_scope === source && row.target_scope === target && row.target_name === table && row.target_type === TABLE_TARGET && row.operation === operation) return row
  }
  return undefined
}

export interface CrossScopeCheck {
  db: Database
  /** Name of the scope the script runs in. */
  scope: string
  user: string
  tracking: RuntimeAccessTracking
  refusal: CrossScopeRefusal
}

function refuse(check: CrossScopeCheck, message: string): false {
  writeSyslog(check.db, 'error', message, check.scope, check.user)
  if (check.refusal === 'throw') throw new SecurityRestrictedError(message)
  return false
}

/** Whether the running script may do `operation` on `table`; logs the platform's message when it may not. */
export function crossScopeAllowed(check: CrossScopeCheck, table: string, operation: TableOperation): boolean {
  const { db, scope, tracking } = check
  if (scope === 'global' || !db.tableExists(table)) return true
  const source = scopeByName(db, scope)
  if (!source) return refuse(check, `Security restricted: ${LABEL[operation]} operation on table '${table}' was denied: the source scope '${scope}' could not be found`)
  const target = tableScopeId(db, table)
  if (target === source.sysId) return true
  if (tracking !== 'none' && db.tableExists(SCOPE_PRIVILEGE_TABLE)) {
    const found = privilege(db, source.sysId, target, table, operation)
    if (!found && tracking === 'tracking') {
      db.insert(SCOPE_PRIVILEGE_TABLE, { source_scope: source.sysId, target_scope: target, target_name: table, target_type: TABLE_TARGET, operation, status: 'allowed', sys_scope: source.sysId }, { user: check.user, skipRules: true })
    } else if (found?.status !== 'allowed') {
      // Missing, requested or denied: blocked until an admin allows it (c_RuntimeAccessTracking.md). The platform's
      // wording for a record that exists but is not allowed is unverified; the "must declare" text is used for both.
      return refuse(check, `Security restricted: ${LABEL[operation]} operation on table '${table}' from scope '${source.name}' was denied. The application '${source.name}' must declare a cross scope access privilege. Please contact the application author to update their privilege requests.`)
    }
  }
  if (!tableAllows(db, table, operation)) {
    return refuse(check, `Security restricted: ${LABEL[operation]} operation against '${table}' from scope '${scope}' has been refused due to the table's cross-scope access policy`)
  }
  return true
}

/** The privileges a scope holds, as "table:operation" (for tests and the switch table's examples). */
export function privilegesOf(db: Database, scope: string): string[] {
  const source = scopeByName(db, scope)
  if (!source || !db.tableExists(SCOPE_PRIVILEGE_TABLE)) return []
  return db
    .query(SCOPE_PRIVILEGE_TABLE, `source_scope=${escapeQueryValue(source.sysId)}^status=allowed`)
    .map((r) => `${r.target_name ?? ''}:${r.operation ?? ''}`)
    .sort()
}
