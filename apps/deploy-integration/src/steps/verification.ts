import { EXIT_CODES, OAUTH_CLIENT, SERVICE_ACCOUNT, verifyPath } from '@kandji-sn/contract/constants'
import { verificationReportSchema, describeIssues, type VerificationReport } from '@kandji-sn/contract'
import type { ServiceNowClient } from '@kandji-sn/servicenow-client'
import { CliError } from '../errors.ts'

const DEFAULTS_FOR_VERIFY = { serviceAccount: SERVICE_ACCOUNT.defaultUserName, oauthClient: OAUTH_CLIENT.defaultName } as const

/** Query parameters for the verify endpoint: only the names that differ from the defaults (they live in app properties too). */
export function verifyQuery(subject: { serviceAccount: string; oauthClient: string }): Record<string, string> {
  const q: Record<string, string> = {}
  if (subject.serviceAccount !== DEFAULTS_FOR_VERIFY.serviceAccount) q.service_account = subject.serviceAccount
  if (subject.oauthClient !== DEFAULTS_FOR_VERIFY.oauthClient) q.oauth_client = subject.oauthClient
  return q
}

export async function runVerification(admin: ServiceNowClient, subject: { serviceAccount: string; oauthClient: string }): Promise<VerificationReport> {
  const raw = await admin.rest.get<unknown>(verifyPath, verifyQuery(subject))
  const parsed = verificationReportSchema.safeParse(raw)
  if (!parsed.success) {
    throw new CliError(
      EXIT_CODES.instance,
      `the verify endpoint answered with a report this CLI cannot read (${describeIssues(parsed.error).slice(0, 3).join('; ')})`,
      'the installed app version does not match this CLI',
      'install the matching app version (`deploy-integration deploy --app-source package`), then re-run',
    )
  }
  return parsed.data
}
