// insertMultipleTransform: whether POST /api/now/import/{staging}/insertMultiple transforms its rows before it
// answers ('synchronous') or after, in the background ('asynchronous'; c_ImportSetAPI.md "Transformation is
// asynchronous by default"). One kandji_probe_ record into the probe app's import table; right after the answer the
// staging row is read: transformed already = synchronous, still pending and transformed on a later read = asynchronous.
// The record carries its one value twice, keyed by the column's label and by its name, so the staging row also shows
// which key insertMultiple used (evidence only: the docs settle it, "changing the Column mapping from Label to Column
// name" in a sys_rest_insert_multiple record, c_ImportSetAPI.md).
import { setTimeout as sleep } from 'node:timers/promises'
import type { ProbeEvidence, SwitchObservation } from '@kandji-sn/contract'
import { PLATFORM_TABLES, PROBE } from '@kandji-sn/contract/constants'
import { isMissingTableError, query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import type { ProbeContext, ProbeTable } from '../types.ts'
import { answered, couldNotTell, describe, observed, refused } from './evidence.ts'
import { PROBE_IMPORT } from './package.ts'

export const BY_LABEL = `${PROBE.namePrefix}keyed_by_label`
export const BY_NAME = `${PROBE.namePrefix}keyed_by_name`

/**
 * Reads of a pending row: after 0.5 s, doubling to 4 s, about 60 s in all (an instance's import job may be slow to
 * start). The first wait is long enough that a background transform queued at the answer has run by then on the
 * emulator (importTransformDelayMs, 100 ms), so a run makes the same requests every time.
 */
export interface Poll {
  firstMs: number
  maxMs: number
  reads: number
}
export const POLL: Readonly<Poll> = { firstMs: 500, maxMs: 4_000, reads: 18 }

/** Where the experiment's kandji_probe_ rows are, for the search for leftovers of an interrupted run. */
export const INSERT_MULTIPLE_TABLES: readonly ProbeTable[] = [
  { table: PROBE_IMPORT.stagingTable, nameField: PROBE_IMPORT.keyColumn },
  { table: PROBE_IMPORT.targetTable, nameField: PROBE_IMPORT.targetField },
]

const TRANSFORMED = new Set(['inserted', 'updated'])
const POST = `POST /api/now/import/${PROBE_IMPORT.stagingTable}/insertMultiple`
const ROW_READ = `GET /api/now/table/${PROBE_IMPORT.stagingTable} (sys_import_set={import_set_id})`

interface StagingRow {
  sysId: string
  key: string
  state: string
  target: string
}

async function stagingRows(admin: ServiceNowClient, importSetId: string): Promise<StagingRow[]> {
  const rows = await admin.table.list(PROBE_IMPORT.stagingTable, {
    query: query().eq('sys_import_set', importSetId).toString(),
    fields: ['sys_id', 'sys_import_set', PROBE_IMPORT.keyColumn, 'sys_import_state', 'sys_target_sys_id'],
    limit: 5,
    pageSize: 5,
  })
  // Checked again: an instance that ignored the query must not make the probe read (or delete) another set's rows.
  return rows
    .filter((r) => r.sys_import_set === importSetId && r.sys_id)
    .map((r) => ({ sysId: r.sys_id as string, key: r[PROBE_IMPORT.keyColumn] ?? '', state: r.sys_import_state ?? '', target: r.sys_target_sys_id ?? '' }))
}

const rowShape = (rows: StagingRow[]) => `{result: [${rows.map((r) => `sys_import_state: "${r.state}", ${PROBE_IMPORT.keyColumn}: "${r.key}"`).join('; ')}]}`

function keyedBy(row: StagingRow): string {
  if (row.key === BY_LABEL) return `keyed by column label ("${PROBE_IMPORT.keyLabel}")`
  if (row.key === BY_NAME) return `keyed by column name (${PROBE_IMPORT.keyColumn})`
  return 'keyed by neither the column label nor its name (the staging row has no value)'
}

export async function insertMultipleTransform(ctx: ProbeContext, poll: Readonly<Poll> = POLL): Promise<SwitchObservation> {
  const { admin, signal } = ctx
  const request = `${POST} ({records: [1 record]}, its value keyed by the label "${PROBE_IMPORT.keyLabel}" and by the name ${PROBE_IMPORT.keyColumn})`
  let importSetId: string
  try {
    const [batch] = await admin.importSet.insertMultiple(PROBE_IMPORT.stagingTable, [{ [PROBE_IMPORT.keyLabel]: BY_LABEL, [PROBE_IMPORT.keyColumn]: BY_NAME }])
    importSetId = batch?.import_set_id ?? ''
  } catch (error) {
    return couldNotTell(`the insertMultiple request was not accepted: ${describe(error)}`, [refused(request, error)])
  }
  const evidence: ProbeEvidence[] = [answered(request, 201, '{import_set_id, multi_import_set_id}')]
  const record = (rows: StagingRow[]) => {
    for (const r of rows) if (r.key.startsWith(PROBE.namePrefix)) ctx.created(PROBE_IMPORT.stagingTable, r.sysId, r.key)
  }
  const first = await stagingRows(admin, importSetId)
  record(first)
  evidence.push(answered(`${ROW_READ}, right after the answer`, 200, rowShape(first)))
  if (first.length !== 1) return couldNotTell(`the import set holds ${first.length} staging rows, not the one sent`, evidence)
  let row = first[0] as StagingRow
  let reads = 1
  for (let wait = poll.firstMs; row.state === 'pending' && reads < poll.reads; wait = Math.min(wait * 2, poll.maxMs)) {
    await sleep(wait, undefined, { signal })
    const again = await stagingRows(admin, importSetId)
    reads++
    if (again.length !== 1) {
      evidence.push(answered(`${ROW_READ}, read ${reads}`, 200, rowShape(again)))
      return couldNotTell(`the staging row went away while the probe waited for its transform`, evidence)
    }
    row = again[0] as StagingRow
  }
  if (reads > 1) evidence.push(answered(`${ROW_READ}, read ${reads}`, 200, rowShape([row])))
  const keyed = keyedBy(row)
  evidence[0] = { ...evidence[0]!, answer: `${evidence[0]!.answer}; ${keyed}` }
  if (!TRANSFORMED.has(row.state)) {
    const why = row.state === 'pending' ? `still pending after ${reads} reads (about ${Math.round(waited(poll, reads) / 1000)} s)` : `"${row.state}"`
    return couldNotTell(`the staging row was not transformed: its sys_import_state is ${why}`, evidence)
  }
  // The target row the transform wrote, named after the staging row's value: recorded so it is removed by sys_id.
  if (/^[0-9a-f]{32}$/i.test(row.target)) {
    const target = await admin.table.get(PROBE_IMPORT.targetTable, row.target, { fields: ['sys_id', PROBE_IMPORT.targetField] })
    const name = target?.[PROBE_IMPORT.targetField] ?? ''
    if (name.startsWith(PROBE.namePrefix)) ctx.created(PROBE_IMPORT.targetTable, row.target, name)
    evidence.push(answered(`GET /api/now/table/${PROBE_IMPORT.targetTable}/{sys_target_sys_id}`, target ? 200 : 404, target ? `{result.${PROBE_IMPORT.targetField}: "${name}"}` : '{error: "No Record found"}'))
  }
  return observed(reads === 1 ? 'synchronous' : 'asynchronous', evidence)
}

/** The longest the polling waits before its `reads`-th read. */
function waited(poll: Readonly<Poll>, reads: number): number {
  let total = 0
  for (let i = 1, wait = poll.firstMs; i < reads; i++, wait = Math.min(wait * 2, poll.maxMs)) total += wait
  return total
}

/**
 * Removes what insertMultiple made on the instance: per import set of the probe's import table, its staging rows,
 * its transform runs and the set; then the multi import sets named after the table. Each is listed by the table
 * it belongs to, checked and deleted by sys_id; idempotent. Target rows are found by name (INSERT_MULTIPLE_TABLES).
 */
export async function removeInsertMultipleSets(admin: ServiceNowClient): Promise<void> {
  const table = PROBE_IMPORT.stagingTable
  const list = (t: string, q: string, fields: string[]) => admin.table.list(t, { query: q, fields, limit: 50, pageSize: 50 })
  for (const set of await list(PLATFORM_TABLES.importSet, query().eq('table_name', table).toString(), ['sys_id', 'table_name'])) {
    if (set.table_name !== table || !set.sys_id) continue
    let rows: Record<string, string>[] = []
    try {
      rows = await list(table, query().eq('sys_import_set', set.sys_id).toString(), ['sys_id', 'sys_import_set'])
    } catch (error) {
      if (!isMissingTableError(error)) throw error // the uninstalled app took its staging rows with it
    }
    for (const r of rows) if (r.sys_import_set === set.sys_id && r.sys_id) await admin.table.delete(table, r.sys_id)
    for (const run of await list(PLATFORM_TABLES.importSetRun, query().eq('set', set.sys_id).toString(), ['sys_id', 'set'])) {
      if (run.set === set.sys_id && run.sys_id) await admin.table.delete(PLATFORM_TABLES.importSetRun, run.sys_id)
    }
    await admin.table.delete(PLATFORM_TABLES.importSet, set.sys_id)
  }
  for (const multi of await list(PLATFORM_TABLES.multiImportSet, query().eq('table_name', table).toString(), ['sys_id', 'table_name'])) {
    if (multi.table_name === table && multi.sys_id) await admin.table.delete(PLATFORM_TABLES.multiImportSet, multi.sys_id)
  }
}
