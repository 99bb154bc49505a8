// The check catalogue: snapshots in, check results out, one function per check id in CHECK_IDS order. The app's
// verify endpoint runs these in the instance; the CLI runs the same functions on what it read through the Table API
// where that endpoint does not exist (the vendor's Store app). The app imports a generated copy (scripts/generate.ts).
import {
  APP,
  DISCOVERY_SOURCE,
  FIX_SCRIPT_NAME,
  INSERT_MULTIPLE_PLUGIN,
  OAUTH_CLIENT,
  PLATFORM_GRANTED_ROLES,
  PRIVILEGED_ROLES,
  REST_INSERT_MULTIPLE,
  SERVICE_ACCOUNT_ROLES,
  type CheckId,
  type CheckStatus,
} from '../constants.ts'
import { DISCOVERY_SOURCE_KEY, decideDiscoverySource } from './discovery-source.ts'
import { hoursBetween, invalidSettingsNote } from './push.ts'
import type {
  AppSnapshot,
  ChoiceSnapshot,
  CiCountSnapshot,
  FixScriptSnapshot,
  ImportErrorsSnapshot,
  InsertMultipleSnapshot,
  OauthClientSnapshot,
  PushSnapshot,
  RoleRow,
  Subject,
  TablesSnapshot,
  TransformMapSnapshot,
  UserSnapshot,
  VerifySnapshots,
} from './snapshots.ts'

export interface CheckResult {
  id: CheckId
  status: CheckStatus
  title: string
  detail: string
  fix?: string
  data?: { [key: string]: unknown }
}

function result(
  id: CheckId,
  status: CheckStatus,
  title: string,
  detail: string,
  fix: string | undefined,
  data?: { [key: string]: unknown },
): CheckResult {
  const check: CheckResult = { id, status, title, detail }
  if (status !== 'pass' && fix) check.fix = fix
  if (data) check.data = data
  return check
}

const REINSTALL = `Reinstall or upgrade the ${APP.name} app (deploy-integration deploy; the vendor's Store app from System Applications > All Available Applications).`

export function checkAppInstalled(app: AppSnapshot, buildVersion: string): CheckResult {
  const title = `${APP.name} app installed`
  if (!app.found) {
    return result('app_installed', 'fail', title, `No application with scope ${APP.scope} is installed.`, REINSTALL, { scope: APP.scope })
  }
  const data = { scope: APP.scope, version: app.version, class: app.className, build_version: buildVersion }
  if (app.version && app.version !== buildVersion) {
    return result('app_installed', 'warn', title,
      `${APP.scope} is installed as version ${app.version}, but the running code was built as ${buildVersion}.`,
      'The install did not finish cleanly; install the app again so its record and code agree.', data)
  }
  return result('app_installed', 'pass', title, `${APP.scope} ${app.version || buildVersion} is installed.`, undefined, data)
}

export function checkDiscoverySource(choice: ChoiceSnapshot): CheckResult {
  const title = `${DISCOVERY_SOURCE.value} discovery source`
  const key = DISCOVERY_SOURCE_KEY
  const repairHint = `Run deploy-integration deploy (it adds the choice as the admin through the Table API), or run the ${FIX_SCRIPT_NAME} fix script (System Definition > Fix Scripts).`
  const decision = decideDiscoverySource(choice.rows)
  switch (decision.kind) {
    case 'unchanged':
      return result('discovery_source', 'pass', title, `The choice ${key} is present and active.`, undefined)
    case 'create':
      return result('discovery_source', 'fail', title,
        `The choice ${key} is missing, so IRE rejects every device Iru Endpoint sends.`, repairHint)
    case 'reactivate':
      return result('discovery_source', 'fail', title,
        `The choice ${key} exists but is inactive, so IRE rejects every device Iru Endpoint sends.`, repairHint)
    case 'refuse':
      return result('discovery_source', 'warn', title,
        `${decision.matches} rows define the choice ${key} (language ${DISCOVERY_SOURCE.language}); repair will not pick one.`,
        'Delete the duplicate sys_choice rows so one active row remains.', { rows: decision.matches })
  }
}

export function checkFixScript(fixScript: FixScriptSnapshot): CheckResult {
  const title = `${FIX_SCRIPT_NAME} fix script`
  return fixScript.found
    ? result('fix_script', 'pass', title, `The fix script ${FIX_SCRIPT_NAME} is present.`, undefined)
    : result('fix_script', 'fail', title, `The fix script ${FIX_SCRIPT_NAME} is missing.`, REINSTALL)
}

export function checkServiceAccount(user: UserSnapshot, userName: string): CheckResult {
  const title = 'Service account'
  const recreate = 'Run deploy-integration deploy, which creates and configures the account.'
  if (user.matches === 0) {
    return result('service_account', 'fail', title, `No user named ${userName} exists.`, recreate, { user_name: userName })
  }
  if (user.matches > 1) {
    return result('service_account', 'fail', title, `More than one user is named ${userName}; Iru Endpoint logs in by user name.`,
      'Rename or deactivate the duplicate users so the name is unique.', { user_name: userName, matches: user.matches })
  }
  const data = {
    user_name: userName,
    sys_id: user.sysId,
    active: user.active,
    locked_out: user.lockedOut,
    password_needs_reset: user.passwordNeedsReset,
    web_service_access_only: user.webServiceAccessOnly,
  }
  if (!user.active) {
    return result('service_account', 'fail', title, `${userName} is inactive, so it cannot authenticate.`, `Set Active on ${userName}.`, data)
  }
  if (user.lockedOut) {
    return result('service_account', 'fail', title, `${userName} is locked out, so it cannot authenticate.`, `Clear Locked out on ${userName}.`, data)
  }
  if (user.passwordNeedsReset) {
    return result('service_account', 'warn', title,
      `${userName} must change its password before its next login, which a web-service client cannot do.`,
      `Clear Password needs reset on ${userName} (deploy-integration rotate sets a new password without it).`, data)
  }
  const access = user.webServiceAccessOnly ? 'web services only' : 'web services and interactive logins'
  return result('service_account', 'pass', title, `${userName} exists, is active, is not locked out, and may use ${access}.`, undefined, data)
}

export interface RoleEvaluation {
  direct: string[]
  inherited: string[]
  missing: string[]
  inheritedOnly: string[]
  extraPrivileged: string[]
  extraOther: string[]
  inheritedPrivileged: string[]
}

export function evaluateRoles(rows: readonly RoleRow[]): RoleEvaluation {
  const direct = unique(rows.filter((r) => !r.inherited).map((r) => r.role))
  const inherited = unique(rows.filter((r) => r.inherited).map((r) => r.role))
  const required: readonly string[] = SERVICE_ACCOUNT_ROLES
  const privileged: readonly string[] = PRIVILEGED_ROLES
  const platformGranted: readonly string[] = PLATFORM_GRANTED_ROLES
  const extras = direct.filter((r) => !required.includes(r) && !platformGranted.includes(r))
  return {
    direct,
    inherited,
    missing: required.filter((r) => !direct.includes(r) && !inherited.includes(r)),
    inheritedOnly: required.filter((r) => !direct.includes(r) && inherited.includes(r)),
    extraPrivileged: extras.filter((r) => privileged.includes(r)),
    extraOther: extras.filter((r) => !privileged.includes(r)),
    inheritedPrivileged: inherited.filter((r) => privileged.includes(r)),
  }
}

export function checkServiceAccountRoles(user: UserSnapshot, rows: readonly RoleRow[], userName: string): CheckResult {
  const title = 'Service account roles'
  const required = SERVICE_ACCOUNT_ROLES.join(', ')
  if (user.matches !== 1) {
    return result('service_account_roles', 'fail', title, `Roles not checked: ${userName} was not found as exactly one user.`,
      'Fix the service account first.', { user_name: userName })
  }
  const e = evaluateRoles(rows)
  const data = {
    direct: e.direct,
    inherited: e.inherited,
    missing: e.missing,
    extra: [...e.extraPrivileged, ...e.extraOther],
    privileged: [...e.extraPrivileged, ...e.inheritedPrivileged],
  }
  if (e.missing.length > 0) {
    return result('service_account_roles', 'fail', title, `${userName} lacks ${e.missing.join(', ')}; it needs exactly ${required}.`,
      `Add ${e.missing.join(', ')} to ${userName} (deploy-integration deploy does this).`, data)
  }
  const warnings: string[] = []
  if (e.extraPrivileged.length > 0) warnings.push(`has the privileged role(s) ${e.extraPrivileged.join(', ')} directly`)
  if (e.inheritedPrivileged.length > 0) warnings.push(`inherits the privileged role(s) ${e.inheritedPrivileged.join(', ')}`)
  if (e.extraOther.length > 0) warnings.push(`has extra direct role(s) ${e.extraOther.join(', ')}`)
  if (e.inheritedOnly.length > 0) warnings.push(`gets ${e.inheritedOnly.join(', ')} only through a group or another role`)
  if (warnings.length > 0) {
    return result('service_account_roles', 'warn', title, `${userName} ${warnings.join('; ')}. It should have exactly ${required} directly.`,
      `Remove the extra roles (and group memberships) from ${userName} and add the required roles directly.`, data)
  }
  const inheritedText = e.inherited.length > 0 ? ` Inherited: ${e.inherited.join(', ')}.` : ''
  return result('service_account_roles', 'pass', title, `${userName} has exactly ${required} directly.${inheritedText}`, undefined, data)
}

export function checkOauthClient(client: OauthClientSnapshot, clientName: string): CheckResult {
  const title = 'OAuth client'
  const recreate = 'Run deploy-integration deploy, which creates and configures the OAuth client.'
  if (client.matches === 0) {
    return result('oauth_client', 'fail', title, `No OAuth client named ${clientName} exists.`, recreate, { name: clientName })
  }
  if (client.matches > 1) {
    return result('oauth_client', 'fail', title, `More than one OAuth client is named ${clientName}; verify cannot tell which one Iru Endpoint uses.`,
      'Rename or delete the duplicates so the name is unique.', { name: clientName, matches: client.matches })
  }
  const redirects = client.redirectUrl.split(',').map((u) => u.trim()).filter((u) => u.length > 0)
  const data = { name: clientName, active: client.active, redirect_urls: redirects }
  if (!client.active) {
    return result('oauth_client', 'fail', title, `${clientName} is inactive, so Iru Endpoint cannot get tokens.`, `Set Active on ${clientName}.`, data)
  }
  if (!redirects.includes(OAUTH_CLIENT.redirectUrl)) {
    return result('oauth_client', 'fail', title, `${clientName} does not have the redirect URL ${OAUTH_CLIENT.redirectUrl}.`,
      `Set Redirect URL on ${clientName} to ${OAUTH_CLIENT.redirectUrl}.`, data)
  }
  return result('oauth_client', 'pass', title, `${clientName} exists, is active, and redirects to ${OAUTH_CLIENT.redirectUrl}.`, undefined, data)
}

export function checkOauthScopeRestriction(client: OauthClientSnapshot, clientName: string): CheckResult {
  const title = 'OAuth scope restriction'
  const field = `${OAUTH_CLIENT.scopeRestrictionField}`
  if (!client.hasScopeRestrictionField) {
    return result('oauth_scope_restriction', 'pass', title,
      `This instance has no oauth_entity.${field} column (a release before Zurich), so there is nothing to restrict.`, undefined,
      { field_present: false })
  }
  if (client.matches !== 1) {
    return result('oauth_scope_restriction', 'warn', title, `Not checked: ${clientName} was not found as exactly one OAuth client.`,
      'Fix the OAuth client first.', { field_present: true })
  }
  const data = { field_present: true, value: client.scopeRestriction, expected: OAUTH_CLIENT.broadlyScopedValue }
  if (client.scopeRestriction !== OAUTH_CLIENT.broadlyScopedValue) {
    return result('oauth_scope_restriction', 'fail', title,
      `${clientName} has Scope Restriction "${client.scopeRestriction || '(empty)'}", not broadly scoped; Iru Endpoint's calls fail with 403 "Access to unscoped api is not allowed" (KB2731346).`,
      `Set Scope Restriction on ${clientName} to Broadly scoped (deploy-integration deploy does this).`, data)
  }
  return result('oauth_scope_restriction', 'pass', title, `${clientName} is broadly scoped.`, undefined, data)
}

export function checkStagingTables(tables: TablesSnapshot): CheckResult {
  const title = 'Staging and MDM tables'
  const expected = tables.expected
  const missing = expected.filter((t) => !tables.found.includes(t))
  const data = { expected, missing }
  return missing.length === 0
    ? result('staging_tables', 'pass', title, `Tables present: ${expected.join(', ')}.`, undefined, data)
    : result('staging_tables', 'fail', title, `Missing tables: ${missing.join(', ')}.`, REINSTALL, data)
}

export function checkTransformMaps(snapshot: TransformMapSnapshot): CheckResult {
  const title = 'Transform maps'
  if (snapshot.expected.length === 0) return checkOwnTransformMaps(snapshot)
  const expected = snapshot.expected
  const missing = expected.filter((n) => !snapshot.maps.some((m) => m.name === n))
  const inactive = expected.filter((n) => snapshot.maps.some((m) => m.name === n) && !snapshot.maps.some((m) => m.name === n && m.active))
  const duplicated = expected.filter((n) => snapshot.maps.filter((m) => m.name === n).length > 1)
  const data = { expected, missing, inactive, duplicated }
  if (missing.length > 0) return result('transform_maps', 'fail', title, `Missing transform maps: ${missing.join(', ')}.`, REINSTALL, data)
  if (inactive.length > 0) {
    return result('transform_maps', 'fail', title, `Inactive transform maps: ${inactive.join(', ')}; imported rows stay untransformed.`,
      `Set Active on ${inactive.join(', ')} (System Import Sets > Transform Maps).`, data)
  }
  if (duplicated.length > 0) {
    return result('transform_maps', 'warn', title, `More than one transform map is named ${duplicated.join(', ')}; rows may be transformed twice.`,
      'Deactivate or delete the copies that are not part of the app.', data)
  }
  return result('transform_maps', 'pass', title, `Transform maps present and active: ${expected.join(', ')}.`, undefined, data)
}

/** Another build of the scope (the vendor's Store app): its maps are whatever it ships; at least one must be active. */
function checkOwnTransformMaps(snapshot: TransformMapSnapshot): CheckResult {
  const title = 'Transform maps'
  const names = snapshot.maps.map((m) => m.name)
  const active = snapshot.maps.filter((m) => m.active).map((m) => m.name)
  const data = { expected: [], found: names, active }
  if (names.length === 0) return result('transform_maps', 'fail', title, `The installed ${APP.scope} app has no transform map, so imported rows stay untransformed.`, REINSTALL, data)
  if (active.length === 0) {
    return result('transform_maps', 'fail', title, `Every transform map of the installed app is inactive (${names.join(', ')}); imported rows stay untransformed.`,
      `Set Active on the app's transform maps (System Import Sets > Transform Maps).`, data)
  }
  return result('transform_maps', 'pass', title, `The installed app's transform maps are present; active: ${active.join(', ')}.`, undefined, data)
}

export function checkInsertMultiple(snapshot: InsertMultipleSnapshot): CheckResult {
  const title = 'insertMultiple (bulk push)'
  const staging = snapshot.stagingTables
  const byLabel = staging.filter((t) => !snapshot.mappings.some((m) => m.table === t && m.columnMapping === REST_INSERT_MULTIPLE.columnNameValue))
  const data = { plugin: INSERT_MULTIPLE_PLUGIN, plugin_active: snapshot.pluginActive, keyed_by_label: byLabel, ...(staging.length === 0 ? { mapping_checked: false } : {}) }
  if (byLabel.length > 0) {
    return result('insert_multiple', 'fail', title,
      `No ${REST_INSERT_MULTIPLE.table} record maps ${byLabel.join(', ')} by column name, so insertMultiple keys rows by column label and Iru Endpoint's rows (keyed by column name) land empty.`,
      REINSTALL, data)
  }
  if (!snapshot.pluginActive) {
    return result('insert_multiple', 'warn', title,
      `The Insert Multiple Web Service plugin (${INSERT_MULTIPLE_PLUGIN}) is not active; the instance may refuse Iru Endpoint's bulk pushes to …/insertMultiple (one-row imports still work).`,
      `Activate the plugin ${INSERT_MULTIPLE_PLUGIN} (System Definition > Plugins), then run verify again.`, data)
  }
  if (staging.length === 0) {
    return result('insert_multiple', 'pass', title,
      `The plugin is active; how the installed app maps insertMultiple keys is its own (not this project's build), so the mapping was not checked.`, undefined, data)
  }
  return result('insert_multiple', 'pass', title, `The plugin is active and ${staging.join(', ')} take rows keyed by column name.`, undefined, data)
}

export function checkImportErrors(snapshot: ImportErrorsSnapshot): CheckResult {
  const title = 'Import rows rejected or in error in the last 24 hours'
  const total = snapshot.tables.reduce((sum, t) => sum + t.errors + t.rejected, 0)
  const data = {
    since: snapshot.since,
    tables: snapshot.tables.map((t) => ({ table: t.table, errors: t.errors, rejected: t.rejected, latest_message: t.latestMessage })),
  }
  if (total === 0) return result('import_errors', 'pass', title, `No import row rejected or in error since ${snapshot.since} UTC.`, undefined, data)
  const parts = snapshot.tables
    .filter((t) => t.errors + t.rejected > 0)
    .map((t) => `${t.rejected} rejected and ${t.errors} in error in ${t.table}${t.latestMessage ? ` (latest: ${t.latestMessage})` : ''}`)
  return result('import_errors', 'warn', title, `${total} import row(s) rejected or in error since ${snapshot.since} UTC: ${parts.join('; ')}.`,
    'Open the rows (Kandji > Device imports; the Comment says why), fix the cause named there, and let Iru Endpoint send them again.', data)
}

export function checkKandjiCis(snapshot: CiCountSnapshot): CheckResult {
  const title = `${DISCOVERY_SOURCE.value} devices in the CMDB`
  const other = snapshot.count - snapshot.kandjiSource
  const data = { count: snapshot.count, kandji_source: snapshot.kandjiSource, other_source: other, via: snapshot.via }
  if (snapshot.via === 'discovery_source') {
    const detail = snapshot.count === 0
      ? `No CI names ${DISCOVERY_SOURCE.value} as its discovery source yet; expected until Iru Endpoint's first sync.`
      : `${snapshot.count} CI(s) name ${DISCOVERY_SOURCE.value} as their discovery source (devices another source found first keep that source, so they are not in this count).`
    return result('kandji_cis', 'pass', title, detail, undefined, data)
  }
  const detail = snapshot.count === 0
    ? `No Kandji device is linked to a CI yet; expected until Iru Endpoint's first sync.`
    : `${snapshot.count} Kandji device(s) are linked to a computer CI: ${snapshot.kandjiSource} with discovery source ${DISCOVERY_SOURCE.value}, ` +
      `${other} found first by another source (IRE keeps the source that created a CI, so a filter on discovery source misses them; the MDM table lists all).`
  return result('kandji_cis', 'pass', title, detail, undefined, data)
}

// push_errors, push_pending and push_token_lifespan warn in verify: rows that failed before a repair stay among the
// latest N until Iru Endpoint pushes again, so failing them would fail every deploy after a repair. The health
// monitor degrades on these warnings (HEALTH_DEGRADING_WARNINGS).
/** A check passes unless its own finding says otherwise; an invalid setting it reads makes a pass a warn. */
function withSettings(check: CheckResult, note: string, fix: string): CheckResult {
  if (note === '') return check
  const detail = `${check.detail}${note}`
  return check.status === 'pass' ? result(check.id, 'warn', check.title, detail, fix, check.data) : { ...check, detail }
}

const SETTINGS_FIX = `Set the property to a whole number (System Properties, or ${APP.name} > Properties), or clear it to use the default.`
const SYNC_FIX = 'Check the integration in Iru Endpoint (its ServiceNow sync status and last error) and that the service account can still sign in; then let it push again.'

export function checkPushRecency(push: PushSnapshot, userName: string): CheckResult {
  const title = 'Time since the last push from Iru Endpoint'
  const max = push.settings.maxPushAgeHours
  const note = invalidSettingsNote(push.settings, ['maxPushAgeHours'])
  if (push.lastPushAt === '') {
    return withSettings(result('push_recency', 'pass', title,
      `No row from ${userName} yet; expected until Iru Endpoint's first sync (the check then fails when no row arrives for ${max} hours).`, undefined,
      { last_push: null, max_age_hours: max }), note, SETTINGS_FIX)
  }
  const age = hoursBetween(push.lastPushAt, push.now) ?? 0
  const data = { last_push: push.lastPushAt, age_hours: Math.round(age * 10) / 10, max_age_hours: max }
  if (age > max) {
    return withSettings(result('push_recency', 'fail', title,
      `The last row from ${userName} arrived ${data.age_hours} hours ago (${push.lastPushAt} UTC), more than the ${max} hours allowed; the CMDB is going stale.`,
      SYNC_FIX, data), note, SETTINGS_FIX)
  }
  return withSettings(result('push_recency', 'pass', title, `The last row from ${userName} arrived ${data.age_hours} hours ago (${push.lastPushAt} UTC).`, undefined, data), note, SETTINGS_FIX)
}

export function checkPushErrors(push: PushSnapshot, userName: string): CheckResult {
  const title = 'Error rate of the latest pushed rows'
  const { rows, failed } = push.recent
  const max = push.settings.maxErrorRatePercent
  const note = invalidSettingsNote(push.settings, ['errorRateRows', 'maxErrorRatePercent'])
  const percent = rows === 0 ? 0 : Math.round((failed / rows) * 1000) / 10
  const data = { rows, failed, error_rate_percent: percent, max_error_rate_percent: max, window_rows: push.settings.errorRateRows }
  if (rows === 0) return withSettings(result('push_errors', 'pass', title, `No row from ${userName} to judge yet.`, undefined, data), note, SETTINGS_FIX)
  if (percent > max) {
    return withSettings(result('push_errors', 'warn', title,
      `${failed} of the latest ${rows} rows from ${userName} failed to transform (${percent} %, more than ${max} %).`,
      'Open the rows in error (Kandji > Device imports; the Comment says why), fix the cause named there, and let Iru Endpoint send them again.', data), note, SETTINGS_FIX)
  }
  return withSettings(result('push_errors', 'pass', title, `${failed} of the latest ${rows} rows from ${userName} failed to transform (${percent} %).`, undefined, data), note, SETTINGS_FIX)
}

export function checkPushPending(push: PushSnapshot): CheckResult {
  const title = 'Pushed rows stuck in pending'
  const max = push.settings.maxPendingMinutes
  const note = invalidSettingsNote(push.settings, ['maxPendingMinutes'])
  const data = { stuck: push.stuckPending, max_pending_minutes: max, created_before: push.pendingBefore }
  if (push.stuckPending > 0) {
    return withSettings(result('push_pending', 'warn', title,
      `${push.stuckPending} row(s) have waited in pending for more than ${max} minutes (created before ${push.pendingBefore} UTC); the transform is not running for them.`,
      'Check the transform maps are active and the import set run did not stop (System Import Sets > Import Set Runs); a halted set leaves its later rows pending.', data), note, SETTINGS_FIX)
  }
  return withSettings(result('push_pending', 'pass', title, `No row has waited in pending for more than ${max} minutes.`, undefined, data), note, SETTINGS_FIX)
}

export function checkPushTokenLifespan(push: PushSnapshot, clientName: string): CheckResult {
  const title = 'Refresh token lifespan against the push schedule'
  const neededSeconds = push.settings.pushIntervalHours * 3600
  const note = invalidSettingsNote(push.settings, ['pushIntervalHours'])
  const lifespan = push.refreshTokenLifespanSeconds
  if (lifespan === undefined) {
    return withSettings(result('push_token_lifespan', 'warn', title, `Not checked: ${clientName} was not found as exactly one OAuth client.`, 'Fix the OAuth client first.',
      { needed_seconds: neededSeconds }), note, SETTINGS_FIX)
  }
  const data = { refresh_token_lifespan_seconds: lifespan, needed_seconds: neededSeconds, push_interval_hours: push.settings.pushIntervalHours }
  if (lifespan < neededSeconds) {
    return withSettings(result('push_token_lifespan', 'warn', title,
      `${clientName}'s refresh tokens live ${lifespan} seconds, shorter than the ${push.settings.pushIntervalHours} hours between pushes, so Iru Endpoint's token expires between syncs.`,
      `Set Refresh Token Lifespan on ${clientName} to at least ${neededSeconds} seconds (deploy-integration deploy sets ${OAUTH_CLIENT.refreshTokenLifespanSeconds}).`, data), note, SETTINGS_FIX)
  }
  return withSettings(result('push_token_lifespan', 'pass', title, `${clientName}'s refresh tokens live ${lifespan} seconds, at least the ${push.settings.pushIntervalHours} hours between pushes.`, undefined, data), note, SETTINGS_FIX)
}

export function runChecks(s: VerifySnapshots, subject: Subject, buildVersion: string): CheckResult[] {
  return [
    checkAppInstalled(s.app, buildVersion),
    checkDiscoverySource(s.choice),
    checkFixScript(s.fixScript),
    checkServiceAccount(s.user, subject.serviceAccount),
    checkServiceAccountRoles(s.user, s.roles, subject.serviceAccount),
    checkOauthClient(s.oauthClient, subject.oauthClient),
    checkOauthScopeRestriction(s.oauthClient, subject.oauthClient),
    checkStagingTables(s.tables),
    checkTransformMaps(s.transformMaps),
    checkInsertMultiple(s.insertMultiple),
    checkImportErrors(s.importErrors),
    checkKandjiCis(s.cis),
    checkPushRecency(s.push, subject.serviceAccount),
    checkPushErrors(s.push, subject.serviceAccount),
    checkPushPending(s.push),
    checkPushTokenLifespan(s.push, subject.oauthClient),
  ]
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort()
}
