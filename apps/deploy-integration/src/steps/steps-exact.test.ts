// The deploy steps' helpers with exact values: what a table change writes and in which call, how drift is read, the
// discovery-source choice guard and its messages, the app plan, and the verify endpoint's query and 403.
import { describe, expect, it } from 'vitest'
import { APP, DISCOVERY_SOURCE, EXIT_CODES, OAUTH_CLIENT, SERVICE_ACCOUNT } from '@kandji-sn/contract/constants'
import { ServiceNowError, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import { compareVersions, describeInstalled, planApp } from './app.ts'
import { choiceGuardMessage, discoverySourcePresent, inContractLanguage, planDiscoverySource, removedChoices, restoreRemovedChoices } from './discovery-source.ts'
import type { InstalledApp } from './preflight.ts'
import { applyTableChange, boolString, diffFields, isTrue, type ApplyContext, type TableChange } from './types.ts'
import { verifyEndpointDenied, verifyQuery } from './verification.ts'

type Call = [string, ...unknown[]]
function recordingAdmin(overrides: Partial<Record<'create' | 'patch' | 'delete' | 'get' | 'list', (...args: unknown[]) => unknown>> = {}) {
  const calls: Call[] = []
  const method = (name: 'create' | 'patch' | 'delete' | 'get' | 'list', fallback: (...args: unknown[]) => unknown) => async (...args: unknown[]) => {
    calls.push([name, ...args])
    return (overrides[name] ?? fallback)(...args)
  }
  const admin = {
    table: {
      create: method('create', () => ({ sys_id: 'new-id' })),
      patch: method('patch', () => ({})),
      delete: method('delete', () => undefined),
      get: method('get', () => undefined),
      list: method('list', () => []),
    },
  } as unknown as ServiceNowClient
  return { admin, calls }
}
const ctx = (admin: ServiceNowClient, userSysId?: string): ApplyContext => ({ admin, out: {} as ApplyContext['out'], state: userSysId ? { userSysId } : {} })
const change = (extra: Partial<TableChange>): TableChange => ({ step: 'oauth-client', table: 'oauth_entity', key: 'name=k', action: 'create', fields: [], reason: 'r', ...extra }) as TableChange

describe('table changes', () => {
  it('reads booleans as the Table API stores them', () => {
    expect([boolString(true), boolString(false)]).toEqual(['true', 'false'])
    expect(['true', '1', 'false', '0', '', undefined, 'TRUE'].map((v) => isTrue(v))).toEqual([true, true, false, false, false, false, false])
  })

  it('diffs only what differs, reading "1"/"0" as booleans but not a missing value', () => {
    expect(diffFields({ a: 'x', b: '1', c: '0', d: 'true' }, { a: 'x', b: 'true', c: 'true', d: 'false', e: 'false', f: 'v' })).toEqual({
      fields: [{ field: 'c', from: '0', to: 'true' }, { field: 'd', from: 'true', to: 'false' }, { field: 'e', from: undefined, to: 'false' }, { field: 'f', from: undefined, to: 'v' }],
      data: { c: 'true', d: 'false', e: 'false', f: 'v' },
    })
    expect(diffFields(undefined, { a: 'true' })).toEqual({ fields: [{ field: 'a', from: undefined, to: 'true' }], data: { a: 'true' } })
    expect(diffFields({ a: 'TRUE' }, { a: 'true' }).data).toEqual({ a: 'true' })
  })

  it('creates with the data, the user reference and input display values, then writes the secret in its own patch', async () => {
    const { admin, calls } = recordingAdmin()
    const id = await applyTableChange(change({ data: { name: 'k' }, userField: 'user', inputDisplayValue: true, secretData: { client_secret: 'S' } }), ctx(admin, 'u1'))
    expect(id).toBe('new-id')
    expect(calls).toEqual([
      ['create', 'oauth_entity', { name: 'k', user: 'u1' }, { inputDisplayValue: true }],
      ['patch', 'oauth_entity', 'new-id', { client_secret: 'S' }, { inputDisplayValue: true }],
    ])
  })

  it('creates without options, and refuses a user reference before the user exists', async () => {
    const { admin, calls } = recordingAdmin()
    expect(await applyTableChange(change({ data: { a: '1' } }), ctx(admin))).toBe('new-id')
    expect(calls).toEqual([['create', 'oauth_entity', { a: '1' }, undefined]])
    await expect(applyTableChange(change({ userField: 'user' }), ctx(admin))).rejects.toThrow("internal: oauth_entity name=k needs the service account's sys_id before it exists")
    const { admin: noId } = recordingAdmin({ create: () => ({}) })
    await expect(applyTableChange(change({ secretData: { s: 'x' } }), ctx(noId))).rejects.toThrow('internal: oauth_entity name=k has no sys_id for its secret')
  })

  it('patches an update (even an empty one), skips the empty patch when only the secret changes, and deletes by sys_id', async () => {
    const { admin, calls } = recordingAdmin()
    expect(await applyTableChange(change({ action: 'update', sysId: 's1', data: { a: '1' } }), ctx(admin))).toBe('s1')
    expect(await applyTableChange(change({ action: 'update', sysId: 's2' }), ctx(admin))).toBe('s2')
    expect(await applyTableChange(change({ action: 'update', sysId: 's3', secretData: { s: 'x' } }), ctx(admin))).toBe('s3')
    expect(await applyTableChange(change({ action: 'delete', sysId: 's4' }), ctx(admin))).toBe('s4')
    expect(calls).toEqual([
      ['patch', 'oauth_entity', 's1', { a: '1' }, undefined],
      ['patch', 'oauth_entity', 's2', {}, undefined],
      ['patch', 'oauth_entity', 's3', { s: 'x' }, { inputDisplayValue: true }],
      ['delete', 'oauth_entity', 's4'],
    ])
    await expect(applyTableChange(change({ action: 'update' }), ctx(admin))).rejects.toThrow('internal: update of oauth_entity name=k without sys_id')
    await expect(applyTableChange(change({ action: 'delete' }), ctx(admin))).rejects.toThrow('internal: delete of oauth_entity name=k without sys_id')
  })
})

describe('the discovery-source choice', () => {
  const KEY = 'name=cmdb_ci^element=discovery_source^value=Kandji'
  it('is present when any row is active; the contract language includes the empty one', () => {
    expect([discoverySourcePresent([]), discoverySourcePresent([{ inactive: 'true' }, { inactive: 'false' }]), discoverySourcePresent([{ inactive: '1' }]), discoverySourcePresent([{}])]).toEqual([false, true, false, true])
    expect([inContractLanguage({ language: 'en' }), inContractLanguage({ language: '' }), inContractLanguage({}), inContractLanguage({ language: 'de' })]).toEqual([true, true, true, false])
  })

  it('plans the row exactly, a reactivation of the one inactive row, or a warning for several', () => {
    const base = { step: 'discovery-source', object: 'discovery source "Kandji"' }
    expect(planDiscoverySource([{ inactive: 'false' }])).toEqual({ ...base, changes: [], notes: [], warnings: [] })
    const row = { name: 'cmdb_ci', element: 'discovery_source', value: 'Kandji', label: DISCOVERY_SOURCE.label, language: 'en', sequence: String(DISCOVERY_SOURCE.sequence), inactive: 'false' }
    expect(planDiscoverySource([{ sys_id: 'de', inactive: 'true', language: 'de' }])).toEqual({
      ...base, notes: [], warnings: [],
      changes: [{
        step: 'discovery-source', table: 'sys_choice', key: `${KEY}^language=en`, action: 'create', data: row,
        fields: Object.entries(row).map(([field, to]) => ({ field, from: undefined, to })),
        reason: 'missing: IRE rejects every device until the choice exists (added alone, the other choices stay as they are)',
      }],
    })
    expect(planDiscoverySource([{ sys_id: 'c1', inactive: 'true', language: '' }]).changes).toEqual([{
      step: 'discovery-source', table: 'sys_choice', key: `${KEY}^language=en`, action: 'update', sysId: 'c1',
      fields: [{ field: 'inactive', from: 'true', to: 'false' }], data: { inactive: 'false' }, reason: 'inactive: IRE rejects an inactive source',
    }])
    expect(planDiscoverySource([{ sys_id: 'c1', inactive: 'true' }, { sys_id: 'c2', inactive: 'true', language: 'en' }])).toEqual({
      ...base, changes: [], notes: [],
      warnings: [`2 inactive sys_choice rows define ${KEY} (language en); deploy will not pick one: reactivate one of them (clear Inactive) and delete the others, then deploy again`],
      drift: [{ kind: 'choice-inactive', detail: `2 inactive sys_choice rows define ${KEY} and none is active` }],
    })
  })

  const before: TableRecord[] = [
    { sys_id: 'a', value: 'SCCM', label: 'SCCM', language: 'en', sequence: '1' },
    { sys_id: 'b', value: 'Jamf', label: 'Jamf Pro', language: '', sequence: '2' },
    { sys_id: 'c', value: 'Kandji', label: 'Kandji', language: 'en', sys_scope: APP.scopeId },
    { sys_id: 'd', value: 'Intune', label: 'Intune', language: 'de', dependent_value: 'x' },
    { value: 'NoId' },
  ]

  it('finds the rows an install removed: by sys_id, unless the same value, language and dependent value came back; not the app\'s own', () => {
    expect(removedChoices(before, [], APP.scopeId).map((r) => r.sys_id)).toEqual(['a', 'b', 'd'])
    expect(removedChoices(before, [{ sys_id: 'a' }, { sys_id: 'z', value: 'Jamf', language: 'en' }, { sys_id: 'y', value: 'Intune', language: 'de' }], APP.scopeId).map((r) => r.sys_id)).toEqual(['d'])
    expect(removedChoices(before, [{ sys_id: 'y', value: 'Intune', language: 'de', dependent_value: 'x' }, { sys_id: 'a' }, { sys_id: 'b' }], APP.scopeId)).toEqual([])
  })

  it('restores each removed row with its sys_id and values, looks a failed create up before sending it again, and says what it did', async () => {
    let reads = 0
    const { admin, calls } = recordingAdmin({
      list: () => (reads++ === 0 ? [] : before.filter((r) => r.sys_id !== 'c')),
      create: (_t, data) => { if ((data as TableRecord).sys_id === 'b') throw new Error('reset') ; return { sys_id: 'x' } },
      get: (_t, id) => (id === 'b' ? { sys_id: 'b' } : undefined),
    })
    expect(await restoreRemovedChoices(admin, before, APP.scopeId)).toEqual({ kind: 'restored', rows: [before[0], before[1], before[3]] })
    expect(calls.filter((c) => c[0] !== 'list')).toEqual([
      ['create', 'sys_choice', { sys_id: 'a', value: 'SCCM', label: 'SCCM', language: 'en', sequence: '1' }],
      ['create', 'sys_choice', { sys_id: 'b', value: 'Jamf', label: 'Jamf Pro', language: '', sequence: '2' }],
      ['get', 'sys_choice', 'b'],
      ['create', 'sys_choice', { sys_id: 'd', value: 'Intune', label: 'Intune', language: 'de', dependent_value: 'x' }],
    ])
    expect(calls.filter((c) => c[0] === 'list')).toEqual([
      ['list', 'sys_choice', { query: 'name=cmdb_ci^element=discovery_source', fields: ['sys_id', 'sys_scope', 'name', 'element', 'value', 'label', 'sequence', 'inactive', 'language', 'dependent_value', 'hint'] }],
      ['list', 'sys_choice', { query: 'name=cmdb_ci^element=discovery_source', fields: ['sys_id', 'sys_scope', 'name', 'element', 'value', 'label', 'sequence', 'inactive', 'language', 'dependent_value', 'hint'] }],
    ])
  })

  it('tries a create twice at most, and reports what is still missing', async () => {
    const { admin, calls } = recordingAdmin({ list: () => [], create: () => { throw new Error('refused') }, get: () => { throw new Error('down') } })
    expect(await restoreRemovedChoices(admin, [before[0]!], APP.scopeId)).toEqual({ kind: 'not_restored', rows: [before[0]] })
    expect(calls.map((c) => c[0])).toEqual(['list', 'create', 'get', 'create', 'get', 'list'])
  })

  it('reports an intact list, or a check it could not make', async () => {
    expect(await restoreRemovedChoices(recordingAdmin({ list: () => before }).admin, before, APP.scopeId)).toEqual({ kind: 'intact' })
    expect(await restoreRemovedChoices(recordingAdmin({ list: () => { throw new Error('list refused') } }).admin, before, APP.scopeId)).toEqual({ kind: 'unchecked', reason: 'list refused' })
    expect(await restoreRemovedChoices(recordingAdmin({ list: () => { throw 'plain' } }).admin, before, APP.scopeId)).toEqual({ kind: 'unchecked', reason: 'plain' })
    let reads = 0
    const once = recordingAdmin({ list: () => { if (reads++ > 0) throw new Error('again'); return [] } })
    expect(await restoreRemovedChoices(once.admin, [before[0]!], APP.scopeId)).toEqual({ kind: 'unchecked', reason: 'the choices could not be read again after restoring them' })
  })

  it('tells the user what happened to the shared choice list, in words', () => {
    const later = ' The install may still be running on the instance: once it has finished, run deploy again and check these choices are still there.'
    const recipe = 'a value=SCCM label="SCCM" sequence=1 language=en; b value=Jamf label="Jamf Pro" sequence=2 language='
    const two = [before[0]!, before[1]!]
    expect(choiceGuardMessage({ kind: 'intact' }, two, true)).toBeUndefined()
    expect(choiceGuardMessage({ kind: 'intact' }, two, false)).toBe(`the app install's outcome is unknown, so the cmdb_ci.discovery_source choices were checked before it finished.${later} They were: ${recipe}`)
    expect(choiceGuardMessage({ kind: 'restored', rows: [before[0]!, before[1]!, before[3]!] }, two, true))
      .toBe('the app install removed 3 cmdb_ci.discovery_source choices (SCCM, Jamf ("Jamf Pro"), Intune [de]); restored with their sys_ids. The installed package carries a choice list for the field.')
    expect(choiceGuardMessage({ kind: 'restored', rows: [{ sys_id: 'q' }] }, two, false))
      .toBe(`the app install removed 1 cmdb_ci.discovery_source choice (); restored with their sys_ids. The installed package carries a choice list for the field.${later}`)
    expect(choiceGuardMessage({ kind: 'not_restored', rows: two }, two, true))
      .toBe(`the app install removed 2 cmdb_ci.discovery_source choices and restoring them failed; add them back by hand (Discovery source > Show Choice List): ${recipe}`)
    expect(choiceGuardMessage({ kind: 'unchecked', reason: 'timeout' }, [{ sys_id: 'z' }], true))
      .toBe('could not check that the app install left the cmdb_ci.discovery_source choices alone (timeout); compare them with what was there before: z value= label="" sequence= language=')
  })
})

describe('the app plan', () => {
  const own: InstalledApp = { sysId: APP.scopeId, scope: APP.scope, name: APP.name, version: '1.2.0', storeApp: false, active: true, ownBuild: true }
  const vendor: InstalledApp = { sysId: 'v1', scope: APP.scope, name: 'Kandji', version: '', storeApp: true, active: true, ownBuild: false }
  const pkg = { path: '/tmp/app.zip', scope: APP.scope, scopeId: APP.scopeId, version: '1.3.0' }

  it('compares dotted versions by number, missing parts as zero, text as text', () => {
    expect([compareVersions('1.10.0', '1.9.9'), compareVersions('1.2', '1.2.0'), compareVersions('1.2.0', '1.2.1'), compareVersions('2', '10'), compareVersions('1.b', '1.a'), compareVersions('1.0.1', '1')]).toEqual([1, 0, -1, -1, 1, 1])
  })

  it('names who holds the scope', () => {
    expect(describeInstalled(own)).toBe(`this project's app "${APP.name}" 1.2.0 (sys_app ${APP.scopeId})`)
    expect(describeInstalled(vendor)).toBe('the vendor\'s Store app "Kandji" (unknown version) (sys_store_app v1)')
    expect(describeInstalled({ ...vendor, storeApp: false })).toBe('another application "Kandji" (unknown version) (sys_app v1)')
  })

  it('upgrades from a newer package with the exact change, notes an inactive app, and never downgrades', () => {
    expect(planApp({ ...own, active: false }, { source: 'package', package: pkg })).toEqual({
      step: 'app', object: `app ${APP.scope}`, notes: [`installed: ${describeInstalled(own)}, INACTIVE`], warnings: [],
      changes: [{ step: 'app', action: 'upgrade', key: `sys_scope scope=${APP.scope}`, fields: [{ field: 'version', from: '1.2.0', to: '1.3.0' }], source: 'package', version: '1.3.0', fromVersion: '1.2.0', reason: 'package 1.3.0 is newer' }],
    })
    expect(planApp({ ...own, version: '1.3.0' }, { source: 'package', package: pkg })).toMatchObject({ changes: [], warnings: [] })
    expect(planApp({ ...own, version: '1.4.0' }, { source: 'package', package: pkg })).toMatchObject({ changes: [], warnings: ['the instance has 1.4.0, newer than the package 1.3.0: not downgrading'] })
    expect(planApp(undefined, { source: 'package', package: pkg }).changes).toEqual([
      { step: 'app', action: 'install', key: `sys_scope scope=${APP.scope}`, fields: [{ field: 'version', from: undefined, to: '1.3.0' }], source: 'package', version: '1.3.0', fromVersion: undefined, reason: 'not installed' },
    ])
    expect(planApp({ ...own, storeApp: true }, { source: 'package', package: pkg })).toMatchObject({
      changes: [{ action: 'upgrade', storeApp: true }],
      notes: [expect.any(String), 'installed as a Store application: the upload keeps that class (now-sdk leaves out sysparm_request_type=custom_app for Store apps)'],
    })
  })

  it('refuses a package of another scope, and a foreign app without --replace-store-app; replaces it with', () => {
    const other = planApp(undefined, { source: 'package', package: { ...pkg, scope: 'x_other' } })
    expect([other.changes, other.blocker?.exitCode, other.blocker?.message]).toEqual([[], EXIT_CODES.usage, `the package /tmp/app.zip is for scope x_other, not ${APP.scope}`])
    const held = planApp(vendor, { source: 'package', package: pkg })
    expect([held.changes, held.blocker?.message]).toEqual([[], `the scope ${APP.scope} already belongs to ${describeInstalled(vendor)}, not to this project's app (${APP.scopeId})`])
    expect(held.blocker?.fix).toContain('--replace-store-app')
    expect(planApp(vendor, { source: 'package', package: pkg, replaceStoreApp: true }).changes).toEqual([{
      step: 'app', action: 'replace', key: `sys_scope scope=${APP.scope}`, fields: [{ field: 'version', from: '', to: '1.3.0' }], source: 'package', version: '1.3.0', fromVersion: '',
      reason: `--replace-store-app: uninstall ${describeInstalled(vendor)}, then install the package`, storeApp: false,
    }])
    expect(() => planApp(undefined, { source: 'package' })).toThrow('internal: app source package without a package')
  })

  it('from the repository: installs the latest, upgrades a Store app, refuses to change a custom app\'s class', () => {
    expect(planApp(undefined, { source: 'repo' }).changes).toEqual([
      { step: 'app', action: 'install', key: `sys_scope scope=${APP.scope}`, fields: [{ field: 'version', from: undefined, to: '(latest in the app repository)' }], source: 'repo', version: undefined, fromVersion: undefined, reason: 'not installed' },
    ])
    expect(planApp({ ...own, storeApp: true }, { source: 'repo', version: '1.3.0' }).changes).toMatchObject([{ action: 'upgrade', reason: 'installed 1.2.0, wanted 1.3.0', storeApp: true }])
    expect(planApp({ ...own, storeApp: true }, { source: 'repo', version: '1.2.0' }).changes).toEqual([])
    expect(planApp({ ...own, storeApp: true }, { source: 'repo' }).changes).toEqual([])
    const custom = planApp(own, { source: 'repo', version: '1.3.0' })
    expect([custom.changes, custom.blocker?.message]).toEqual([[], `Attempting to install a store app record but there is already a sys_app record for this scope present on the instance (${APP.scope} 1.2.0)`])
    expect(planApp(vendor, { source: 'repo' }).blocker?.message).toContain(`already belongs to ${describeInstalled(vendor)}`)
    expect(planApp(vendor, { source: 'repo', replaceStoreApp: true, version: '2.0.0' }).changes).toMatchObject([{ action: 'replace', version: '2.0.0', storeApp: false, reason: `--replace-store-app: uninstall ${describeInstalled(vendor)}, then install from the app repository` }])
  })

  it('from the Store: needs the app installed, and configures a foreign one as it is', () => {
    const missing = planApp(undefined, { source: 'store' })
    expect([missing.blocker?.exitCode, missing.blocker?.message]).toEqual([EXIT_CODES.usage, `the ${APP.name} app (${APP.scope}) is not installed and --app-source is store`])
    expect(planApp(vendor, { source: 'store' }).blocker).toBeUndefined()
    expect(planApp(vendor, { source: 'store' })).toMatchObject({
      changes: [],
      notes: [`installed: ${describeInstalled(vendor)}`, 'configured as it is: it has none of this project\'s REST endpoints, so verify runs the checks from the CLI through the Table API'],
    })
    expect(planApp(own, { source: 'store' })).toMatchObject({ changes: [], notes: [`installed: ${describeInstalled(own)}`] })
  })
})

describe('the verify endpoint', () => {
  it('is asked only about names other than the defaults', () => {
    expect(verifyQuery({ serviceAccount: SERVICE_ACCOUNT.defaultUserName, oauthClient: OAUTH_CLIENT.defaultName })).toEqual({})
    expect(verifyQuery({ serviceAccount: 'svc', oauthClient: 'cli' })).toEqual({ service_account: 'svc', oauth_client: 'cli' })
    expect(verifyQuery({ serviceAccount: 'svc', oauthClient: OAUTH_CLIENT.defaultName })).toEqual({ service_account: 'svc' })
  })

  it("explains a 403 by the endpoint's ACL, and leaves other errors alone", () => {
    const denied = new ServiceNowError({ kind: 'permission', status: 403, method: 'GET', path: '/api/x_kandj_kandji/integration/verify', message: 'GET /api/x_kandj_kandji/integration/verify failed: 403', hint: 'h' })
    const error = verifyEndpointDenied(denied)
    expect([error?.exitCode, error?.causeText, error?.fix, error?.cause]).toEqual([
      EXIT_CODES.auth,
      `the app's REST endpoint ACL admits ${APP.scope}.viewer or ${APP.scope}.admin (and admin through "Admin overrides"): the admin account has neither app role, or the ACL was edited on the instance`,
      `grant the admin account ${APP.scope}.viewer, or restore the app's ACLs (reinstall the ${APP.scope} app); then re-run (deploy --no-verify skips this step)`,
      denied,
    ])
    expect(error?.message).toContain("the instance denied the app's verify endpoint")
    expect(verifyEndpointDenied(new ServiceNowError({ kind: 'not_found', status: 404, method: 'GET', path: '/p', message: 'm', hint: 'h' }))).toBeUndefined()
    expect(verifyEndpointDenied(new Error('x'))).toBeUndefined()
  })
})

