import { describe, expect, it } from 'vitest'
import { APP, APP_PROPERTIES, OAUTH_CLIENT } from '@kandji-sn/contract/constants'
import { compareVersions, planApp } from './app.ts'
import { planAppProperties } from './app-properties.ts'
import { choiceGuardMessage, planDiscoverySource, removedChoices } from './discovery-source.ts'
import { planOAuthClient } from './oauth-client.ts'
import { isZurichOrLater, parseRelease } from './preflight.ts'
import { describeRoleCount, planRoleGrants, type RoleGrant } from './role-grants.ts'
import { planServiceAccount } from './service-account.ts'
import type { TableChange } from './types.ts'

const inSyncClient = {
  sys_id: 'c1',
  name: 'kandji_oauth_api',
  type: 'client',
  client_id: 'cid',
  redirect_url: OAUTH_CLIENT.redirectUrl,
  access_token_lifespan: '1800',
  refresh_token_lifespan: '8640000',
  active: 'true',
  scope_restriction_status: OAUTH_CLIENT.broadlyScopedValue,
}

describe('OAuth client plan', () => {
  it('creates a missing client with the vendor settings and a secret it never shows', () => {
    const plan = planOAuthClient(undefined, { name: 'kandji_oauth_api', scopeRestrictionColumn: true, secretOnCreate: 'S'.repeat(43) })
    const change = plan.changes[0] as TableChange
    expect(change.action).toBe('create')
    // Choice values without sysparm_input_display_value; the secret alone with it (audit item 17).
    expect(change.data).toEqual({
      name: 'kandji_oauth_api',
      type: 'client',
      redirect_url: 'https://kandji.io',
      access_token_lifespan: '1800',
      refresh_token_lifespan: '8640000',
      active: 'true',
      scope_restriction_status: 'unrestricted',
    })
    expect(change.inputDisplayValue).toBeUndefined()
    expect(change.secretData).toEqual({ client_secret: 'S'.repeat(43) })
    expect(JSON.stringify(change.fields)).not.toContain('SSSS')
  })

  it('sets an interrupted deploy\'s secret again on the client it created, in its own write', () => {
    const plan = planOAuthClient(inSyncClient, { name: 'kandji_oauth_api', scopeRestrictionColumn: true, secretOnCreate: undefined, pendingSecret: 'P'.repeat(43) })
    const change = plan.changes[0] as TableChange
    expect(change).toMatchObject({ action: 'update', sysId: inSyncClient.sys_id, data: {}, secretData: { client_secret: 'P'.repeat(43) } })
    expect(change.fields).toEqual([{ field: 'client_secret', from: undefined, to: '(saved by an interrupted deploy, not shown)' }])
    expect(JSON.stringify(change.fields)).not.toContain('PPPP')
  })

  it('leaves the secret to the instance when none is given', () => {
    const change = planOAuthClient(undefined, { name: 'x', scopeRestrictionColumn: false, secretOnCreate: undefined }).changes[0] as TableChange
    expect(change.data).not.toHaveProperty('client_secret')
    expect(change.data).not.toHaveProperty('scope_restriction_status')
  })

  it('plans nothing for a client in sync', () => {
    expect(planOAuthClient(inSyncClient, { name: 'kandji_oauth_api', scopeRestrictionColumn: true, secretOnCreate: undefined }).changes).toEqual([])
  })

  it('patches exactly the drifted fields of a deactivated, narrowly scoped client', () => {
    const plan = planOAuthClient({ ...inSyncClient, active: 'false', scope_restriction_status: 'restricted' }, { name: 'kandji_oauth_api', scopeRestrictionColumn: true, secretOnCreate: undefined })
    expect(plan.changes).toEqual([
      expect.objectContaining({ action: 'update', sysId: 'c1', data: { active: 'true', scope_restriction_status: 'unrestricted' } }),
    ])
  })

  it('does not touch scope_restriction_status on a release without the column', () => {
    const { scope_restriction_status: _, ...old } = inSyncClient
    expect(planOAuthClient(old, { name: 'kandji_oauth_api', scopeRestrictionColumn: false, secretOnCreate: undefined }).changes).toEqual([])
  })
})

describe('service account plan', () => {
  const desired = { userName: 'kandji_rest_api_user', webServiceOnly: true, passwordOnCreate: 'P'.repeat(32) }
  it('creates the account with a password set through input display value', () => {
    const change = planServiceAccount(undefined, desired).changes[0] as TableChange
    expect(change).toMatchObject({ action: 'create', inputDisplayValue: true, data: { user_name: 'kandji_rest_api_user', web_service_access_only: 'true', active: 'true', locked_out: 'false', password_needs_reset: 'false', user_password: 'P'.repeat(32) } })
    expect(JSON.stringify(change.fields)).not.toContain('PPPP')
  })
  it('unlocks and reactivates an existing account without touching its password', () => {
    const plan = planServiceAccount({ sys_id: 'u1', user_name: 'kandji_rest_api_user', active: 'false', locked_out: 'true', password_needs_reset: 'false', web_service_access_only: 'true' }, desired)
    expect(plan.changes).toEqual([expect.objectContaining({ action: 'update', sysId: 'u1', data: { active: 'true', locked_out: 'false' } })])
  })
  it('clears web service access only with --interactive-account', () => {
    const plan = planServiceAccount({ sys_id: 'u1', active: 'true', locked_out: 'false', password_needs_reset: 'false', web_service_access_only: 'true' }, { ...desired, webServiceOnly: false })
    expect((plan.changes[0] as TableChange).data).toEqual({ web_service_access_only: 'false' })
  })
  it('treats "1"/"0" booleans of older releases as true/false', () => {
    expect(planServiceAccount({ sys_id: 'u1', active: '1', locked_out: '0', password_needs_reset: '0', web_service_access_only: '1' }, desired).changes).toEqual([])
  })
})

describe('role grants plan', () => {
  const roleIds = { cmdb_read: 'r1', import_transformer: 'r2', rest_api_explorer: 'r3' }
  const grant = (roleName: string, inherited = false, sysId = `g-${roleName}`): RoleGrant => ({ sysId, roleSysId: `id-${roleName}`, roleName, inherited })
  it('grants all three roles to an account created in the same run (sys_id filled in at apply)', () => {
    const plan = planRoleGrants({ userSysId: undefined, grants: [], roleIds }, { userName: 'u', pruneRoles: false })
    expect(plan.changes.map((c) => (c as TableChange).data)).toEqual([{ role: 'r1' }, { role: 'r2' }, { role: 'r3' }])
    expect(plan.changes.every((c) => (c as TableChange).userField === 'user')).toBe(true)
  })
  it('adds only the missing direct grant; an inherited row does not count as direct', () => {
    const plan = planRoleGrants({ userSysId: 'u1', grants: [grant('cmdb_read'), grant('import_transformer'), grant('rest_api_explorer', true)], roleIds }, { userName: 'u', pruneRoles: false })
    expect(plan.changes).toEqual([expect.objectContaining({ action: 'create', data: { role: 'r3', user: 'u1' } })])
  })
  it('reports an extra privileged role as drift and removes it only with --prune-roles', () => {
    const grants = [grant('cmdb_read'), grant('import_transformer'), grant('rest_api_explorer'), grant('admin'), grant('snc_internal')]
    const kept = planRoleGrants({ userSysId: 'u1', grants, roleIds }, { userName: 'u', pruneRoles: false })
    expect(kept.changes).toEqual([])
    expect(kept.warnings).toEqual([expect.stringContaining('extra direct privileged role "admin"')])
    const pruned = planRoleGrants({ userSysId: 'u1', grants, roleIds }, { userName: 'u', pruneRoles: true })
    expect(pruned.changes).toEqual([expect.objectContaining({ action: 'delete', sysId: 'g-admin' })])
  })
  it('counts direct and inherited roles against the vendor\'s six', () => {
    const text = describeRoleCount([grant('cmdb_read'), grant('import_transformer'), grant('rest_api_explorer'), grant('import_set_loader', true), grant('snc_internal')])
    expect(text).toBe('the instance reports 5 roles (3 direct; 1 inherited: import_set_loader; 1 added by the platform at first login: snc_internal); the vendor expects 6 plus those')
  })
})

describe('app properties plan', () => {
  it('creates missing properties and patches a wrong value', () => {
    const plan = planAppProperties(
      { [APP_PROPERTIES.serviceAccount]: { sys_id: 'p1', name: APP_PROPERTIES.serviceAccount, value: 'someone_else' }, [APP_PROPERTIES.oauthClient]: undefined },
      { serviceAccount: 'kandji_rest_api_user', oauthClient: 'kandji_oauth_api' },
    )
    expect(plan.changes).toEqual([
      expect.objectContaining({ action: 'update', sysId: 'p1', data: { value: 'kandji_rest_api_user' } }),
      expect.objectContaining({ action: 'create', data: expect.objectContaining({ name: APP_PROPERTIES.oauthClient, value: 'kandji_oauth_api', type: 'string' }) }),
    ])
  })
})

describe('discovery source plan', () => {
  const key = 'name=cmdb_ci^element=discovery_source^value=Kandji^language=en'
  it('creates exactly the contract\'s active choice when no row has the value, and nothing else', () => {
    expect(planDiscoverySource([]).changes).toEqual([
      {
        step: 'discovery-source',
        table: 'sys_choice',
        key,
        action: 'create',
        data: { name: 'cmdb_ci', element: 'discovery_source', value: 'Kandji', label: 'Kandji', language: 'en', sequence: '100', inactive: 'false' },
        fields: expect.any(Array),
        reason: expect.stringContaining('the other choices stay'),
      },
    ])
  })
  it('reactivates the one inactive row of the contract language by sys_id instead of adding a second', () => {
    expect(planDiscoverySource([{ sys_id: 'c', language: 'en', inactive: 'true' }]).changes).toEqual([
      expect.objectContaining({ action: 'update', sysId: 'c', data: { inactive: 'false' }, table: 'sys_choice' }),
    ])
    // an empty language is the platform's default, English: reactivated, not a second row
    expect(planDiscoverySource([{ sys_id: 'e', language: '', inactive: 'true' }]).changes).toEqual([expect.objectContaining({ action: 'update', sysId: 'e' })])
    // only another language's row: the English one is created, the other left alone
    expect(planDiscoverySource([{ sys_id: 'c', language: 'de', inactive: 'true' }]).changes).toEqual([expect.objectContaining({ action: 'create' })])
  })
  it('changes nothing when one row is active, and refuses to guess between several inactive rows', () => {
    expect(planDiscoverySource([{ sys_id: 'c', language: 'en', inactive: 'true' }, { sys_id: 'd', language: 'de', inactive: 'false' }]).changes).toEqual([])
    const several = planDiscoverySource([{ sys_id: 'c', language: 'en', inactive: 'true' }, { sys_id: 'd', language: 'en', inactive: '1' }])
    expect(several.changes).toEqual([])
    expect(several.warnings).toEqual([expect.stringContaining('2 inactive sys_choice rows')])
  })
})

describe('choices an app install removed', () => {
  const row = (sys_id: string, value: string, language = 'en', sys_scope = 'global') => ({ sys_id, value, language, label: value, sys_scope })
  it('are the rows gone by sys_id, unless a row with the same value and language (empty = en) took their place', () => {
    const before = [row('a', 'ServiceNow'), row('b', 'SCCM'), row('c', 'Kandji'), row('d', 'SCCM', 'de'), row('e', 'Other', '')]
    expect(removedChoices(before, [row('a', 'ServiceNow'), row('x', 'Kandji'), row('y', 'Other', 'en')], APP.scopeId)).toEqual([row('b', 'SCCM'), row('d', 'SCCM', 'de')])
    expect(removedChoices(before, before, APP.scopeId)).toEqual([])
    expect(removedChoices(before, [], APP.scopeId)).toEqual(before)
  })
  it("leave out the app's own rows (an upgrade may remove its files; the discovery-source step adds the contract's row)", () => {
    expect(removedChoices([row('k', 'Kandji', 'en', APP.scopeId), row('b', 'SCCM')], [], APP.scopeId)).toEqual([row('b', 'SCCM')])
  })
  it('are named in the message, with what to add back by hand when restoring failed or could not be checked', () => {
    const sccm = { ...row('b', 'SCCM'), sequence: '20' }
    expect(choiceGuardMessage({ kind: 'intact' }, [sccm], true)).toBeUndefined()
    expect(choiceGuardMessage({ kind: 'restored', rows: [sccm] }, [sccm], true)).toBe('the app install removed 1 cmdb_ci.discovery_source choice (SCCM); restored with their sys_ids. The installed package carries a choice list for the field.')
    expect(choiceGuardMessage({ kind: 'not_restored', rows: [sccm] }, [sccm], true)).toContain('restoring them failed; add them back by hand (Discovery source > Show Choice List): b value=SCCM label="SCCM" sequence=20 language=en')
    expect(choiceGuardMessage({ kind: 'unchecked', reason: 'timed out' }, [sccm], true)).toBe('could not check that the app install left the cmdb_ci.discovery_source choices alone (timed out); compare them with what was there before: b value=SCCM label="SCCM" sequence=20 language=en')
    expect(choiceGuardMessage({ kind: 'intact' }, [sccm], false)).toMatch(/outcome is unknown.*may still be running.*They were: b value=SCCM/)
  })
})

describe('app plan', () => {
  const pkg = { path: '/x.zip', scope: APP.scope, scopeId: APP.scopeId, version: '1.2.0' }
  const installed = (version: string) => ({ sysId: APP.scopeId, scope: APP.scope, name: APP.name, version, storeApp: false, active: true, ownBuild: true })
  it('installs, upgrades, or leaves a newer installed version alone', () => {
    expect(planApp(undefined, { source: 'package', package: pkg }).changes[0]).toMatchObject({ action: 'install', version: '1.2.0' })
    expect(planApp(installed('1.1.9'), { source: 'package', package: pkg }).changes[0]).toMatchObject({ action: 'upgrade', fromVersion: '1.1.9' })
    expect(planApp(installed('1.2.0'), { source: 'package', package: pkg }).changes).toEqual([])
    const newer = planApp(installed('1.10.0'), { source: 'package', package: pkg })
    expect(newer.changes).toEqual([])
    expect(newer.warnings[0]).toContain('not downgrading')
  })
  it('blocks with a usage error when --app-source store and the app is missing', () => {
    expect(planApp(undefined, { source: 'store' }).blocker?.exitCode).toBe(2)
    expect(planApp(installed('1.0.0'), { source: 'store' }).blocker).toBeUndefined()
  })
  it('refuses a package of another scope', () => {
    expect(planApp(undefined, { source: 'package', package: { ...pkg, scope: 'x_other' } }).blocker?.message).toContain('x_other')
  })
  it('upgrades a Store-class install from the app repository at the requested version', () => {
    const store = { ...installed('1.0.0'), storeApp: true }
    expect(planApp(store, { source: 'repo', version: '1.1.0' }).changes[0]).toMatchObject({ action: 'upgrade', version: '1.1.0', storeApp: true })
    expect(planApp(store, { source: 'repo' }).changes).toEqual([])
  })
  it('refuses to move a custom (uploaded) app to the app repository, in the words now-sdk uses', () => {
    const plan = planApp(installed('1.0.0'), { source: 'repo', version: '1.1.0' })
    expect(plan.changes).toEqual([])
    expect([plan.blocker?.exitCode, plan.blocker?.message]).toEqual([2, 'Attempting to install a store app record but there is already a sys_app record for this scope present on the instance (x_kandj_kandji 1.0.0)'])
    expect(plan.blocker?.fix).toBe('keep --app-source package for this instance, or remove the app first (`deploy-integration uninstall --app`, which removes its data) and deploy again with --app-source repo')
  })
  it("uploads over a Store-class install of this project's app without asking for a custom app", () => {
    const plan = planApp({ ...installed('1.0.0'), storeApp: true }, { source: 'package', package: pkg })
    expect(plan.changes[0]).toMatchObject({ action: 'upgrade', storeApp: true })
  })

  describe("the vendor's Store app in the scope", () => {
    const vendor = { sysId: 'a7c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4', scope: APP.scope, name: APP.name, version: '3.2.0', storeApp: true, active: true, ownBuild: false }
    it.each(['package', 'repo'] as const)('is never overwritten by --app-source %s: the error names --app-source store and --replace-store-app', (source) => {
      const plan = planApp(vendor, source === 'package' ? { source, package: pkg } : { source })
      expect(plan.changes).toEqual([])
      expect([plan.blocker?.exitCode, plan.blocker?.message, plan.blocker?.fix]).toEqual([
        2,
        `the scope x_kandj_kandji already belongs to the vendor's Store app "Kandji" 3.2.0 (sys_store_app ${vendor.sysId}), not to this project's app (${APP.scopeId})`,
        "to keep the vendor's app, run deploy with --app-source store (it sets up the OAuth client, service account, roles and discovery source for it, and verify runs its checks from the CLI); to replace it with this project's app, re-run with --replace-store-app",
      ])
    })
    it('is configured as it is with --app-source store', () => {
      const plan = planApp(vendor, { source: 'store' })
      expect([plan.blocker, plan.changes]).toEqual([undefined, []])
      expect(plan.notes).toEqual([
        `installed: the vendor's Store app "Kandji" 3.2.0 (sys_store_app ${vendor.sysId})`,
        "configured as it is: it has none of this project's REST endpoints, so verify runs the checks from the CLI through the Table API",
      ])
    })
    it('is replaced only with --replace-store-app, as a custom app', () => {
      const plan = planApp(vendor, { source: 'package', package: pkg, replaceStoreApp: true })
      expect(plan.blocker).toBeUndefined()
      expect(plan.changes).toEqual([expect.objectContaining({ action: 'replace', version: pkg.version, fromVersion: '3.2.0', storeApp: false })])
    })
  })
  it('compares versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1)
    expect(compareVersions('1.0', '1.0.0')).toBe(0)
    expect(compareVersions('0.9.1', '1.0.0')).toBe(-1)
  })
})

describe('release detection', () => {
  it('reads the family from the build tag, the war name or the build name', () => {
    expect(parseRelease({ buildtag: 'glide-zurich-07-01-2025__patch4-11-14-2025' })).toBe('zurich')
    expect(parseRelease({ war: 'glide-australia-02-11-2026__patch1.zip' })).toBe('australia')
    expect(parseRelease({ buildname: 'Washington DC' })).toBe('washingtondc')
    expect(parseRelease({ buildname: 'Quebec' })).toBeUndefined()
    expect(isZurichOrLater('yokohama')).toBe(false)
    expect(isZurichOrLater('australia')).toBe(true)
  })
})
