// Scheduled script executions (sysauto_script): the platform runs a job's script in the job's application scope as
// the user in its Run as field (ServiceNowDocs it-business-management/project-management/
// scheduled-script-execution-form.md, field "Run as"); [U] a job with no Run as runs as the system user, who passes
// every ACL. A Run as that names no user refuses the run (the harmful variant: the docs are silent).
import { escapeQueryValue } from '../db/query.ts'
import type { Database } from '../db/database.ts'
import { userRoleNames } from '../db/roles.ts'
import type { SessionUser, TableRecordRow } from '../types.ts'
import type { ExecutionContext } from './context.ts'
import { scopeNameOf } from './scope.ts'
import { runStoredScript, type ScriptRun } from './script-run.ts'

export const JOB_TABLE = 'sysauto_script'

export interface JobRun extends ScriptRun {
  name: string
  sysId: string
  scope: string
  /** user_name the script ran as ('system' without Run as) */
  runAs: string
}

type MakeContext = (db: Database, user: SessionUser, scope: string) => ExecutionContext

/** The system user a job without Run as runs as. */
export const SYSTEM_USER: SessionUser = { sysId: '', userName: 'system', roles: new Set(['admin']), via: 'session' }

export function findJob(db: Database, nameOrSysId: string): TableRecordRow {
  if (typeof nameOrSysId !== 'string' || nameOrSysId.trim() === '') {
    throw new Error(`jobs.run: expected a job's name or sys_id, got ${JSON.stringify(nameOrSysId)}\ncause: no name was given\nfix:   pass the sysauto_script name (e.g. HEALTH_RUN.job) or its sys_id`)
  }
  const exists = db.tableExists(JOB_TABLE)
  const bySysId = exists ? db.get(JOB_TABLE, nameOrSysId) : undefined
  if (bySysId) return bySysId
  const rows = exists ? db.query(JOB_TABLE, `name=${escapeQueryValue(nameOrSysId)}`, { limit: 2 }) : []
  if (rows.length === 0) {
    throw new Error(`jobs.run: no scheduled job (${JOB_TABLE}) is named or has the sys_id "${nameOrSysId}"\ncause: the app that ships it is not installed, or the name is misspelt\nfix:   install the app first (emulator.installApp), or check the name`)
  }
  if (rows.length > 1) throw new Error(`jobs.run: more than one scheduled job is named "${nameOrSysId}"; pass its sys_id instead`)
  return rows[0] as TableRecordRow
}

function runAsUser(db: Database, record: TableRecordRow): SessionUser | string {
  const id = record.run_as ?? ''
  if (id === '') return SYSTEM_USER
  const row = db.get('sys_user', id) ?? db.query('sys_user', `user_name=${escapeQueryValue(id)}`, { limit: 1 })[0]
  if (!row) return `the job's Run as (${id}) names no user`
  return { sysId: row.sys_id as string, userName: row.user_name ?? '', roles: userRoleNames(db, row.sys_id as string), via: 'session' }
}

export function runJobRecord(db: Database, record: TableRecordRow, makeContext: MakeContext): JobRun {
  const scope = scopeNameOf(db, record)
  const name = record.name ?? ''
  const sysId = record.sys_id as string
  const user = runAsUser(db, record)
  if (typeof user === 'string') return { name, sysId, scope, runAs: record.run_as ?? '', ok: false, error: user, log: [] }
  return { name, sysId, scope, runAs: user.userName, ...runStoredScript(db, makeContext(db, user, scope), record.script ?? '', `${JOB_TABLE}:${name}`) }
}

/** Parses a glide_duration value ('1970-01-01 01:00:00' is one hour; the SDK writes run_period so) into ms. */
export function durationMs(value: string | undefined): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value ?? '')
  if (!match) return undefined
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]))
  return ms > 0 ? ms : undefined
}
