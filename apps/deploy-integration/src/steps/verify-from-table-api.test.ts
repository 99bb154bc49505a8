// The CLI's verify for an app without the verify endpoint: exactly which records it reads (each a limited query or a
// count) and the snapshots it makes of them, for this project's build, the vendor's Store app and no app.
import { describe, expect, it } from 'vitest'
import { APP, APP_SETTINGS, OAUTH_CLIENT, TABLES, TRANSFORM_MAPS } from '@kandji-sn/contract/constants'
import { ServiceNowError, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import type { InstanceFacts, InstalledApp } from './preflight.ts'
import { readSnapshots, verifyFromTableApi } from './verify-from-table-api.ts'

interface Read { table: string; query: string | undefined; fields?: readonly string[]; limit?: number }

/** An admin client answering list/count by table and query, recording every read. */
function fakeAdmin(lists: Record<string, TableRecord[] | Error>, counts: Record<string, number> = {}) {
  const reads: Read[] = []
  const admin = {
    table: {
      async list(table: string, options: { query?: string; fields?: readonly string[]; limit?: number } = {}) {
        reads.push({ table, query: options.query, fields: options.fields, limit: options.limit })
        const answer = lists[`${table}?${options.query}`] ?? lists[table] ?? []
        if (answer instanceof Error) throw answer
        return answer
      },
      async count(table: string, q: string) {
        reads.push({ table, query: q })
        return counts[`${table}?${q}`] ?? 0
      },
    },
  } as unknown as ServiceNowClient
  return { admin, reads }
}

const NOW = new Date('2026-01-02T03:04:05Z')
const SINCE = '2026-01-01 03:04:05'
const subject = { serviceAccount: 'svc', oauthClient: 'cli' }
const ownApp: InstalledApp = { sysId: APP.scopeId, scope: APP.scope, name: APP.name, version: '1.3.0', storeApp: false, active: true, ownBuild: true }
const facts = (app: InstalledApp | undefined, scopeRestrictionColumn = true): InstanceFacts => ({
  adminUser: 'admin', adminRoles: ['admin'], release: undefined, buildTag: undefined, scopeRestrictionColumn, app, signIn: 'basic', basicAuthRestriction: 'off',
})
const inError = (table: string) => `${table}?sys_import_state=error^sys_created_on>=${SINCE}`
const rejected = (table: string) => `${table}?sys_import_state=ignored^sys_import_state_commentSTARTSWITHRejected: ^sys_created_on>=${SINCE}`
const sortedReads = (reads: Read[]) => [...reads].sort((a, b) => `${a.table}?${a.query}`.localeCompare(`${b.table}?${b.query}`))

describe("verify through the Table API, this project's build", () => {
  const lists: Record<string, TableRecord[] | Error> = {
    sys_choice: [{ inactive: 'false' }],
    sys_script_fix: [{ sys_id: 'f1' }],
    sys_user: [{ sys_id: 'u1', active: 'true', locked_out: 'false', password_needs_reset: 'true', web_service_access_only: '1' }],
    oauth_entity: [{ active: 'true', redirect_url: 'https://kandji.io', refresh_token_lifespan: '86400', scope_restriction_status: 'unrestricted' }],
    sys_properties: [{ name: APP_SETTINGS.maxPushAgeHours, value: '6' }, { name: APP_SETTINGS.errorRateRows, value: 'x' }],
    [`${TABLES.deviceImport}?sys_created_by=svc^ORDERBYDESCsys_created_on`]: [
      { sys_created_on: '2026-01-01 23:00:00', sys_import_state: 'error' },
      { sys_created_on: '2026-01-02 01:00:00', sys_import_state: 'inserted' },
    ],
    [`${TABLES.appImport}?sys_created_by=svc^ORDERBYDESCsys_created_on`]: [{ sys_created_on: '2026-01-02 00:00:00', sys_import_state: 'ignored', sys_import_state_comment: 'Rejected: no serial' }],
    sys_db_object: [{ name: TABLES.deviceImport }, { name: TABLES.appImport }, { name: TABLES.mdm }, {}],
    sys_transform_map: [{ name: TRANSFORM_MAPS.device, active: 'true' }, { name: TRANSFORM_MAPS.app, active: 'false' }, { active: 'true' }],
    sys_plugins: [],
    sys_user_has_role: [{ 'role.name': 'cmdb_read', inherited: 'false' }, { 'role.name': 'itil', inherited: 'true' }, { inherited: 'false' }],
    sys_rest_insert_multiple: [
      { source_table: TABLES.deviceImport, column_mapping: 'name', active: 'true' },
      { source_table: TABLES.appImport, column_mapping: 'name', active: 'false' },
      { source_table: TABLES.appImport, column_mapping: 'label' },
      {},
    ],
    [`${inError(TABLES.deviceImport)}^ORDERBYDESCsys_created_on`]: [{ sys_import_state_comment: 'older error', sys_created_on: '2026-01-01 10:00:00' }],
    [`${rejected(TABLES.deviceImport)}^ORDERBYDESCsys_created_on`]: [{ sys_import_state_comment: 'Rejected: newer', sys_created_on: '2026-01-01 11:00:00' }],
    [`${inError(TABLES.appImport)}^ORDERBYDESCsys_created_on`]: [{ sys_import_state_comment: 'app error' }],
  }
  const counts = {
    [inError(TABLES.deviceImport)]: 2,
    [rejected(TABLES.deviceImport)]: 1,
    [inError(TABLES.appImport)]: 3,
    [`${TABLES.mdm}?ciISNOTEMPTY`]: 7,
    [`${TABLES.mdm}?ciISNOTEMPTY^ci.discovery_source=Kandji`]: 5,
    [`${TABLES.appImport}?sys_import_state=pending^sys_created_on<2026-01-02 02:04:05`]: 4,
  }

  it('reads each record with a limited query and makes the snapshots the app would', async () => {
    const { admin, reads } = fakeAdmin(lists, counts)
    expect(await readSnapshots(admin, facts(ownApp), subject, NOW)).toStrictEqual({
      app: { found: true, version: '1.3.0', className: 'sys_app' },
      choice: { rows: [{ inactive: 'false' }] },
      fixScript: { found: true },
      user: { matches: 1, sysId: 'u1', active: true, lockedOut: false, passwordNeedsReset: true, webServiceAccessOnly: true },
      roles: [{ role: 'cmdb_read', inherited: false }, { role: 'itil', inherited: true }, { role: '', inherited: false }],
      oauthClient: { matches: 1, active: true, redirectUrl: 'https://kandji.io', hasScopeRestrictionField: true, scopeRestriction: 'unrestricted' },
      tables: { expected: Object.values(TABLES), found: [TABLES.deviceImport, TABLES.appImport, TABLES.mdm, ''] },
      transformMaps: { expected: Object.values(TRANSFORM_MAPS), maps: [{ name: TRANSFORM_MAPS.device, active: true }, { name: TRANSFORM_MAPS.app, active: false }, { name: '', active: true }] },
      insertMultiple: {
        pluginActive: false,
        stagingTables: [TABLES.deviceImport, TABLES.appImport],
        mappings: [{ table: TABLES.deviceImport, columnMapping: 'name' }, { table: TABLES.appImport, columnMapping: 'label' }, { table: '', columnMapping: '' }],
      },
      importErrors: {
        since: SINCE,
        tables: [
          { table: TABLES.deviceImport, errors: 2, rejected: 1, latestMessage: 'Rejected: newer' },
          { table: TABLES.appImport, errors: 3, rejected: 0, latestMessage: 'app error' },
        ],
      },
      cis: { via: 'mdm', count: 7, kandjiSource: 5 },
      push: {
        settings: { maxPushAgeHours: 6, errorRateRows: 100, maxErrorRatePercent: 10, maxPendingMinutes: 60, pushIntervalHours: 24, invalid: [{ property: APP_SETTINGS.errorRateRows, value: 'x', used: 100 }] },
        now: '2026-01-02 03:04:05',
        lastPushAt: '2026-01-02 01:00:00',
        recent: { rows: 3, failed: 2 },
        stuckPending: 4,
        pendingBefore: '2026-01-02 02:04:05',
        refreshTokenLifespanSeconds: 86_400,
      },
    })
    const allTables = Object.values(TABLES)
    expect(sortedReads(reads)).toEqual(sortedReads([
      { table: 'sys_choice', query: 'name=cmdb_ci^element=discovery_source^value=Kandji^language=en', fields: ['inactive'], limit: 2 },
      { table: 'sys_script_fix', query: 'name=kandji_fix_script', fields: ['sys_id'], limit: 1 },
      { table: 'sys_user', query: 'user_name=svc', fields: ['sys_id', 'active', 'locked_out', 'password_needs_reset', 'web_service_access_only'], limit: 2 },
      { table: 'oauth_entity', query: `name=cli^type=${OAUTH_CLIENT.type}`, fields: ['active', 'redirect_url', 'refresh_token_lifespan', 'scope_restriction_status'], limit: 2 },
      { table: 'sys_properties', query: `nameIN${[APP_SETTINGS.maxPushAgeHours, APP_SETTINGS.errorRateRows, APP_SETTINGS.maxErrorRatePercent, APP_SETTINGS.maxPendingMinutes, APP_SETTINGS.pushIntervalHours].join(',')}`, fields: ['name', 'value'], limit: 10 },
      ...[TABLES.deviceImport, TABLES.appImport].flatMap((table) => [
        { table, query: 'sys_created_by=svc^ORDERBYDESCsys_created_on', fields: ['sys_created_on', 'sys_import_state', 'sys_import_state_comment'], limit: 100 },
        { table, query: 'sys_import_state=pending^sys_created_on<2026-01-02 02:04:05' },
      ]),
      { table: 'sys_db_object', query: `nameIN${allTables.join(',')}`, fields: ['name'], limit: allTables.length * 2 },
      { table: 'sys_transform_map', query: `nameIN${Object.values(TRANSFORM_MAPS).join(',')}`, fields: ['name', 'active'], limit: 4 },
      { table: 'sys_plugins', query: 'source=com.glide.web_service_insert_multiple^active=active', fields: ['sys_id'], limit: 1 },
      { table: TABLES.mdm, query: 'ciISNOTEMPTY' },
      { table: TABLES.mdm, query: 'ciISNOTEMPTY^ci.discovery_source=Kandji' },
      { table: 'sys_user_has_role', query: 'user=u1', fields: ['role.name', 'inherited'], limit: 200 },
      { table: 'sys_rest_insert_multiple', query: `source_tableIN${TABLES.deviceImport},${TABLES.appImport}`, fields: ['source_table', 'column_mapping', 'active'], limit: 8 },
      { table: TABLES.deviceImport, query: inError(TABLES.deviceImport).split('?')[1] },
      { table: TABLES.deviceImport, query: rejected(TABLES.deviceImport).split('?')[1] },
      { table: TABLES.deviceImport, query: `${inError(TABLES.deviceImport).split('?')[1]}^ORDERBYDESCsys_created_on`, fields: ['sys_import_state_comment', 'sys_created_on'], limit: 1 },
      { table: TABLES.deviceImport, query: `${rejected(TABLES.deviceImport).split('?')[1]}^ORDERBYDESCsys_created_on`, fields: ['sys_import_state_comment', 'sys_created_on'], limit: 1 },
      { table: TABLES.appImport, query: inError(TABLES.appImport).split('?')[1] },
      { table: TABLES.appImport, query: rejected(TABLES.appImport).split('?')[1] },
      { table: TABLES.appImport, query: `${inError(TABLES.appImport).split('?')[1]}^ORDERBYDESCsys_created_on`, fields: ['sys_import_state_comment', 'sys_created_on'], limit: 1 },
    ]))
  })

  it('reports with the installed version, evaluated by the client, at the time given', async () => {
    const report = await verifyFromTableApi(fakeAdmin(lists, counts).admin, facts(ownApp), subject, NOW)
    expect([report.generated_at, report.evaluated_by, report.app, report.subject]).toEqual(['2026-01-02T03:04:05Z', 'client', { scope: APP.scope, version: '1.3.0' }, { service_account: 'svc', oauth_client: 'cli' }])
    expect(report.checks.find((c) => c.id === 'app_installed')?.status).toBe('pass')
  })

  it('does not read the scope restriction on a release without the column, nor roles of a user that is not exactly one', async () => {
    const { admin, reads } = fakeAdmin({ ...lists, sys_user: [{ sys_id: 'u1' }, { sys_id: 'u2' }], oauth_entity: [{ active: 'true', scope_restriction_status: 'x' }] }, counts)
    const s = await readSnapshots(admin, facts(ownApp, false), subject, NOW)
    expect(s.user).toStrictEqual({ matches: 2, sysId: '', active: false, lockedOut: false, passwordNeedsReset: false, webServiceAccessOnly: false })
    expect(s.roles).toEqual([])
    expect(s.oauthClient).toStrictEqual({ matches: 1, active: true, redirectUrl: '', hasScopeRestrictionField: false, scopeRestriction: '' })
    expect(reads.find((r) => r.table === 'oauth_entity')?.fields).toEqual(['active', 'redirect_url', 'refresh_token_lifespan'])
    expect(reads.some((r) => r.table === 'sys_user_has_role')).toBe(false)
  })

  it('reads no roles for a user without a sys_id, and counts duplicate clients', async () => {
    const { admin, reads } = fakeAdmin({ ...lists, sys_user: [{ active: 'true' }], oauth_entity: [{ active: 'true' }, { active: 'true' }] }, counts)
    const s = await readSnapshots(admin, facts(ownApp), subject, NOW)
    expect(reads.some((r) => r.table === 'sys_user_has_role')).toBe(false)
    expect(s.user).toMatchObject({ matches: 1, sysId: '' })
    expect(s.oauthClient).toStrictEqual({ matches: 2, active: false, redirectUrl: '', hasScopeRestrictionField: true, scopeRestriction: '' })
  })

  it('treats a missing insertMultiple table as no mapping, and passes any other error on', async () => {
    const missing = new ServiceNowError({ kind: 'not_found', message: 'm', hint: 'h', method: 'GET', path: '/p', status: 400, snMessage: 'Invalid table sys_rest_insert_multiple' })
    expect((await readSnapshots(fakeAdmin({ ...lists, sys_rest_insert_multiple: missing }, counts).admin, facts(ownApp), subject, NOW)).insertMultiple.mappings).toEqual([])
    const denied = new ServiceNowError({ kind: 'permission', message: 'denied', hint: 'h', method: 'GET', path: '/p', status: 403 })
    await expect(readSnapshots(fakeAdmin({ ...lists, sys_rest_insert_multiple: denied }, counts).admin, facts(ownApp), subject, NOW)).rejects.toBe(denied)
  })
})

describe("verify through the Table API, another build of the scope (the vendor's Store app)", () => {
  const vendor: InstalledApp = { sysId: 'v'.repeat(32), scope: APP.scope, name: 'Kandji', version: '2.0.1', storeApp: true, active: true, ownBuild: false }

  it("reads the app's tables and maps by its scope, counts CIs by discovery source, and does not read our mappings", async () => {
    const { admin, reads } = fakeAdmin({
      sys_db_object: [{ name: 'x_kandj_kandji_mdm', 'super_class.name': '' }, { name: 'x_kandj_kandji_stage', 'super_class.name': 'sys_import_set_row' }, { name: 'x_kandj_kandji_gone', 'super_class.name': 'sys_import_set_row' }],
      sys_transform_map: [{ name: 'Vendor map', active: 'true' }],
      sys_plugins: [{ sys_id: 'p1' }],
    }, { 'cmdb_ci?discovery_source=Kandji': 4, [inError('x_kandj_kandji_stage')]: 1 })
    const s = await readSnapshots(admin, facts(vendor), subject, NOW)
    expect([s.app, s.tables, s.transformMaps, s.insertMultiple, s.cis, s.fixScript, s.choice]).toStrictEqual([
      { found: true, version: '2.0.1', className: 'sys_store_app' },
      { expected: [TABLES.mdm], found: ['x_kandj_kandji_mdm', 'x_kandj_kandji_stage', 'x_kandj_kandji_gone'] },
      { expected: [], maps: [{ name: 'Vendor map', active: true }] },
      { pluginActive: true, stagingTables: [], mappings: [] },
      { via: 'discovery_source', count: 4, kandjiSource: 4 },
      { found: false },
      { rows: [] },
    ])
    expect(s.importErrors.tables).toEqual([
      { table: 'x_kandj_kandji_stage', errors: 1, rejected: 0, latestMessage: '' },
      { table: 'x_kandj_kandji_gone', errors: 0, rejected: 0, latestMessage: '' },
    ])
    expect(reads.filter((r) => ['sys_db_object', 'sys_transform_map', 'cmdb_ci'].includes(r.table))).toEqual([
      { table: 'sys_db_object', query: `sys_scope=${vendor.sysId}`, fields: ['name', 'super_class.name'], limit: 200 },
      { table: 'sys_transform_map', query: `sys_scope=${vendor.sysId}`, fields: ['name', 'active'], limit: 200 },
      { table: 'cmdb_ci', query: 'discovery_source=Kandji' },
    ])
    expect(reads.some((r) => r.table === 'sys_rest_insert_multiple')).toBe(false)
  })

  it('without any app: our expectations, no CI count read, and the report checks against no version', async () => {
    const { admin, reads } = fakeAdmin({})
    const s = await readSnapshots(admin, facts(undefined), subject, NOW)
    expect([s.app, s.cis, s.tables.expected, s.importErrors]).toStrictEqual([
      { found: false, version: '', className: '' }, { via: 'mdm', count: 0, kandjiSource: 0 }, Object.values(TABLES), { since: SINCE, tables: [] },
    ])
    expect(reads.some((r) => r.table === TABLES.mdm || r.table === 'cmdb_ci')).toBe(false)
    const report = await verifyFromTableApi(admin, facts(undefined), subject, NOW)
    expect(report.app).toEqual({ scope: APP.scope, version: '' })
    expect(report.checks.find((c) => c.id === 'app_installed')?.status).toBe('fail')
  })
})
