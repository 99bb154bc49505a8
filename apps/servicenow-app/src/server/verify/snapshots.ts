// What verify reads from the instance, reduced to plain data. lookups.ts fills these with a fixed number of
// queries; checks.ts turns them into check results without touching the database.
import type { ChoiceRowState } from '../setup/discovery-source.ts'

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
  found: string[]
}

export interface TransformMapSnapshot {
  maps: Array<{ name: string; active: boolean }>
}

export interface InsertMultipleSnapshot {
  pluginActive: boolean
  /** the sys_rest_insert_multiple records of the staging tables */
  mappings: Array<{ table: string; columnMapping: string }>
}

export interface ImportErrorsSnapshot {
  since: string
  /** per staging table: rows in error, rows the transform rejected (ignored with the rejection prefix) */
  tables: Array<{ table: string; errors: number; rejected: number; latestMessage: string }>
}

export interface CiCountSnapshot {
  /** Kandji devices linked to a CI (MDM rows with a computer) */
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
}
