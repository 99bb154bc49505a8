// The verification report (contract: verificationReportSchema) assembled from check results: the same shape whether the
// checks ran in the instance (the app's verify endpoint) or in the CLI.
import { APP, type CheckStatus } from '../constants.ts'
import { runChecks, type CheckResult } from './checks.ts'
import type { Subject, VerifySnapshots } from './snapshots.ts'

/** Where the checks ran: the app's verify endpoint, or the CLI through the Table API (no endpoint in the installed app). */
export type EvaluatedBy = 'instance' | 'client'

export interface VerificationReportData {
  status: CheckStatus
  generated_at: string
  evaluated_by: EvaluatedBy
  app: { scope: string; version: string }
  subject: { service_account: string; oauth_client: string }
  summary: { pass: number; warn: number; fail: number }
  checks: CheckResult[]
}

/** GlideDateTime's 'yyyy-MM-dd HH:mm:ss' (UTC) as ISO 8601; anything else is passed through unchanged. */
export function toIsoUtc(glideUtc: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(glideUtc.trim())
  return m ? `${m[1]}T${m[2]}Z` : glideUtc
}

export function overallStatus(checks: readonly { status: CheckStatus }[]): CheckStatus {
  if (checks.some((c) => c.status === 'fail')) return 'fail'
  if (checks.some((c) => c.status === 'warn')) return 'warn'
  return 'pass'
}

/** `buildVersion`: the version the running checks expect the app record to carry (the app's build, or the installed one). */
export function buildReport(snapshots: VerifySnapshots, subject: Subject, generatedAtUtc: string, buildVersion: string, evaluatedBy: EvaluatedBy): VerificationReportData {
  const checks = runChecks(snapshots, subject, buildVersion)
  return {
    status: overallStatus(checks),
    generated_at: toIsoUtc(generatedAtUtc),
    evaluated_by: evaluatedBy,
    app: { scope: APP.scope, version: snapshots.app.version || buildVersion },
    subject: { service_account: subject.serviceAccount, oauth_client: subject.oauthClient },
    summary: {
      pass: checks.filter((c) => c.status === 'pass').length,
      warn: checks.filter((c) => c.status === 'warn').length,
      fail: checks.filter((c) => c.status === 'fail').length,
    },
    checks,
  }
}
