// The database side of verify. Every lookup is a limited query or a COUNT aggregate, so the number and cost of
// queries stays the same whether the instance has ten CIs or a million (issue 3).
import {
  APP,
  DISCOVERY_SOURCE,
  FIX_SCRIPT_NAME,
  IMPORT_REJECTED_PREFIX,
  INSERT_MULTIPLE_PLUGIN,
  OAUTH_CLIENT,
  PLATFORM_TABLES,
  REST_INSERT_MULTIPLE,
  TABLES,
  TRANSFORM_MAPS,
} from '../generated/contract.ts'
import type { AggregateLike, Platform } from '../platform/types.ts'
import { isTrue } from '../generated/checks/discovery-source.ts'
import { glideMinus, readPushSettings } from '../generated/checks/push.ts'
import { queryDiscoverySourceChoice } from '../setup/discovery-source.ts'
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
} from '../generated/checks/snapshots.ts'

/** Upper bound on role rows read for one user; a user with more is reported from the first ones. */
export const ROLE_ROW_LIMIT = 200
/** Import errors are counted over this many days. */
export const IMPORT_ERROR_WINDOW_DAYS = 1

export function lookupApp(p: Platform): AppSnapshot {
  const gr = p.record(PLATFORM_TABLES.scope)
  gr.addQuery('scope', APP.scope)
  gr.setLimit(1)
  gr.query()
  if (!gr.next()) return { found: false, version: '', className: '' }
  return { found: true, version: gr.getValue('version') ?? '', className: gr.getValue('sys_class_name') ?? '' }
}

export function lookupChoice(p: Platform): ChoiceSnapshot {
  const gr = queryDiscoverySourceChoice(p)
  const rows: ChoiceSnapshot['rows'] = []
  while (gr.next()) rows.push({ inactive: gr.getValue('inactive') })
  return { rows }
}

export function lookupFixScript(p: Platform): FixScriptSnapshot {
  const gr = p.record(PLATFORM_TABLES.fixScript)
  gr.addQuery('name', FIX_SCRIPT_NAME)
  gr.setLimit(1)
  gr.query()
  return { found: gr.next() }
}

export function lookupUser(p: Platform, userName: string): UserSnapshot {
  const gr = p.record(PLATFORM_TABLES.user)
  gr.addQuery('user_name', userName)
  gr.setLimit(2)
  gr.query()
  let matches = 0
  let snapshot: UserSnapshot = { matches: 0, sysId: '', active: false, lockedOut: false, passwordNeedsReset: false, webServiceAccessOnly: false }
  while (gr.next()) {
    matches++
    if (matches === 1) {
      snapshot = {
        matches: 1,
        sysId: gr.getUniqueValue(),
        active: isTrue(gr.getValue('active')),
        lockedOut: isTrue(gr.getValue('locked_out')),
        passwordNeedsReset: isTrue(gr.getValue('password_needs_reset')),
        webServiceAccessOnly: isTrue(gr.getValue('web_service_access_only')),
      }
    }
  }
  return { ...snapshot, matches }
}

export function lookupRoles(p: Platform, userSysId: string): RoleRow[] {
  if (!userSysId) return []
  const gr = p.record(PLATFORM_TABLES.userRole)
  gr.addQuery('user', userSysId)
  gr.setLimit(ROLE_ROW_LIMIT)
  gr.query()
  const rows: RoleRow[] = []
  // The display value of a sys_user_has_role.role reference is the role's name.
  while (gr.next()) rows.push({ role: gr.getDisplayValue('role'), inherited: isTrue(gr.getValue('inherited')) })
  return rows
}

export function lookupOauthClient(p: Platform, name: string): OauthClientSnapshot {
  const gr = p.record(PLATFORM_TABLES.oauthEntity)
  gr.addQuery('name', name)
  gr.addQuery('type', OAUTH_CLIENT.type)
  gr.setLimit(2)
  gr.query()
  let matches = 0
  let snapshot: OauthClientSnapshot = { matches: 0, active: false, redirectUrl: '', hasScopeRestrictionField: false, scopeRestriction: '' }
  while (gr.next()) {
    matches++
    if (matches === 1) {
      // The column exists only on Zurich+ (and patched Yokohama): ask the record, not the release name.
      const hasField = gr.isValidField(OAUTH_CLIENT.scopeRestrictionField)
      snapshot = {
        matches: 1,
        active: isTrue(gr.getValue('active')),
        redirectUrl: gr.getValue('redirect_url') ?? '',
        hasScopeRestrictionField: hasField,
        scopeRestriction: hasField ? (gr.getValue(OAUTH_CLIENT.scopeRestrictionField) ?? '') : '',
      }
    }
  }
  if (matches === 0) {
    // No client: still tell the scope-restriction check whether this release has the column.
    snapshot.hasScopeRestrictionField = p.record(PLATFORM_TABLES.oauthEntity).isValidField(OAUTH_CLIENT.scopeRestrictionField)
  }
  return { ...snapshot, matches }
}

export function lookupTables(p: Platform): TablesSnapshot {
  const gr = p.record(PLATFORM_TABLES.dbObject)
  gr.addQuery('name', 'IN', Object.values(TABLES).join(','))
  gr.setLimit(Object.values(TABLES).length * 2)
  gr.query()
  const found: string[] = []
  while (gr.next()) found.push(gr.getValue('name') ?? '')
  return { expected: Object.values(TABLES), found }
}

export function lookupTransformMaps(p: Platform): TransformMapSnapshot {
  const gr = p.record(PLATFORM_TABLES.transformMap)
  gr.addQuery('name', 'IN', Object.values(TRANSFORM_MAPS).join(','))
  gr.setLimit(Object.values(TRANSFORM_MAPS).length * 2)
  gr.query()
  const maps: TransformMapSnapshot['maps'] = []
  while (gr.next()) maps.push({ name: gr.getValue('name') ?? '', active: isTrue(gr.getValue('active')) })
  return { expected: Object.values(TRANSFORM_MAPS), maps }
}

const STAGING_TABLES = [TABLES.deviceImport, TABLES.appImport]

export function lookupInsertMultiple(p: Platform): InsertMultipleSnapshot {
  const gr = p.record(REST_INSERT_MULTIPLE.table)
  gr.addQuery(REST_INSERT_MULTIPLE.sourceTableField, 'IN', STAGING_TABLES.join(','))
  gr.setLimit(STAGING_TABLES.length * 4)
  gr.query()
  const mappings: InsertMultipleSnapshot['mappings'] = []
  while (gr.next()) {
    // An inactive record maps nothing.
    if (gr.getValue(REST_INSERT_MULTIPLE.activeField) === 'false') continue
    mappings.push({ table: gr.getValue(REST_INSERT_MULTIPLE.sourceTableField) ?? '', columnMapping: gr.getValue(REST_INSERT_MULTIPLE.columnMappingField) ?? '' })
  }
  return { pluginActive: p.isPluginActive(INSERT_MULTIPLE_PLUGIN), stagingTables: STAGING_TABLES, mappings }
}

type RowFilter = (q: { addQuery(field: string, operator: string, value: string): unknown }) => void

/** One COUNT aggregate over the rows `where` selects: one query, whatever the number of rows. */
function countWhere(p: Platform, table: string, where: (ga: AggregateLike) => void): number {
  const ga = p.aggregate(table)
  where(ga)
  ga.addAggregate('COUNT')
  ga.query()
  return ga.next() ? Number.parseInt(ga.getAggregate('COUNT'), 10) || 0 : 0
}

function countRows(p: Platform, table: string, since: string, filter: RowFilter): number {
  return countWhere(p, table, (ga) => {
    filter(ga)
    ga.addQuery('sys_created_on', '>=', since)
  })
}

function latestRow(p: Platform, table: string, since: string, filter: RowFilter): { message: string; created: string } | undefined {
  const gr = p.record(table)
  filter(gr)
  gr.addQuery('sys_created_on', '>=', since)
  gr.orderByDesc('sys_created_on')
  gr.setLimit(1)
  gr.query()
  return gr.next() ? { message: gr.getValue('sys_import_state_comment') ?? '', created: gr.getValue('sys_created_on') ?? '' } : undefined
}

const IN_ERROR: RowFilter = (q) => q.addQuery('sys_import_state', '=', 'error')
const REJECTED: RowFilter = (q) => {
  q.addQuery('sys_import_state', '=', 'ignored')
  q.addQuery('sys_import_state_comment', 'STARTSWITH', IMPORT_REJECTED_PREFIX)
}

export function lookupImportErrors(p: Platform): ImportErrorsSnapshot {
  const since = p.daysAgoUtc(IMPORT_ERROR_WINDOW_DAYS)
  const tables: ImportErrorsSnapshot['tables'] = []
  for (const table of STAGING_TABLES) {
    const errors = countRows(p, table, since, IN_ERROR)
    const rejected = countRows(p, table, since, REJECTED)
    const latest = [errors > 0 ? latestRow(p, table, since, IN_ERROR) : undefined, rejected > 0 ? latestRow(p, table, since, REJECTED) : undefined]
      .filter((r): r is { message: string; created: string } => r !== undefined)
      .sort((a, b) => b.created.localeCompare(a.created))[0]
    tables.push({ table, errors, rejected, latestMessage: latest?.message ?? '' })
  }
  return { since, tables }
}

/**
 * Kandji devices in the CMDB, counted through the MDM table: IRE writes discovery_source when it creates a CI,
 * so a computer another source created first keeps that source and a count by discovery source misses it.
 */
export function lookupKandjiCis(p: Platform): CiCountSnapshot {
  const count = (bySource: boolean): number =>
    countWhere(p, TABLES.mdm, (ga) => {
      ga.addNotNullQuery('ci')
      if (bySource) ga.addQuery(`ci.${DISCOVERY_SOURCE.element}`, '=', DISCOVERY_SOURCE.value)
    })
  return { via: 'mdm', count: count(false), kandjiSource: count(true) }
}

const isFailed = (state: string, comment: string): boolean => state === 'error' || (state === 'ignored' && comment.startsWith(IMPORT_REJECTED_PREFIX))

/**
 * What Iru Endpoint pushed: the staging rows the service account created. Per staging table one limited read of the
 * newest rows and one COUNT of stuck pending rows, plus the OAuth client's refresh token lifespan.
 */
export function lookupPush(p: Platform, subject: Subject): PushSnapshot {
  const settings = readPushSettings((name) => p.property(name, ''))
  const now = p.nowUtc()
  const pendingBefore = glideMinus(now, settings.maxPendingMinutes * 60_000) ?? now
  const rows: Array<{ created: string; failed: boolean }> = []
  let stuckPending = 0
  for (const table of STAGING_TABLES) {
    const gr = p.record(table)
    gr.addQuery('sys_created_by', subject.serviceAccount)
    gr.orderByDesc('sys_created_on')
    gr.setLimit(settings.errorRateRows)
    gr.query()
    while (gr.next()) rows.push({ created: gr.getValue('sys_created_on') ?? '', failed: isFailed(gr.getValue('sys_import_state') ?? '', gr.getValue('sys_import_state_comment') ?? '') })
    stuckPending += countWhere(p, table, (ga) => {
      ga.addQuery('sys_import_state', '=', 'pending')
      ga.addQuery('sys_created_on', '<', pendingBefore)
    })
  }
  const recent = rows.sort((a, b) => b.created.localeCompare(a.created)).slice(0, settings.errorRateRows)
  return {
    settings,
    now,
    lastPushAt: recent[0]?.created ?? '',
    recent: { rows: recent.length, failed: recent.filter((r) => r.failed).length },
    stuckPending,
    pendingBefore,
    refreshTokenLifespanSeconds: lookupRefreshTokenLifespan(p, subject.oauthClient),
  }
}

function lookupRefreshTokenLifespan(p: Platform, name: string): number | undefined {
  const gr = p.record(PLATFORM_TABLES.oauthEntity)
  gr.addQuery('name', name)
  gr.addQuery('type', OAUTH_CLIENT.type)
  gr.setLimit(2)
  gr.query()
  if (!gr.next()) return undefined
  const lifespan = Number.parseInt(gr.getValue('refresh_token_lifespan') ?? '', 10)
  return gr.next() || Number.isNaN(lifespan) ? undefined : lifespan
}

export function lookupAll(p: Platform, subject: Subject): VerifySnapshots {
  const user = lookupUser(p, subject.serviceAccount)
  return {
    app: lookupApp(p),
    choice: lookupChoice(p),
    fixScript: lookupFixScript(p),
    user,
    roles: user.matches === 1 ? lookupRoles(p, user.sysId) : [],
    oauthClient: lookupOauthClient(p, subject.oauthClient),
    tables: lookupTables(p),
    transformMaps: lookupTransformMaps(p),
    insertMultiple: lookupInsertMultiple(p),
    importErrors: lookupImportErrors(p),
    cis: lookupKandjiCis(p),
    push: lookupPush(p, subject),
  }
}
