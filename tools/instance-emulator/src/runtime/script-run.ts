// Runs a stored script (a fix script, a scheduled job) in a fresh sandbox and reports what it logged.
import type { Database } from '../db/database.ts'
import type { ExecutionContext } from './context.ts'
import { errorMessage, Sandbox } from './sandbox.ts'
import { SYSLOG_TABLE, ensureLogTables } from './syslog.ts'

export interface ScriptRun {
  ok: boolean
  /** The error the script threw, when it did. */
  error?: string
  /** What the script logged (gs.info/warn/error) while it ran, oldest first. */
  log: Array<{ level: string; message: string }>
}

const LEVEL_NAMES: Record<string, string> = { '2': 'error', '1': 'warn', '-1': 'debug' }

export function runStoredScript(db: Database, ctx: ExecutionContext, script: string, filename: string): ScriptRun {
  ensureLogTables(db)
  const before = new Set([...db.scan(SYSLOG_TABLE)].map((r) => r.row.sys_id))
  let error: string | undefined
  try {
    new Sandbox(ctx).run(script, filename)
  } catch (err) {
    error = errorMessage(err)
  }
  const log = [...db.scan(SYSLOG_TABLE)]
    .map((r) => r.row)
    .filter((r) => !before.has(r.sys_id))
    .map((r) => ({ level: LEVEL_NAMES[r.level ?? ''] ?? 'info', message: r.message ?? '' }))
  return { ok: error === undefined, ...(error === undefined ? {} : { error }), log }
}
