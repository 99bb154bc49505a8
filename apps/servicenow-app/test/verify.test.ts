import { describe, expect, it } from 'vitest'
import {
  APP_PROPERTIES,
  CHECK_IDS,
  DISCOVERY_SOURCE,
  IMPORT_REJECTED_PREFIX,
  INSERT_MULTIPLE_PLUGIN,
  OAUTH_CLIENT,
  PLATFORM_TABLES,
  REST_INSERT_MULTIPLE,
  SERVICE_ACCOUNT,
  TABLES,
  TRANSFORM_MAPS,
  verificationReportSchema,
} from '@kandji-sn/contract'
import { checkOauthScopeRestriction, checkServiceAccountRoles, evaluateRoles } from '../src/server/generated/checks/checks.ts'
import { toIsoUtc } from '../src/server/generated/checks/report.ts'
import { handleVerify } from '../src/server/rest/handlers.ts'
import type { VerificationReport } from '../src/server/verify/report.ts'
import { fakePlatform, type FakePlatform } from './fake-platform.ts'
import { USER_SYS_ID, healthyInstance } from './instance-fixture.ts'

function verify(p: FakePlatform, params: unknown = {}): VerificationReport {
  const reply = handleVerify(p, params)
  expect(reply.status).toBe(200)
  return verificationReportSchema.parse(reply.body) as VerificationReport
}
const check = (r: VerificationReport, id: string) => r.checks.find((c) => c.id === id)

describe('GET verify on a correctly configured instance', () => {
  it('passes every check and lists every check id in contract order', () => {
    const report = verify(fakePlatform(healthyInstance()))
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS])
    expect(report.status).toBe('pass')
    expect(report.summary).toEqual({ pass: CHECK_IDS.length, warn: 0, fail: 0 })
    expect(report.subject).toEqual({ service_account: SERVICE_ACCOUNT.defaultUserName, oauth_client: OAUTH_CLIENT.defaultName })
    expect(report.generated_at).toBe('2026-01-02T03:04:05Z')
    for (const c of report.checks) expect(c.fix).toBeUndefined()
  })

  it('runs the same number of queries with 5 or 5,000 Kandji CIs and import errors', () => {
    const small = healthyInstance()
    const large = healthyInstance()
    const seed = (db: typeof small, n: number) => {
      for (let i = 0; i < n; i++) {
        // every fifth device's CI was created by another source first
        db.add(TABLES.mdm, { ci: `ci${i}`, [`ci.${DISCOVERY_SOURCE.element}`]: i % 5 === 0 ? 'SCCM' : DISCOVERY_SOURCE.value })
        db.add(TABLES.deviceImport, { sys_import_state: 'error', sys_created_on: '2026-01-02 00:00:00', sys_import_state_comment: `bad ${i}` })
        db.add(TABLES.deviceImport, { sys_import_state: 'ignored', sys_created_on: '2026-01-02 00:00:00', sys_import_state_comment: `${IMPORT_REJECTED_PREFIX}no serial ${i}` })
      }
      db.add(TABLES.mdm, { ci: '' })
    }
    seed(small, 5)
    seed(large, 5000)
    const ps = fakePlatform(small)
    const pl = fakePlatform(large)
    const rs = verify(ps)
    const rl = verify(pl)
    expect(ps.db.queries).toBe(pl.db.queries)
    expect(check(rl, 'kandji_cis')?.data).toEqual({ count: 5000, kandji_source: 4000, other_source: 1000, via: 'mdm' })
    expect(check(rs, 'kandji_cis')?.data).toEqual({ count: 5, kandji_source: 4, other_source: 1, via: 'mdm' })
    expect(check(rs, 'kandji_cis')?.detail).toBe(
      '5 Kandji device(s) are linked to a computer CI: 4 with discovery source Kandji, 1 found first by another source ' +
        '(IRE keeps the source that created a CI, so a filter on discovery source misses them; the MDM table lists all).',
    )
    expect((check(rl, 'import_errors')?.data as { tables: unknown[] }).tables).toEqual([
      { table: TABLES.deviceImport, errors: 5000, rejected: 5000, latest_message: expect.stringMatching(/^(bad|Rejected: no serial) /) },
      { table: TABLES.appImport, errors: 0, rejected: 0, latest_message: '' },
    ])
  })
})

describe('GET verify finds what is wrong', () => {
  it('fails the discovery source when the choice is missing, and says how to repair', () => {
    const db = healthyInstance()
    db.tables.set(PLATFORM_TABLES.choice, [])
    const c = check(verify(fakePlatform(db)), 'discovery_source')
    expect(c?.status).toBe('fail')
    expect(c?.fix).toBe('Run deploy-integration deploy (it adds the choice as the admin through the Table API), or run the kandji_fix_script fix script (System Definition > Fix Scripts).')
  })

  it('fails the discovery source when the choice is inactive', () => {
    const db = healthyInstance()
    db.rows(PLATFORM_TABLES.choice)[0]!.inactive = 'true'
    expect(check(verify(fakePlatform(db)), 'discovery_source')?.status).toBe('fail')
  })

  it('fails when the service account is missing, inactive or locked out', () => {
    for (const change of [{ user_name: 'someone_else' }, { active: 'false' }, { locked_out: 'true' }]) {
      const db = healthyInstance()
      Object.assign(db.rows(PLATFORM_TABLES.user)[0]!, change)
      expect(check(verify(fakePlatform(db)), 'service_account')?.status).toBe('fail')
    }
  })

  it('does not count snc_internal, which the platform adds directly at first login, as an extra role', () => {
    const db = healthyInstance()
    db.add(PLATFORM_TABLES.userRole, { user: USER_SYS_ID, 'role.display': 'snc_internal', inherited: 'false' })
    db.add(PLATFORM_TABLES.userRole, { user: USER_SYS_ID, 'role.display': 'import_set_loader', inherited: 'true' })
    const c = check(verify(fakePlatform(db)), 'service_account_roles')
    expect(c?.status).toBe('pass')
    expect(c?.data?.inherited).toEqual(['import_set_loader'])
  })

  it('fails when one required role is missing and warns on a direct admin role', () => {
    const missing = healthyInstance()
    missing.tables.set(PLATFORM_TABLES.userRole, missing.rows(PLATFORM_TABLES.userRole).filter((r) => r['role.display'] !== 'rest_api_explorer'))
    const m = check(verify(fakePlatform(missing)), 'service_account_roles')
    expect(m?.status).toBe('fail')
    expect(m?.data?.missing).toEqual(['rest_api_explorer'])

    const admin = healthyInstance()
    admin.add(PLATFORM_TABLES.userRole, { user: USER_SYS_ID, 'role.display': 'admin', inherited: 'false' })
    const a = check(verify(fakePlatform(admin)), 'service_account_roles')
    expect(a?.status).toBe('warn')
    expect(a?.data?.privileged).toEqual(['admin'])
  })

  it('evaluates roles: inherited-only required roles, extras, and duplicates', () => {
    const e = evaluateRoles([
      { role: 'cmdb_read', inherited: false },
      { role: 'cmdb_read', inherited: false },
      { role: 'import_transformer', inherited: true },
      { role: 'rest_api_explorer', inherited: false },
      { role: 'itil', inherited: false },
    ])
    expect(e).toMatchObject({ direct: ['cmdb_read', 'itil', 'rest_api_explorer'], missing: [], inheritedOnly: ['import_transformer'], extraOther: ['itil'] })
    const user = { matches: 1, sysId: 'x', active: true, lockedOut: false, passwordNeedsReset: false, webServiceAccessOnly: true }
    expect(checkServiceAccountRoles(user, [], 'u').status).toBe('fail')
  })

  it('checks the OAuth client: missing, inactive, wrong redirect URL', () => {
    const cases: Array<[string, (r: { [k: string]: string }) => void]> = [
      ['missing', (r) => (r.name = 'other')],
      ['inactive', (r) => (r.active = 'false')],
      ['redirect', (r) => (r.redirect_url = 'https://example.com')],
    ]
    for (const [, mutate] of cases) {
      const db = healthyInstance()
      mutate(db.rows(PLATFORM_TABLES.oauthEntity)[0]!)
      expect(check(verify(fakePlatform(db)), 'oauth_client')?.status).toBe('fail')
    }
    const multi = healthyInstance()
    multi.rows(PLATFORM_TABLES.oauthEntity)[0]!.redirect_url = `https://example.com, ${OAUTH_CLIENT.redirectUrl}`
    expect(check(verify(fakePlatform(multi)), 'oauth_client')?.status).toBe('pass')
  })

  it('checks the scope restriction only where the column exists (Zurich+), by field not release', () => {
    const zurich = healthyInstance({ zurich: true })
    zurich.rows(PLATFORM_TABLES.oauthEntity)[0]![OAUTH_CLIENT.scopeRestrictionField] = 'useraccount'
    expect(check(verify(fakePlatform(zurich)), 'oauth_scope_restriction')?.status).toBe('fail')

    const older = healthyInstance({ zurich: false })
    const c = check(verify(fakePlatform(older)), 'oauth_scope_restriction')
    expect(c?.status).toBe('pass')
    expect(c?.data).toEqual({ field_present: false })

    const noClient = { matches: 0, active: false, redirectUrl: '', hasScopeRestrictionField: true, scopeRestriction: '' }
    expect(checkOauthScopeRestriction(noClient, 'x').status).toBe('warn')
  })

  it('fails for missing tables and inactive transform maps, warns on recent import errors', () => {
    const db = healthyInstance()
    db.tables.set(PLATFORM_TABLES.dbObject, db.rows(PLATFORM_TABLES.dbObject).filter((r) => r.name !== TABLES.mdm))
    db.rows(PLATFORM_TABLES.transformMap).find((r) => r.name === TRANSFORM_MAPS.device)!.active = 'false'
    db.add(TABLES.deviceImport, { sys_import_state: 'error', sys_created_on: '2026-01-01 10:00:00', sys_import_state_comment: 'Row has no serial_number' })
    db.add(TABLES.deviceImport, { sys_import_state: 'error', sys_created_on: '2025-12-01 10:00:00', sys_import_state_comment: 'old' })
    const r = verify(fakePlatform(db))
    expect(check(r, 'staging_tables')).toMatchObject({ status: 'fail', data: { missing: [TABLES.mdm] } })
    expect(check(r, 'transform_maps')).toMatchObject({ status: 'fail', data: { inactive: [TRANSFORM_MAPS.device] } })
    const errors = check(r, 'import_errors')
    expect(errors?.status).toBe('warn')
    expect(errors?.detail).toContain('1 import row(s) rejected or in error')
    expect(errors?.detail).toContain('Row has no serial_number')
    expect(r.status).toBe('fail')
    expect(r.summary.fail).toBe(2)
  })
})

describe('verify counts rejected rows and checks insertMultiple', () => {
  it('counts rows rejected by the transform (ignored with the prefix) beside rows in error; plain ignored rows are not counted', () => {
    const db = healthyInstance()
    db.add(TABLES.appImport, { sys_import_state: 'ignored', sys_created_on: '2026-01-02 00:00:00', sys_import_state_comment: `${IMPORT_REJECTED_PREFIX}No computer with serial number S1` })
    db.add(TABLES.appImport, { sys_import_state: 'ignored', sys_created_on: '2026-01-02 00:00:00', sys_import_state_comment: 'Skipped: Software Asset Management is not active' })
    db.add(TABLES.appImport, { sys_import_state: 'ignored', sys_created_on: '2025-01-02 00:00:00', sys_import_state_comment: `${IMPORT_REJECTED_PREFIX}old` })
    const c = check(verify(fakePlatform(db)), 'import_errors')
    expect(c).toMatchObject({ status: 'warn', detail: expect.stringContaining('1 rejected and 0 in error in x_kandj_kandji_app_import (latest: Rejected: No computer with serial number S1)') })
    expect((c?.data as { tables: unknown[] }).tables).toEqual([
      { table: TABLES.deviceImport, errors: 0, rejected: 0, latest_message: '' },
      { table: TABLES.appImport, errors: 0, rejected: 1, latest_message: `${IMPORT_REJECTED_PREFIX}No computer with serial number S1` },
    ])
  })

  it('fails when a staging table has no column-name mapping (rows would land empty), warns when the plugin is off', () => {
    const unmapped = healthyInstance()
    unmapped.tables.set(REST_INSERT_MULTIPLE.table, unmapped.rows(REST_INSERT_MULTIPLE.table).filter((r) => r[REST_INSERT_MULTIPLE.sourceTableField] !== TABLES.appImport))
    unmapped.rows(REST_INSERT_MULTIPLE.table)[0]![REST_INSERT_MULTIPLE.columnMappingField] = 'label'
    const fail = check(verify(fakePlatform(unmapped)), 'insert_multiple')
    expect(fail).toMatchObject({ status: 'fail', data: { keyed_by_label: [TABLES.deviceImport, TABLES.appImport] } })
    expect(fail?.detail).toContain("land empty")
    expect(fail?.fix).toMatch(/Reinstall or upgrade/)
    const inactive = healthyInstance()
    inactive.rows(REST_INSERT_MULTIPLE.table)[0]![REST_INSERT_MULTIPLE.activeField] = 'false'
    expect(check(verify(fakePlatform(inactive)), 'insert_multiple')).toMatchObject({ status: 'fail', data: { keyed_by_label: [TABLES.deviceImport] } })
    const pluginOff = check(verify(fakePlatform(healthyInstance(), { activePlugins: [] })), 'insert_multiple')
    expect(pluginOff).toMatchObject({ status: 'warn', data: { plugin: INSERT_MULTIPLE_PLUGIN, plugin_active: false, keyed_by_label: [] } })
    expect(pluginOff?.fix).toContain(`Activate the plugin ${INSERT_MULTIPLE_PLUGIN}`)
  })
})

describe('which account and client verify checks', () => {
  it('prefers the query parameter, then the app property, then the contract default', () => {
    const db = healthyInstance()
    const byProperty = verify(fakePlatform(db, { properties: { [APP_PROPERTIES.serviceAccount]: 'prop_user', [APP_PROPERTIES.oauthClient]: 'prop_client' } }))
    expect(byProperty.subject).toEqual({ service_account: 'prop_user', oauth_client: 'prop_client' })
    const byParam = verify(fakePlatform(db, { properties: { [APP_PROPERTIES.serviceAccount]: 'prop_user' } }), { service_account: ['param_user'], oauth_client: 'param_client' })
    expect(byParam.subject).toEqual({ service_account: 'param_user', oauth_client: 'param_client' })
    const emptyProperty = verify(fakePlatform(db, { properties: { [APP_PROPERTIES.serviceAccount]: '  ' } }))
    expect(emptyProperty.subject.service_account).toBe(SERVICE_ACCOUNT.defaultUserName)
  })

  it.each([
    ['empty', { service_account: [''] }],
    ['an encoded-query separator', { service_account: ['kandji^ORuser_name=admin'] }],
    ['a control character', { oauth_client: ['kandji\nx'] }],
    ['too long', { oauth_client: ['x'.repeat(101)] }],
    ['repeated with different values', { service_account: ['a', 'b'] }],
  ])('answers 400 with error/cause/fix when a parameter is %s', (_label, params) => {
    const p = fakePlatform(healthyInstance())
    const reply = handleVerify(p, params)
    expect(reply.status).toBe(400)
    const body = reply.body as { error: { error: string; cause: string; fix: string } }
    expect(Object.keys(body.error).sort()).toEqual(['cause', 'error', 'fix'])
    expect(p.db.queries).toBe(0)
  })

  it('answers 400 when the app property holds an unusable name', () => {
    const reply = handleVerify(fakePlatform(healthyInstance(), { properties: { [APP_PROPERTIES.oauthClient]: 'a^b' } }), {})
    expect(reply.status).toBe(400)
  })
})

describe('report helpers', () => {
  it('converts Glide UTC to ISO 8601 and leaves other text alone', () => {
    expect(toIsoUtc('2026-01-02 03:04:05')).toBe('2026-01-02T03:04:05Z')
    expect(toIsoUtc('garbage')).toBe('garbage')
  })
})
