// Pushes staging rows the way Iru Endpoint does: an ROPC token with the hand-off credentials, then the Import Set
// API: insertMultiple batches for bulk loads, one synchronous insert per row for changes (facts 4.2).
import { IMPORT_REJECTED_PREFIX, PLATFORMS, TABLES, importStatusPath, importStatusSchema, type Handoff, type ImportStatus, type Platform } from '@kandji-sn/contract'
import type { ImportRowResult, RequestEvent, ServiceNowClient } from '@kandji-sn/servicenow-client'
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
export type PushClient = Pick<ServiceNowClient, 'instance' | 'importSet' | 'rest'>

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
   * How insertMultiple records are keyed. The platform default is the column label (c_ImportSetAPI.md); the Kandji
   * app ships a sys_rest_insert_multiple record per staging table that says column name. Single inserts always use
   * names. Default 'name'.
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
  /** Deliberately broken rows, reported by defect. */
  malformed?: readonly MalformedRow[]
  /**
   * Where the broken rows go: 'end' (after the devices, the default) or 'spread' (evenly among them, so a row that
   * stopped its import set would stop good rows after it).
   */
  malformedAt?: 'end' | 'spread'
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
  outcome: Outcome
  message?: string
  importSet?: string
  /** the row's position in its insertMultiple batch: its sys_import_row */
  position?: number
}

const FIRST_POLL_DELAY_MS = 250

export async function pushInventory(options: PushInventoryOptions): Promise<PushReport> {
  const items: PushItem[] = options.devices.map((device) => {
    const row = toStagingRow(device)
    return { row, key: device.serial_number, platform: device.platform, outcome: 'pending' }
  })
  const broken: PushItem[] = []
  for (const bad of options.malformed ?? []) {
    const platform = (bad.row.platform ?? 'unknown') as Platform | 'unknown'
    broken.push({
      row: bad.row,
      key: bad.row.serial_number || `(${bad.defect})`,
      platform,
      defect: bad.defect,
      outcome: 'pending',
    })
  }
  return push(options, options.malformedAt === 'spread' ? spread(items, broken) : [...items, ...broken], options.table ?? TABLES.deviceImport, 'devices', DEVICE_STAGING_COLUMNS)
}

/** The broken rows spread evenly through the good ones: one after every len(good)/len(broken) good rows. */
function spread(good: PushItem[], broken: PushItem[]): PushItem[] {
  if (broken.length === 0) return good
  const every = good.length / broken.length
  const out: PushItem[] = []
  let next = 0
  good.forEach((item, i) => {
    while (next < broken.length && i >= Math.floor(next * every)) out.push(broken[next++]!)
    out.push(item)
  })
  while (next < broken.length) out.push(broken[next++]!)
  return out
}

export async function pushApps(options: PushAppsOptions): Promise<PushReport> {
  const items: PushItem[] = options.apps.map((app) => {
    const row = toAppStagingRow(app)
    return { row, key: app.serial_number, platform: 'Mac', outcome: 'pending' }
  })
  return push(options, items, options.table ?? TABLES.appImport, 'apps', APP_STAGING_COLUMNS)
}

async function push(
  options: CommonPushOptions,
  items: PushItem[],
  table: string,
  kind: PushReport['kind'],
  columns: ReadonlyArray<StagingColumn<never>>,
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
    await sendBulk(client, table, items, batchSize, options.keys ?? 'name', columns, user, progress, importSets)
    const polled = await pollResults(client, items, options.poll ?? {}, sleep, progress, user)
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

/**
 * One row can produce a result per transform map; an error or a rejection (ignored with the app's rejection
 * prefix) anywhere wins, then inserted, updated, skipped, ignored.
 */
function classifySingle(item: PushItem, results: readonly ImportRowResult[]): void {
  const statuses = results.map((r) => r.status.toLowerCase())
  const error = results.find((r) => r.status.toLowerCase() === 'error' || (r.status_message ?? '').startsWith(IMPORT_REJECTED_PREFIX))
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
      batch.forEach((item, index) => {
        if (id) item.importSet = id
        item.position = index
      })
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
 * insertMultiple transforms asynchronously on an instance (c_ImportSetAPI.md), so its answer says nothing about
 * the rows. Ask the app's import status endpoint for each import set until its transform run has ended or the time
 * is up: a push is done when its run says so, not when the HTTP answer arrived. Rows still pending after the run
 * ended were never transformed (a halted set) and stay pending with that reason.
 */
async function pollResults(
  client: PushClient,
  items: PushItem[],
  poll: PollOptions,
  sleep: (ms: number) => Promise<void>,
  progress: (p: PushProgress) => void,
  user: string | undefined,
): Promise<{ results: ResultsState; note?: string }> {
  const timeoutMs = poll.timeoutMs ?? 60_000
  const intervalMs = Math.max(1, poll.intervalMs ?? 2000)
  const ended = new Set<string>()
  const waiting = (): PushItem[] => items.filter((i) => i.outcome === 'pending' && i.importSet && !ended.has(i.importSet))
  if (waiting().length === 0) return { results: 'complete' }
  if (timeoutMs <= 0) {
    return { results: 'pending', note: 'results pending: not polled (wait 0); see System Import Sets > Import Set Runs on the instance' }
  }
  // The wait is the sum of the intended sleeps, not a clock reading, so the loop is testable with an instant sleep.
  // Polls start quickly (a small import is transformed within a second) and back off to intervalMs.
  let waited = 0
  let delay = Math.min(FIRST_POLL_DELAY_MS, intervalMs)
  const total = waiting().length
  for (;;) {
    const bySet = new Map<string, PushItem[]>()
    for (const item of waiting()) bySet.set(item.importSet!, [...(bySet.get(item.importSet!) ?? []), item])
    for (const [importSet, setItems] of bySet) {
      let status: ImportStatus
      try {
        const answer = importStatusSchema.safeParse(await client.rest.get(importStatusPath(importSet)))
        if (!answer.success) {
          const issue = answer.error.issues[0]
          return { results: 'unreadable', note: `results unknown: the import status of ${importSet} is not what the Kandji app answers (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}); is the app 1.2.0 or later installed? Check System Import Sets > Import Set Runs` }
        }
        status = answer.data
      } catch (error) {
        return { results: 'unreadable', note: statusUnreadable(error, importSet, items, user) }
      }
      applyStatus(setItems, status)
      if (status.done) {
        ended.add(importSet)
        for (const item of setItems) {
          if (item.outcome !== 'pending') continue
          item.message = `not transformed: the transform run of import set ${status.import_set.number || importSet} ended (${status.run?.state ?? 'unknown'}) before this row; send it again`
        }
      }
    }
    const left = waiting().length
    progress({ phase: 'poll', done: total - left, total })
    if (left === 0) {
      const untransformed = items.filter((i) => i.outcome === 'pending' && i.importSet && ended.has(i.importSet)).length
      if (untransformed === 0) return { results: 'complete' }
      return {
        results: 'pending',
        note: `results pending: ${untransformed} row(s) were not transformed although their import set's run ended (a transform halted the set); send them again, and see System Import Sets > Import Set Runs for ${importSetList(items)}`,
      }
    }
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

/** Why the import status could not be read, for the report's note (the rows stay pending). */
function statusUnreadable(error: unknown, importSet: string, items: readonly PushItem[], user: string | undefined): string {
  const { kind, status } = error as { kind?: string; status?: number }
  const who = user ? `"${user}"` : 'this account'
  const where = `check System Import Sets > Import Set Runs for ${importSetList(items)}`
  if (kind === 'permission') return `results pending: ${who} may not read the import status (${status ?? 403}); it needs import_transformer; ${where}`
  if (kind === 'not_found') {
    return `results pending: the instance has no import status for ${importSet} (${status ?? 404}): the Kandji app is older than 1.2.0 (no import status endpoint) or the set was cleaned up; ${where}`
  }
  return `results pending: the import status could not be read (${status ?? kind ?? 'error'}); ${where}`
}

function importSetList(items: readonly PushItem[]): string {
  const sets = [...new Set(items.map((i) => i.importSet).filter((s): s is string => Boolean(s)))]
  return sets.length > 5 ? `${sets.slice(0, 5).join(', ')} and ${sets.length - 5} more` : sets.join(', ')
}

/** What identifies a sent row among its set's rows: device_id, and bundle_id for applications. */
function identity(values: { device_id?: string | undefined; bundle_id?: string | undefined }): string {
  return `${values.device_id ?? ''}\u0000${values.bundle_id ?? ''}`
}

/**
 * Takes each row's state from the import status: rejected and error rows are 'rejected', pending ones wait. A row
 * is matched by its position in the batch (sys_import_row) when the row there is the one sent (same device_id, and
 * bundle_id for applications); otherwise by that identity, in order, since no document promises the numbering; a
 * row that matches nothing by identity (it landed empty) is taken from its position when that row is unclaimed.
 */
function applyStatus(items: PushItem[], status: ImportStatus): void {
  const byRow = new Map(status.rows.map((r) => [r.row, r]))
  const claimed = new Set<ImportStatus['rows'][number]>()
  const byIdentity = new Map<string, Array<ImportStatus['rows'][number]>>()
  for (const r of status.rows) byIdentity.set(identity(r), [...(byIdentity.get(identity(r)) ?? []), r])
  const unmatched: PushItem[] = []
  const apply = (item: PushItem, row: ImportStatus['rows'][number]): void => {
    claimed.add(row)
    switch (row.state) {
      case 'inserted':
      case 'updated':
      case 'ignored':
      case 'skipped':
        item.outcome = row.state
        if (row.comment) item.message = row.comment
        break
      case 'rejected':
      case 'error':
        item.outcome = 'rejected'
        item.message = row.comment || 'the transform set the row to error without a comment'
        break
      default:
        // pending: not claimed as done.
        break
    }
  }
  for (const item of items) {
    const row = item.position === undefined ? undefined : byRow.get(item.position)
    if (row && identity(row) === identity(item.row)) apply(item, row)
    else unmatched.push(item)
  }
  const left: PushItem[] = []
  for (const item of unmatched) {
    const row = byIdentity.get(identity(item.row))?.find((r) => !claimed.has(r))
    if (row) apply(item, row)
    else left.push(item)
  }
  // A row that lost its values (keys the instance did not map) matches nothing by identity: its position still does.
  for (const item of left) {
    const row = item.position === undefined ? undefined : byRow.get(item.position)
    if (row && !claimed.has(row)) apply(item, row)
  }
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
