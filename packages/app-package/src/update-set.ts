import { createHash } from 'node:crypto'
import { toGlideDateTime } from '@kandji-sn/contract/glide-date-time'
import { AppPackageError } from './errors.ts'
import type { AppPackage, AppRecord } from './types.ts'

export interface UpdateSetOptions {
  name?: string
  description?: string
  /** unload_date and sys_created_on/sys_updated_on; 'YYYY-MM-DD HH:mm:ss' (UTC) or an ISO date. Default: now. */
  date?: string
}

/**
 * The built app as an unloaded update set, the file "Retrieved Update Sets > Import Update Set from XML" loads.
 *
 * Shape followed: ServiceNow docs "Save an update set as a local XML file" (System Update Sets) and
 * "Customer Updates table" (sys_update_xml: name, type, target_name, payload, remote_update_set, update_set),
 * and exports of real instances: `<unload unload_date="YYYY-MM-DD HH:mm:ss">`, one
 * `<sys_remote_update_set action="INSERT_OR_UPDATE">` (state `loaded`, application = the scope's sys_id), then
 * one `<sys_update_xml action="INSERT_OR_UPDATE">` per record whose `<action>` says INSERT_OR_UPDATE or DELETE
 * and whose `<payload>` is the record's `<record_update>` XML, entity-escaped (not CDATA: payloads carry their
 * own CDATA sections, e.g. scripts, which cannot nest), fields in alphabetical order, `update_set` left empty
 * because it names a local update set on the exporting instance.
 *
 * The dictionary/*.xml bootstrap files are not records and are not exported: the sys_db_object and
 * sys_dictionary records carry the same tables. sys_ids are derived from the content (md5, 32 hex like a
 * sys_id), so the same build exported twice yields the same file and re-importing it updates, not duplicates.
 */
export function toUpdateSetXml(pkg: AppPackage, options: UpdateSetOptions = {}): string {
  const date = formatDate(options.date)
  const name = options.name ?? `${pkg.name} ${pkg.version}`
  const description = options.description ?? `${pkg.scope} ${pkg.version}, exported from the built app`
  const records = orderForUpdateSet(pkg.records)
  const contentHash = md5(records.map((r) => `${r.path}\n${r.xml}`).join('\n'))
  const remoteId = md5(`sys_remote_update_set|${pkg.scopeId}|${pkg.version}|${name}|${contentHash}`)
  const localId = md5(`sys_update_set|${pkg.scopeId}|${pkg.version}|${name}|${contentHash}`)
  const application = el('application', pkg.scopeId, { display_value: pkg.name })

  const out: string[] = []
  out.push('<?xml version="1.0" encoding="UTF-8"?>')
  out.push(`<unload unload_date="${date}">`)
  out.push(row('sys_remote_update_set', [
    application,
    el('application_name', pkg.name),
    el('application_scope', pkg.scope),
    el('application_version', pkg.version),
    el('collisions', ''),
    el('commit_date', ''),
    el('deleted', ''),
    el('description', description),
    el('inserted', ''),
    el('name', name),
    el('origin_sys_id', ''),
    el('parent', '', { display_value: '' }),
    el('release_date', ''),
    el('remote_base_update_set', '', { display_value: '' }),
    el('remote_parent_id', ''),
    el('remote_sys_id', localId),
    el('state', 'loaded'),
    el('summary', ''),
    el('sys_class_name', 'sys_remote_update_set'),
    el('sys_created_by', 'admin'),
    el('sys_created_on', date),
    el('sys_id', remoteId),
    el('sys_mod_count', '0'),
    el('sys_updated_by', 'admin'),
    el('sys_updated_on', date),
    el('update_set', '', { display_value: '' }),
    el('update_source', '', { display_value: '' }),
    el('updated', ''),
  ]))
  for (const record of records) {
    const updateName = record.fields['sys_update_name'] || `${record.table}_${record.sysId}`
    const guid = md5(`sys_update_xml|${remoteId}|${updateName}`)
    out.push(row('sys_update_xml', [
      el('action', record.action === 'DELETE' ? 'DELETE' : 'INSERT_OR_UPDATE'),
      application,
      el('category', 'customer'),
      el('comments', ''),
      el('name', updateName),
      el('payload', record.xml.trim()),
      el('payload_hash', ''),
      el('remote_update_set', remoteId, { display_value: name }),
      el('replace_on_upgrade', 'false'),
      el('sys_created_by', 'admin'),
      el('sys_created_on', date),
      el('sys_id', guid),
      el('sys_mod_count', '0'),
      el('sys_updated_by', 'admin'),
      el('sys_updated_on', date),
      el('table', TABLE_SCOPED_UPDATES.has(record.table) ? (record.fields['name'] ?? '') : ''),
      el('target_name', targetName(record)),
      el('type', UPDATE_TYPES[record.table] ?? record.table),
      el('update_domain', 'global'),
      el('update_guid', guid),
      el('update_guid_history', ''),
      el('update_set', '', { display_value: '' }),
      el('view', ''),
    ]))
  }
  out.push('</unload>')
  return `${out.join('\n')}\n`
}

/** The app record first (the instance needs the application before its records), then by path. */
function orderForUpdateSet(records: AppRecord[]): AppRecord[] {
  const rank = (r: AppRecord) => (r.table === 'sys_app' ? 0 : 1)
  return [...records].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path))
}

/** Updates the platform files under a table's name (`<table>` is set on them in instance exports). */
const TABLE_SCOPED_UPDATES = new Set(['sys_dictionary', 'sys_choice', 'sys_documentation'])

/** sys_update_xml.type is the label of the record's table; shown in lists only. Unknown tables use their name. */
const UPDATE_TYPES: Record<string, string> = {
  sys_app: 'Custom Application',
  sys_user_role: 'Role',
  sys_user_role_contains: 'Contained Role',
  sys_security_acl: 'Access Control',
  sys_security_acl_role: 'Access Roles',
  sys_choice: 'Choice list',
  sys_script_fix: 'Fix Script',
  sys_script_include: 'Script Include',
  sys_db_object: 'Table',
  sys_dictionary: 'Dictionary',
  sys_transform_map: 'Table Transform Map',
  sys_transform_entry: 'Field Map',
  sys_transform_script: 'Transform Script',
  sys_ws_definition: 'Scripted REST Service',
  sys_ws_operation: 'Scripted REST Resource',
  sys_atf_test: 'Test',
  sys_atf_step: 'Test Step',
  sys_module: 'Module',
  sys_properties: 'System Property',
  sys_app_module: 'Module',
  sys_app_application: 'Application Menu',
}

function targetName(record: AppRecord): string {
  const f = record.fields
  if (record.table === 'sys_dictionary' && f['name']) return f['element'] ? `${f['name']}.${f['element']}` : f['name']
  if (record.table === 'sys_choice' && f['name'] && f['element']) return `${f['name']}.${f['element']}`
  return f['sys_name'] || f['name'] || f['display_name'] || f['label'] || record.sysId
}

function row(table: string, fields: string[]): string {
  return `<${table} action="INSERT_OR_UPDATE">${fields.join('')}</${table}>`
}

function el(tag: string, value: string, attributes: Record<string, string> = {}): string {
  const attrs = Object.entries(attributes).map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`).join('')
  return value === '' ? `<${tag}${attrs}/>` : `<${tag}${attrs}>${escapeXml(value, false)}</${tag}>`
}

/** Escaping `>` as well keeps a payload's own `]]>` from ever reading as markup. */
export function escapeXml(value: string, attribute: boolean): string {
  const text = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return attribute ? text.replace(/"/g, '&quot;') : text
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex')
}

function formatDate(input: string | undefined): string {
  if (input === undefined) return toGlideDateTime(new Date())
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(input) && !Number.isNaN(Date.parse(`${input.replace(' ', 'T')}Z`))) {
    return input
  }
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(input) ? new Date(input) : new Date(Number.NaN)
  if (Number.isNaN(parsed.getTime())) {
    throw new AppPackageError(
      '',
      `the update set date "${input}" is not a date`,
      'unload_date must be a UTC date and time',
      'pass "YYYY-MM-DD HH:mm:ss" or an ISO 8601 date such as 2025-01-31T12:00:00Z, or leave it out for now',
    )
  }
  return toGlideDateTime(parsed)
}
