// Verify's checks at their pass/warn/fail boundaries: each status, exactly at and just past the line that separates
// them, with the exact status, detail, fix and data a customer (and the demo's summary) reads.
import { describe, expect, it } from 'vitest'
import {
  checkAppInstalled,
  checkFixScript,
  checkOauthClient,
  checkServiceAccount,
  checkServiceAccountRoles,
  type CheckResult,
  type OauthClientSnapshot,
  type RoleRow,
  type UserSnapshot,
} from '../src/checks/index.ts'

const REINSTALL = `Reinstall or upgrade the Kandji app (deploy-integration deploy; the vendor's Store app from System Applications > All Available Applications).`
const USER = 'svc_kandji_custom'
const CLIENT = 'kandji_client_custom'

const healthyUser: UserSnapshot = { matches: 1, sysId: 'u1', active: true, lockedOut: false, passwordNeedsReset: false, webServiceAccessOnly: true }
const userData = (u: UserSnapshot) => ({
  user_name: USER,
  sys_id: u.sysId,
  active: u.active,
  locked_out: u.lockedOut,
  password_needs_reset: u.passwordNeedsReset,
  web_service_access_only: u.webServiceAccessOnly,
})
const required = (inherited = false): RoleRow[] => ['cmdb_read', 'import_transformer', 'rest_api_explorer'].map((role) => ({ role, inherited }))

describe('app_installed', () => {
  it('fails when no app has the scope', () => {
    expect(checkAppInstalled({ found: false, version: '', className: '' }, '1.2.3')).toEqual<CheckResult>({
      id: 'app_installed',
      status: 'fail',
      title: 'Kandji app installed',
      detail: 'No application with scope x_kandj_kandji is installed.',
      fix: REINSTALL,
      data: { scope: 'x_kandj_kandji' },
    })
  })

  it('passes when the installed version is exactly the running build', () => {
    expect(checkAppInstalled({ found: true, version: '1.2.3', className: 'sys_app' }, '1.2.3')).toEqual<CheckResult>({
      id: 'app_installed',
      status: 'pass',
      title: 'Kandji app installed',
      detail: 'x_kandj_kandji 1.2.3 is installed.',
      data: { scope: 'x_kandj_kandji', version: '1.2.3', class: 'sys_app', build_version: '1.2.3' },
    })
  })

  it('warns when the installed version differs from the build by one patch level (either way)', () => {
    for (const [installed, build] of [['1.2.4', '1.2.3'], ['1.2.3', '1.2.4']] as const) {
      expect(checkAppInstalled({ found: true, version: installed, className: 'sys_store_app' }, build)).toEqual<CheckResult>({
        id: 'app_installed',
        status: 'warn',
        title: 'Kandji app installed',
        detail: `x_kandj_kandji is installed as version ${installed}, but the running code was built as ${build}.`,
        fix: 'The install did not finish cleanly; install the app again so its record and code agree.',
        data: { scope: 'x_kandj_kandji', version: installed, class: 'sys_store_app', build_version: build },
      })
    }
  })

  it('passes with the build version when the record carries no version (nothing to compare)', () => {
    const r = checkAppInstalled({ found: true, version: '', className: 'sys_app' }, '2.0.0')
    expect([r.status, r.detail, r.fix]).toEqual(['pass', 'x_kandj_kandji 2.0.0 is installed.', undefined])
  })
})

describe('fix_script', () => {
  it('passes when present, fails with the reinstall fix when missing', () => {
    expect(checkFixScript({ found: true })).toEqual<CheckResult>({ id: 'fix_script', status: 'pass', title: 'kandji_fix_script fix script', detail: 'The fix script kandji_fix_script is present.' })
    expect(checkFixScript({ found: false })).toEqual<CheckResult>({
      id: 'fix_script',
      status: 'fail',
      title: 'kandji_fix_script fix script',
      detail: 'The fix script kandji_fix_script is missing.',
      fix: REINSTALL,
    })
  })
})

describe('service_account', () => {
  it('fails with no user of the name (0 matches)', () => {
    expect(checkServiceAccount({ ...healthyUser, matches: 0 }, USER)).toEqual<CheckResult>({
      id: 'service_account',
      status: 'fail',
      title: 'Service account',
      detail: `No user named ${USER} exists.`,
      fix: 'Run deploy-integration deploy, which creates and configures the account.',
      data: { user_name: USER },
    })
  })

  it('passes with exactly one user, and fails as a duplicate at two (and more)', () => {
    expect(checkServiceAccount(healthyUser, USER)).toEqual<CheckResult>({
      id: 'service_account',
      status: 'pass',
      title: 'Service account',
      detail: `${USER} exists, is active, is not locked out, and may use web services only.`,
      data: userData(healthyUser),
    })
    for (const matches of [2, 7]) {
      expect(checkServiceAccount({ ...healthyUser, matches }, USER)).toEqual<CheckResult>({
        id: 'service_account',
        status: 'fail',
        title: 'Service account',
        detail: `More than one user is named ${USER}; Iru Endpoint logs in by user name.`,
        fix: 'Rename or deactivate the duplicate users so the name is unique.',
        data: { user_name: USER, matches },
      })
    }
  })

  it('warns when the password needs a reset (a web-service client cannot change it), and passes once cleared', () => {
    const reset = { ...healthyUser, passwordNeedsReset: true }
    expect(checkServiceAccount(reset, USER)).toEqual<CheckResult>({
      id: 'service_account',
      status: 'warn',
      title: 'Service account',
      detail: `${USER} must change its password before its next login, which a web-service client cannot do.`,
      fix: `Clear Password needs reset on ${USER} (deploy-integration rotate sets a new password without it).`,
      data: userData(reset),
    })
    expect(checkServiceAccount({ ...reset, passwordNeedsReset: false }, USER).status).toBe('pass')
  })

  it('an inactive or locked-out account fails even when its password also needs a reset (fail outranks warn)', () => {
    const inactive = { ...healthyUser, active: false, passwordNeedsReset: true }
    expect(checkServiceAccount(inactive, USER)).toEqual<CheckResult>({
      id: 'service_account',
      status: 'fail',
      title: 'Service account',
      detail: `${USER} is inactive, so it cannot authenticate.`,
      fix: `Set Active on ${USER}.`,
      data: userData(inactive),
    })
    const locked = { ...healthyUser, lockedOut: true, passwordNeedsReset: true }
    expect(checkServiceAccount(locked, USER)).toEqual<CheckResult>({
      id: 'service_account',
      status: 'fail',
      title: 'Service account',
      detail: `${USER} is locked out, so it cannot authenticate.`,
      fix: `Clear Locked out on ${USER}.`,
      data: userData(locked),
    })
  })

  it('says which logins the account may use', () => {
    expect(checkServiceAccount({ ...healthyUser, webServiceAccessOnly: false }, USER).detail).toBe(
      `${USER} exists, is active, is not locked out, and may use web services and interactive logins.`,
    )
  })
})

describe('service_account_roles', () => {
  const warnFix = `Remove the extra roles (and group memberships) from ${USER} and add the required roles directly.`
  const needs = 'It should have exactly cmdb_read, import_transformer, rest_api_explorer directly.'

  it('is not checked unless the account is exactly one user', () => {
    for (const matches of [0, 2]) {
      expect(checkServiceAccountRoles({ ...healthyUser, matches }, required(), USER)).toEqual<CheckResult>({
        id: 'service_account_roles',
        status: 'fail',
        title: 'Service account roles',
        detail: `Roles not checked: ${USER} was not found as exactly one user.`,
        fix: 'Fix the service account first.',
        data: { user_name: USER },
      })
    }
  })

  it('passes with exactly the three roles directly; snc_internal (granted by the platform) is not an extra', () => {
    const r = checkServiceAccountRoles(healthyUser, [...required(), { role: 'snc_internal', inherited: false }, { role: 'import_set_loader', inherited: true }], USER)
    expect(r).toEqual<CheckResult>({
      id: 'service_account_roles',
      status: 'pass',
      title: 'Service account roles',
      detail: `${USER} has exactly cmdb_read, import_transformer, rest_api_explorer directly. Inherited: import_set_loader.`,
      data: { direct: ['cmdb_read', 'import_transformer', 'rest_api_explorer', 'snc_internal'], inherited: ['import_set_loader'], missing: [], extra: [], privileged: [] },
    })
  })

  it('fails when one required role is missing, naming exactly that role', () => {
    const r = checkServiceAccountRoles(healthyUser, required().filter((x) => x.role !== 'import_transformer'), USER)
    expect(r).toEqual<CheckResult>({
      id: 'service_account_roles',
      status: 'fail',
      title: 'Service account roles',
      detail: `${USER} lacks import_transformer; it needs exactly cmdb_read, import_transformer, rest_api_explorer.`,
      fix: `Add import_transformer to ${USER} (deploy-integration deploy does this).`,
      data: { direct: ['cmdb_read', 'rest_api_explorer'], inherited: [], missing: ['import_transformer'], extra: [], privileged: [] },
    })
  })

  it('warns on one extra privileged role held directly', () => {
    const r = checkServiceAccountRoles(healthyUser, [...required(), { role: 'admin', inherited: false }], USER)
    expect(r).toEqual<CheckResult>({
      id: 'service_account_roles',
      status: 'warn',
      title: 'Service account roles',
      detail: `${USER} has the privileged role(s) admin directly. ${needs}`,
      fix: warnFix,
      data: { direct: ['admin', 'cmdb_read', 'import_transformer', 'rest_api_explorer'], inherited: [], missing: [], extra: ['admin'], privileged: ['admin'] },
    })
  })

  it('warns on one privileged role inherited (through a group or a role), which is not an extra direct role', () => {
    const r = checkServiceAccountRoles(healthyUser, [...required(), { role: 'security_admin', inherited: true }], USER)
    expect(r).toEqual<CheckResult>({
      id: 'service_account_roles',
      status: 'warn',
      title: 'Service account roles',
      detail: `${USER} inherits the privileged role(s) security_admin. ${needs}`,
      fix: warnFix,
      data: { direct: ['cmdb_read', 'import_transformer', 'rest_api_explorer'], inherited: ['security_admin'], missing: [], extra: [], privileged: ['security_admin'] },
    })
  })

  it('warns on one extra non-privileged direct role, and an inherited non-privileged role alone still passes', () => {
    const extra = checkServiceAccountRoles(healthyUser, [...required(), { role: 'itil', inherited: false }], USER)
    expect([extra.status, extra.detail, extra.data?.extra, extra.data?.privileged]).toEqual(['warn', `${USER} has extra direct role(s) itil. ${needs}`, ['itil'], []])
    const inherited = checkServiceAccountRoles(healthyUser, [...required(), { role: 'itil', inherited: true }], USER)
    expect([inherited.status, inherited.fix]).toEqual(['pass', undefined])
  })

  it('warns when a required role is held only through inheritance', () => {
    const rows = [...required().filter((x) => x.role !== 'cmdb_read'), { role: 'cmdb_read', inherited: true }]
    const r = checkServiceAccountRoles(healthyUser, rows, USER)
    expect([r.status, r.detail, r.data?.missing]).toEqual(['warn', `${USER} gets cmdb_read only through a group or another role. ${needs}`, []])
  })

  it('lists every warning in a fixed order: direct privileged, inherited privileged, extra direct, inherited-only', () => {
    const rows: RoleRow[] = [
      { role: 'rest_api_explorer', inherited: false },
      { role: 'import_transformer', inherited: false },
      { role: 'cmdb_read', inherited: true },
      { role: 'user_admin', inherited: false },
      { role: 'admin', inherited: false },
      { role: 'oauth_admin', inherited: true },
      { role: 'itil', inherited: false },
    ]
    const r = checkServiceAccountRoles(healthyUser, rows, USER)
    expect(r.status).toBe('warn')
    expect(r.detail).toBe(
      `${USER} has the privileged role(s) admin, user_admin directly; inherits the privileged role(s) oauth_admin; has extra direct role(s) itil; ` +
        `gets cmdb_read only through a group or another role. ${needs}`,
    )
    expect(r.data).toEqual({
      direct: ['admin', 'import_transformer', 'itil', 'rest_api_explorer', 'user_admin'],
      inherited: ['cmdb_read', 'oauth_admin'],
      missing: [],
      extra: ['admin', 'user_admin', 'itil'],
      privileged: ['admin', 'user_admin', 'oauth_admin'],
    })
  })

  it('a missing role fails even when there are also extra privileged roles (fail outranks warn)', () => {
    const r = checkServiceAccountRoles(healthyUser, [{ role: 'admin', inherited: false }, ...required().slice(1)], USER)
    expect([r.status, r.detail]).toEqual(['fail', `${USER} lacks cmdb_read; it needs exactly cmdb_read, import_transformer, rest_api_explorer.`])
  })
})

describe('oauth_client redirect URL: an exact match, after trimming the comma-separated list', () => {
  const client = (redirectUrl: string): OauthClientSnapshot => ({ matches: 1, active: true, redirectUrl, hasScopeRestrictionField: true, scopeRestriction: 'unrestricted' })
  const wrong = (redirect_urls: string[]): CheckResult => ({
    id: 'oauth_client',
    status: 'fail',
    title: 'OAuth client',
    detail: `${CLIENT} does not have the redirect URL https://kandji.io.`,
    fix: `Set Redirect URL on ${CLIENT} to https://kandji.io.`,
    data: { name: CLIENT, active: true, redirect_urls },
  })

  it('passes on exactly https://kandji.io, alone or in a list with spaces around it', () => {
    expect(checkOauthClient(client('https://kandji.io'), CLIENT)).toEqual<CheckResult>({
      id: 'oauth_client',
      status: 'pass',
      title: 'OAuth client',
      detail: `${CLIENT} exists, is active, and redirects to https://kandji.io.`,
      data: { name: CLIENT, active: true, redirect_urls: ['https://kandji.io'] },
    })
    expect(checkOauthClient(client(' https://example.com ,  https://kandji.io '), CLIENT).data?.redirect_urls).toEqual(['https://example.com', 'https://kandji.io'])
    expect(checkOauthClient(client(' https://example.com ,  https://kandji.io '), CLIENT).status).toBe('pass')
  })

  it('fails one character away: a trailing slash, a path, http, a subdomain, another case, a prefix', () => {
    for (const url of ['https://kandji.io/', 'https://kandji.io/callback', 'http://kandji.io', 'https://www.kandji.io', 'HTTPS://KANDJI.IO', 'https://kandji.i']) {
      expect(checkOauthClient(client(url), CLIENT), url).toEqual(wrong([url]))
    }
  })

  it('fails on an empty redirect URL (and on one of only commas)', () => {
    expect(checkOauthClient(client(''), CLIENT)).toEqual(wrong([]))
    expect(checkOauthClient(client(' , ,'), CLIENT)).toEqual(wrong([]))
  })

  it('an inactive client fails as inactive even with the right redirect URL', () => {
    const r = checkOauthClient({ ...client('https://kandji.io'), active: false }, CLIENT)
    expect([r.status, r.detail, r.fix]).toEqual(['fail', `${CLIENT} is inactive, so Iru Endpoint cannot get tokens.`, `Set Active on ${CLIENT}.`])
  })

  it('fails on 0 and on 2 clients of the name, passes on exactly 1', () => {
    expect(checkOauthClient({ ...client('https://kandji.io'), matches: 0 }, CLIENT)).toEqual<CheckResult>({
      id: 'oauth_client',
      status: 'fail',
      title: 'OAuth client',
      detail: `No OAuth client named ${CLIENT} exists.`,
      fix: 'Run deploy-integration deploy, which creates and configures the OAuth client.',
      data: { name: CLIENT },
    })
    expect(checkOauthClient({ ...client('https://kandji.io'), matches: 2 }, CLIENT)).toEqual<CheckResult>({
      id: 'oauth_client',
      status: 'fail',
      title: 'OAuth client',
      detail: `More than one OAuth client is named ${CLIENT}; verify cannot tell which one Iru Endpoint uses.`,
      fix: 'Rename or delete the duplicates so the name is unique.',
      data: { name: CLIENT, matches: 2 },
    })
    expect(checkOauthClient(client('https://kandji.io'), CLIENT).status).toBe('pass')
  })
})
