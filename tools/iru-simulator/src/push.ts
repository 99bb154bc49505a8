// Pushes staging rows the way Iru Endpoint does: an ROPC token with the hand-off credentials, then the Import Set
// API: insertMultiple batches for bulk loads, one synchronous insert per row for changes (facts 4.2).
import { PLATFORMS, TABLES, type Handoff, type Platform } from '@kandji-sn/contract'
import type { ImportRowResult, RequestEvent, ServiceNowClient, TableRecord } from '@kandji-sn/servicenow-client'
import type { AppInstall } from './apps.ts'
import { connect } from './connect.ts'
import type { KandjiDevice } from './devices.ts'
import { fatalPushError, describeRowFailure } from './failures.ts'
import type { MalformedDefect, MalformedRow } from './malformed.ts'
import { emptyCounts, MessageGrouper, type Outcome, type OutcomeCounts, type PushReport, type ResultsState } from './report.ts'
import {
  APP_STAGING_COLUMNS,
  DEVICE_STAGING_COLUMNS,
  keyRow,
  toAppStagingRow,
  toStagingRow,
  type ColumnKeys,
  type StagingColumn,
  type StagingRow,
} from './staging-row.ts'

/** The part of the client a push needs; tests may pass any object with this shape. */
export type PushClient = Pick<ServiceNowClient, 'instance' | 'importSet' | 'table'>

export interface PushProgress {
  phase: 'push' | 'poll'
  done: number
  total: number
}

export interface PollOptions {
  /** Give up waiting for asynchronous transforms after this long; 0 skips polling. Default 60 000 ms. */
  timeoutMs?: number
  /** Longest pause between polls (they start at 250 ms and double); default 2000 ms. */
  intervalMs?: number
}

interface CommonPushOptions {
  /** A client to use as is, or the hand-off file's content (the simulator then authenticates with ROPC). */
  client?: PushClient
  handoff?: Handoff
  /** 'bulk': insertMultiple in batches (transform asynchronous on an instance); 'single': one insert per row. */
  mode?: 'bulk' | 'single'
  /** Rows per insertMultiple request; default 200. */
  batchSize?: number
  /** Parallel single-row requests; default 4. */
  concurrency?: number
  /**
   * How insertMultiple records are keyed. The platform default is the column label (facts 4.2) unless the
   * instance's sys_rest_insert_multiple record says column names. Single inserts always use names. Default 'label'.
   */
  keys?: ColumnKeys
  poll?: PollOptions
  onProgress?: (progress: PushProgress) => void
  /** Injected for tests (poll waits). */
  sleep?: (ms: number) => Promise<void>
  /** Extra options for the client the simulator creates from `handoff` (e.g. a test fetch). */
  clientOptions?: { fetch?: typeof fetch; timeoutMs?: number; logger?: (line: string) => void }
}

export interface PushInventoryOptions extends CommonPushOptions {
  devices: readonly KandjiDevice[]
  /** Deliberately broken rows, pushed after the devices and reported by defect. */
  malformed?: readonly MalformedRow[]
  /** Default: the contract's TABLES.deviceImport. */
  table?: string
}

export interface PushAppsOptions extends CommonPushOptions {
  apps: readonly AppInstall[]
  table?: string
}

/** One row to send and how to recognise it again among the staging rows. */
interface PushItem {
  row: StagingRow
  /** Natural key shown in the report (serial number). */
  key: string
  platform: Platform | 'unknown'
  defect?: MalformedDefect
  /** Column values that identify the row among the staging rows of its import set (device_id: never altered). */
  match: string
  outcome: Outcome
  message?: string
  importSet?: string
}

const MATCH_COLUMNS = { devices: ['device_id'], apps: ['device_id', 'bundle_id'] } as const
const STATE_FIELD = 'sys_import_state'
const STATE_COMMENT_FIELD = 'sys_import_state_comment'
const IMPORT_SET_FIELD = 'sys_import_set'
const FIRST_POLL_DELAY_MS = 250

export async function pushInventory(options: PushInventoryOptions): Promise<PushReport> {
  const items: PushItem[] = options.devices.map((device) => {
    const row = toStagingRow(device)
    return { row, key: device.serial_number, platform: device.platform, match: fingerprint(row, MATCH_COLUMNS.devices), outcome: 'pending' }
  })
  for (const bad of options.malformed ?? []) {
    const platform = (bad.row.platform ?? 'unknown') as Platform | 'unknown'
    items.push({
      row: bad.row,
      key: bad.row.serial_number || `(${bad.defect})`,
      platform,
      defect: bad.defect,
      match: fingerprint(bad.row, MATCH_COLUMNS.devices),
      outcome: 'pending',
    })
  }
  return push(options, items, options.table ?? TABLES.deviceImport, 'devices', DEVICE_STAGING_COLUMNS, MATCH_COLUMNS.devices)
}

export async function pushApps(options: PushAppsOptions): Promise<PushReport> {
  const items: PushItem[] = options.apps.map((app) => {
    const row = toAppStagingRow(app)
    return { row, key: app.serial_number, platform: 'Mac', match: fingerprint(row, MATCH_COLUMNS.apps), outcome: 'pending' }
  })
  return push(options, items, options.table ?? TABLES.appImport, 'apps', APP_STAGING_COLUMNS, MATCH_COLUMNS.apps)
}

async function push(
  options: CommonPushOptions,
  items: PushItem[],
  table: string,
  kind: PushReport['kind'],
  columns: ReadonlyArray<StagingColumn<never>>,
  matchColumns: readonly string[],
): Promise<PushReport> {
  const started = performance.now()
  let requests = 0
  const counted = (event: RequestEvent): void => {
    void event
    requests++
  }
  const client = options.client ?? (await connect(options.handoff, { ...options.clientOptions, onRequest: counted }))
  const mode = options.mode ?? 'bulk'
  const batchSize = options.batchSize ?? 200
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number of rows, 1 or more, got ${String(batchSize)}`)
  const user = options.handoff?.username
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const progress = options.onProgress ?? (() => {})

  let results: ResultsState = 'complete'
  let resultsNote: string | undefined
  const importSets: string[] = []

  if (mode === 'single') {
    await sendSingle(client, table, items, options.concurrency ?? 4, user, progress)
  } else {
    await sendBulk(client, table, items, batchSize, options.keys ?? 'label', columns, user, progress, importSets)
    const polled = await pollResults(client, table, items, matchColumns, options.poll ?? {}, sleep, progress, user)
    results = polled.results
    resultsNote = polled.note
  }
  if (results === 'complete' && items.some((i) => i.outcome === 'pending')) results = 'pending'

  const report = summarise(items, {
    instance: client.instance,
    table,
    kind,
    mode,
    batchSize,
    durationMs: Math.round(performance.now() - started),
    importSets: [...new Set(importSets)],
    results,
    ...(resultsNote ? { resultsNote } : {}),
    ...(options.client ? {} : { requests }),
  })
  return report
}

async function sendSingle(
  client: PushClient,
  table: string,
  items: PushItem[],
  concurrency: number,
  user: string | undefined,
  progress: (p: PushProgress) => void,
): Promise<void> {
  let next = 0
  let done = 0
  let fatal: unknown
  const worker = async (): Promise<void> => {
    while (fatal === undefined && next < items.length) {
      const item = items[next++]!
      try {
        const response = await client.importSet.insert(table, item.row)
        classifySingle(item, response.result)
        if (response.import_set) item.importSet = response.import_set
      } catch (error) {
        const stop = fatalPushError(error, table, user)
        if (stop) {
          fatal ??= stop
          return
        }
        item.outcome = 'failed'
        item.message = describeRowFailure(error)
      }
      progress({ phase: 'push', done: ++done, total: items.length })
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker))
  if (fatal !== undefined) throw fatal
}

/** One row can produce a result per transform map; an error anywhere wins, then inserted, updated, skipped, ignored. */
function classifySingle(item: PushItem, results: readonly ImportRowResult[]): void {
  const statuses = results.map((r) => r.status.toLowerCase())
  const error = results.find((r) => r.status.toLowerCase() === 'error')
  if (error) {
    item.outcome = 'rejected'
    item.message = error.error_message || error.status_message || 'the transform reported an error without a message'
    return
  }
  const order: Outcome[] = ['inserted', 'updated', 'skipped', 'ignored']
  const found = order.find((o) => statuses.includes(o))
  item.outcome = found ?? 'pending'
  const note = results.find((r) => r.status_message)?.status_message
  if (note) item.message = note
}

async function sendBulk(
  client: PushClient,
  table: string,
  items: PushItem[],
  batchSize: number,
  keys: ColumnKeys,
  columns: ReadonlyArray<StagingColumn<never>>,
  user: string | undefined,
  progress: (p: PushProgress) => void,
  importSets: string[],
): Promise<void> {
  let done = 0
  for (let start = 0; start < items.length; start += batchSize) {
    const batch = items.slice(start, start + batchSize)
    try {
      const responses = await client.importSet.insertMultiple(
        table,
        batch.map((item) => keyRow(item.row, columns, keys)),
        { batchSize: batch.length },
      )
      const id = responses[0]?.import_set_id
      for (const item of batch) if (id) item.importSet = id
      if (id) importSets.push(id)
    } catch (error) {
      const stop = fatalPushError(error, table, user)
      if (stop) throw stop
      const message = describeRowFailure(error)
      for (const item of batch) {
        item.outcome = 'failed'
        item.message = message
      }
    }
    done += batch.length
    progress({ phase: 'push', done, total: items.length })
  }
}

/**
 * insertMultiple transforms asynchronously on an instance (facts 4.2), so its response says nothing about the rows.
 * Read the staging rows of each import set back (sys_import_state, sys_import_state_comment) until none is pending
 * or the time is up. If the account may not read them, the rows stay pending and the report says so.
 */
async function pollResults(
  client: PushClient,
  table: string,
  items: PushItem[],
  matchColumns: readonly string[],
  poll: PollOptions,
  sleep: (ms: number) => Promise<void>,
  progress: (p: PushProgress) => void,
  user: string | undefined,
): Promise<{ results: ResultsState; note?: string }> {
  const timeoutMs = poll.timeoutMs ?? 60_000
  const intervalMs = Math.max(1, poll.intervalMs ?? 2000)
  const waiting = (): PushItem[] => items.filter((i) => i.outcome === 'pending' && i.importSet)
  if (waiting().length === 0) return { results: 'complete' }
  if (timeoutMs <= 0) {
    return { results: 'pending', note: 'results pending: not polled (wait 0); see System Import Sets > Import Set Runs on the instance' }
  }
  // The wait is the sum of the intended sleeps, not a clock reading, so the loop is testable with an instant sleep.
  // Polls start quickly (a small import is transformed within a second) and back off to intervalMs.
  let waited = 0
  let delay = Math.min(FIRST_POLL_DELAY_MS, intervalMs)
  const total = waiting().length
  let seen = 0
  for (let attempt = 1; ; attempt++) {
    const bySet = new Map<string, PushItem[]>()
    for (const item of waiting()) bySet.set(item.importSet!, [...(bySet.get(item.importSet!) ?? []), item])
    for (const [importSet, setItems] of bySet) {
      let rows: TableRecord[]
      try {
        rows = await client.table.list(table, {
          query: importSetQuery(importSet),
          fields: [STATE_FIELD, STATE_COMMENT_FIELD, ...matchColumns],
        })
      } catch (error) {
        const kind = (error as { kind?: string }).kind
        const status = (error as { status?: number }).status
        const who = user ? `"${user}"` : 'this account'
        return {
          results: 'unreadable',
          note:
            `results pending: ${who} cannot read ${table} (${status ?? kind ?? 'error'}), so the outcome of the asynchronous ` +
            `transform is unknown; check System Import Sets > Import Set Runs for ${importSetList(items)}`,
        }
      }
      seen += rows.length
      applyStagingRows(setItems, rows, matchColumns)
    }
    // insertMultiple writes the staging rows before it answers (only the transform is deferred), so seeing none
    // at all means the account cannot read them: the Table API hides rows an ACL denies instead of failing.
    // ASSUMPTION from facts 4.2 (asynchronous transform, synchronous load); a 404 on a list reads as "empty".
    if (attempt === 1 && seen === 0) {
      const who = user ? `"${user}"` : 'this account'
      return {
        results: 'unreadable',
        note:
          `results pending: ${who} sees none of the staging rows it just loaded into ${table} (no read access), so the ` +
          `outcome of the asynchronous transform is unknown; check System Import Sets > Import Set Runs for ${importSetList(items)}`,
      }
    }
    const left = waiting().length
    progress({ phase: 'poll', done: total - left, total })
    if (left === 0) return { results: 'complete' }
    if (waited >= timeoutMs) {
      return {
        results: 'pending',
        note: `results pending: ${left} row(s) not transformed after ${Math.round(timeoutMs / 1000)} s; check System Import Sets > Import Set Runs`,
      }
    }
    const pause = Math.min(delay, timeoutMs - waited)
    await sleep(pause)
    waited += pause
    delay = Math.min(delay * 2, intervalMs)
  }
}

function importSetList(items: readonly PushItem[]): string {
  const sets = [...new Set(items.map((i) => i.importSet).filter((s): s is string => Boolean(s)))]
  return sets.length > 5 ? `${sets.slice(0, 5).join(', ')} and ${sets.length - 5} more` : sets.join(', ')
}

/** A sys_id is queried directly; anything else is taken as the import set number (ASSUMPTION: either may come back). */
export function importSetQuery(importSet: string): string {
  if (/^[0-9a-f]{32}$/i.test(importSet)) return `${IMPORT_SET_FIELD}=${importSet}`
  if (/^[A-Za-z0-9_-]+$/.test(importSet)) return `${IMPORT_SET_FIELD}.number=${importSet}`
  throw new Error(`unexpected import set id from the instance: ${JSON.stringify(importSet.slice(0, 60))}`)
}

function applyStagingRows(items: PushItem[], rows: readonly TableRecord[], matchColumns: readonly string[]): void {
  const queue = new Map<string, PushItem[]>()
  for (const item of items) queue.set(item.match, [...(queue.get(item.match) ?? []), item])
  for (const row of rows) {
    const match = fingerprint(row, matchColumns)
    const item = queue.get(match)?.shift()
    if (!item) continue
    const state = (row[STATE_FIELD] ?? '').toLowerCase()
    const comment = row[STATE_COMMENT_FIELD] ?? ''
    switch (state) {
      case 'inserted':
      case 'updated':
      case 'ignored':
      case 'skipped':
        item.outcome = state
        if (comment) item.message = comment
        break
      case 'error':
        item.outcome = 'rejected'
        item.message = comment || 'the transform set the row to error without a comment'
        break
      default:
        // pending, or a state this simulator does not know: not claimed as done.
        break
    }
  }
}

function fingerprint(row: Record<string, string | undefined>, columns: readonly string[]): string {
  return columns.map((c) => row[c] ?? '').join('\u0000')
}

function summarise(
  items: PushItem[],
  base: Omit<PushReport, 'totals' | 'platforms' | 'malformed' | 'errors' | 'messages'>,
): PushReport {
  const totals = emptyCounts()
  const platforms: PushReport['platforms'] = {}
  const malformed: PushReport['malformed'] = {}
  const errors = new MessageGrouper()
  const messages = new MessageGrouper()
  const bump = (counts: OutcomeCounts, outcome: Outcome): void => {
    counts.sent++
    counts[outcome]++
  }
  for (const item of items) {
    bump(totals, item.outcome)
    bump((platforms[item.platform] ??= emptyCounts()), item.outcome)
    if (item.defect) bump((malformed[item.defect] ??= emptyCounts()), item.outcome)
    if (item.outcome === 'rejected' || item.outcome === 'failed') errors.add(item.message ?? 'no message', item.key)
    else if (item.message) messages.add(item.message, item.key)
  }
  const ordered: PushReport['platforms'] = {}
  for (const platform of [...PLATFORMS, 'unknown'] as const) if (platforms[platform]) ordered[platform] = platforms[platform]
  Object.assign(ordered, { ...platforms, ...ordered })
  return { ...base, totals, platforms: ordered, malformed, errors: errors.list(), messages: messages.list() }
}
