// How one Kandji device row becomes an IRE payload (cmdb_ci_computer) and the app's MDM row. Pure: the only
// place the mapping is written (kandji-device-fields.md: "keep our mapping in one place").
import { DEVICE_CLASSES, IMPORT_PROBE, MDM_FIELDS, PLATFORMS, PLATFORM_TABLES } from '../generated/contract.ts'
import { collectErrors, parseIreAnswer } from './ire-answer.ts'
import { looksLikeEmail, parseBoolean, parseCapacityGb, parseDateTimeUtc, text } from './values.ts'

/** The device staging table's columns (x_kandj_kandji_device_import), in the order the Fluent table lists them. */
export const DEVICE_IMPORT_COLUMNS = [
  'device_id',
  'device_name',
  'serial_number',
  'platform',
  'model',
  'model_identifier',
  'os_version',
  'os_build',
  'supplemental_build_version',
  'supplemental_os_version_extra',
  'last_check_in',
  'user_email',
  'user_name',
  'asset_tag',
  'blueprint_id',
  'blueprint_name',
  'mdm_enabled',
  'agent_installed',
  'agent_version',
  MDM_FIELDS.isMissing,
  MDM_FIELDS.isRemoved,
  'first_enrollment',
  'last_enrollment',
  'processor',
  'memory',
  'storage_capacity',
  'storage_available',
  'mac_address',
  'filevault_enabled',
  'activation_lock_enabled',
] as const
export type DeviceImportColumn = (typeof DEVICE_IMPORT_COLUMNS)[number]
export type DeviceRow = { [K in DeviceImportColumn]?: string | null }

/** Columns of the MDM table (x_kandj_kandji_mdm) the transform writes, besides the `ci` reference. */
export const MDM_STRING_COLUMNS = [
  'device_id', 'serial_number', 'device_name', 'platform', 'model', 'model_identifier', 'os_version', 'os_build',
  'supplemental_build_version', 'supplemental_os_version_extra', 'user_email', 'asset_tag', 'blueprint_id',
  'blueprint_name', 'agent_version', 'processor', 'memory', 'storage_capacity', 'storage_available', 'mac_address',
] as const
export const MDM_BOOLEAN_COLUMNS = ['mdm_enabled', 'agent_installed', MDM_FIELDS.isMissing, MDM_FIELDS.isRemoved, 'filevault_enabled', 'activation_lock_enabled'] as const
export const MDM_DATETIME_COLUMNS = ['last_check_in', 'first_enrollment', 'last_enrollment'] as const
export const MDM_CI_COLUMN = 'ci'

export type MdmValues = { [column: string]: string | boolean }

export interface DeviceMapping {
  serialNumber: string
  /** values for IRE's cmdb_ci_computer item, without assigned_to (that needs a user lookup) */
  ciValues: { [field: string]: string | number }
  mdmValues: MdmValues
  /** e-mail to look up for assigned_to, when the row has a plausible one */
  userEmail?: string
  /** the row's user_email as sent (tells "no e-mail" from a malformed one) */
  rawEmail: string
  /** the row's user_name (user matching by user name) */
  userName: string
  /** the row's platform, as sent */
  platform: string
  /** values that were present but malformed; the row still imports without them */
  warnings: string[]
}

export type DeviceMappingResult =
  | { kind: 'probe' }
  | { kind: 'invalid'; message: string }
  | { kind: 'ok'; mapping: DeviceMapping }

export function isProbeRow(row: DeviceRow): boolean {
  return text(row[IMPORT_PROBE.field as DeviceImportColumn]) === IMPORT_PROBE.value
}

export function mapDevice(row: DeviceRow): DeviceMappingResult {
  if (isProbeRow(row)) return { kind: 'probe' }
  const serialNumber = text(row.serial_number)
  if (!serialNumber) {
    const id = text(row.device_id)
    return {
      kind: 'invalid',
      message: `Row has no serial_number${id ? ` (device_id ${id})` : ''}; the CMDB identifies computers by serial number, so nothing was written. Send the device again with its serial number.`,
    }
  }
  const warnings: string[] = []
  const platform = text(row.platform)
  if (platform && !(PLATFORMS as readonly string[]).includes(platform)) {
    warnings.push(`platform "${platform}" is not one of ${PLATFORMS.join(', ')}`)
  }

  const mdmValues: MdmValues = {}
  for (const column of MDM_STRING_COLUMNS) {
    const value = text(row[column])
    if (value) mdmValues[column] = value
  }
  for (const column of MDM_BOOLEAN_COLUMNS) {
    const raw = text(row[column])
    if (!raw) continue
    const value = parseBoolean(raw)
    if (value === undefined) warnings.push(`${column} "${raw}" is not true/false`)
    else mdmValues[column] = value
  }
  for (const column of MDM_DATETIME_COLUMNS) {
    const raw = text(row[column])
    if (!raw) continue
    const value = parseDateTimeUtc(raw)
    if (value === undefined) warnings.push(`${column} "${raw}" is not an ISO 8601 date-time`)
    else mdmValues[column] = value
  }

  const ciValues: DeviceMapping['ciValues'] = { serial_number: serialNumber, name: text(row.device_name) || serialNumber }
  // Computer columns as documented (class-computer.md, cmdb-sccm-classes.md). The MAC address is not one: the docs
  // keep MAC addresses on network adapter CIs (class-computer.md), so it stays on the MDM row.
  const optional: Array<[string, string]> = [
    ['model_number', text(row.model)],
    ['os_version', text(row.os_version)],
    ['asset_tag', text(row.asset_tag)],
    ['cpu_name', text(row.processor)],
  ]
  for (const [field, value] of optional) if (value) ciValues[field] = value
  const lastSeen = mdmValues.last_check_in
  if (typeof lastSeen === 'string') ciValues.last_discovered = lastSeen
  const memory = text(row.memory)
  if (memory) {
    const gb = parseCapacityGb(memory)
    if (gb === undefined) warnings.push(`memory "${memory}" is not a size`)
    else ciValues.ram = Math.round(gb * 1024)
  }
  const storage = text(row.storage_capacity)
  if (storage) {
    const gb = parseCapacityGb(storage)
    if (gb === undefined) warnings.push(`storage_capacity "${storage}" is not a size`)
    else ciValues.disk_space = gb
  }

  const email = text(row.user_email)
  const mapping: DeviceMapping = { serialNumber, ciValues, mdmValues, warnings, rawEmail: email, userName: text(row.user_name), platform }
  if (email) {
    if (looksLikeEmail(email)) mapping.userEmail = email
    else warnings.push(`user_email "${email}" is not an e-mail address; assigned_to left empty`)
  }
  return { kind: 'ok', mapping }
}

export interface IreItemOptions {
  /** the device's class (device-classes.ts); default cmdb_ci_computer */
  className?: string
  /**
   * Allow IRE to move the CI to className (the item's classUpgrade/classDowngrade/classSwitch flags, which take
   * precedence over glide.class.*.enabled: c_CIReclassification.md). Set only when the CI is already one of ours.
   */
  reclassify?: boolean
  /** install_status / operational_status to write (retire or un-retire) */
  lifecycle?: { install_status: string; operational_status: string }
}

/** Columns the mapping sends that only Computer (and its children) has (class-computer.md); a Media Player lacks them. */
export const COMPUTER_ONLY_COLUMNS = ['os_version', 'cpu_name', 'ram', 'disk_space'] as const

/** IRE's input: one item of the device's class (IdentificationEngine.createOrUpdateCI payload shape). */
export function irePayload(ciValues: DeviceMapping['ciValues'], assignedTo?: string, options: IreItemOptions = {}): string {
  const values: { [field: string]: string | number } = { ...ciValues, ...(options.lifecycle ?? {}) }
  if (options.className === DEVICE_CLASSES.mediaPlayer) for (const column of COMPUTER_ONLY_COLUMNS) delete values[column]
  if (assignedTo) values.assigned_to = assignedTo
  const flags = options.reclassify ? { classUpgrade: true, classDowngrade: true, classSwitch: true } : {}
  return JSON.stringify({ items: [{ className: options.className ?? PLATFORM_TABLES.computer, ...flags, values }] })
}

export type IreOutcome = { ok: true; sysId: string; operation: string; className: string } | { ok: false; message: string }

/** Reads IRE's JSON answer; anything other than one item with a sys_id and no errors is a failure. */
export function interpretIreOutput(output: string): IreOutcome {
  const answer = parseIreAnswer(output)
  if (!answer.ok) return answer
  const { item } = answer
  const errors = [...collectErrors(answer.errors), ...collectErrors(item?.errors)]
  if (errors.length > 0) return { ok: false, message: `IRE rejected the device: ${errors.join('; ')}` }
  if (!item || typeof item.sysId !== 'string' || item.sysId === '' || item.sysId === 'Unknown') {
    return { ok: false, message: 'IRE did not return a CI for the device (no sysId in its answer).' }
  }
  return { ok: true, sysId: item.sysId, operation: typeof item.operation === 'string' ? item.operation : 'UNKNOWN', className: typeof item.className === 'string' ? item.className : '' }
}
