import { IMPORT_PROBE, PLATFORM_TABLES, TABLES, importStatusPath } from '@kandji-sn/contract/constants'
import { importStatusSchema } from '@kandji-sn/contract'
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

export type SmokeCheck = 'password_grant' | 'refresh_grant' | 'table_read' | 'staging_write' | 'bulk_import'
export interface SmokeResult {
  checks: Array<{ id: SmokeCheck; status: 'pass' | 'warn' | 'skipped'; detail: string }>
}

/** How long the bulk probe waits for its asynchronous transform, and the longest pause between status reads. */
export const BULK_PROBE_WAIT_MS = 30_000
const BULK_PROBE_MAX_PAUSE_MS = 2_000

export interface SmokeContext {
  instance: string
  admin: ServiceNowClient
  deps: Deps
  out: Output
  /** --timeout for the clients the test opens; undefined = the client's default. */
  timeoutMs?: number
  /** The run's count of answered requests (see CommandContext.requests): the test's clients add to it. */
  requests?: { answered: number }
  /** Injected by tests: the pause between import status reads. */
  sleep?: (ms: number) => Promise<void>
}

/**
 * Acts as Iru Endpoint does: password grant, refresh grant, one Table API read, then one Import Set row that the
 * app's transform ignores (IMPORT_PROBE), and the same probe as a bulk load (insertMultiple keyed by column name,
 * its outcome read from the app's import status endpoint once the asynchronous run is done). The admin deletes the
 * probes afterwards. A refusal is a CliError; a bulk path that is absent or slow is a warning.
 */
/**
 * `ourApp: false`: another build holds the scope (the vendor's Store app): its staging tables are not this project's
 * and its transform would process a probe row, and it has no import status endpoint, so nothing is probed there.
 */
export async function smokeTest(ctx: SmokeContext, creds: IntegrationCredentials, options: { webServiceOnly: boolean; stagingWrite: boolean; ourApp?: boolean }): Promise<SmokeResult> {
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
  // Without a staging write the admin's look for an interrupted run's probe rows waits for nothing the account
  // does: it goes out with the first grant (its outcome is taken only once the account's checks have passed).
  const leftovers = !options.stagingWrite && options.ourApp !== false ? removeProbes(ctx.admin, undefined) : undefined
  leftovers?.catch(() => undefined)

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

  if (options.ourApp === false) {
    checks.push({ id: 'staging_write', status: 'skipped', detail: "not probed: the installed app is not this project's build; a probe row in its staging table would run its transform" })
    checks.push({ id: 'bulk_import', status: 'skipped', detail: "not probed: the installed app has no import status endpoint to follow a bulk push with" })
    return { checks }
  }
  if (!options.stagingWrite) {
    // Nothing changed, so no new probe; but a run that failed while deleting its probe left it here (one read).
    const leftover = await leftovers!
    const removed = leftover > 0 ? `; removed ${leftover} probe row${leftover === 1 ? '' : 's'} an interrupted run left` : ''
    checks.push({ id: 'staging_write', status: 'skipped', detail: `nothing changed; run \`verify --as-service-account\` to repeat the write proof${removed}` })
    checks.push({ id: 'bulk_import', status: 'skipped', detail: 'nothing changed; `verify --as-service-account` repeats it' })
    return { checks }
  }
  const result = await asAccount.importSet.insert(TABLES.deviceImport, { [IMPORT_PROBE.field]: IMPORT_PROBE.value }).catch((error: unknown) => {
    throw toCliError(error, asServiceAccount())
  })
  checks.push({ id: 'staging_write', status: 'pass', detail: `${creds.userName} may write ${TABLES.deviceImport} (probe row ${result.result[0]?.status ?? 'accepted'}, then deleted)` })
  const bulkSet: { id?: string } = {}
  try {
    checks.push(await proveBulkImport(asAccount, creds.userName, ctx.sleep, asServiceAccount, bulkSet))
  } finally {
    await removeProbes(ctx.admin, result.import_set, bulkSet.id)
  }
  return { checks }
}

/**
 * The probe as Iru Endpoint bulk-loads: insertMultiple keyed by column name, answered before it is transformed
 * (c_ImportSetAPI.md), then the app's import status until its run is done. The probe row must come out 'ignored'
 * (the transform recognised it): any other state means the rows did not reach the transform as sent.
 */
async function proveBulkImport(
  asAccount: ServiceNowClient,
  userName: string,
  sleep: ((ms: number) => Promise<void>) | undefined,
  asServiceAccount: () => Parameters<typeof toCliError>[1],
  bulkSet: { id?: string },
): Promise<SmokeResult['checks'][number]> {
  let importSetId: string | undefined
  try {
    const [answer] = await asAccount.importSet.insertMultiple(TABLES.deviceImport, [{ [IMPORT_PROBE.field]: IMPORT_PROBE.value }])
    importSetId = answer?.import_set_id
    if (importSetId) bulkSet.id = importSetId
  } catch (error) {
    // Without the plugin the resource is not there: "Requested URI does not represent any resource" (any other 400
    // is a real refusal of the request).
    if (isServiceNowErrorLike(error) && error.kind === 'bad_request' && /does not represent any resource/i.test(`${error.snMessage ?? ''} ${error.message}`)) {
      return { id: 'bulk_import', status: 'warn', detail: `insertMultiple is not available on this instance (${error.status ?? 400}); Iru Endpoint's bulk pushes will be refused. Activate the Insert Multiple Web Service plugin (com.glide.web_service_insert_multiple), then run \`verify --as-service-account\`` }
    }
    throw toCliError(error, asServiceAccount())
  }
  if (!importSetId) return { id: 'bulk_import', status: 'warn', detail: 'insertMultiple answered without an import_set_id, so its outcome cannot be followed' }
  const pause = sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  let waited = 0
  for (let delay = 100; ; delay = Math.min(delay * 2, BULK_PROBE_MAX_PAUSE_MS)) {
    const raw = await asAccount.rest.get(importStatusPath(importSetId)).catch((error: unknown) => {
      throw toCliError(error, asServiceAccount())
    })
    const parsed = importStatusSchema.safeParse(raw)
    if (!parsed.success) {
      throw new CliError(EXIT_CODES.instance, `the import status of the bulk probe is not what the Kandji app answers (${parsed.error.issues[0]?.message ?? 'invalid'})`, 'the installed app is older than 1.2.0 or was changed', 're-run `deploy-integration deploy` to install the app from this release')
    }
    const status = parsed.data
    if (status.done) {
      const row = status.rows[0]
      if (row?.state === 'ignored') return { id: 'bulk_import', status: 'pass', detail: `${userName} may bulk-load ${TABLES.deviceImport}: insertMultiple keyed by column name reached the transform, and the import status said so once the run was done (${waited} ms)` }
      throw new CliError(
        EXIT_CODES.verificationFailed,
        `the bulk probe row ended ${row ? `"${row.state}"${row.comment ? `: ${row.comment}` : ''}` : 'missing'} instead of being recognised and ignored`,
        "insertMultiple did not map the probe's keys (column names) to the staging columns: the app's Rest Insert Multiples records are missing or changed",
        're-run `deploy-integration deploy` to reinstall the app; `verify` shows the insert_multiple check',
      )
    }
    if (waited >= BULK_PROBE_WAIT_MS) {
      return { id: 'bulk_import', status: 'warn', detail: `the bulk probe was not transformed within ${BULK_PROBE_WAIT_MS / 1000} s (run ${status.run?.state ?? 'not started'}); the instance's import processing is slow or stopped. Check System Import Sets > Import Set Runs` }
    }
    await pause(delay)
    waited += delay
  }
}

/**
 * Deletes the probe rows and the import sets that hold nothing but them, each by a sys_id it read and verified: a
 * row only when it carries the probe value (or is the one row of the bulk probe's own set, whose sys_id the
 * insertMultiple answer gave), a set only when the answer named it and every row in it is one of those. The Table
 * API ignores a query clause it cannot apply (`glide.invalid_query.returns_no_rows` is false by default): on a staging
 * table without the probe column the lookup lists every row, and none of them passes the check. One-row inserts join
 * the table's open synchronous set of the day (r_ImportSetMode.md), shared with Iru Endpoint's own one-row pushes,
 * so that set stays while it holds any other row. Sets go first: if a delete fails, what is left is still found
 * next time through a probe row. Returns the number of probe rows found.
 */
async function removeProbes(admin: ServiceNowClient, importSetNumber: string | undefined, bulkSetId?: string): Promise<number> {
  const field = IMPORT_PROBE.field
  const found = await admin.table.list(TABLES.deviceImport, { query: query().eq(field, IMPORT_PROBE.value).toString(), fields: ['sys_id', 'sys_import_set', field] })
  const rows = found.filter((r) => r.sys_id && r[field] === IMPORT_PROBE.value)
  const probeRows = rows.length
  const ours = new Set(rows.map((r) => r.sys_id))
  if (bulkSetId) {
    const inSet = (await admin.table.list(TABLES.deviceImport, { query: query().eq('sys_import_set', bulkSetId).toString(), fields: ['sys_id', 'sys_import_set'], limit: 2 })).filter(
      (r) => r.sys_import_set === bulkSetId,
    )
    // Our own bulk set holds the one row we sent; anything larger is not ours to delete.
    const [only] = inSet
    if (inSet.length === 1 && only?.sys_id && !ours.has(only.sys_id)) {
      rows.push(only)
      ours.add(only.sys_id)
    }
  }
  const sets = new Set(rows.map((row) => row.sys_import_set).filter((id): id is string => !!id))
  if (importSetNumber) {
    const named = await admin.table.list(PLATFORM_TABLES.importSet, { query: query().eq('number', importSetNumber).toString(), fields: ['sys_id', 'number'] })
    for (const set of named) if (set.sys_id && set.number === importSetNumber) sets.add(set.sys_id)
  }
  for (const set of sets) {
    const mine = rows.filter((r) => r.sys_import_set === set).length
    const members = await admin.table.list(TABLES.deviceImport, { query: query().eq('sys_import_set', set).toString(), fields: ['sys_id', 'sys_import_set'], limit: mine + 1 })
    if (members.every((m) => ours.has(m.sys_id) && m.sys_import_set === set)) await admin.table.delete(PLATFORM_TABLES.importSet, set)
  }
  for (const row of rows) if (row.sys_id) await admin.table.delete(TABLES.deviceImport, row.sys_id)
  return probeRows
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
