import { z } from 'zod'
import { CHECK_IDS, CHECK_STATUSES } from '../constants.ts'

export const checkStatusSchema = z.enum(CHECK_STATUSES)

export const checkResultSchema = z.object({
  id: z.enum(CHECK_IDS),
  status: checkStatusSchema,
  title: z.string().min(1),
  /** What was found, in a sentence. */
  detail: z.string(),
  /** What to do about it; empty when the check passes. */
  fix: z.string().optional(),
  /** Facts behind the result (counts, role names, versions) for machines. */
  data: z.record(z.string(), z.unknown()).optional(),
})
export type CheckResult = z.infer<typeof checkResultSchema>

/** What `GET /api/x_kandj_kandji/integration/verify` returns inside ServiceNow's `{result: …}` envelope. */
export const verificationReportSchema = z.object({
  status: checkStatusSchema,
  generated_at: z.string().min(1),
  /** Where the checks ran: the app's verify endpoint ('instance'), or the CLI through the Table API ('client'); absent before app 1.3.0. */
  evaluated_by: z.enum(['instance', 'client']).optional(),
  app: z.object({
    scope: z.string(),
    version: z.string(),
  }),
  subject: z.object({
    service_account: z.string(),
    oauth_client: z.string(),
  }),
  summary: z.object({
    pass: z.number().int().nonnegative(),
    warn: z.number().int().nonnegative(),
    fail: z.number().int().nonnegative(),
  }),
  checks: z.array(checkResultSchema).min(1),
})
export type VerificationReport = z.infer<typeof verificationReportSchema>

/** What `POST …/repair` returns: each thing the setup logic looked at and whether it changed it. */
export const repairResultSchema = z.object({
  changed: z.boolean(),
  actions: z.array(
    z.object({
      target: z.string(),
      action: z.enum(['created', 'reactivated', 'updated', 'unchanged', 'failed']),
      detail: z.string(),
    }),
  ),
})
export type RepairResult = z.infer<typeof repairResultSchema>

/** Overall status is the worst of the checks. */
export function overallStatus(checks: ReadonlyArray<{ status: z.infer<typeof checkStatusSchema> }>) {
  if (checks.some((c) => c.status === 'fail')) return 'fail' as const
  if (checks.some((c) => c.status === 'warn')) return 'warn' as const
  return 'pass' as const
}
