// The script runtime (issue 6): executes the app's shipped server code from the installed records.
import type { Database } from '../db/database.ts'
import { canAccessTable } from '../acl/acl.ts'
import { userRoleNames } from '../db/roles.ts'
import { ADMIN_USER_NAME } from '../db/seed.ts'
import { escapeQueryValue } from '../db/query.ts'
import type { ImportRowOutcome, ScriptRuntime, SessionUser, TableRecordRow } from '../types.ts'
import { runJobRecord, type JobRun } from './jobs.ts'
import type { ExecutionContext, IreSettings, TableOperation } from './context.ts'
import type { UnregisteredEvents } from './events.ts'
import { crossScopeAllowed, type CrossScopeRefusal, type RuntimeAccessTracking } from './cross-scope.ts'
import { findFixScript, fixScriptsOfScope, runFixScriptRecord, type FixScriptRun } from './fix-scripts.ts'
import { errorMessage, Sandbox, SCRIPT_TIMEOUT_MS } from './sandbox.ts'
import { runGuarded } from './script-guard.ts'
import { runScriptedRest } from './scripted-rest.ts'
import { writeSyslog } from './syslog.ts'
import { OnStartTracker, transformRow, type OnBeforeError, type TransformScriptScope } from './transform.ts'
import vm from 'node:vm'

export interface GlideRuntimeOptions {
  /** Table ACL decision (GlideRecordSecure, canRead/...); default: the emulator's ACL engine. */
  canAccess?: (db: Database, user: SessionUser, table: string, operation: TableOperation) => boolean
  /** Longest a synchronous script may run before it is stopped; default 30 s. */
  scriptTimeoutMs?: number
  /** Runtime access tracking of installed apps (switch runtimeAccessTracking); default 'enforcing'. */
  runtimeAccessTracking?: RuntimeAccessTracking
  /** Whether a refused cross-scope operation also throws into the script (switch crossScopeRefusal); default 'throw'. */
  crossScopeRefusal?: CrossScopeRefusal
  /** What error = true in an onBefore script does (switch onBeforeError); default 'halt-import-set'. */
  onBeforeError?: OnBeforeError
  /** Whether the rows of one import run share their scripts' globals (switch transformScriptScope); default 'import-run'. */
  transformScriptScope?: TransformScriptScope
  /** IRE's settings (switches ireSkipDuplicates, ireDiscoverySource). */
  ire?: IreSettings
  /** What gs.eventQueue does with an unregistered event (switch unregisteredEvents); default 'dropped'. */
  unregisteredEvents?: UnregisteredEvents
}

export interface GlideRuntime extends ScriptRuntime {
  /** Runs one installed fix script by name as the given user (default: admin). */
  runFixScript(db: Database, name: string, user?: SessionUser): FixScriptRun
  /**
   * Runs a server script in a scope as the given user (default: admin), as a scheduled job or a background script
   * does, and returns its completion value: what a one-line job script calling a script include returns.
   */
  runScript(db: Database, script: string, scope: string, user?: SessionUser): { ok: boolean; value?: unknown; error?: string }
  /** Runs a scheduled job's (sysauto_script) script as its Run as user (jobs.ts). */
  runJob(db: Database, record: TableRecordRow): JobRun
  /** The fix scripts that ran at the last afterInstall, per scope. */
  readonly lastInstallRuns: Map<string, FixScriptRun[]>
}

export function createGlideRuntime(options: GlideRuntimeOptions = {}): GlideRuntime {
  const access = options.canAccess ?? canAccessTable
  const tracking = options.runtimeAccessTracking ?? 'enforcing'
  const refusal = options.crossScopeRefusal ?? 'throw'
  const makeContext = (db: Database, user: SessionUser, scope: string): ExecutionContext => ({
    db,
    user,
    scope,
    canAccess: (table, operation) => db.tableExists(table) && access(db, user, table, operation),
    scopeAllows: (table, operation) => crossScopeAllowed({ db, scope, user: user.userName, tracking, refusal }, table, operation),
    ...(options.scriptTimeoutMs === undefined ? {} : { timeoutMs: options.scriptTimeoutMs }),
    ...(options.ire ? { ire: options.ire } : {}),
    ...(options.unregisteredEvents ? { unregisteredEvents: options.unregisteredEvents } : {}),
  })
  const onStart = new OnStartTracker()
  const lastInstallRuns = new Map<string, FixScriptRun[]>()
  return {
    lastInstallRuns,
    async scriptedRest(ctx) {
      return runScriptedRest(ctx, makeContext)
    },
    async transformRow(ctx): Promise<ImportRowOutcome[]> {
      return transformRow(ctx, makeContext, onStart, options.onBeforeError ?? 'halt-import-set', options.transformScriptScope ?? 'import-run')
    },
    transformBatch(ctx, rows, each) {
      // [U] one limit for the run: a script that never ends stops the whole run, as a transaction quota cancels
      // the whole transaction (README "Runtime").
      runGuarded(options.scriptTimeoutMs ?? SCRIPT_TIMEOUT_MS, () => {
        for (const row of rows) {
          if (!each(row, transformRow({ ...ctx, row }, makeContext, onStart, options.onBeforeError ?? 'halt-import-set', options.transformScriptScope ?? 'import-run'))) break
        }
      })
    },
    async afterInstall({ scope, user, db, previousFixScripts = [] }) {
      const runs = fixScriptsOfScope(db, scope)
        .filter((record) => !previousFixScripts.includes(record.sys_id as string))
        .map((record) => runFixScriptRecord(db, record, user, makeContext))
      for (const run of runs) {
        if (!run.ok) writeSyslog(db, 'error', `Fix script ${run.name} failed after the install of ${scope}: ${run.error}`, scope, user.userName)
      }
      lastInstallRuns.set(scope, runs)
    },
    runScript(db, script, scope, user) {
      try {
        // Not wrapped in a function (unlike Sandbox.run), so the script's completion value is its result.
        const sandbox = new Sandbox(makeContext(db, user ?? adminUser(db), scope))
        return { ok: true, value: new vm.Script(script, { filename: `script:${scope}` }).runInContext(sandbox.context, { timeout: options.scriptTimeoutMs ?? SCRIPT_TIMEOUT_MS }) }
      } catch (err) {
        return { ok: false, error: errorMessage(err) }
      }
    },
    runJob(db, record) {
      return runJobRecord(db, record, makeContext)
    },
    runFixScript(db, name, user) {
      return runFixScriptRecord(db, findFixScript(db, name), user ?? adminUser(db), makeContext)
    },
  }
}

/** The seeded admin as a session user (fix scripts run on demand as admin, like "Run Fix Script" in the UI). */
export function adminUser(db: Database): SessionUser {
  const row = db.query('sys_user', `user_name=${escapeQueryValue(ADMIN_USER_NAME)}`, { limit: 1 })[0]
  if (!row) throw new Error('The emulator has no admin user to run the fix script as; pass a user.')
  return { sysId: row.sys_id as string, userName: ADMIN_USER_NAME, roles: userRoleNames(db, row.sys_id as string), via: 'session' }
}

/**
 * Runs an installed fix script by name, on demand: `runFixScript(emulator, 'kandji_fix_script')`. Uses the
 * emulator's runtime when it is the Glide runtime, otherwise a fresh one over the same store.
 */
export function runFixScript(emulator: { db: Database; runtime?: ScriptRuntime }, name: string, user?: SessionUser): FixScriptRun {
  const runtime = emulator.runtime && isGlideRuntime(emulator.runtime) ? emulator.runtime : createGlideRuntime()
  return runtime.runFixScript(emulator.db, name, user)
}

/** Runs a server script in a scope on demand (see GlideRuntime.runScript). */
export function runScript(emulator: { db: Database; runtime?: ScriptRuntime }, script: string, scope: string, user?: SessionUser): { ok: boolean; value?: unknown; error?: string } {
  const runtime = emulator.runtime && isGlideRuntime(emulator.runtime) ? emulator.runtime : createGlideRuntime()
  return runtime.runScript(emulator.db, script, scope, user)
}

export function isGlideRuntime(runtime: ScriptRuntime): runtime is GlideRuntime {
  return typeof (runtime as Partial<GlideRuntime>).runFixScript === 'function'
}

export { NotEmulatedError } from './errors.ts'
export { createOrUpdateCI, HARDWARE_RULE_ENTRY } from './ire.ts'
export { SYSLOG_TABLE, IMPORT_LOG_TABLE } from './syslog.ts'
export type { FixScriptRun } from './fix-scripts.ts'
export type { JobRun } from './jobs.ts'
export { EVENT_TABLE, EVENT_REGISTRY_TABLE, ensureEventTables, type UnregisteredEvents } from './events.ts'
export { privilegesOf, SecurityRestrictedError, type CrossScopeRefusal, type RuntimeAccessTracking } from './cross-scope.ts'
export type { ExecutionContext, TableOperation } from './context.ts'
