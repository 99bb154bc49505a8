import { APP, APP_ROLES, EXIT_CODES, statusPath } from '@kandji-sn/contract/constants'
import { describeIssues, integrationStatusSchema, type IntegrationStatus } from '@kandji-sn/contract'
import type { ServiceNowClient } from '@kandji-sn/servicenow-client'
import { CliError, isServiceNowErrorLike } from '../errors.ts'
import type { InstalledApp } from './preflight.ts'

const UPGRADE = 'upgrade the app: `deploy-integration deploy --instance <url>` installs the version this CLI ships, then re-run'

/** Why this instance's answer cannot be read, as a person can act on it; undefined for errors others explain. */
function statusError(error: unknown, app: InstalledApp): CliError | undefined {
  if (!isServiceNowErrorLike(error)) return undefined
  switch (error.kind) {
    case 'not_found':
      return new CliError(
        EXIT_CODES.instance,
        `the installed ${APP.scope} app (version ${app.version || 'unknown'}) has no status endpoint: GET ${statusPath} answered 404`,
        'the app was installed by an older deploy-integration, before the status endpoint existed',
        UPGRADE,
        { cause: error },
      )
    case 'permission':
      return new CliError(
        EXIT_CODES.auth,
        `the instance denied the app's status endpoint (GET ${statusPath} answered 403)`,
        `its REST endpoint ACL admits ${APP_ROLES.viewer} or ${APP_ROLES.admin} (and admin through "Admin overrides"): the signed-in account has neither app role, or the app is older and its ACLs do not know the route`,
        `grant the account ${APP_ROLES.viewer}, or ${UPGRADE}`,
        { cause: error },
      )
    case 'invalid_response':
      return new CliError(
        EXIT_CODES.instance,
        `the status endpoint answered with something that is not a status (${error.message})`,
        'something other than the app answered (a proxy, a login or maintenance page), or the app is damaged',
        'open the URL in a browser to see who answers; if it is the instance, reinstall the app with `deploy-integration deploy`',
        { cause: error },
      )
    default:
      return undefined
  }
}

/**
 * GET …/integration/status as the admin of the session: the service account has only the three import roles and
 * not the app's viewer role the endpoint's ACL asks for (acls.now.ts). Validated with the contract's schema.
 */
export async function fetchIntegrationStatus(admin: ServiceNowClient, app: InstalledApp | undefined): Promise<IntegrationStatus> {
  if (!app?.ownBuild) {
    throw new CliError(
      EXIT_CODES.instance,
      app ? `the application holding the ${APP.scope} scope (${app.name}, version ${app.version}) is not this project's app and has no status endpoint` : `the ${APP.scope} app is not installed: there is no status endpoint to ask`,
      app ? "the vendor's Store app is installed; the status endpoint ships only with this project's app" : 'deploy has not run on this instance, or the app was uninstalled',
      app ? 'replace it: `deploy-integration deploy --replace-store-app` (docs/runbook.md), then re-run' : 'run `deploy-integration deploy --instance <url>`, then re-run',
    )
  }
  const raw = await admin.rest.get<unknown>(statusPath).catch((error: unknown) => {
    throw statusError(error, app) ?? error
  })
  const parsed = integrationStatusSchema.safeParse(raw)
  if (!parsed.success) {
    throw new CliError(
      EXIT_CODES.instance,
      `the status endpoint answered with a status this CLI cannot read (${describeIssues(parsed.error).slice(0, 3).join('; ')})`,
      `the installed app version (${app.version || 'unknown'}) does not match this CLI`,
      'install the matching app version (`deploy-integration deploy --app-source package`), then re-run',
    )
  }
  return parsed.data
}
