import { z } from 'zod'
import { IMPORT_ROW_STATES, STATUS_REPORT, TABLES, USER_MATCH_OUTCOMES, type ImportRowState, type StatusWindow, type UserMatchOutcome } from '../constants.ts'

const count = z.number().int().nonnegative()
/** Glide's stored UTC form, 'YYYY-MM-DD HH:mm:ss'. */
const glideTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)

/**
 * A section whose tables or columns may be missing on the instance (an older app, a plugin not active): it is then
 * `{available: false, reason}` and never fails the whole answer.
 */
function section<T extends z.ZodRawShape>(shape: T) {
  return z.discriminatedUnion('available', [
    z.object({ available: z.literal(true), ...shape }),
    z.object({ available: z.literal(false), reason: z.string().min(1) }),
  ])
}

const stateCounts = z.object(Object.fromEntries(IMPORT_ROW_STATES.map((s) => [s, count])) as Record<ImportRowState, typeof count>).strict()
const windowKeys = Object.keys(STATUS_REPORT.windows) as StatusWindow[]

export const importWindowsSchema = z.object({
  table: z.enum([TABLES.deviceImport, TABLES.appImport]),
  /** staging rows created in the last hour/day/week, by state ('rejected': ignored with IMPORT_REJECTED_PREFIX) */
  windows: z.object(Object.fromEntries(windowKeys.map((w) => [w, stateCounts])) as Record<StatusWindow, typeof stateCounts>).strict(),
})

export const statusErrorMessageSchema = z.object({
  table: z.enum([TABLES.deviceImport, TABLES.appImport]),
  state: z.enum(['error', 'rejected']),
  message: z.string(),
  count: count.min(1),
  last_seen: glideTime,
})

export const healthRunSchema = z.object({
  at: glideTime,
  /** HEALTH_STATUSES; a value a newer app writes is passed through */
  status: z.string(),
  failing_checks: z.array(z.string()),
  summary: z.string(),
})

/** What `GET /api/x_kandj_kandji/integration/status` returns inside ServiceNow's `{result: …}` envelope. */
export const integrationStatusSchema = z.object({
  generated_at: glideTime,
  /** the newest staging row of either table: when Iru Endpoint last pushed */
  last_push: z.object({ at: glideTime.nullable(), age_seconds: count.nullable(), table: z.string().nullable() }),
  imports: z.array(importWindowsSchema),
  errors: z.object({
    /** rows in error or rejected in the last week (an exact count) */
    rows: count,
    /** how many of them (the newest, at most STATUS_REPORT.errorSampleRows) were grouped into messages */
    sampled: count,
    /** distinct messages among the sampled rows (ids that differ from row to row left out) */
    distinct: count,
    /** those messages, newest first, at most STATUS_REPORT.maxErrorMessages */
    messages: z.array(statusErrorMessageSchema).max(STATUS_REPORT.maxErrorMessages),
  }),
  cis: z.object({
    /** devices of the MDM table linked to a CI */
    total: count,
    /** Kandji-discovered CIs (discovery_source Kandji) by class */
    by_class: z.record(z.string(), count),
    /** linked CIs another discovery source created first (IRE keeps its source), so not in by_class */
    other_source: count,
  }),
  /** devices by the age of their last push (MDM_FIELDS.lastPushed): up to 1, 7, 30 days, older, never */
  last_seen: section({ within_day: count, within_week: count, within_month: count, older: count, never: count }),
  devices: z.object({
    retired: section({ count }),
    missing: section({ count }),
    removed: section({ count }),
  }),
  users: section({
    ...(Object.fromEntries(USER_MATCH_OUTCOMES.map((o) => [o, count])) as Record<UserMatchOutcome, typeof count>),
    /** rows with no outcome yet (pushed before user matching) or a value this version does not know */
    unknown: count,
  }),
  /** the newest health runs, newest first, at most STATUS_REPORT.maxHealthRuns */
  health: section({ runs: z.array(healthRunSchema).max(STATUS_REPORT.maxHealthRuns) }),
})
export type IntegrationStatus = z.infer<typeof integrationStatusSchema>
export type HealthRun = z.infer<typeof healthRunSchema>
