// Verify for an instance where the app's verify endpoint does not exist (the vendor's Store app, or no app at all):
// the CLI reads what the app's lookups read, through the Table API as the admin, and runs the contract's check
// catalogue on it, so the ids, statuses and fixes are the ones the endpoint reports. Every read is a limited query or
// a count, so the cost does not grow with the CMDB.
import { buildReport, type VerificationReportData, type VerifySnapshots, type Subject, type ImportErrorsSnapshot, type PushSnapshot } from '@kandji-sn/contract/checks'
import { glideMinus, isTrue, readPushSettings } from '@kandji-sn/contract/checks'
import {
  APP_SETTINGS,
  DISCOVERY_SOURCE,
  FIX_SCRIPT_NAME,
  IMPORT_REJECTED_PREFIX,
  INSERT_MULTIPLE_PLUGIN,
  OAUTH_CLIENT,
  PLATFORM_TABLES,
  REST_INSERT_MULTIPLE,
  TABLES,
  TRANSFORM_MAPS,
} from '@kandji-sn/contract/constants'
import { toGlideDateTime } from '@kandji-sn/contract/glide-date-time'
import { isMissingTableError, query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import type { InstanceFacts } from './preflight.ts'

/** As the app's lookups (apps/servicenow-app verify/lookups.ts): role rows read per user, and the import-error window. */
const ROLE_ROW_LIMIT = 200
const IMPORT_ERROR_WINDOW_MS = 24 * 3600_000
const OUR_STAGING_TABLES = [TABLES.deviceImport, TABLES.appImport]

interface AppReads {
  /** the app's own tables and maps, by the app's sys_id (another build's names are not ours to know) */
  tables: { expected: string[]; found: string[]; staging: string[] }
  maps: VerifySnapshots['transformMaps']
}

async function readAppParts(admin: ServiceNowClient, app: InstanceFacts['app']): Promise<AppReads> {
  if (!app || app.ownBuild) {
    const [tables, maps] = await Promise.all([
      admin.table.list(PLATFORM_TABLES.dbObject, { query: query().in('name', Object.values(TABLES)).toString(), fields: ['name'], limit: Object.values(TABLES).length * 2 }),
      admin.table.list(PLATFORM_TABLES.transformMap, { query: query().in('name', Object.values(TRANSFORM_MAPS)).toString(), fields: ['name', 'active'], limit: Object.values(TRANSFORM_MAPS).length * 2 }),
    ])
    return {
      tables: { expected: Object.values(TABLES), found: tables.map((t) => t.name ?? ''), staging: OUR_STAGING_TABLES },
      maps: { expected: Object.values(TRANSFORM_MAPS), maps: maps.map((m) => ({ name: m.name ?? '', active: isTrue(m.active) })) },
    }
  }
  // The vendor's app documents only its MDM table (vendor setup guide); its staging tables are the import set tables
  // of its scope, its maps the transform maps of its scope.
  const [tables, maps] = await Promise.all([
    admin.table.list(PLATFORM_TABLES.dbObject, { query: query().eq('sys_scope', app.sysId).toString(), fields: ['name', 'super_class.name'], limit: 200 }),
    admin.table.list(PLATFORM_TABLES.transformMap, { query: query().eq('sys_scope', app.sysId).toString(), fields: ['name', 'active'], limit: 200 }),
  ])
  return {
    tables: {
      expected: [TABLES.mdm],
      found: tables.map((t) => t.name ?? ''),
      staging: tables.filter((t) => t['super_class.name'] === PLATFORM_TABLES.importSetRow).map((t) => t.name ?? ''),
    },
    maps: { expected: [], maps: maps.map((m) => ({ name: m.name ?? '', active: isTrue(m.active) })) },
  }
}

async function readImportErrors(admin: ServiceNowClient, staging: readonly string[], now: Date): Promise<ImportErrorsSnapshot> {
  const since = toGlideDateTime(new Date(now.getTime() - IMPORT_ERROR_WINDOW_MS))
  // A builder is mutable: each query gets a fresh one, so the latest-row reads add their ORDERBY to their own.
  const inError = () => query().eq('sys_import_state', 'error').gte('sys_created_on', since)
  const rejected = () => query().eq('sys_import_state', 'ignored').startsWith('sys_import_state_comment', IMPORT_REJECTED_PREFIX).gte('sys_created_on', since)
  const tables = await Promise.all(
    staging.map(async (table) => {
      const [errors, rejects] = await Promise.all([admin.table.count(table, inError().toString()), admin.table.count(table, rejected().toString())])
      const latest = async (where: () => ReturnType<typeof query>) =>
        (await admin.table.list(table, { query: where().orderByDesc('sys_created_on').toString(), fields: ['sys_import_state_comment', 'sys_created_on'], limit: 1 }))[0]
      const rows = await Promise.all([errors > 0 ? latest(inError) : undefined, rejects > 0 ? latest(rejected) : undefined])
      const newest = rows.filter((r) => r !== undefined).sort((a, b) => (b.sys_created_on ?? '').localeCompare(a.sys_created_on ?? ''))[0]
      return { table, errors, rejected: rejects, latestMessage: newest?.sys_import_state_comment ?? '' }
    }),
  )
  return { since, tables }
}

/** A release without the table has no record of it: what a GlideRecord on it finds in the instance (nothing). */
function emptyWhenTableMissing(error: unknown): [] {
  if (isMissingTableError(error)) return []
  throw error
}

/** The snapshots the app's lookups would take, read through the Table API. */
export async function readSnapshots(admin: ServiceNowClient, facts: InstanceFacts, subject: Subject, now = new Date()): Promise<VerifySnapshots> {
  const app = facts.app
  const [choices, fixScript, users, clients, parts, plugin, cis] = await Promise.all([
    admin.table.list(PLATFORM_TABLES.choice, {
      query: query().eq('name', DISCOVERY_SOURCE.table).eq('element', DISCOVERY_SOURCE.element).eq('value', DISCOVERY_SOURCE.value).eq('language', DISCOVERY_SOURCE.language).toString(),
      fields: ['inactive'],
      limit: 2,
    }),
    admin.table.list(PLATFORM_TABLES.fixScript, { query: query().eq('name', FIX_SCRIPT_NAME).toString(), fields: ['sys_id'], limit: 1 }),
    admin.table.list(PLATFORM_TABLES.user, { query: query().eq('user_name', subject.serviceAccount).toString(), fields: ['sys_id', 'active', 'locked_out', 'password_needs_reset', 'web_service_access_only'], limit: 2 }),
    admin.table.list(PLATFORM_TABLES.oauthEntity, {
      query: query().eq('name', subject.oauthClient).eq('type', OAUTH_CLIENT.type).toString(),
      fields: ['active', 'redirect_url', 'refresh_token_lifespan', ...(facts.scopeRestrictionColumn ? [OAUTH_CLIENT.scopeRestrictionField] : [])],
      limit: 2,
    }),
    readAppParts(admin, app),
    admin.table.list(PLATFORM_TABLES.plugins, { query: query().eq('source', INSERT_MULTIPLE_PLUGIN).eq('active', 'active').toString(), fields: ['sys_id'], limit: 1 }),
    countCis(admin, app),
  ])
  const user = users[0]
  const roles = user?.sys_id && users.length === 1
    ? await admin.table.list(PLATFORM_TABLES.userRole, { query: query().eq('user', user.sys_id).toString(), fields: ['role.name', 'inherited'], limit: ROLE_ROW_LIMIT })
    : []
  const ownMappings = !app || app.ownBuild
  const client = clients[0]
  const staging = parts.tables.staging.filter((t) => parts.tables.found.includes(t))
  const refreshLifespan = client && clients.length === 1 ? Number.parseInt(client.refresh_token_lifespan ?? '', 10) : Number.NaN
  const [mappings, importErrors, push] = await Promise.all([
    ownMappings
      ? admin.table.list(REST_INSERT_MULTIPLE.table, {
          query: query().in(REST_INSERT_MULTIPLE.sourceTableField, OUR_STAGING_TABLES).toString(),
          fields: [REST_INSERT_MULTIPLE.sourceTableField, REST_INSERT_MULTIPLE.columnMappingField, REST_INSERT_MULTIPLE.activeField],
          limit: OUR_STAGING_TABLES.length * 4,
        }).catch(emptyWhenTableMissing)
      : Promise.resolve([]),
    readImportErrors(admin, staging, now),
    readPush(admin, staging, subject, now, Number.isNaN(refreshLifespan) ? undefined : refreshLifespan),
  ])
  return {
    app: app ? { found: true, version: app.version, className: app.storeApp ? PLATFORM_TABLES.storeApp : PLATFORM_TABLES.app } : { found: false, version: '', className: '' },
    choice: { rows: choices.map((c) => ({ inactive: c.inactive ?? null })) },
    fixScript: { found: fixScript.length > 0 },
    user: user && users.length === 1
      ? {
          matches: 1,
          sysId: user.sys_id ?? '',
          active: isTrue(user.active),
          lockedOut: isTrue(user.locked_out),
          passwordNeedsReset: isTrue(user.password_needs_reset),
          webServiceAccessOnly: isTrue(user.web_service_access_only),
        }
      : { matches: users.length, sysId: '', active: false, lockedOut: false, passwordNeedsReset: false, webServiceAccessOnly: false },
    roles: roles.map((r) => ({ role: r['role.name'] ?? '', inherited: isTrue(r.inherited) })),
    oauthClient: client && clients.length === 1
      ? {
          matches: 1,
          active: isTrue(client.active),
          redirectUrl: client.redirect_url ?? '',
          hasScopeRestrictionField: facts.scopeRestrictionColumn,
          scopeRestriction: facts.scopeRestrictionColumn ? (client[OAUTH_CLIENT.scopeRestrictionField] ?? '') : '',
        }
      : { matches: clients.length, active: false, redirectUrl: '', hasScopeRestrictionField: facts.scopeRestrictionColumn, scopeRestriction: '' },
    tables: { expected: parts.tables.expected, found: parts.tables.found },
    transformMaps: parts.maps,
    insertMultiple: {
      pluginActive: plugin.length > 0,
      stagingTables: ownMappings ? OUR_STAGING_TABLES : [],
      // An inactive record maps nothing.
      mappings: mappings
        .filter((m) => m[REST_INSERT_MULTIPLE.activeField] !== 'false')
        .map((m) => ({ table: m[REST_INSERT_MULTIPLE.sourceTableField] ?? '', columnMapping: m[REST_INSERT_MULTIPLE.columnMappingField] ?? '' })),
    },
    importErrors,
    cis,
    push,
  }
}

const PUSH_PROPERTIES = [APP_SETTINGS.maxPushAgeHours, APP_SETTINGS.errorRateRows, APP_SETTINGS.maxErrorRatePercent, APP_SETTINGS.maxPendingMinutes, APP_SETTINGS.pushIntervalHours]

/** As the app's lookupPush: the newest rows the service account created per staging table, and stuck pending rows. */
async function readPush(admin: ServiceNowClient, staging: readonly string[], subject: Subject, now: Date, refreshTokenLifespanSeconds: number | undefined): Promise<PushSnapshot> {
  const properties = await admin.table.list(PLATFORM_TABLES.property, { query: query().in('name', PUSH_PROPERTIES).toString(), fields: ['name', 'value'], limit: PUSH_PROPERTIES.length * 2 })
  const settings = readPushSettings((name) => properties.find((p) => p.name === name)?.value)
  const nowGlide = toGlideDateTime(now)
  const pendingBefore = glideMinus(nowGlide, settings.maxPendingMinutes * 60_000) ?? nowGlide
  const perTable = await Promise.all(
    staging.map(async (table) => {
      const [rows, stuck] = await Promise.all([
        admin.table.list(table, {
          query: query().eq('sys_created_by', subject.serviceAccount).orderByDesc('sys_created_on').toString(),
          fields: ['sys_created_on', 'sys_import_state', 'sys_import_state_comment'],
          limit: settings.errorRateRows,
        }),
        admin.table.count(table, query().eq('sys_import_state', 'pending').lt('sys_created_on', pendingBefore).toString()),
      ])
      return { rows, stuck }
    }),
  )
  const recent = perTable
    .flatMap((t) => t.rows)
    .map((r) => ({ created: r.sys_created_on ?? '', failed: r.sys_import_state === 'error' || (r.sys_import_state === 'ignored' && (r.sys_import_state_comment ?? '').startsWith(IMPORT_REJECTED_PREFIX)) }))
    .sort((a, b) => b.created.localeCompare(a.created))
    .slice(0, settings.errorRateRows)
  return {
    settings,
    now: nowGlide,
    lastPushAt: recent[0]?.created ?? '',
    recent: { rows: recent.length, failed: recent.filter((r) => r.failed).length },
    stuckPending: perTable.reduce((sum, t) => sum + t.stuck, 0),
    pendingBefore,
    refreshTokenLifespanSeconds,
  }
}

/**
 * Kandji devices: this project's app links them through its MDM table (a CI another source created keeps that source,
 * so the MDM table finds them all); for another build only the discovery source says which CIs are Kandji's.
 */
async function countCis(admin: ServiceNowClient, app: InstanceFacts['app']): Promise<VerifySnapshots['cis']> {
  if (!app || app.ownBuild) {
    if (!app) return { via: 'mdm', count: 0, kandjiSource: 0 }
    const [count, kandjiSource] = await Promise.all([
      admin.table.count(TABLES.mdm, query().isNotEmpty('ci').toString()),
      admin.table.count(TABLES.mdm, query().isNotEmpty('ci').eq(`ci.${DISCOVERY_SOURCE.element}`, DISCOVERY_SOURCE.value).toString()),
    ])
    return { via: 'mdm', count, kandjiSource }
  }
  const count = await admin.table.count(PLATFORM_TABLES.ci, query().eq(DISCOVERY_SOURCE.element, DISCOVERY_SOURCE.value).toString())
  return { via: 'discovery_source', count, kandjiSource: count }
}

/** The report the verify endpoint would give, evaluated here: the installed version is the one checked against. */
export async function verifyFromTableApi(admin: ServiceNowClient, facts: InstanceFacts, subject: Subject, now = new Date()): Promise<VerificationReportData> {
  const snapshots = await readSnapshots(admin, facts, subject, now)
  return buildReport(snapshots, subject, toGlideDateTime(now), facts.app?.version ?? '', 'client')
}
