// driftOf: every kind from the plan step that detects it, with its exact detail; and the checks it adds.
import { describe, expect, it } from 'vitest'
import { APP, APP_PROPERTIES, type CheckResult } from '@kandji-sn/contract'
import { driftOf } from './drift.ts'
import { planApp } from './steps/app.ts'
import { planAppProperties } from './steps/app-properties.ts'
import { planDiscoverySource } from './steps/discovery-source.ts'
import { planOAuthClient } from './steps/oauth-client.ts'
import type { InstalledApp } from './steps/preflight.ts'
import { planRoleGrants } from './steps/role-grants.ts'
import { planServiceAccount } from './steps/service-account.ts'

const own: InstalledApp = { sysId: APP.scopeId, scope: APP.scope, name: APP.name, version: '1.2.0', storeApp: false, active: true, ownBuild: true }
const vendor: InstalledApp = { sysId: 'v1', scope: APP.scope, name: 'Kandji', version: '3.2.0', storeApp: true, active: true, ownBuild: false }
const pkg = { path: '/tmp/kandji.zip', scope: APP.scope, scopeId: APP.scopeId, version: '1.3.0' }
const client = { sys_id: 'c1', name: 'c', type: 'client', redirect_url: 'https://kandji.io', access_token_lifespan: '1800', refresh_token_lifespan: '8640000', active: 'true', scope_restriction_status: 'unrestricted' }
const account = { sys_id: 'u1', user_name: 'svc', active: 'true', locked_out: 'false', password_needs_reset: 'false', web_service_access_only: 'true' }
const roleIds = { cmdb_read: 'r1', import_transformer: 'r2', rest_api_explorer: 'r3' }
const grant = (roleName: string) => ({ sysId: `g-${roleName}`, roleSysId: `r-${roleName}`, roleName, inherited: false })
const allRoles = ['cmdb_read', 'import_transformer', 'rest_api_explorer'].map(grant)
const props = (account: string, client: string) => ({
  [APP_PROPERTIES.serviceAccount]: { sys_id: 'p1', name: APP_PROPERTIES.serviceAccount, value: account },
  [APP_PROPERTIES.oauthClient]: { sys_id: 'p2', name: APP_PROPERTIES.oauthClient, value: client },
})
const choice = { sys_id: 'ch1', name: 'cmdb_ci', element: 'discovery_source', value: 'Kandji', language: 'en', inactive: 'false' }
const ROLES_NEEDED = 'it needs only cmdb_read, import_transformer, rest_api_explorer'

const oauth = (current: Record<string, string> | undefined, pendingSecret?: string) => planOAuthClient(current, { name: 'c', scopeRestrictionColumn: true, secretOnCreate: 'S', ...(pendingSecret ? { pendingSecret } : {}) })
const user = (current: Record<string, string> | undefined) => planServiceAccount(current, { userName: 'svc', webServiceOnly: true, passwordOnCreate: 'P' })

describe('driftOf', () => {
  it('an instance in the desired state has none', () => {
    const steps = [
      planApp(own, { source: 'package', package: { ...pkg, version: '1.2.0' } }),
      oauth(client),
      user(account),
      planRoleGrants({ userSysId: 'u1', grants: [...allRoles, grant('snc_internal')], roleIds }, { userName: 'svc', pruneRoles: false }),
      planAppProperties(props('svc', 'c'), { serviceAccount: 'svc', oauthClient: 'c' }),
      planDiscoverySource([choice]),
    ]
    expect(driftOf(steps)).toStrictEqual([])
  })

  it('names the app missing, outdated, or held by another application', () => {
    expect(driftOf([planApp(undefined, { source: 'package', package: pkg })])).toStrictEqual([{ kind: 'app-missing', detail: 'app x_kandj_kandji is not installed (wanted 1.3.0)' }])
    expect(driftOf([planApp(own, { source: 'package', package: pkg })])).toStrictEqual([{ kind: 'app-outdated', detail: 'app x_kandj_kandji is 1.2.0, wanted 1.3.0' }])
    expect(driftOf([planApp(vendor, { source: 'package', package: pkg, replaceStoreApp: true })])).toStrictEqual([
      { kind: 'app-foreign', detail: `app x_kandj_kandji: another application holds the scope (--replace-store-app: uninstall the vendor's Store app "Kandji" 3.2.0 (sys_store_app v1), then install the package)` },
    ])
  })

  it('names the OAuth client missing, inactive, changed field by field, or with a secret still to set', () => {
    expect(driftOf([oauth(undefined)])).toStrictEqual([{ kind: 'client-missing', detail: 'OAuth client "c" does not exist' }])
    expect(driftOf([oauth({ ...client, active: 'false', redirect_url: 'https://evil.example', scope_restriction_status: 'restricted' })])).toStrictEqual([
      { kind: 'client-changed', detail: 'OAuth client "c": redirect_url is "https://evil.example", wanted "https://kandji.io"' },
      { kind: 'client-inactive', detail: 'OAuth client "c" is inactive' },
      { kind: 'client-changed', detail: 'OAuth client "c": scope_restriction_status is "restricted", wanted "unrestricted"' },
    ])
    const { access_token_lifespan: _, ...noLifespan } = client
    expect(driftOf([oauth(noLifespan, 'PENDING')])).toStrictEqual([
      { kind: 'client-changed', detail: 'OAuth client "c": access_token_lifespan is (none), wanted "1800"' },
      { kind: 'client-secret-pending', detail: 'OAuth client "c": the secret an interrupted deploy generated may never have been set' },
    ])
  })

  it('names the service account missing, inactive, locked out, or changed', () => {
    expect(driftOf([user(undefined)])).toStrictEqual([{ kind: 'account-missing', detail: 'service account "svc" does not exist' }])
    expect(driftOf([user({ ...account, active: 'false', locked_out: 'true', password_needs_reset: 'true', web_service_access_only: 'false' })])).toStrictEqual([
      { kind: 'account-inactive', detail: 'service account "svc" is inactive' },
      { kind: 'account-locked', detail: 'service account "svc" is locked out' },
      { kind: 'account-changed', detail: 'service account "svc": password_needs_reset is "true", wanted "false"' },
      { kind: 'account-changed', detail: 'service account "svc": web_service_access_only is "false", wanted "true"' },
    ])
  })

  it('names each missing role and each extra role, the same with --prune-roles (then deploy removes them)', () => {
    const current = { userSysId: 'u1', grants: [grant('cmdb_read'), grant('admin'), grant('itil'), grant('snc_internal')], roleIds }
    const expected = [
      { kind: 'role-missing', detail: 'roles of "svc": import_transformer is not granted directly' },
      { kind: 'role-missing', detail: 'roles of "svc": rest_api_explorer is not granted directly' },
      { kind: 'role-added', detail: `"svc" has the extra direct privileged role admin; ${ROLES_NEEDED}` },
      { kind: 'role-added', detail: `"svc" has the extra direct role itil; ${ROLES_NEEDED}` },
    ]
    expect(driftOf([planRoleGrants(current, { userName: 'svc', pruneRoles: false })])).toStrictEqual(expected)
    expect(driftOf([planRoleGrants(current, { userName: 'svc', pruneRoles: true })])).toStrictEqual(expected)
  })

  it('names each app property missing or changed', () => {
    expect(driftOf([planAppProperties({}, { serviceAccount: 'svc', oauthClient: 'c' })])).toStrictEqual([
      { kind: 'property-missing', detail: `property ${APP_PROPERTIES.serviceAccount} does not exist` },
      { kind: 'property-missing', detail: `property ${APP_PROPERTIES.oauthClient} does not exist` },
    ])
    expect(driftOf([planAppProperties(props('svc', 'other'), { serviceAccount: 'svc', oauthClient: 'c' })])).toStrictEqual([
      { kind: 'property-changed', detail: `property ${APP_PROPERTIES.oauthClient} is "other", wanted "c"` },
    ])
  })

  it('names the discovery-source choice missing or inactive (one row to reactivate, or several deploy will not pick from)', () => {
    expect(driftOf([planDiscoverySource([])])).toStrictEqual([{ kind: 'choice-missing', detail: 'discovery source "Kandji" does not exist' }])
    expect(driftOf([planDiscoverySource([{ ...choice, inactive: 'true' }])])).toStrictEqual([{ kind: 'choice-inactive', detail: 'discovery source "Kandji" is inactive' }])
    expect(driftOf([planDiscoverySource([{ ...choice, inactive: 'true' }, { ...choice, sys_id: 'ch2', inactive: 'true' }])])).toStrictEqual([
      { kind: 'choice-inactive', detail: '2 inactive sys_choice rows define name=cmdb_ci^element=discovery_source^value=Kandji and none is active' },
    ])
  })

  describe("failing checks of the app's records", () => {
    const check = (id: CheckResult['id'], status: CheckResult['status']): CheckResult => ({ id, status, title: id, detail: `${id} is ${status}` })
    const checks = [check('fix_script', 'fail'), check('staging_tables', 'fail'), check('transform_maps', 'fail'), check('insert_multiple', 'fail'), check('transform_maps', 'warn'), check('import_errors', 'fail'), check('kandji_cis', 'fail'), check('oauth_client', 'fail')]

    it('are app-incomplete when no install or upgrade is planned; data checks and object checks are not', () => {
      expect(driftOf([planApp(own, { source: 'package', package: { ...pkg, version: '1.2.0' } })], checks)).toStrictEqual([
        { kind: 'app-incomplete', detail: 'fix_script: fix_script is fail' },
        { kind: 'app-incomplete', detail: 'staging_tables: staging_tables is fail' },
        { kind: 'app-incomplete', detail: 'transform_maps: transform_maps is fail' },
        { kind: 'app-incomplete', detail: 'insert_multiple: insert_multiple is fail' },
      ])
    })

    it('are left out when an upgrade is planned (it brings the records again)', () => {
      expect(driftOf([planApp(own, { source: 'package', package: pkg })], checks).map((d) => d.kind)).toStrictEqual(['app-outdated'])
    })
  })
})
