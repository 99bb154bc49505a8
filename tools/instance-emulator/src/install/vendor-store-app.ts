// The vendor's Kandji Store app, as far as the product may rely on it: a Store application (sys_store_app) that owns
// the scope x_kandj_kandji under ANOTHER sys_id than this project's build (audit item 8), ships the documented MDM
// table x_kandj_kandji_mdm and the kandji_fix_script fix script (vendor setup guide, shared/seed), and none of this
// project's REST endpoints, app properties or insertMultiple mappings. Its other internals are not documented [U]:
// the emulator derives them from this project's build with other names (staging tables, transform maps), so a product
// that looked for this project's names in the vendor's app would fail here, as it would on a customer instance.
import type { AppPackage, AppRecord } from '@kandji-sn/app-package'

/** The vendor's application sys_id in the emulator (any sys_id other than this project's scopeId). */
export const VENDOR_STORE_APP_ID = 'a7c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4'
export const VENDOR_STORE_APP_VERSION = '3.2.0'

/** Tables this project's build has that the vendor's app does not ship (it has no REST API, properties, tests). */
const NOT_IN_VENDOR_APP = new Set(['sys_ws_definition', 'sys_ws_operation', 'sys_rest_insert_multiple', 'sys_properties', 'sys_atf_test', 'sys_atf_step'])

/** [U] names: the vendor's staging tables and transform maps are not documented; these differ from ours on purpose. */
const RENAMES: ReadonlyArray<readonly [string, string]> = [
  ['x_kandj_kandji_device_import', 'x_kandj_kandji_computer_staging'],
  ['x_kandj_kandji_app_import', 'x_kandj_kandji_software_staging'],
  ['Kandji Device to CMDB', 'Kandji Computers'],
  ['Kandji Application to Software Install', 'Kandji Software'],
]

function rename(text: string, scopeId: string): string {
  let out = text.replaceAll(scopeId, VENDOR_STORE_APP_ID)
  for (const [from, to] of RENAMES) out = out.replaceAll(from, to)
  return out
}

function renameRecord(record: AppRecord, scopeId: string): AppRecord {
  const map = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, rename(v, scopeId)]))
  return {
    ...record,
    table: rename(record.table, scopeId),
    sysId: record.sysId === scopeId ? VENDOR_STORE_APP_ID : record.sysId,
    fields: map(record.fields),
    displayValues: map(record.displayValues),
    children: record.children.map((c) => renameRecord(c, scopeId)),
    path: rename(record.path, scopeId),
    xml: rename(record.xml, scopeId),
  }
}

/** The vendor's app derived from this project's built package (see the file comment). */
export function vendorStoreAppPackage(ours: AppPackage, version = VENDOR_STORE_APP_VERSION): AppPackage {
  const records = ours.records.filter((r) => !NOT_IN_VENDOR_APP.has(r.table)).map((r) => renameRecord(r, ours.scopeId))
  return {
    ...ours,
    scopeId: VENDOR_STORE_APP_ID,
    version,
    records,
    tables: ours.tables.map((t) => ({ ...t, name: rename(t.name, ours.scopeId) })),
    files: records.map((r) => r.path).sort(),
  }
}
