import { IMPORT_PROBE, PLATFORM_TABLES, TABLES } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import type { Deps } from '../deps.ts'
import { CliError, isServiceNowErrorLike, toCliError } from '../errors.ts'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import type { Output } from '../render/output.ts'

export interface IntegrationCredentials {
  clientId: string
  clientSecret: string
  userName: string
  password: string
}

export type SmokeCheck = 'password_grant' | 'refresh_grant' | 'table_read' | 'staging_write'
export interface SmokeResult {
  checks: Array<{ id: SmokeCheck; status: 'pass' | 'skipped'; detail: string }>
}

export interface SmokeContext {
  instance: string
  admin: ServiceNowClient
  deps: Deps
  out: Output
  /** --timeout for the clients the test opens; undefined = the client's default. */
  timeoutMs?: number
  /** The run's count of answered requests (see CommandContext.requests): the test's clients add to it. */
  requests?: { answered: number }
}

/**
 * Acts as Iru Endpoint does: password grant, refresh grant, one Table API read, then one Import Set row that the
 * app's transform ignores (IMPORT_PROBE), which the admin deletes afterwards. Any refusal is a CliError.
 */
export async function smokeTest(ctx: SmokeContext, creds: IntegrationCredentials, options: { webServiceOnly: boolean; stagingWrite: boolean }): Promise<SmokeResult> {
  const { out } = ctx
  out.addSecret(creds.clientSecret)
  out.addSecret(creds.password)
  const checks: SmokeResult['checks'] = []
  const requests = ctx.requests
  const timeout = {
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(requests ? { onRequest: (event: { status: number | undefined }) => void (event.status !== undefined && requests.answered++) } : {}),
  }
  const tokenClient = ctx.deps.createClient({ instance: ctx.instance, auth: { type: 'none' }, ...timeout })

  let tokens
  try {
    tokens = await tokenClient.oauth.requestToken({
      grant_type: 'password',
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      username: creds.userName,
      password: creds.password,
    })
  } catch (error) {
    throw passwordGrantError(error, creds.userName, options.webServiceOnly)
  }
  out.addSecret(tokens.access_token)
  out.addSecret(tokens.refresh_token)
  checks.push({ id: 'password_grant', status: 'pass', detail: `token for ${creds.userName} (expires in ${tokens.expires_in} s)` })

  if (!tokens.refresh_token) {
    throw new CliError(EXIT_CODES.verificationFailed, 'the password grant returned no refresh token', 'the OAuth client\'s refresh token lifespan is 0 or the grant was altered by a policy', 're-run `deploy-integration deploy` to restore the client settings')
  }
  let refreshed
  try {
    refreshed = await tokenClient.oauth.requestToken({ grant_type: 'refresh_token', client_id: creds.clientId, client_secret: creds.clientSecret, refresh_token: tokens.refresh_token })
  } catch (error) {
    const e = toCliError(error)
    throw new CliError(e.exitCode, `the refresh grant failed for ${creds.userName}: ${e.message}`, 'the refresh token lifespan is too short, or the client was changed between the two grants', 're-run `deploy-integration deploy`; if it persists, `deploy-integration rotate`', { cause: error })
  }
  out.addSecret(refreshed.access_token)
  checks.push({ id: 'refresh_grant', status: 'pass', detail: 'a refresh token gives a new access token' })

  const asAccount = ctx.deps.createClient({ instance: ctx.instance, auth: { type: 'bearer', token: refreshed.access_token }, ...timeout })
  // Requests made as the service account: a refusal is about its roles, not the admin's.
  const asServiceAccount = () => ({ actor: { kind: 'service-account', userName: creds.userName } as const, answeredBefore: requests?.answered ?? 0 })
  await asAccount.table.list(PLATFORM_TABLES.computer, { limit: 1, pageSize: 1, fields: ['sys_id'] }).catch((error: unknown) => {
    throw toCliError(error, asServiceAccount())
  })
  checks.push({ id: 'table_read', status: 'pass', detail: `${creds.userName} can read ${PLATFORM_TABLES.computer}` })

  if (!options.stagingWrite) {
    // Nothing changed, so no new probe; but a run that failed while deleting its probe left it here (one read).
    const leftover = await removeProbes(ctx.admin, undefined)
    const removed = leftover > 0 ? `; removed ${leftover} probe row${leftover === 1 ? '' : 's'} an interrupted run left` : ''
    checks.push({ id: 'staging_write', status: 'skipped', detail: `nothing changed; run \`verify --as-service-account\` to repeat the write proof${removed}` })
    return { checks }
  }
  const result = await asAccount.importSet.insert(TABLES.deviceImport, { [IMPORT_PROBE.field]: IMPORT_PROBE.value }).catch((error: unknown) => {
    throw toCliError(error, asServiceAccount())
  })
  await removeProbes(ctx.admin, result.import_set)
  checks.push({ id: 'staging_write', status: 'pass', detail: `${creds.userName} may write ${TABLES.deviceImport} (probe row ${result.result[0]?.status ?? 'accepted'}, then deleted)` })
  return { checks }
}

/**
 * Deletes every probe row and the import sets holding them (plus the set named by this run's insert). Sets go
 * first: if a delete fails, what is left is still found next time through a probe row, which only the rows'
 * own deletion removes. Returns the number of probe rows found.
 */
async function removeProbes(admin: ServiceNowClient, importSetNumber: string | undefined): Promise<number> {
  const rows = await admin.table.list(TABLES.deviceImport, { query: query().eq(IMPORT_PROBE.field, IMPORT_PROBE.value).toString(), fields: ['sys_id', 'sys_import_set'] })
  const sets = new Set(rows.map((row) => row.sys_import_set).filter((id): id is string => !!id))
  if (importSetNumber) {
    const named = await admin.table.list(PLATFORM_TABLES.importSet, { query: query().eq('number', importSetNumber).toString(), fields: ['sys_id'] })
    for (const set of named) if (set.sys_id) sets.add(set.sys_id)
  }
  for (const set of sets) await admin.table.delete(PLATFORM_TABLES.importSet, set)
  for (const row of rows) if (row.sys_id) await admin.table.delete(TABLES.deviceImport, row.sys_id)
  return rows.length
}

function passwordGrantError(error: unknown, userName: string, webServiceOnly: boolean): CliError {
  if (!isServiceNowErrorLike(error) || error.kind !== 'auth') return toCliError(error)
  if (webServiceOnly) {
    return new CliError(
      EXIT_CODES.auth,
      `the instance refused the password grant for "${userName}" (Web service access only)`,
      'ROPC requires "an interactive session" (ServiceNow docs, OAuth API request parameters); some releases refuse it for web-service-only users. A wrong client secret or password gives the same opaque 401',
      `re-run \`deploy-integration deploy --interactive-account\` (clears Web service access only), or \`deploy-integration rotate\` if the credentials may be stale; the instance's System Log > All shows the exact reason`,
      { cause: error },
    )
  }
  return new CliError(
    EXIT_CODES.auth,
    `the instance refused the password grant for "${userName}"`,
    'the client secret or the password no longer match what the instance holds, or the account is locked out',
    'run `deploy-integration rotate --credentials-out FILE` to issue new ones; the instance\'s System Log > All shows the exact reason',
    { cause: error },
  )
}
