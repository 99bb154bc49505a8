import '@servicenow/sdk/global'
import { BooleanColumn, DateTimeColumn, ReferenceColumn, StringColumn, Table } from '@servicenow/sdk/core'
import { PLATFORM_TABLES, TABLES } from '@kandji-sn/contract/constants'

// Staging tables: every column is a string because the Import Set API takes string name/value pairs only
// (facts 4.2); the transform parses them (src/server/import/values.ts). Columns follow
// shared/reference/kandji-device-fields.md; test/built-app.test.ts keeps them equal to DEVICE_IMPORT_COLUMNS.
// allowWebServiceAccess: Iru Endpoint POSTs to /api/now/import/<table> (whether ws_access is required: findings §6.4).

// The SDK requires each Table to be exported under its table name (TS213), hence the identifiers.
export const x_kandj_kandji_device_import = Table({
  name: TABLES.deviceImport,
  label: 'Kandji Device Import',
  extends: PLATFORM_TABLES.importSetRow,
  allowWebServiceAccess: true,
  schema: {
    device_id: StringColumn({ label: 'Device ID', maxLength: 64 }),
    device_name: StringColumn({ label: 'Device Name', maxLength: 255 }),
    serial_number: StringColumn({ label: 'Serial Number', maxLength: 100 }),
    platform: StringColumn({ label: 'Platform', maxLength: 40 }),
    model: StringColumn({ label: 'Model', maxLength: 255 }),
    model_identifier: StringColumn({ label: 'Model Identifier', maxLength: 100 }),
    os_version: StringColumn({ label: 'OS Version', maxLength: 40 }),
    os_build: StringColumn({ label: 'OS Build', maxLength: 40 }),
    supplemental_build_version: StringColumn({ label: 'Supplemental Build Version', maxLength: 40 }),
    supplemental_os_version_extra: StringColumn({ label: 'Supplemental OS Version Extra', maxLength: 40 }),
    last_check_in: StringColumn({ label: 'Last Check-in', maxLength: 40 }),
    user_email: StringColumn({ label: 'User Email', maxLength: 254 }),
    user_name: StringColumn({ label: 'User Name', maxLength: 255 }),
    asset_tag: StringColumn({ label: 'Asset Tag', maxLength: 100 }),
    blueprint_id: StringColumn({ label: 'Blueprint ID', maxLength: 64 }),
    blueprint_name: StringColumn({ label: 'Blueprint Name', maxLength: 255 }),
    mdm_enabled: StringColumn({ label: 'MDM Enabled', maxLength: 10 }),
    agent_installed: StringColumn({ label: 'Agent Installed', maxLength: 10 }),
    agent_version: StringColumn({ label: 'Agent Version', maxLength: 40 }),
    is_missing: StringColumn({ label: 'Is Missing', maxLength: 10 }),
    is_removed: StringColumn({ label: 'Is Removed', maxLength: 10 }),
    first_enrollment: StringColumn({ label: 'First Enrollment', maxLength: 40 }),
    last_enrollment: StringColumn({ label: 'Last Enrollment', maxLength: 40 }),
    processor: StringColumn({ label: 'Processor', maxLength: 255 }),
    memory: StringColumn({ label: 'Memory', maxLength: 40 }),
    storage_capacity: StringColumn({ label: 'Storage Capacity', maxLength: 40 }),
    storage_available: StringColumn({ label: 'Storage Available', maxLength: 40 }),
    mac_address: StringColumn({ label: 'MAC Address', maxLength: 255 }),
    filevault_enabled: StringColumn({ label: 'FileVault Enabled', maxLength: 10 }),
    activation_lock_enabled: StringColumn({ label: 'Activation Lock Enabled', maxLength: 10 }),
  },
})

export const x_kandj_kandji_app_import = Table({
  name: TABLES.appImport,
  label: 'Kandji Application Import',
  extends: PLATFORM_TABLES.importSetRow,
  allowWebServiceAccess: true,
  schema: {
    device_id: StringColumn({ label: 'Device ID', maxLength: 64 }),
    serial_number: StringColumn({ label: 'Serial Number', maxLength: 100 }),
    app_name: StringColumn({ label: 'Application Name', maxLength: 255 }),
    bundle_id: StringColumn({ label: 'Bundle ID', maxLength: 255 }),
    version: StringColumn({ label: 'Version', maxLength: 100 }),
    publisher: StringColumn({ label: 'Publisher', maxLength: 255 }),
    install_path: StringColumn({ label: 'Install Path', maxLength: 1000 }),
  },
})

/** The app's MDM table (the vendor's x_kandj_kandji_mdm, facts 1.2): what the CMDB has no column for. */
export const x_kandj_kandji_mdm = Table({
  name: TABLES.mdm,
  label: 'Kandji MDM',
  display: 'device_name',
  schema: {
    // Hardware, not Computer: a mapped device class may be a Media Player (APP_SETTINGS.deviceClasses). The
    // last_pushed, retired_reason and user_match columns are the contract's MDM_FIELDS (the SDK wants literals).
    ci: ReferenceColumn({ label: 'Configuration Item', referenceTable: PLATFORM_TABLES.hardware, cascadeRule: 'clear' }),
    device_id: StringColumn({ label: 'Device ID', maxLength: 64 }),
    serial_number: StringColumn({ label: 'Serial Number', maxLength: 100 }),
    last_pushed: DateTimeColumn({ label: 'Last Pushed' }),
    retired_reason: StringColumn({ label: 'Retired Reason', maxLength: 255 }),
    user_match: StringColumn({ label: 'User Match', maxLength: 20 }),
    device_name: StringColumn({ label: 'Device Name', maxLength: 255 }),
    platform: StringColumn({ label: 'Platform', maxLength: 40 }),
    model: StringColumn({ label: 'Model', maxLength: 255 }),
    model_identifier: StringColumn({ label: 'Model Identifier', maxLength: 100 }),
    os_version: StringColumn({ label: 'OS Version', maxLength: 40 }),
    os_build: StringColumn({ label: 'OS Build', maxLength: 40 }),
    supplemental_build_version: StringColumn({ label: 'Supplemental Build Version', maxLength: 40 }),
    supplemental_os_version_extra: StringColumn({ label: 'Supplemental OS Version Extra', maxLength: 40 }),
    last_check_in: DateTimeColumn({ label: 'Last Check-in' }),
    user_email: StringColumn({ label: 'User Email', maxLength: 254 }),
    asset_tag: StringColumn({ label: 'Asset Tag', maxLength: 100 }),
    blueprint_id: StringColumn({ label: 'Blueprint ID', maxLength: 64 }),
    blueprint_name: StringColumn({ label: 'Blueprint Name', maxLength: 255 }),
    mdm_enabled: BooleanColumn({ label: 'MDM Enabled' }),
    agent_installed: BooleanColumn({ label: 'Agent Installed' }),
    agent_version: StringColumn({ label: 'Agent Version', maxLength: 40 }),
    is_missing: BooleanColumn({ label: 'Missing' }),
    is_removed: BooleanColumn({ label: 'Removed from Kandji' }),
    first_enrollment: DateTimeColumn({ label: 'First Enrollment' }),
    last_enrollment: DateTimeColumn({ label: 'Last Enrollment' }),
    processor: StringColumn({ label: 'Processor', maxLength: 255 }),
    memory: StringColumn({ label: 'Memory', maxLength: 40 }),
    storage_capacity: StringColumn({ label: 'Storage Capacity', maxLength: 40 }),
    storage_available: StringColumn({ label: 'Storage Available', maxLength: 40 }),
    mac_address: StringColumn({ label: 'MAC Address', maxLength: 255 }),
    filevault_enabled: BooleanColumn({ label: 'FileVault Enabled' }),
    activation_lock_enabled: BooleanColumn({ label: 'Activation Lock Enabled' }),
  },
})

/**
 * The app's software table: one row per application on a device, the target of the application transform. It
 * links the computer and the SAM software installation IRE wrote (a string sys_id: cmdb_sam_sw_install exists only
 * while SAM is active, and a reference to a missing table cannot be installed).
 */
export const x_kandj_kandji_software = Table({
  name: TABLES.software,
  label: 'Kandji Software',
  display: 'app_name',
  schema: {
    ci: ReferenceColumn({ label: 'Computer', referenceTable: PLATFORM_TABLES.computer, cascadeRule: 'clear' }),
    software_install: StringColumn({ label: 'Software Installation', maxLength: 32 }),
    device_id: StringColumn({ label: 'Device ID', maxLength: 64 }),
    serial_number: StringColumn({ label: 'Serial Number', maxLength: 100 }),
    app_name: StringColumn({ label: 'Application Name', maxLength: 255 }),
    bundle_id: StringColumn({ label: 'Bundle ID', maxLength: 255 }),
    version: StringColumn({ label: 'Version', maxLength: 100 }),
    publisher: StringColumn({ label: 'Publisher', maxLength: 255 }),
  },
})
