import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { strToU8, zipSync } from 'fflate'

/** Real `now-sdk build` output (4.9.0) of the sample app in fixtures/sample-app.now.ts.txt; see fixtures/README.md. */
export const FIXTURE_DIR = join(import.meta.dirname, 'fixtures', 'dist-app')

export function fixtureFiles(): Map<string, string> {
  const files = new Map<string, string>()
  for (const entry of readdirSync(FIXTURE_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = join(entry.parentPath, entry.name)
    files.set(relative(FIXTURE_DIR, full).split(sep).join('/'), readFileSync(full, 'utf8'))
  }
  return files
}

/** The fixture files with `edit` applied; the inventory is dropped unless kept (edits would break its hashes). */
export function editedFiles(edit: (files: Map<string, string>) => void, keepInventory = false): Map<string, string> {
  const files = fixtureFiles()
  if (!keepInventory) files.delete('package_inventory.csv')
  edit(files)
  return files
}

export function replaceIn(files: Map<string, string>, path: string, from: string | RegExp, to: string): void {
  const text = files.get(path)
  if (text === undefined) throw new Error(`fixture has no ${path}`)
  const next = text.replace(from, to)
  if (next === text) throw new Error(`fixture ${path} does not contain ${String(from)}`)
  files.set(path, next)
}

/** A zip laid out like `now-sdk pack` writes it: every entry name with a leading slash. */
export function zipOf(files: Map<string, string>): Uint8Array {
  const entries: Record<string, Uint8Array> = {}
  for (const [path, text] of files) entries[`/${path}`] = strToU8(text)
  return zipSync(entries)
}

export const APP_FILE = 'scope/sys_app_6b0f1ad4c3f24e9a8a1d2f3b4c5d6e7f.xml'
export const VIEWER_ROLE_FILE = 'update/sys_user_role_0e2b90af56ae419a858e407ef47ec332.xml'
export const ADMIN_ROLE_FILE = 'update/sys_user_role_5447e11d1daa4e86bd7568628f715a9f.xml'
/** A real built sys_choice on cmdb_ci.discovery_source (the app's 1.0.0 shipped one), kept outside dist-app. */
export const CHOICE_FILE = 'update/sys_choice_cmdb_ci_discovery_source.xml'
export const CHOICE_XML = readFileSync(join(import.meta.dirname, 'fixtures', 'foreign-choice', 'sys_choice_cmdb_ci_discovery_source.xml'), 'utf8')
/** The shipped privilege for create on sys_choice. */
export const CHOICE_CREATE_PRIVILEGE_FILE = 'update/sys_scope_privilege_d63a91b9907740c7b54837174a6fadb2.xml'
export const FIX_SCRIPT_FILE = 'update/sys_script_fix_e06e526a8bf3423bb079100f2a068b01.xml'
export const ATF_STEP_FILE = 'update/sys_atf_step_bd94be0a8abe4b269d411bdfc313075b.xml'
export const TOMBSTONE_FILE = 'author_elective_update/sys_atf_step_6e8015b76ee04c629bb5939f902e932e.xml'
export const DEVICE_IMPORT_BOOTSTRAP = 'dictionary/x_kandj_kandji_device_import.xml'
export const DEVICE_IMPORT_TABLE_FILE = 'update/sys_db_object_87edb65b67bf486f92d39f26490179f4.xml'

export const SCRIPT_INCLUDE_FILE = 'update/sys_script_include_7adc4712f74742859ca890228b803a3d.xml'
export const WS_OPERATION_FILE = 'update/sys_ws_operation_dd211b15e33849158ca8e53635e61d4e.xml'
export const VERIFY_ACL_FILE = 'update/sys_security_acl_ce4a47c20d394537afc07b2a5c47b139.xml'
export const MODULE_FILE = 'update/sys_module_938593fe2a25413fa986243cf83b3ed1.xml'
export const SCOPE_ID = '6b0f1ad4c3f24e9a8a1d2f3b4c5d6e7f'

/**
 * A hand-written record file in the layout `now-sdk build` writes (one `<record_update>`, sys_scope with its
 * display value), for records the sample build does not have. Field values are escaped; `raw` ones are CDATA.
 */
export function recordFile(table: string, sysId: string, fields: Record<string, string>, display: Record<string, string> = {}): [string, string] {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const lines = Object.entries(fields).map(([k, v]) =>
    display[k] !== undefined ? `    <${k} display_value="${esc(display[k])}">${esc(v)}</${k}>` : `    <${k}>${esc(v)}</${k}>`,
  )
  const xml = `<?xml version="1.0"?>
<record_update table="${table}">
  <${table} action="INSERT_OR_UPDATE">
    <sys_id>${sysId}</sys_id>
    <sys_scope display_value="x_kandj_kandji">${SCOPE_ID}</sys_scope>
    <sys_update_name>${table}_${sysId}</sys_update_name>
${lines.join('\n')}
  </${table}>
</record_update>`
  return [`update/${table}_${sysId}.xml`, xml]
}

/**
 * The sample build made scan-clean with hand-written records (recordFile) for what the subset lacks: a role on
 * the verify ACL and a read ACL for each of its two tables. No inventory (the added files are not in it).
 */
export function scanCleanFiles(): Map<string, string> {
  const files = editedFiles(() => {})
  const add = ([path, xml]: [string, string]) => files.set(path, xml)
  const ADMIN = '5447e11d1daa4e86bd7568628f715a9f'
  add(recordFile('sys_security_acl_role', 'c0000000000000000000000000000001', { sys_security_acl: 'ce4a47c20d394537afc07b2a5c47b139', sys_user_role: ADMIN }, { sys_user_role: 'x_kandj_kandji.admin' }))
  ;['x_kandj_kandji_mdm', 'x_kandj_kandji_device_import'].forEach((table, i) => {
    const acl = `c000000000000000000000000000001${i}`
    add(recordFile('sys_security_acl', acl, { active: 'true', advanced: 'false', name: table, operation: 'read', type: 'record' }))
    add(recordFile('sys_security_acl_role', `c000000000000000000000000000002${i}`, { sys_security_acl: acl, sys_user_role: ADMIN }, { sys_user_role: 'x_kandj_kandji.admin' }))
  })
  return files
}
