// The health monitor (issue 16): the scheduled job runs verify's checks (push health included), records the run in
// HEALTH_RUN.table, deletes runs past the retention, and when the run is worse than the previous one logs an error
// and queues HEALTH_RUN.event once. "Worse": degraded after healthy (or after no run at all), or a failing check that
// the previous run did not have; a run that stays degraded with the same or fewer failing checks queues nothing.
import { APP_ROLES, APP_SETTINGS, HEALTH_DEGRADING_WARNINGS, HEALTH_FIGURE_CHECKS, HEALTH_RUN, HEALTH_STATUSES, PLATFORM_TABLES } from '../generated/contract.ts'
import type { CheckResult } from '../generated/checks/checks.ts'
import type { Platform } from '../platform/types.ts'
import { verifyInstance } from '../verify/report.ts'
import { resolveSubject } from '../verify/subject.ts'
import { glideMinus, parseGlideUtc, readSetting } from '../generated/checks/push.ts'

export type HealthOutcome =
  | { ran: false; reason: string }
  | { ran: true; sysId: string; status: Status; failingChecks: string[]; worsened: boolean; deletedRuns: number }

/** How often the shipped job wakes (src/fluent/health.now.ts); the interval property decides whether it runs. */
export const HEALTH_JOB_TICK_MINUTES = 5
/** Old runs deleted per run, so one run's cost stays bounded after the retention is shortened. */
export const RETENTION_DELETE_LIMIT = 500
/** Admins addressed by the event (parm1: their sys_ids, the notification's "Event parm 1 contains recipient"). */
export const EVENT_RECIPIENT_LIMIT = 50
const SUMMARY_MAX = 3900
const [HEALTHY, DEGRADED] = HEALTH_STATUSES
type Status = (typeof HEALTH_STATUSES)[number]

/**
 * The checks a run fails on: every failing check, and the service account's warning (a password reset is
 * required), which stops Iru Endpoint at its next sign-in although verify reports it as a warning.
 */
export function failingChecks(checks: readonly CheckResult[]): string[] {
  const warnings: readonly string[] = HEALTH_DEGRADING_WARNINGS
  return checks.filter((c) => c.status === 'fail' || (c.status === 'warn' && warnings.includes(c.id))).map((c) => c.id)
}

interface PreviousRun {
  status: string
  failing: string[]
  created: string
}

function previousRun(p: Platform): PreviousRun | undefined {
  const gr = p.record(HEALTH_RUN.table)
  gr.orderByDesc('sys_created_on')
  gr.setLimit(1)
  gr.query()
  if (!gr.next()) return undefined
  const failing = (gr.getValue(HEALTH_RUN.fields.failingChecks) ?? '').split(',').filter((id) => id !== '')
  return { status: gr.getValue(HEALTH_RUN.fields.status) ?? '', failing, created: gr.getValue('sys_created_on') ?? '' }
}

export function isWorse(previous: PreviousRun | undefined, status: string, failing: readonly string[]): boolean {
  if (status !== DEGRADED) return false
  if (!previous || previous.status !== DEGRADED) return true
  return failing.some((id) => !previous.failing.includes(id))
}

/** Whether the interval property says a run is due: the job wakes every HEALTH_JOB_TICK_MINUTES. */
export function intervalPassed(previous: PreviousRun | undefined, now: string, intervalMinutes: number): boolean {
  const last = previous ? parseGlideUtc(previous.created) : undefined
  const at = parseGlideUtc(now)
  if (last === undefined || at === undefined) return true
  // Half a tick of slack, so a run that started a little late does not push the next one a whole tick back.
  return at - last >= (intervalMinutes - HEALTH_JOB_TICK_MINUTES / 2) * 60_000
}

/**
 * Deletes runs created before the cutoff. Each row's sys_created_on is compared again before it is deleted, so a
 * query the instance ignored (an invalid condition is dropped, not refused) can never delete a newer run.
 */
export function deleteOldRuns(p: Platform, cutoff: string): number {
  const gr = p.record(HEALTH_RUN.table)
  gr.addQuery('sys_created_on', '<', cutoff)
  gr.setLimit(RETENTION_DELETE_LIMIT)
  gr.query()
  let deleted = 0
  while (gr.next()) {
    const created = gr.getValue('sys_created_on') ?? ''
    if (created === '' || created >= cutoff) continue
    if (gr.deleteRecord()) deleted++
  }
  return deleted
}

function adminRecipients(p: Platform): string {
  const gr = p.record(PLATFORM_TABLES.userRole)
  gr.addQuery('role.name', APP_ROLES.admin)
  gr.addQuery('user.active', 'true')
  gr.setLimit(EVENT_RECIPIENT_LIMIT)
  gr.query()
  const ids: string[] = []
  while (gr.next()) {
    const id = gr.getValue('user') ?? ''
    if (id !== '' && !ids.includes(id)) ids.push(id)
  }
  return ids.join(',')
}

function figuresOf(checks: readonly CheckResult[]): string {
  const figures: { [id: string]: unknown } = {}
  const wanted: readonly string[] = HEALTH_FIGURE_CHECKS
  for (const c of checks) if (wanted.includes(c.id)) figures[c.id] = { status: c.status, ...(c.data ?? {}) }
  return JSON.stringify(figures)
}

function summaryOf(status: string, checks: readonly CheckResult[], failing: readonly string[]): string {
  const text = status === HEALTHY
    ? `${HEALTHY}: ${checks.length} checks, none failing`
    : `${DEGRADED}: ${checks.filter((c) => failing.includes(c.id)).map((c) => `${c.id}: ${c.detail}`).join(' | ')}`
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text
}

export function runHealthMonitor(p: Platform): HealthOutcome {
  const now = p.nowUtc()
  const previous = previousRun(p)
  const interval = readSetting('healthIntervalMinutes', p.property(APP_SETTINGS.healthIntervalMinutes, ''))
  if (interval.invalid !== undefined) p.warn(`${HEALTH_RUN.job}: the property ${APP_SETTINGS.healthIntervalMinutes} holds "${interval.invalid}", not a whole number >= 1; the default ${interval.value} is used.`)
  if (!intervalPassed(previous, now, interval.value)) return { ran: false, reason: `the last run (${previous?.created} UTC) is less than ${interval.value} minutes old` }

  const resolved = resolveSubject(undefined, p.property)
  let checks: CheckResult[]
  if (resolved.ok) {
    checks = verifyInstance(p, resolved.subject).checks
  } else {
    p.error(`${HEALTH_RUN.job}: ${resolved.problem.error}; cause: ${resolved.problem.cause}; fix: ${resolved.problem.fix}`)
    checks = []
  }
  // An unusable service account property: the account cannot be checked, so the run names its check
  // (HEALTH_DEGRADING_WARNINGS[0], service_account) failing.
  const failing = resolved.ok ? failingChecks(checks) : [HEALTH_DEGRADING_WARNINGS[0]]
  const status: Status = failing.length > 0 ? DEGRADED : HEALTHY
  const summary = resolved.ok ? summaryOf(status, checks, failing) : `${DEGRADED}: ${resolved.problem.error}`

  const run = p.record(HEALTH_RUN.table)
  run.setValue(HEALTH_RUN.fields.status, status)
  run.setValue(HEALTH_RUN.fields.failingChecks, failing.join(','))
  run.setValue(HEALTH_RUN.fields.figures, figuresOf(checks))
  run.setValue(HEALTH_RUN.fields.summary, summary)
  const sysId = run.insert() ?? ''
  if (sysId === '') p.error(`${HEALTH_RUN.job}: the run could not be recorded in ${HEALTH_RUN.table} (the insert was refused); ${summary}`)

  const worsened = isWorse(previous, status, failing)
  if (worsened) {
    p.error(`${HEALTH_RUN.job}: the Kandji integration is degraded (${failing.join(', ')}): ${summary}`)
    if (sysId !== '') p.eventQueue(HEALTH_RUN.event, run, adminRecipients(p), summary)
  }

  const retention = readSetting('healthRetentionDays', p.property(APP_SETTINGS.healthRetentionDays, ''))
  if (retention.invalid !== undefined) p.warn(`${HEALTH_RUN.job}: the property ${APP_SETTINGS.healthRetentionDays} holds "${retention.invalid}", not a whole number >= 1; the default ${retention.value} is used.`)
  const cutoff = glideMinus(now, retention.value * 86_400_000)
  const deletedRuns = cutoff === undefined ? 0 : deleteOldRuns(p, cutoff)
  return { ran: true, sysId, status, failingChecks: failing, worsened, deletedRuns }
}
