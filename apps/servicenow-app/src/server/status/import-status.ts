// GET …/import_sets/{sys_id}: the outcome of one import set pushed to a Kandji staging table. insertMultiple
// answers before it transforms (c_ImportSetAPI.md: "Transformation is asynchronous by default"), and the account
// that pushed may read neither the staging rows nor Transform History [sys_import_set_run]; this endpoint reads
// both for it. A push is done when its run has ended, not when the HTTP answer arrived.
import { IMPORT_REJECTED_PREFIX, IMPORT_ROW_STATES, IMPORT_RUN_FINAL_STATES, PLATFORM_TABLES, TABLES } from '../generated/contract.ts'
import type { Platform } from '../platform/types.ts'
import { text } from '../import/values.ts'

/** Most rows one answer lists; an insertMultiple batch is far smaller. */
export const MAX_STATUS_ROWS = 10_000

/** sys_import_set_run columns (import-run-details.md names them by label only: the column names are [U]). */
const RUN_COUNTS = ['total', 'inserts', 'updates', 'ignored', 'skipped', 'errors'] as const
const ROW_KEYS = ['device_id', 'serial_number', 'app_name', 'bundle_id'] as const
const STAGING_TABLES: readonly string[] = [TABLES.deviceImport, TABLES.appImport]
/** A staging row's reference to its import set is named after the table. */
const IMPORT_SET_FIELD = PLATFORM_TABLES.importSet

export type RowState = (typeof IMPORT_ROW_STATES)[number]

export interface ImportStatusRow {
  row: number
  /** the staging row's state; an ignored row whose comment starts with IMPORT_REJECTED_PREFIX is 'rejected' */
  state: RowState
  comment: string
  device_id: string
  serial_number: string
  app_name?: string
  bundle_id?: string
}

export interface ImportStatus {
  import_set: { sys_id: string; number: string; table: string; state: string; mode: string }
  /** the latest transform run of the set; null until one started */
  run: ({ state: string } & { [K in (typeof RUN_COUNTS)[number]]: number }) | null
  /** the run has ended (rows still pending then were not transformed: e.g. a halted set) */
  done: boolean
  counts: { [K in RowState]: number }
  rows: ImportStatusRow[]
  truncated: boolean
}

export type ImportStatusResult = { found: true; status: ImportStatus } | { found: false }

const STATES: readonly RowState[] = IMPORT_ROW_STATES

export function rowState(state: string, comment: string): RowState {
  const s = state.toLowerCase()
  if (s === 'ignored' && comment.startsWith(IMPORT_REJECTED_PREFIX)) return 'rejected'
  return (STATES as readonly string[]).includes(s) ? (s as RowState) : 'pending'
}

export function lookupImportStatus(p: Platform, importSetSysId: string): ImportStatusResult {
  const set = p.record(PLATFORM_TABLES.importSet)
  set.addQuery('sys_id', importSetSysId)
  set.setLimit(1)
  set.query()
  if (!set.next()) return { found: false }
  const table = text(set.getValue('table_name'))
  // Only the app's own staging tables: the endpoint never describes another integration's imports.
  if (!STAGING_TABLES.includes(table)) return { found: false }

  const runRecord = p.record(PLATFORM_TABLES.importSetRun)
  runRecord.addQuery('set', importSetSysId)
  runRecord.orderByDesc('sys_created_on')
  runRecord.setLimit(1)
  runRecord.query()
  let run: ImportStatus['run'] = null
  if (runRecord.next()) {
    const counts = Object.fromEntries(RUN_COUNTS.map((c) => [c, Number.parseInt(runRecord.getValue(c) ?? '', 10) || 0])) as { [K in (typeof RUN_COUNTS)[number]]: number }
    run = { state: text(runRecord.getValue('state')), ...counts }
  }

  const gr = p.record(table)
  gr.addQuery(IMPORT_SET_FIELD, importSetSysId)
  gr.setLimit(MAX_STATUS_ROWS + 1)
  gr.query()
  const rows: ImportStatusRow[] = []
  while (gr.next()) {
    const comment = text(gr.getValue('sys_import_state_comment'))
    const entry: ImportStatusRow = {
      row: Number.parseInt(gr.getValue('sys_import_row') ?? '', 10) || 0,
      state: rowState(text(gr.getValue('sys_import_state')), comment),
      comment,
      device_id: '',
      serial_number: '',
    }
    for (const key of ROW_KEYS) {
      if (table === TABLES.deviceImport && (key === 'app_name' || key === 'bundle_id')) continue
      entry[key] = text(gr.getValue(key))
    }
    rows.push(entry)
  }
  rows.sort((a, b) => a.row - b.row)
  const truncated = rows.length > MAX_STATUS_ROWS
  if (truncated) rows.length = MAX_STATUS_ROWS
  const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as ImportStatus['counts']
  for (const r of rows) counts[r.state]++
  // The run's state values are [U]; the import set's Processed is documented (r_ImportSetMode.md), so either says done.
  const setState = text(set.getValue('state'))
  const done = (run !== null && (IMPORT_RUN_FINAL_STATES as readonly string[]).includes(run.state.toLowerCase())) || setState.toLowerCase() === 'processed'
  return {
    found: true,
    status: {
      import_set: { sys_id: importSetSysId, number: text(set.getValue('number')), table, state: setState, mode: text(set.getValue('mode')) },
      run,
      done,
      counts,
      rows,
      truncated,
    },
  }
}
