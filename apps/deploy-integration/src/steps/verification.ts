import { APP, APP_ROLES, EXIT_CODES, OAUTH_CLIENT, SERVICE_ACCOUNT, verifyPath } from '@kandji-sn/contract/constants'
import { verificationReportSchema, describeIssues, type VerificationReport } from '@kandji-sn/contract'
import type { ServiceNowClient } from '@kandji-sn/servicenow-client'
import { CliError, isServiceNowErrorLike, toCliError } from '../errors.ts'
import type { InstanceFacts } from './preflight.ts'
import { verifyFromTableApi } from './verify-from-table-api.ts'

const DEFAULTS_FOR_VERIFY = { serviceAccount: SERVICE_ACCOUNT.defaultUserName, oauthClient: OAUTH_CLIENT.defaultName } as const

/** Query parameters for the verify endpoint: only the names that differ from the defaults (they live in app properties too). */
export function verifyQuery(subject: { serviceAccount: string; oauthClient: string }): Record<string, string> {
  const q: Record<string, string> = {}
  if (subject.serviceAccount !== DEFAULTS_FOR_VERIFY.serviceAccount) q.service_account = subject.serviceAccount
  if (subject.oauthClient !== DEFAULTS_FOR_VERIFY.oauthClient) q.oauth_client = subject.oauthClient
  return q
}

/**
 * A 403 from the app's verify endpoint: its ACL (apps/servicenow-app acls.now.ts) admits the app's roles, so the
 * admin's platform roles are not the whole story.
 */
export function verifyEndpointDenied(error: unknown): CliError | undefined {
  if (!isServiceNowErrorLike(error) || error.kind !== 'permission') return undefined
  const base = toCliError(error)
  return new CliError(
    EXIT_CODES.auth,
    base.message.replace('the instance denied the request', "the instance denied the app's verify endpoint"),
    `the app's REST endpoint ACL admits ${APP_ROLES.viewer} or ${APP_ROLES.admin} (and admin through "Admin overrides"): the admin account has neither app role, or the ACL was edited on the instance`,
    `grant the admin account ${APP_ROLES.viewer}, or restore the app's ACLs (reinstall the ${APP.scope} app); then re-run (deploy --no-verify skips this step)`,
    { cause: error },
  )
}

/**
 * The verification report: from the app's verify endpoint when this project's app is installed, otherwise (the
 * vendor's Store app, which has no such endpoint, or no app at all) evaluated here through the Table API with the
 * same check catalogue (steps/verify-from-table-api.ts).
 */
export async function runVerification(admin: ServiceNowClient, facts: InstanceFacts, subject: { serviceAccount: string; oauthClient: string }): Promise<VerificationReport> {
  if (!facts.app?.ownBuild) return verifyFromTableApi(admin, facts, subject)
  const raw = await admin.rest.get<unknown>(verifyPath, verifyQuery(subject)).catch((error: unknown) => {
    throw verifyEndpointDenied(error) ?? error
  })
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
