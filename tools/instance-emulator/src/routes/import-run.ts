// Transforming the rows of one import set and recording the run in Transform History [sys_import_set_run]
// (import-run-details.md lists its fields by label: State, Started, Completed, Total, Inserts, Updates, Processed,
// Ignored, Skipped, Errors; the column names and state values here are [U]). insertMultiple runs it in the
// background after answering (c_ImportSetAPI.md: "Transformation is asynchronous by default"); the one-row POST
// runs it before answering ("Transformation occurs synchronously").
import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { glideDateTime, type Database } from '../db/database.ts'
import { writeSyslog } from '../runtime/syslog.ts'
import type { ImportRowOutcome, ScriptRuntime, SessionUser, TableRecordRow } from '../types.ts'

export const IMPORT_SET_RUN_TABLE = PLATFORM_TABLES.importSetRun

/**
 * sys_import_set_run states ("Running", then "Complete", "Complete with errors", or "Did not complete" when the
 * transform itself failed).
 */
export type ImportRunState = 'running' | 'complete' | 'complete_with_errors' | 'did_not_complete'

const COUNTED_STATES = { inserted: 'inserts', updated: 'updates', ignored: 'ignored', skipped: 'skipped', error: 'errors' } as const

export interface ImportSetRun {
  /** Outcomes of each transformed row, in row order (a halted set leaves the rest untransformed). */
  outcomes: ImportRowOutcome[][]
  /** Why the set was halted (error = true in an onBefore script), if it was. */
  halted?: string
}

/**
 * Transforms rows of the set in load order: `rows`, or else the set's pending rows. A halt (switch onBeforeError
 * 'halt-import-set') stops the set: the rows after it stay pending and the run ends "complete with errors". The set
 * is then processed, unless `keepOpen` (a synchronous set: r_ImportSetMode.md, "all Synchronous import sets will
 * automatically be modified to Processed at midnight"). A transform that throws ends the run "did not complete".
 */
export async function runImportSet(
  env: { db: Database; runtime: ScriptRuntime; user: SessionUser },
  stagingTable: string,
  importSet: TableRecordRow,
  options: { rows?: TableRecordRow[]; keepOpen?: boolean } = {},
): Promise<ImportSetRun> {
  const { db, runtime, user } = env
  const by = { user: user.userName }
  const importSetId = importSet.sys_id as string
  const run = db.insert(IMPORT_SET_RUN_TABLE, { set: importSetId, state: 'running', started: glideDateTime(db.now()) }, by)
  const rows = options.rows ?? db.query(stagingTable, `sys_import_set=${importSetId}^sys_import_state=pending`)
  const counts: Record<(typeof COUNTED_STATES)[keyof typeof COUNTED_STATES], number> = { inserts: 0, updates: 0, ignored: 0, skipped: 0, errors: 0 }
  const result: ImportSetRun = { outcomes: [] }
  const batch = {}
  const finish = (state: ImportRunState): void => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    const numbers = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)]))
    db.update(IMPORT_SET_RUN_TABLE, run.sys_id as string, { ...numbers, total: String(total), processed: String(total), state, completed: glideDateTime(db.now()) }, by)
    if (!options.keepOpen) db.update(PLATFORM_TABLES.importSet, importSetId, { state: 'processed' }, by)
  }
  const call = {
    stagingTable,
    importSetId,
    user,
    db,
    batch,
    onHalt: (message: string) => {
      result.halted = message
    },
  }
  /** Counts the row's outcome; answers whether the next row may go on. */
  const record = (row: TableRecordRow, outcomes: ImportRowOutcome[]): boolean => {
    result.outcomes.push(outcomes)
    const state = db.findStored(stagingTable, row.sys_id as string)?.row.sys_import_state ?? 'pending'
    const counter = COUNTED_STATES[state as keyof typeof COUNTED_STATES]
    if (counter) counts[counter]++
    return result.halted === undefined
  }
  try {
    if (runtime.transformBatch) runtime.transformBatch(call, rows, record)
    else {
      for (const row of rows) {
        if (!record(row, await runtime.transformRow({ ...call, row }))) break
      }
    }
  } catch (error) {
    finish('did_not_complete')
    throw error
  }
  finish(result.halted !== undefined || counts.errors > 0 ? 'complete_with_errors' : 'complete')
  if (result.halted !== undefined) {
    writeSyslog(db, 'error', `Import set ${importSet.number ?? importSetId}: transform halted by an onBefore script (error = true): ${result.halted}`, 'import', user.userName)
  }
  return result
}

/**
 * The background transforms of one emulator, one import set at a time in arrival order (as the platform's
 * scheduled import processing). Each starts `delayMs` after the one before it finished (or after it was queued,
 * when none was waiting), so an answer always comes first.
 */
export class ImportJobs {
  #chain: Promise<void> = Promise.resolve()
  readonly #delayMs: number
  readonly #onError: (error: unknown) => void

  constructor(delayMs: number, onError: (error: unknown) => void) {
    this.#delayMs = delayMs
    this.#onError = onError
  }

  enqueue(job: () => Promise<unknown>): void {
    this.#chain = this.#chain
      .then(() => new Promise<void>((resolve) => setTimeout(resolve, this.#delayMs)))
      .then(job)
      .then(
        () => undefined,
        (error: unknown) => this.#onError(error),
      )
  }

  /** Resolves once every queued transform (also those queued while waiting) has finished. */
  async idle(): Promise<void> {
    for (;;) {
      const current = this.#chain
      await current
      if (current === this.#chain) return
    }
  }
}
