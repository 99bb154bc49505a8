// GET …/integration/status (issue 16): the integration's figures in one answer. Every count is a GlideAggregate,
// so the number of queries is fixed whatever the number of rows or CIs. Tables and columns that other parts of the
// app add (health runs, retirement, user matching) are checked first: a missing one makes its section
// `{available: false}`, never a failure (a condition on a missing column is ignored by the platform and would count
// every row).
import {
  DISCOVERY_SOURCE,
  HEALTH_RUN,
  IMPORT_REJECTED_PREFIX,
  IMPORT_ROW_STATES,
  MDM_FIELDS,
  PLATFORM_TABLES,
  STATUS_REPORT,
  TABLES,
  USER_MATCH_OUTCOMES,
} from '../generated/contract.ts'
import type { AggregateLike, Platform } from '../platform/types.ts'
import { text } from '../import/values.ts'
import { glideMillis, secondsBefore } from './clock.ts'
import { messageKey } from './message-key.ts'
import { rowState, type RowState } from './import-status.ts'

type Window = keyof typeof STATUS_REPORT.windows
type Unavailable = { available: false; reason: string }
type Section<T> = ({ available: true } & T) | Unavailable
type StateCounts = { [K in RowState]: number }
type UserOutcome = (typeof USER_MATCH_OUTCOMES)[number]

export interface ErrorMessage {
  table: string
  state: 'error' | 'rejected'
  message: string
  count: number
  last_seen: string
}

export interface HealthRunEntry {
  at: string
  status: string
  failing_checks: string[]
  summary: string
}

export interface IntegrationStatus {
  generated_at: string
  last_push: { at: string | null; age_seconds: number | null; table: string | null }
  imports: Array<{ table: string; windows: { [W in Window]: StateCounts } }>
  errors: { rows: number; sampled: number; distinct: number; messages: ErrorMessage[] }
  cis: { total: number; by_class: { [cls: string]: number }; other_source: number }
  last_seen: Section<{ within_day: number; within_week: number; within_month: number; older: number; never: number }>
  devices: { retired: Section<{ count: number }>; missing: Section<{ count: number }>; removed: Section<{ count: number }> }
  users: Section<{ [K in UserOutcome]: number } & { unknown: number }>
  health: Section<{ runs: HealthRunEntry[] }>
}

const STAGING_TABLES = [TABLES.deviceImport, TABLES.appImport] as const
const WINDOWS = Object.keys(STATUS_REPORT.windows) as Window[]
const STATE = 'sys_import_state'
const COMMENT = 'sys_import_state_comment'
const CREATED = 'sys_created_on'

function toCount(value: string | null | undefined): number {
  return Number.parseInt(text(value), 10) || 0
}

/** One COUNT over the rows `where` selects. */
function countWhere(p: Platform, table: string, where: (ga: AggregateLike) => void): number {
  const ga = p.aggregate(table)
  where(ga)
  ga.addAggregate('COUNT')
  ga.query()
  return ga.next() ? toCount(ga.getAggregate('COUNT')) : 0
}

/** COUNT grouped by one field: value -> count. */
function countBy(p: Platform, table: string, field: string, where: (ga: AggregateLike) => void): Map<string, number> {
  const ga = p.aggregate(table)
  where(ga)
  ga.addAggregate('COUNT')
  ga.groupBy(field)
  ga.query()
  const counts = new Map<string, number>()
  while (ga.next()) {
    const key = text(ga.getValue(field))
    counts.set(key, (counts.get(key) ?? 0) + toCount(ga.getAggregate('COUNT')))
  }
  return counts
}

function missingColumn(p: Platform, table: string, field: string): Unavailable | undefined {
  if (!p.tableExists(table)) return { available: false, reason: `table ${table} does not exist on this instance` }
  if (!p.record(table).isValidField(field)) return { available: false, reason: `${table}.${field} does not exist: the installed app is older than this figure` }
  return undefined
}

function lastPush(p: Platform, now: string): IntegrationStatus['last_push'] {
  let newest: { at: string; table: string } | undefined
  for (const table of STAGING_TABLES) {
    const gr = p.record(table)
    // Bounded by now: a value that is not a date-time sorts after every date-time and would hide the newest row.
    gr.addQuery(CREATED, '<=', now)
    gr.orderByDesc(CREATED)
    gr.setLimit(1)
    gr.query()
    if (!gr.next()) continue
    const at = text(gr.getValue(CREATED))
    if (glideMillis(at) !== undefined && (!newest || at > newest.at)) newest = { at, table }
  }
  if (!newest) return { at: null, age_seconds: null, table: null }
  const age = Math.max(0, Math.floor(((glideMillis(now) ?? 0) - (glideMillis(newest.at) ?? 0)) / 1000))
  return { at: newest.at, age_seconds: age, table: newest.table }
}

/** A GlideRecord or GlideAggregate, for the conditions both take. */
type QueryLike = { addQuery(field: string, operator: string, value: string): unknown }

/** Rows created from `since` to `now` (an upper bound keeps values that are not date-times, which sort last, out). */
function createdBetween(q: QueryLike, since: string, now: string): void {
  q.addQuery(CREATED, '>=', since)
  q.addQuery(CREATED, '<=', now)
}

function rejected(q: QueryLike): void {
  q.addQuery(STATE, '=', 'ignored')
  q.addQuery(COMMENT, 'STARTSWITH', IMPORT_REJECTED_PREFIX)
}

/** Rows created since `since` by state: one grouped COUNT and one COUNT of the rejected among the ignored. */
function stateCounts(p: Platform, table: string, since: string, now: string): StateCounts {
  const counts = Object.fromEntries(IMPORT_ROW_STATES.map((s) => [s, 0])) as StateCounts
  for (const [state, n] of countBy(p, table, STATE, (ga) => createdBetween(ga, since, now))) counts[rowState(state, '')] += n
  const rejectedRows = countWhere(p, table, (ga) => {
    rejected(ga)
    createdBetween(ga, since, now)
  })
  const moved = Math.min(rejectedRows, counts.ignored)
  counts.ignored -= moved
  counts.rejected += moved
  return counts
}

const FAILED: ReadonlyArray<readonly ['error' | 'rejected', (q: QueryLike) => void]> = [
  ['error', (q) => q.addQuery(STATE, '=', 'error')],
  ['rejected', rejected],
]

/**
 * The newest rows in error or rejected, grouped by message with row ids left out (a comment names its device): a
 * bounded read (STATUS_REPORT.errorSampleRows per table and state) beside an exact COUNT of them all.
 */
function errorMessages(p: Platform, since: string, now: string): IntegrationStatus['errors'] {
  let rows = 0
  const sample: Array<{ table: string; state: 'error' | 'rejected'; message: string; at: string }> = []
  for (const table of STAGING_TABLES) {
    for (const [state, filter] of FAILED) {
      const n = countWhere(p, table, (ga) => {
        filter(ga)
        createdBetween(ga, since, now)
      })
      rows += n
      if (n === 0) continue
      const gr = p.record(table)
      filter(gr)
      createdBetween(gr, since, now)
      gr.orderByDesc(CREATED)
      gr.setLimit(STATUS_REPORT.errorSampleRows)
      gr.query()
      while (gr.next()) sample.push({ table, state, message: messageKey(text(gr.getValue(COMMENT))), at: text(gr.getValue(CREATED)) })
    }
  }
  sample.sort((a, b) => b.at.localeCompare(a.at))
  sample.length = Math.min(sample.length, STATUS_REPORT.errorSampleRows)
  const groups = new Map<string, ErrorMessage>()
  for (const r of sample) {
    const key = JSON.stringify([r.table, r.state, r.message])
    const group = groups.get(key)
    if (group) group.count++
    else groups.set(key, { table: r.table, state: r.state, message: r.message, count: 1, last_seen: r.at })
  }
  const messages = [...groups.values()].sort((a, b) => b.last_seen.localeCompare(a.last_seen) || b.count - a.count || a.message.localeCompare(b.message))
  return { rows, sampled: sample.length, distinct: messages.length, messages: messages.slice(0, STATUS_REPORT.maxErrorMessages) }
}

/** Kandji CIs by class (cmdb_ci_hardware and its descendants whose discovery source is Kandji). */
function cis(p: Platform): IntegrationStatus['cis'] {
  const total = countWhere(p, TABLES.mdm, (ga) => ga.addNotNullQuery('ci'))
  const byClass: { [cls: string]: number } = {}
  const classes = countBy(p, PLATFORM_TABLES.hardware, 'sys_class_name', (ga) => ga.addQuery(DISCOVERY_SOURCE.element, '=', DISCOVERY_SOURCE.value))
  for (const [cls, n] of [...classes].sort(([a], [b]) => a.localeCompare(b))) byClass[cls || PLATFORM_TABLES.hardware] = n
  const kandji = [...classes.values()].reduce((s, n) => s + n, 0)
  return { total, by_class: byClass, other_source: Math.max(0, total - kandji) }
}

function lastSeen(p: Platform, now: string): IntegrationStatus['last_seen'] {
  const missing = missingColumn(p, TABLES.mdm, MDM_FIELDS.lastPushed)
  if (missing) return missing
  const since = (days: number) => countWhere(p, TABLES.mdm, (ga) => ga.addQuery(MDM_FIELDS.lastPushed, '>=', secondsBefore(now, days * 86_400)))
  const { day, week, month } = STATUS_REPORT.lastSeenBuckets
  const [inDay, inWeek, inMonth] = [since(day), since(week), since(month)]
  const pushed = countWhere(p, TABLES.mdm, (ga) => ga.addNotNullQuery(MDM_FIELDS.lastPushed))
  const all = countWhere(p, TABLES.mdm, () => undefined)
  return {
    available: true,
    within_day: inDay,
    within_week: inWeek - inDay,
    within_month: inMonth - inWeek,
    older: pushed - inMonth,
    never: all - pushed,
  }
}

function deviceCount(p: Platform, field: string, where: (ga: AggregateLike) => void): Section<{ count: number }> {
  const missing = missingColumn(p, TABLES.mdm, field)
  return missing ?? { available: true, count: countWhere(p, TABLES.mdm, where) }
}

function users(p: Platform): IntegrationStatus['users'] {
  const missing = missingColumn(p, TABLES.mdm, MDM_FIELDS.userMatch)
  if (missing) return missing
  const counts = { ...(Object.fromEntries(USER_MATCH_OUTCOMES.map((o) => [o, 0])) as { [K in UserOutcome]: number }), unknown: 0 }
  for (const [value, n] of countBy(p, TABLES.mdm, MDM_FIELDS.userMatch, () => undefined)) {
    if ((USER_MATCH_OUTCOMES as readonly string[]).includes(value)) counts[value as UserOutcome] += n
    else counts.unknown += n
  }
  return { available: true, ...counts }
}

function health(p: Platform, now: string): IntegrationStatus['health'] {
  const { table, fields } = HEALTH_RUN
  if (!p.tableExists(table)) return { available: false, reason: `table ${table} does not exist: the installed app has no health monitor` }
  const gr = p.record(table)
  for (const f of [fields.status, fields.failingChecks]) {
    if (!gr.isValidField(f)) return { available: false, reason: `${table}.${f} does not exist: the installed app is older than this figure` }
  }
  gr.addQuery(CREATED, '<=', now)
  gr.orderByDesc(CREATED)
  gr.setLimit(STATUS_REPORT.maxHealthRuns)
  gr.query()
  const runs: HealthRunEntry[] = []
  while (gr.next()) {
    runs.push({
      at: text(gr.getValue(CREATED)),
      status: text(gr.getValue(fields.status)),
      failing_checks: text(gr.getValue(fields.failingChecks)).split(',').map((c) => c.trim()).filter((c) => c !== ''),
      summary: gr.isValidField(fields.summary) ? text(gr.getValue(fields.summary)) : '',
    })
  }
  return { available: true, runs }
}

export function integrationStatus(p: Platform): IntegrationStatus {
  const now = p.nowUtc()
  const imports = STAGING_TABLES.map((table) => ({
    table,
    windows: Object.fromEntries(WINDOWS.map((w) => [w, stateCounts(p, table, secondsBefore(now, STATUS_REPORT.windows[w]), now)])) as { [W in Window]: StateCounts },
  }))
  return {
    generated_at: now,
    last_push: lastPush(p, now),
    imports,
    errors: errorMessages(p, secondsBefore(now, STATUS_REPORT.windows.week), now),
    cis: cis(p),
    last_seen: lastSeen(p, now),
    devices: {
      retired: deviceCount(p, MDM_FIELDS.retiredReason, (ga) => ga.addNotNullQuery(MDM_FIELDS.retiredReason)),
      missing: deviceCount(p, MDM_FIELDS.isMissing, (ga) => ga.addQuery(MDM_FIELDS.isMissing, '=', 'true')),
      removed: deviceCount(p, MDM_FIELDS.isRemoved, (ga) => ga.addQuery(MDM_FIELDS.isRemoved, '=', 'true')),
    },
    users: users(p),
    health: health(p, now),
  }
}
