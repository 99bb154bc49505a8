// What verify reads from the instance, reduced to plain data. The app's lookups (GlideRecord, in the instance) and the
// CLI's (Table API, for an app without our verify endpoint) fill these; checks.ts turns them into results.
import type { ChoiceRowState } from './discovery-source.ts'

export interface Subject {
  serviceAccount: string
  oauthClient: string
}

export interface AppSnapshot {
  found: boolean
  version: string
  /** sys_app (custom / SDK install) or sys_store_app (Store install) */
  className: string
}

export interface ChoiceSnapshot {
  rows: ChoiceRowState[]
}

export interface FixScriptSnapshot {
  found: boolean
}

export interface UserSnapshot {
  matches: number
  sysId: string
  active: boolean
  lockedOut: boolean
  passwordNeedsReset: boolean
  webServiceAccessOnly: boolean
}

export interface RoleRow {
  role: string
  inherited: boolean
}

export interface OauthClientSnapshot {
  matches: number
  active: boolean
  redirectUrl: string
  /** whether oauth_entity has the scope-restriction column (Zurich and later, patched Yokohama) */
  hasScopeRestrictionField: boolean
  scopeRestriction: string
}

export interface TablesSnapshot {
  /** the tables the installed app must have: this project's TABLES, or for another build of the scope the documented ones */
  expected: string[]
  found: string[]
}

export interface TransformMapSnapshot {
  /** the maps the app must have by name; empty: the app's own maps, whatever their names (another build of the scope) */
  expected: string[]
  maps: Array<{ name: string; active: boolean }>
}

export interface InsertMultipleSnapshot {
  pluginActive: boolean
  /** the staging tables that must take rows keyed by column name; empty when the app's mapping is not ours to know */
  stagingTables: string[]
  /** the sys_rest_insert_multiple records of those tables */
  mappings: Array<{ table: string; columnMapping: string }>
}

export interface ImportErrorsSnapshot {
  since: string
  /** per staging table: rows in error, rows the transform rejected (ignored with the rejection prefix) */
  tables: Array<{ table: string; errors: number; rejected: number; latestMessage: string }>
}

export interface CiCountSnapshot {
  /** 'mdm': Kandji devices linked to a CI through the app's MDM table; 'discovery_source': CIs naming the source */
  via: 'mdm' | 'discovery_source'
  count: number
  /** of those, the CIs whose discovery source is Kandji; the others were found first by another source */
  kandjiSource: number
}

export interface VerifySnapshots {
  app: AppSnapshot
  choice: ChoiceSnapshot
  fixScript: FixScriptSnapshot
  user: UserSnapshot
  roles: RoleRow[]
  oauthClient: OauthClientSnapshot
  tables: TablesSnapshot
  transformMaps: TransformMapSnapshot
  insertMultiple: InsertMultipleSnapshot
  importErrors: ImportErrorsSnapshot
  cis: CiCountSnapshot
  push: PushSnapshot
}

/** The health settings (APP_SETTINGS) as read: the property's raw value when it is not a valid number. */
export interface PushSettings {
  maxPushAgeHours: number
  errorRateRows: number
  maxErrorRatePercent: number
  maxPendingMinutes: number
  pushIntervalHours: number
  /** properties that hold something other than a whole number >= their minimum; their defaults are used */
  invalid: Array<{ property: string; value: string; used: number }>
}

/** What Iru Endpoint pushed: staging rows created by the service account (sys_created_by). */
export interface PushSnapshot {
  settings: PushSettings
  /** UTC 'yyyy-MM-dd HH:mm:ss' */
  now: string
  /** sys_created_on of the newest row; '' when the service account has never pushed */
  lastPushAt: string
  /** the newest settings.errorRateRows rows: how many, and how many the transform failed (error or rejected) */
  recent: { rows: number; failed: number }
  /** rows still pending that were created before pendingBefore */
  stuckPending: number
  pendingBefore: string
  /** the OAuth client's refresh_token_lifespan in seconds; undefined when the client was not found as one */
  refreshTokenLifespanSeconds: number | undefined
}
