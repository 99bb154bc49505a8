// Every check's pass/warn/fail boundary with the exact result an admin reads (status, detail, fix, data): the app's
// verify endpoint and the CLI's Table API verify both print these. Pure: snapshots in, results out.
import { describe, expect, it } from 'vitest'
import { APP, FIX_SCRIPT_NAME, INSERT_MULTIPLE_PLUGIN, OAUTH_CLIENT, REST_INSERT_MULTIPLE } from '../constants.ts'
import {
  checkAppInstalled,
  checkDiscoverySource,
  checkFixScript,
  checkImportErrors,
  checkInsertMultiple,
  checkKandjiCis,
  checkOauthClient,
  checkOauthScopeRestriction,
  checkServiceAccount,
  checkServiceAccountRoles,
  checkStagingTables,
  checkTransformMaps,
  evaluateRoles,
} from './checks.ts'
import { decideDiscoverySource, isTrue, DISCOVERY_SOURCE_KEY } from './discovery-source.ts'
import { buildReport, overallStatus, toIsoUtc } from './report.ts'
import type { OauthClientSnapshot, PushSnapshot, UserSnapshot, VerifySnapshots } from './snapshots.ts'

const REINSTALL = `Reinstall or upgrade the ${APP.name} app (deploy-integration deploy; the vendor's Store app from System Applications > All Available Applications).`
const USER: UserSnapshot = { matches: 1, sysId: 'u1', active: true, lockedOut: false, passwordNeedsReset: false, webServiceAccessOnly: true }
const CLIENT: OauthClientSnapshot = { matches: 1, active: true, redirectUrl: OAUTH_CLIENT.redirectUrl, hasScopeRestrictionField: true, scopeRestriction: OAUTH_CLIENT.broadlyScopedValue }
const SETTINGS = { maxPushAgeHours: 48, errorRateRows: 100, maxErrorRatePercent: 10, maxPendingMinutes: 60, pushIntervalHours: 24, invalid: [] }
const PUSH: PushSnapshot = {
  settings: SETTINGS, now: '2026-03-10 12:00:00', lastPushAt: '', recent: { rows: 0, failed: 0 }, stuckPending: 0, pendingBefore: '2026-03-10 11:00:00',
  refreshTokenLifespanSeconds: OAUTH_CLIENT.refreshTokenLifespanSeconds,
}
const REQUIRED = ['cmdb_read', 'import_transformer', 'rest_api_explorer']
const direct = (...roles: string[]) => roles.map((role) => ({ role, inherited: false }))
const inherited = (...roles: string[]) => roles.map((role) => ({ role, inherited: true }))

describe('app_installed', () => {
  const title = `${APP.name} app installed`
  it('fails without the app, warns on a version other than the build, passes on the build or an empty version', () => {
    expect(checkAppInstalled({ found: false, version: '', className: '' }, '1.3.0')).toStrictEqual({
      id: 'app_installed', status: 'fail', title, detail: `No application with scope ${APP.scope} is installed.`, fix: REINSTALL, data: { scope: APP.scope },
    })
    expect(checkAppInstalled({ found: true, version: '1.2.0', className: 'sys_app' }, '1.3.0')).toStrictEqual({
      id: 'app_installed', status: 'warn', title,
      detail: `${APP.scope} is installed as version 1.2.0, but the running code was built as 1.3.0.`,
      fix: 'The install did not finish cleanly; install the app again so its record and code agree.',
      data: { scope: APP.scope, version: '1.2.0', class: 'sys_app', build_version: '1.3.0' },
    })
    expect(checkAppInstalled({ found: true, version: '1.3.0', className: 'sys_store_app' }, '1.3.0')).toStrictEqual({
      id: 'app_installed', status: 'pass', title, detail: `${APP.scope} 1.3.0 is installed.`,
      data: { scope: APP.scope, version: '1.3.0', class: 'sys_store_app', build_version: '1.3.0' },
    })
    expect(checkAppInstalled({ found: true, version: '', className: 'sys_app' }, '1.3.0')).toMatchObject({ status: 'pass', detail: `${APP.scope} 1.3.0 is installed.` })
  })
})

describe('discovery_source', () => {
  const title = 'Kandji discovery source'
  const repair = `Run deploy-integration deploy (it adds the choice as the admin through the Table API), or run the ${FIX_SCRIPT_NAME} fix script (System Definition > Fix Scripts).`
  it('passes one active row, fails a missing or inactive one with the repair, warns on duplicates', () => {
    expect(checkDiscoverySource({ rows: [{ inactive: 'false' }] })).toStrictEqual({
      id: 'discovery_source', status: 'pass', title, detail: `The choice ${DISCOVERY_SOURCE_KEY} is present and active.`,
    })
    expect(checkDiscoverySource({ rows: [] })).toStrictEqual({
      id: 'discovery_source', status: 'fail', title, detail: `The choice ${DISCOVERY_SOURCE_KEY} is missing, so IRE rejects every device Iru Endpoint sends.`, fix: repair,
    })
    expect(checkDiscoverySource({ rows: [{ inactive: 'true' }] })).toStrictEqual({
      id: 'discovery_source', status: 'fail', title, detail: `The choice ${DISCOVERY_SOURCE_KEY} exists but is inactive, so IRE rejects every device Iru Endpoint sends.`, fix: repair,
    })
    expect(checkDiscoverySource({ rows: [{ inactive: 'false' }, { inactive: 'true' }] })).toStrictEqual({
      id: 'discovery_source', status: 'warn', title,
      detail: `2 rows define the choice ${DISCOVERY_SOURCE_KEY} (language en); repair will not pick one.`,
      fix: 'Delete the duplicate sys_choice rows so one active row remains.', data: { rows: 2 },
    })
  })

  it('reads inactive as stored: "true" and "1" only', () => {
    expect(['true', '1', 'false', '0', '', null, 'TRUE'].map((v) => isTrue(v))).toEqual([true, true, false, false, false, false, false])
    expect(decideDiscoverySource([{ inactive: '1' }])).toEqual({ kind: 'reactivate' })
    expect(decideDiscoverySource([{ inactive: null }])).toEqual({ kind: 'unchanged' })
    expect(DISCOVERY_SOURCE_KEY).toBe('cmdb_ci.discovery_source=Kandji')
  })
})

describe('fix_script', () => {
  it('passes when present, fails with the reinstall fix when missing', () => {
    const title = `${FIX_SCRIPT_NAME} fix script`
    expect(checkFixScript({ found: true })).toStrictEqual({ id: 'fix_script', status: 'pass', title, detail: `The fix script ${FIX_SCRIPT_NAME} is present.` })
    expect(checkFixScript({ found: false })).toStrictEqual({ id: 'fix_script', status: 'fail', title, detail: `The fix script ${FIX_SCRIPT_NAME} is missing.`, fix: REINSTALL })
  })
})

describe('service_account', () => {
  const title = 'Service account'
  const data = (u: UserSnapshot) => ({
    user_name: 'svc', sys_id: u.sysId, active: u.active, locked_out: u.lockedOut, password_needs_reset: u.passwordNeedsReset, web_service_access_only: u.webServiceAccessOnly,
  })
  it('fails a missing or duplicated user', () => {
    expect(checkServiceAccount({ ...USER, matches: 0 }, 'svc')).toStrictEqual({
      id: 'service_account', status: 'fail', title, detail: 'No user named svc exists.', fix: 'Run deploy-integration deploy, which creates and configures the account.', data: { user_name: 'svc' },
    })
    expect(checkServiceAccount({ ...USER, matches: 2 }, 'svc')).toStrictEqual({
      id: 'service_account', status: 'fail', title, detail: 'More than one user is named svc; Iru Endpoint logs in by user name.',
      fix: 'Rename or deactivate the duplicate users so the name is unique.', data: { user_name: 'svc', matches: 2 },
    })
  })

  it('fails inactive, then locked out; warns on password needs reset; each with its own fix', () => {
    const inactive = { ...USER, active: false, lockedOut: true, passwordNeedsReset: true }
    expect(checkServiceAccount(inactive, 'svc')).toStrictEqual({
      id: 'service_account', status: 'fail', title, detail: 'svc is inactive, so it cannot authenticate.', fix: 'Set Active on svc.', data: data(inactive),
    })
    const locked = { ...USER, lockedOut: true, passwordNeedsReset: true }
    expect(checkServiceAccount(locked, 'svc')).toStrictEqual({
      id: 'service_account', status: 'fail', title, detail: 'svc is locked out, so it cannot authenticate.', fix: 'Clear Locked out on svc.', data: data(locked),
    })
    const reset = { ...USER, passwordNeedsReset: true }
    expect(checkServiceAccount(reset, 'svc')).toStrictEqual({
      id: 'service_account', status: 'warn', title, detail: 'svc must change its password before its next login, which a web-service client cannot do.',
      fix: 'Clear Password needs reset on svc (deploy-integration rotate sets a new password without it).', data: data(reset),
    })
  })

  it('passes, saying which logins the account may use', () => {
    expect(checkServiceAccount(USER, 'svc')).toStrictEqual({
      id: 'service_account', status: 'pass', title, detail: 'svc exists, is active, is not locked out, and may use web services only.', data: data(USER),
    })
    const interactive = { ...USER, webServiceAccessOnly: false }
    expect(checkServiceAccount(interactive, 'svc')).toStrictEqual({
      id: 'service_account', status: 'pass', title, detail: 'svc exists, is active, is not locked out, and may use web services and interactive logins.', data: data(interactive),
    })
  })
})

describe('service_account_roles', () => {
  const title = 'Service account roles'
  const needs = REQUIRED.join(', ')
  const removeFix = 'Remove the extra roles (and group memberships) from svc and add the required roles directly.'

  it('sorts and de-duplicates, and splits extras into privileged and other (snc_internal is not an extra)', () => {
    expect(evaluateRoles([...direct('rest_api_explorer', 'itil', 'admin', 'cmdb_read', 'snc_internal', 'itil'), ...inherited('user_admin', 'import_transformer', 'cmdb_read', 'user_admin')])).toStrictEqual({
      direct: ['admin', 'cmdb_read', 'itil', 'rest_api_explorer', 'snc_internal'],
      inherited: ['cmdb_read', 'import_transformer', 'user_admin'],
      missing: [],
      inheritedOnly: ['import_transformer'],
      extraPrivileged: ['admin'],
      extraOther: ['itil'],
      inheritedPrivileged: ['user_admin'],
    })
  })

  it('does not check roles of a user that is not exactly one', () => {
    for (const matches of [0, 2]) {
      expect(checkServiceAccountRoles({ ...USER, matches }, direct(...REQUIRED), 'svc')).toStrictEqual({
        id: 'service_account_roles', status: 'fail', title, detail: 'Roles not checked: svc was not found as exactly one user.', fix: 'Fix the service account first.', data: { user_name: 'svc' },
      })
    }
  })

  it('fails a missing role, naming it and the full set', () => {
    expect(checkServiceAccountRoles(USER, direct('cmdb_read', 'admin'), 'svc')).toStrictEqual({
      id: 'service_account_roles', status: 'fail', title, detail: `svc lacks import_transformer, rest_api_explorer; it needs exactly ${needs}.`,
      fix: 'Add import_transformer, rest_api_explorer to svc (deploy-integration deploy does this).',
      data: { direct: ['admin', 'cmdb_read'], inherited: [], missing: ['import_transformer', 'rest_api_explorer'], extra: ['admin'], privileged: ['admin'] },
    })
  })

  it('warns on each kind of extra, in this order: privileged direct, privileged inherited, other direct, required only inherited', () => {
    const rows = [...direct('cmdb_read', 'rest_api_explorer', 'security_admin', 'itil'), ...inherited('import_transformer', 'oauth_admin')]
    expect(checkServiceAccountRoles(USER, rows, 'svc')).toStrictEqual({
      id: 'service_account_roles', status: 'warn', title,
      detail: 'svc has the privileged role(s) security_admin directly; inherits the privileged role(s) oauth_admin; has extra direct role(s) itil; ' +
        `gets import_transformer only through a group or another role. It should have exactly ${needs} directly.`,
      fix: removeFix,
      data: { direct: ['cmdb_read', 'itil', 'rest_api_explorer', 'security_admin'], inherited: ['import_transformer', 'oauth_admin'], missing: [], extra: ['security_admin', 'itil'], privileged: ['security_admin', 'oauth_admin'] },
    })
    for (const [extra, detail] of [
      [direct('admin'), 'svc has the privileged role(s) admin directly.'],
      [inherited('import_admin'), 'svc inherits the privileged role(s) import_admin.'],
      [direct('itil'), 'svc has extra direct role(s) itil.'],
    ] as const) {
      expect(checkServiceAccountRoles(USER, [...direct(...REQUIRED), ...extra], 'svc')).toMatchObject({ status: 'warn', detail: `${detail} It should have exactly ${needs} directly.`, fix: removeFix })
    }
  })

  it('lists several roles of a kind separated by commas', () => {
    const rows = [...direct('cmdb_read', 'admin', 'user_admin', 'itil', 'sn_x'), ...inherited('import_transformer', 'rest_api_explorer', 'oauth_admin', 'import_admin')]
    expect(checkServiceAccountRoles(USER, rows, 'svc').detail).toBe(
      'svc has the privileged role(s) admin, user_admin directly; inherits the privileged role(s) import_admin, oauth_admin; has extra direct role(s) itil, sn_x; ' +
        `gets import_transformer, rest_api_explorer only through a group or another role. It should have exactly ${needs} directly.`,
    )
  })

  it('passes exactly the required roles, naming what is inherited besides', () => {
    expect(checkServiceAccountRoles(USER, [...direct(...REQUIRED, 'snc_internal')], 'svc')).toStrictEqual({
      id: 'service_account_roles', status: 'pass', title, detail: `svc has exactly ${needs} directly.`,
      data: { direct: [...REQUIRED, 'snc_internal'], inherited: [], missing: [], extra: [], privileged: [] },
    })
    expect(checkServiceAccountRoles(USER, [...direct(...REQUIRED), ...inherited('cmdb_read', 'itil')], 'svc')).toMatchObject({
      status: 'pass', detail: `svc has exactly ${needs} directly. Inherited: cmdb_read, itil.`,
    })
  })
})

describe('oauth_client', () => {
  const title = 'OAuth client'
  const url = OAUTH_CLIENT.redirectUrl
  it('fails a missing or duplicated client', () => {
    expect(checkOauthClient({ ...CLIENT, matches: 0 }, 'c')).toStrictEqual({
      id: 'oauth_client', status: 'fail', title, detail: 'No OAuth client named c exists.', fix: 'Run deploy-integration deploy, which creates and configures the OAuth client.', data: { name: 'c' },
    })
    expect(checkOauthClient({ ...CLIENT, matches: 3 }, 'c')).toStrictEqual({
      id: 'oauth_client', status: 'fail', title, detail: 'More than one OAuth client is named c; verify cannot tell which one Iru Endpoint uses.',
      fix: 'Rename or delete the duplicates so the name is unique.', data: { name: 'c', matches: 3 },
    })
  })

  it('fails an inactive client, and one without the exact redirect URL among its comma-separated list', () => {
    expect(checkOauthClient({ ...CLIENT, active: false }, 'c')).toStrictEqual({
      id: 'oauth_client', status: 'fail', title, detail: 'c is inactive, so Iru Endpoint cannot get tokens.', fix: 'Set Active on c.', data: { name: 'c', active: false, redirect_urls: [url] },
    })
    for (const redirectUrl of [`${url}/`, `${url}.evil.example`, '', `http://${url.slice('https://'.length)}`]) {
      expect(checkOauthClient({ ...CLIENT, redirectUrl }, 'c'), redirectUrl).toStrictEqual({
        id: 'oauth_client', status: 'fail', title, detail: `c does not have the redirect URL ${url}.`, fix: `Set Redirect URL on c to ${url}.`,
        data: { name: 'c', active: true, redirect_urls: redirectUrl ? [redirectUrl] : [] },
      })
    }
  })

  it('passes the redirect URL anywhere in the list, trimmed, empty entries dropped', () => {
    expect(checkOauthClient({ ...CLIENT, redirectUrl: ` https://a.example , ,${url} ` }, 'c')).toStrictEqual({
      id: 'oauth_client', status: 'pass', title, detail: `c exists, is active, and redirects to ${url}.`, data: { name: 'c', active: true, redirect_urls: ['https://a.example', url] },
    })
  })
})

describe('oauth_scope_restriction', () => {
  const title = 'OAuth scope restriction'
  it('passes before Zurich (no column), warns when the client is not one, fails anything but broadly scoped', () => {
    expect(checkOauthScopeRestriction({ ...CLIENT, hasScopeRestrictionField: false, scopeRestriction: '' }, 'c')).toStrictEqual({
      id: 'oauth_scope_restriction', status: 'pass', title,
      detail: `This instance has no oauth_entity.${OAUTH_CLIENT.scopeRestrictionField} column (a release before Zurich), so there is nothing to restrict.`,
      data: { field_present: false },
    })
    expect(checkOauthScopeRestriction({ ...CLIENT, matches: 0 }, 'c')).toStrictEqual({
      id: 'oauth_scope_restriction', status: 'warn', title, detail: 'Not checked: c was not found as exactly one OAuth client.', fix: 'Fix the OAuth client first.', data: { field_present: true },
    })
    const fix = 'Set Scope Restriction on c to Broadly scoped (deploy-integration deploy does this).'
    expect(checkOauthScopeRestriction({ ...CLIENT, scopeRestriction: 'restricted' }, 'c')).toStrictEqual({
      id: 'oauth_scope_restriction', status: 'fail', title,
      detail: 'c has Scope Restriction "restricted", not broadly scoped; Iru Endpoint\'s calls fail with 403 "Access to unscoped api is not allowed" (KB2731346).',
      fix, data: { field_present: true, value: 'restricted', expected: OAUTH_CLIENT.broadlyScopedValue },
    })
    expect(checkOauthScopeRestriction({ ...CLIENT, scopeRestriction: '' }, 'c')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^c has Scope Restriction "\(empty\)", not broadly scoped;/) })
    expect(checkOauthScopeRestriction(CLIENT, 'c')).toStrictEqual({
      id: 'oauth_scope_restriction', status: 'pass', title, detail: 'c is broadly scoped.', data: { field_present: true, value: OAUTH_CLIENT.broadlyScopedValue, expected: OAUTH_CLIENT.broadlyScopedValue },
    })
  })
})

describe('staging_tables', () => {
  it('lists the tables present, or the missing ones with the reinstall fix', () => {
    const title = 'Staging and MDM tables'
    expect(checkStagingTables({ expected: ['a', 'b'], found: ['b', 'a', 'z'] })).toStrictEqual({
      id: 'staging_tables', status: 'pass', title, detail: 'Tables present: a, b.', data: { expected: ['a', 'b'], missing: [] },
    })
    expect(checkStagingTables({ expected: ['a', 'b', 'c'], found: ['b'] })).toStrictEqual({
      id: 'staging_tables', status: 'fail', title, detail: 'Missing tables: a, c.', fix: REINSTALL, data: { expected: ['a', 'b', 'c'], missing: ['a', 'c'] },
    })
  })
})

describe('transform_maps', () => {
  const title = 'Transform maps'
  const expected = ['Device', 'App']
  const data = (missing: string[], inactive: string[], duplicated: string[]) => ({ expected, missing, inactive, duplicated })
  it('fails missing maps first, then inactive ones, warns on duplicates, passes when each is there once and active', () => {
    expect(checkTransformMaps({ expected, maps: [{ name: 'App', active: false }] })).toStrictEqual({
      id: 'transform_maps', status: 'fail', title, detail: 'Missing transform maps: Device.', fix: REINSTALL, data: data(['Device'], ['App'], []),
    })
    expect(checkTransformMaps({ expected, maps: [{ name: 'Device', active: false }, { name: 'App', active: false }, { name: 'App', active: false }] })).toStrictEqual({
      id: 'transform_maps', status: 'fail', title, detail: 'Inactive transform maps: Device, App; imported rows stay untransformed.',
      fix: 'Set Active on Device, App (System Import Sets > Transform Maps).', data: data([], ['Device', 'App'], ['App']),
    })
    expect(checkTransformMaps({ expected, maps: [{ name: 'Device', active: true }, { name: 'App', active: false }, { name: 'App', active: true }] })).toStrictEqual({
      id: 'transform_maps', status: 'warn', title, detail: 'More than one transform map is named App; rows may be transformed twice.',
      fix: 'Deactivate or delete the copies that are not part of the app.', data: data([], [], ['App']),
    })
    expect(checkTransformMaps({ expected, maps: [{ name: 'App', active: true }, { name: 'Other', active: false }, { name: 'Device', active: true }] })).toStrictEqual({
      id: 'transform_maps', status: 'pass', title, detail: 'Transform maps present and active: Device, App.', data: data([], [], []),
    })
  })

  it('names several missing or duplicated maps separated by commas', () => {
    expect(checkTransformMaps({ expected, maps: [] }).detail).toBe('Missing transform maps: Device, App.')
    const twice = [{ name: 'Device', active: true }, { name: 'Device', active: true }, { name: 'App', active: true }, { name: 'App', active: true }]
    expect(checkTransformMaps({ expected, maps: twice }).detail).toBe('More than one transform map is named Device, App; rows may be transformed twice.')
    expect(checkInsertMultiple({ pluginActive: true, stagingTables: ['a', 'b'], mappings: [] }).detail)
      .toBe(`No ${REST_INSERT_MULTIPLE.table} record maps a, b by column name, so insertMultiple keys rows by column label and Iru Endpoint's rows (keyed by column name) land empty.`)
  })

  it("checks another build's own maps: fails none or none active, passes naming the active ones", () => {
    expect(checkTransformMaps({ expected: [], maps: [] })).toStrictEqual({
      id: 'transform_maps', status: 'fail', title, detail: `The installed ${APP.scope} app has no transform map, so imported rows stay untransformed.`, fix: REINSTALL,
      data: { expected: [], found: [], active: [] },
    })
    expect(checkTransformMaps({ expected: [], maps: [{ name: 'X', active: false }, { name: 'Y', active: false }] })).toStrictEqual({
      id: 'transform_maps', status: 'fail', title, detail: 'Every transform map of the installed app is inactive (X, Y); imported rows stay untransformed.',
      fix: "Set Active on the app's transform maps (System Import Sets > Transform Maps).", data: { expected: [], found: ['X', 'Y'], active: [] },
    })
    expect(checkTransformMaps({ expected: [], maps: [{ name: 'X', active: true }, { name: 'Y', active: false }, { name: 'Z', active: true }] })).toStrictEqual({
      id: 'transform_maps', status: 'pass', title, detail: "The installed app's transform maps are present; active: X, Z.", data: { expected: [], found: ['X', 'Y', 'Z'], active: ['X', 'Z'] },
    })
  })
})

describe('insert_multiple', () => {
  const title = 'insertMultiple (bulk push)'
  const byName = REST_INSERT_MULTIPLE.columnNameValue
  it('fails a staging table not mapped by column name, warns on an inactive plugin, passes otherwise', () => {
    expect(checkInsertMultiple({ pluginActive: false, stagingTables: ['a', 'b'], mappings: [{ table: 'a', columnMapping: byName }, { table: 'b', columnMapping: 'label' }, { table: 'c', columnMapping: byName }] })).toStrictEqual({
      id: 'insert_multiple', status: 'fail', title,
      detail: `No ${REST_INSERT_MULTIPLE.table} record maps b by column name, so insertMultiple keys rows by column label and Iru Endpoint's rows (keyed by column name) land empty.`,
      fix: REINSTALL, data: { plugin: INSERT_MULTIPLE_PLUGIN, plugin_active: false, keyed_by_label: ['b'] },
    })
    const mapped = { stagingTables: ['a', 'b'], mappings: [{ table: 'b', columnMapping: byName }, { table: 'a', columnMapping: byName }] }
    expect(checkInsertMultiple({ pluginActive: false, ...mapped })).toStrictEqual({
      id: 'insert_multiple', status: 'warn', title,
      detail: `The Insert Multiple Web Service plugin (${INSERT_MULTIPLE_PLUGIN}) is not active; the instance may refuse Iru Endpoint's bulk pushes to …/insertMultiple (one-row imports still work).`,
      fix: `Activate the plugin ${INSERT_MULTIPLE_PLUGIN} (System Definition > Plugins), then run verify again.`,
      data: { plugin: INSERT_MULTIPLE_PLUGIN, plugin_active: false, keyed_by_label: [] },
    })
    expect(checkInsertMultiple({ pluginActive: true, ...mapped })).toStrictEqual({
      id: 'insert_multiple', status: 'pass', title, detail: 'The plugin is active and a, b take rows keyed by column name.',
      data: { plugin: INSERT_MULTIPLE_PLUGIN, plugin_active: true, keyed_by_label: [] },
    })
  })

  it("does not check another build's mapping, and says so", () => {
    expect(checkInsertMultiple({ pluginActive: true, stagingTables: [], mappings: [] })).toStrictEqual({
      id: 'insert_multiple', status: 'pass', title,
      detail: "The plugin is active; how the installed app maps insertMultiple keys is its own (not this project's build), so the mapping was not checked.",
      data: { plugin: INSERT_MULTIPLE_PLUGIN, plugin_active: true, keyed_by_label: [], mapping_checked: false },
    })
  })
})

describe('import_errors', () => {
  const title = 'Import rows rejected or in error in the last 24 hours'
  it('passes with none, warns naming each table with rows, its counts and latest message', () => {
    const since = '2026-01-01 03:04:05'
    const clean = { since, tables: [{ table: 'a', errors: 0, rejected: 0, latestMessage: '' }] }
    expect(checkImportErrors(clean)).toStrictEqual({
      id: 'import_errors', status: 'pass', title, detail: `No import row rejected or in error since ${since} UTC.`,
      data: { since, tables: [{ table: 'a', errors: 0, rejected: 0, latest_message: '' }] },
    })
    const dirty = { since, tables: [{ table: 'a', errors: 2, rejected: 1, latestMessage: 'bad' }, { table: 'b', errors: 0, rejected: 0, latestMessage: '' }, { table: 'c', errors: 0, rejected: 4, latestMessage: '' }] }
    expect(checkImportErrors(dirty)).toStrictEqual({
      id: 'import_errors', status: 'warn', title,
      detail: `7 import row(s) rejected or in error since ${since} UTC: 1 rejected and 2 in error in a (latest: bad); 4 rejected and 0 in error in c.`,
      fix: 'Open the rows (Kandji > Device imports; the Comment says why), fix the cause named there, and let Iru Endpoint send them again.',
      data: { since, tables: [{ table: 'a', errors: 2, rejected: 1, latest_message: 'bad' }, { table: 'b', errors: 0, rejected: 0, latest_message: '' }, { table: 'c', errors: 0, rejected: 4, latest_message: '' }] },
    })
    expect(checkImportErrors({ since, tables: [{ table: 'a', errors: 1, rejected: 0, latestMessage: '' }] })).toMatchObject({ status: 'warn' })
  })
})

describe('kandji_cis', () => {
  const title = 'Kandji devices in the CMDB'
  it('counts through the MDM table, telling Kandji-sourced from others', () => {
    expect(checkKandjiCis({ via: 'mdm', count: 0, kandjiSource: 0 })).toStrictEqual({
      id: 'kandji_cis', status: 'pass', title, detail: "No Kandji device is linked to a CI yet; expected until Iru Endpoint's first sync.",
      data: { count: 0, kandji_source: 0, other_source: 0, via: 'mdm' },
    })
  })

  it('counts by discovery source where there is no MDM table', () => {
    expect(checkKandjiCis({ via: 'discovery_source', count: 0, kandjiSource: 0 })).toStrictEqual({
      id: 'kandji_cis', status: 'pass', title, detail: "No CI names Kandji as its discovery source yet; expected until Iru Endpoint's first sync.",
      data: { count: 0, kandji_source: 0, other_source: 0, via: 'discovery_source' },
    })
    expect(checkKandjiCis({ via: 'discovery_source', count: 3, kandjiSource: 3 })).toStrictEqual({
      id: 'kandji_cis', status: 'pass', title,
      detail: '3 CI(s) name Kandji as their discovery source (devices another source found first keep that source, so they are not in this count).',
      data: { count: 3, kandji_source: 3, other_source: 0, via: 'discovery_source' },
    })
  })
})

describe('the report', () => {
  const healthy: VerifySnapshots = {
    app: { found: true, version: '', className: 'sys_app' },
    choice: { rows: [{ inactive: 'false' }] },
    fixScript: { found: true },
    user: USER,
    roles: direct(...REQUIRED),
    oauthClient: CLIENT,
    tables: { expected: ['a'], found: ['a'] },
    transformMaps: { expected: ['m'], maps: [{ name: 'm', active: true }] },
    insertMultiple: { pluginActive: true, stagingTables: ['a'], mappings: [{ table: 'a', columnMapping: REST_INSERT_MULTIPLE.columnNameValue }] },
    importErrors: { since: 's', tables: [] },
    cis: { via: 'mdm', count: 0, kandjiSource: 0 },
    push: PUSH,
  }

  it('is fail when any check fails, else warn when any warns, else pass', () => {
    expect(overallStatus([{ status: 'pass' }, { status: 'warn' }, { status: 'fail' }, { status: 'warn' }])).toBe('fail')
    expect(overallStatus([{ status: 'pass' }, { status: 'warn' }])).toBe('warn')
    expect(overallStatus([{ status: 'pass' }])).toBe('pass')
    expect(overallStatus([])).toBe('pass')
  })

  it('converts only a whole Glide date-time to ISO 8601, trimmed', () => {
    expect(toIsoUtc(' 2026-01-02 03:04:05 ')).toBe('2026-01-02T03:04:05Z')
    for (const other of ['2026-01-02T03:04:05Z', 'x2026-01-02 03:04:05', '2026-01-02 03:04:05x', '']) expect(toIsoUtc(other)).toBe(other)
  })

  it('counts each status, names the subject, and takes the app version from the record, else the build', () => {
    const report = buildReport({ ...healthy, fixScript: { found: false }, user: { ...USER, passwordNeedsReset: true } }, { serviceAccount: 'svc', oauthClient: 'c' }, '2026-01-02 03:04:05', '9.9.9', 'client')
    expect({ ...report, checks: report.checks.map((c) => [c.id, c.status]) }).toStrictEqual({
      status: 'fail',
      generated_at: '2026-01-02T03:04:05Z',
      evaluated_by: 'client',
      app: { scope: APP.scope, version: '9.9.9' },
      subject: { service_account: 'svc', oauth_client: 'c' },
      summary: { pass: 14, warn: 1, fail: 1 },
      checks: [
        ['app_installed', 'pass'], ['discovery_source', 'pass'], ['fix_script', 'fail'], ['service_account', 'warn'], ['service_account_roles', 'pass'],
        ['oauth_client', 'pass'], ['oauth_scope_restriction', 'pass'], ['staging_tables', 'pass'], ['transform_maps', 'pass'], ['insert_multiple', 'pass'],
        ['import_errors', 'pass'], ['kandji_cis', 'pass'], ['push_recency', 'pass'], ['push_errors', 'pass'], ['push_pending', 'pass'], ['push_token_lifespan', 'pass'],
      ],
    })
    expect(buildReport({ ...healthy, app: { found: true, version: '1.0.0', className: 'sys_store_app' } }, { serviceAccount: 'svc', oauthClient: 'c' }, 'now', '9.9.9', 'instance'))
      .toMatchObject({ status: 'warn', generated_at: 'now', evaluated_by: 'instance', app: { scope: APP.scope, version: '1.0.0' }, summary: { pass: 15, warn: 1, fail: 0 } })
  })
})
