// THE mapping from a synthetic Kandji device (and its apps) to a row of the app's staging tables. How Iru Endpoint
// maps its fields onto import rows is not public (kandji-device-fields.md), so every column name, label and value
// format lives here and nowhere else; test/staging-alignment.test.ts compares it with the app's Fluent tables
// (apps/servicenow-app/src/fluent/tables.now.ts). Columns the app has and the simulator leaves out (it has no
// realistic data for them): os_build, supplemental_build_version, supplemental_os_version_extra, install_path.
//
// The Import Set API takes string name-value pairs only (facts 4.2: nested JSON is mangled), so every value is a
// string: booleans "true"/"false", numbers in plain decimal, absent values "".
import { toGlideDateTime as glideDateTime } from '@kandji-sn/contract/glide-date-time'
import type { KandjiDevice } from './devices.ts'
import type { AppInstall } from './apps.ts'

export interface StagingColumn<T> {
  /** Column name in the staging table (own-table columns carry no scope prefix). */
  name: string
  /** Column label: insertMultiple keys default to labels (facts 4.2) unless sys_rest_insert_multiple says names. */
  label: string
  value: (source: T) => string
}

export type StagingRow = Record<string, string>

/** How insertMultiple keys its records: by column label (the platform default) or by column name. */
export type ColumnKeys = 'name' | 'label'

const bool = (value: boolean | null): string => (value === null ? '' : value ? 'true' : 'false')

/**
 * Date-times go in as `yyyy-MM-dd HH:mm:ss` in UTC, the format GlideDateTime stores and parses without a format
 * hint; Kandji's ISO 8601 `T`/`Z` form is converted here. ASSUMPTION: the app's transform treats them as UTC.
 */
export function toGlideDateTime(iso: string): string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  return glideDateTime(new Date(ms))
}

export const DEVICE_STAGING_COLUMNS: ReadonlyArray<StagingColumn<KandjiDevice>> = [
  { name: 'device_id', label: 'Device ID', value: (d) => d.device_id },
  { name: 'device_name', label: 'Device Name', value: (d) => d.device_name },
  { name: 'serial_number', label: 'Serial Number', value: (d) => d.serial_number },
  { name: 'platform', label: 'Platform', value: (d) => d.platform },
  { name: 'model', label: 'Model', value: (d) => d.model },
  { name: 'model_identifier', label: 'Model Identifier', value: (d) => d.model_identifier },
  { name: 'os_version', label: 'OS Version', value: (d) => d.os_version },
  { name: 'last_check_in', label: 'Last Check-in', value: (d) => toGlideDateTime(d.last_check_in) },
  { name: 'user_email', label: 'User Email', value: (d) => d.user?.email ?? '' },
  { name: 'user_name', label: 'User Name', value: (d) => d.user?.name ?? '' },
  { name: 'asset_tag', label: 'Asset Tag', value: (d) => d.asset_tag },
  { name: 'blueprint_id', label: 'Blueprint ID', value: (d) => d.blueprint_id },
  { name: 'blueprint_name', label: 'Blueprint Name', value: (d) => d.blueprint_name },
  { name: 'mdm_enabled', label: 'MDM Enabled', value: (d) => bool(d.mdm_enabled) },
  { name: 'agent_installed', label: 'Agent Installed', value: (d) => bool(d.agent_installed) },
  { name: 'agent_version', label: 'Agent Version', value: (d) => d.agent_version },
  { name: 'is_missing', label: 'Is Missing', value: (d) => bool(d.is_missing) },
  { name: 'is_removed', label: 'Is Removed', value: (d) => bool(d.is_removed) },
  { name: 'first_enrollment', label: 'First Enrollment', value: (d) => toGlideDateTime(d.first_enrollment) },
  { name: 'last_enrollment', label: 'Last Enrollment', value: (d) => toGlideDateTime(d.last_enrollment) },
  { name: 'processor', label: 'Processor', value: (d) => d.processor },
  /** Gigabytes. */
  { name: 'memory', label: 'Memory', value: (d) => String(d.memory_gb) },
  /** Gigabytes. */
  { name: 'storage_capacity', label: 'Storage Capacity', value: (d) => String(d.storage_total_gb) },
  /** Gigabytes. */
  { name: 'storage_available', label: 'Storage Available', value: (d) => String(d.storage_free_gb) },
  { name: 'mac_address', label: 'MAC Address', value: (d) => d.mac_address },
  { name: 'filevault_enabled', label: 'FileVault Enabled', value: (d) => bool(d.filevault_enabled) },
  { name: 'activation_lock_enabled', label: 'Activation Lock Enabled', value: (d) => bool(d.activation_lock) },
]

export const APP_STAGING_COLUMNS: ReadonlyArray<StagingColumn<AppInstall>> = [
  { name: 'device_id', label: 'Device ID', value: (a) => a.device_id },
  { name: 'serial_number', label: 'Serial Number', value: (a) => a.serial_number },
  { name: 'app_name', label: 'Application Name', value: (a) => a.app_name },
  { name: 'bundle_id', label: 'Bundle ID', value: (a) => a.bundle_id },
  { name: 'version', label: 'Version', value: (a) => a.version },
  { name: 'publisher', label: 'Publisher', value: (a) => a.publisher },
]

/** Column names every device row carries; the serial number is the row's natural key. */
export const DEVICE_KEY_COLUMN = 'serial_number'
export const PLATFORM_COLUMN = 'platform'

export function toStagingRow(device: KandjiDevice): StagingRow {
  return mapRow(DEVICE_STAGING_COLUMNS, device)
}

export function toAppStagingRow(app: AppInstall): StagingRow {
  return mapRow(APP_STAGING_COLUMNS, app)
}

function mapRow<T>(columns: ReadonlyArray<StagingColumn<T>>, source: T): StagingRow {
  const row: StagingRow = {}
  for (const column of columns) row[column.name] = column.value(source)
  return row
}

/**
 * Re-keys a row (keyed by column name) by label, for insertMultiple when the instance keeps the platform default.
 * Keys that are not known columns (malformed rows may carry them) are passed through unchanged.
 */
export function keyRow(row: StagingRow, columns: ReadonlyArray<StagingColumn<never>>, keys: ColumnKeys): StagingRow {
  if (keys === 'name') return row
  const labels = new Map(columns.map((c) => [c.name, c.label]))
  const out: StagingRow = {}
  for (const [name, value] of Object.entries(row)) out[labels.get(name) ?? name] = value
  return out
}
