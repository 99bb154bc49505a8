// Fix scripts (sys_script_fix): run after an install (ScriptRuntime.afterInstall, as an instance does for the
// app's fix scripts) and on demand (runFixScript).
import { escapeQueryValue } from '../db/query.ts'
import type { Database } from '../db/database.ts'
import type { SessionUser, TableRecordRow } from '../types.ts'
import type { ExecutionContext } from './context.ts'
import { scopeNameOf } from './scope.ts'
import { runStoredScript, type ScriptRun } from './script-run.ts'

export interface FixScriptRun extends ScriptRun {
  name: string
  scope: string
}

type MakeContext = (db: Database, user: SessionUser, scope: string) => ExecutionContext

export function runFixScriptRecord(db: Database, record: TableRecordRow, user: SessionUser, makeContext: MakeContext): FixScriptRun {
  const scope = scopeNameOf(db, record)
  const name = record.name ?? record.sys_id ?? ''
  return { name, scope, ...runStoredScript(db, makeContext(db, user, scope), record.script ?? '', `sys_script_fix:${name}`) }
}

/** The fix scripts an app ships, in the order an install runs them (by name, as the platform does not document one). */
export function fixScriptsOfScope(db: Database, scopeName: string): TableRecordRow[] {
  const scope = db.query('sys_scope', `scope=${escapeQueryValue(scopeName)}`, { limit: 1 })[0]
  if (!scope) return []
  return db.query('sys_script_fix', `sys_scope=${scope.sys_id}^ORDERBYname`)
}

export function findFixScript(db: Database, name: string): TableRecordRow {
  const rows = db.query('sys_script_fix', `name=${escapeQueryValue(name)}`, { limit: 2 })
  if (rows.length === 0) {
    throw new Error(`No fix script named "${name}" is installed. Install the app first (emulator.installApp), or check the name.`)
  }
  if (rows.length > 1) throw new Error(`More than one fix script is named "${name}"; refusing to guess which one to run.`)
  return rows[0] as TableRecordRow
}
