// Assembles the verification report (contract: verificationReportSchema).
import { APP, APP_VERSION, type CheckStatus } from '../generated/contract.ts'
import type { Platform } from '../platform/types.ts'
import { runChecks, type CheckResult } from './checks.ts'
import { lookupAll } from './lookups.ts'
import type { Subject, VerifySnapshots } from './snapshots.ts'

export interface VerificationReport {
  status: CheckStatus
  generated_at: string
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

export function buildReport(snapshots: VerifySnapshots, subject: Subject, generatedAtUtc: string): VerificationReport {
  const checks = runChecks(snapshots, subject, APP_VERSION)
  return {
    status: overallStatus(checks),
    generated_at: toIsoUtc(generatedAtUtc),
    app: { scope: APP.scope, version: snapshots.app.version || APP_VERSION },
    subject: { service_account: subject.serviceAccount, oauth_client: subject.oauthClient },
    summary: {
      pass: checks.filter((c) => c.status === 'pass').length,
      warn: checks.filter((c) => c.status === 'warn').length,
      fail: checks.filter((c) => c.status === 'fail').length,
    },
    checks,
  }
}

export function verifyInstance(platform: Platform, subject: Subject): VerificationReport {
  return buildReport(lookupAll(platform, subject), subject, platform.nowUtc())
}
