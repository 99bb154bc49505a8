// The probe's throw-away app x_kandj_probe, generated in code as the zip `now-sdk pack` writes: the same file
// layout (scope/, dictionary/, update/, package_inventory.csv; fluent-sdk-findings §3) and record format
// (<record_update table="…"><table action="INSERT_OR_UPDATE">…) as apps/servicenow-app/dist/app, read back by
// @kandji-sn/app-package. It is never built with now-sdk at run time.
import { createHash } from 'node:crypto'
import { strToU8, zipSync } from 'fflate'
import { escapeXml } from '@kandji-sn/app-package'
import { PROBE } from '@kandji-sn/contract/constants'
import { scopeProbeScript } from './scope-script.ts'

/** sys_ids are derived from a key, so every run (and a clean-up after an interrupted one) names the same records. */
export const probeId = (key: string): string => createHash('md5').update(`${PROBE.appScope}:${key}`).digest('hex')

export const PROBE_APP = {
  scope: PROBE.appScope,
  scopeId: probeId('sys_app'),
  name: 'Kandji probe (throw-away)',
  /** A table with a choice field and a mandatory field. */
  itemTable: `${PROBE.appScope}_item`,
  choiceField: 'status',
  mandatoryField: 'code',
  /** A staging table (extends sys_import_set_row) with ws_access false. */
  stagingTable: `${PROBE.appScope}_staging`,
  /** Shipped as "not-run"; the fix script sets it to "ran". */
  fixMarkerProperty: `${PROBE.appScope}.fix_marker`,
  /** Shipped as the version's value; the probe changes it between v1 and v2. */
  upgradeProperty: `${PROBE.appScope}.upgrade_marker`,
  fixScriptName: `${PROBE.namePrefix}fix_script`,
  /** The choice v1 ships (v2 ships it again), and the one only v2 ships, both under the field's choice-list update name. */
  choiceV1: `${PROBE.namePrefix}packaged_v1`,
  choiceV2: `${PROBE.namePrefix}packaged_v2`,
  /** The choice the probe adds with the Table API between v1 and v2, as a customer would. */
  customerChoice: `${PROBE.namePrefix}customer`,
  versions: { v1: '1.0.0', v2: '1.1.0' },
} as const

/**
 * The probe app's scripted REST API that reports what its own scope may do in global tables (scope-experiment.ts).
 * Only the admin may call it: its REST_Endpoint ACL names a role nobody holds and lets admin override.
 */
export const SCOPE_PROBE = {
  basePath: `/api/${PROBE.appScope}/scope_probe`,
  relativePath: '/run',
  role: `${PROBE.appScope}.prober`,
  /** The global table the script reads without a privilege: the caller's own sys_user row, which always exists. */
  readTable: 'sys_user',
  /** The global table the script creates a row in, with a shipped, allowed create privilege. */
  createTable: 'sys_choice',
  /** The choice it creates (on the item table's name field, apart from the choice list the loader experiment reads). */
  choiceElement: 'name',
  choiceValue: `${PROBE.namePrefix}scope_choice`,
} as const

/**
 * The insertMultiple experiment's tables (importFiles): a staging table web services may write, whose one column has
 * a label that differs from its name, and a transform map from it into a target table of the app.
 */
export const PROBE_IMPORT = {
  stagingTable: `${PROBE.appScope}_import`,
  keyColumn: 'u_probe_key',
  keyLabel: 'Probe key',
  targetTable: `${PROBE.appScope}_target`,
  targetField: 'name',
  mapName: `${PROBE.namePrefix}transform`,
} as const

export const FIX_MARKER = { shipped: 'not-run', ran: 'ran' } as const
export const upgradeMarkerShipped = (version: string): string => `shipped-${version}`

type Field = string | { value: string; displayValue: string }

function field(tag: string, value: Field): string {
  const [text, attrs] = typeof value === 'string' ? [value, ''] : [value.value, ` display_value="${escapeXml(value.displayValue, true)}"`]
  return text === '' ? `    <${tag}${attrs}/>` : `    <${tag}${attrs}>${escapeXml(text, false)}</${tag}>`
}

const scopeField = (): Field => ({ value: PROBE_APP.scopeId, displayValue: PROBE_APP.scope })

/** One record file: the sys_id, the scope and the update name first, as the SDK writes them. */
function recordFile(table: string, sysId: string, updateName: string, fields: Record<string, Field>, attributes = ''): string {
  const lines = [field('sys_id', sysId), field('sys_scope', scopeField()), field('sys_update_name', updateName)]
  for (const [tag, value] of Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))) lines.push(field(tag, value))
  return `<?xml version="1.0"?>\n<record_update table="${table}">\n  <${table} action="INSERT_OR_UPDATE"${attributes}>\n${lines.join('\n')}\n  </${table}>\n</record_update>`
}

interface Column {
  name: string
  label: string
  mandatory?: boolean
  /** 1 = a choice list with "-- None --" (sys_dictionary.choice). */
  choice?: boolean
}

interface Table {
  name: string
  label: string
  extends?: string
  wsAccess: boolean
  columns: Column[]
}

const TABLES: Table[] = [
  {
    name: PROBE_APP.itemTable,
    label: 'Kandji probe item',
    wsAccess: true,
    columns: [
      { name: 'name', label: 'Name' },
      { name: PROBE_APP.choiceField, label: 'Status', choice: true },
      { name: PROBE_APP.mandatoryField, label: 'Code', mandatory: true },
    ],
  },
  { name: PROBE_APP.stagingTable, label: 'Kandji probe staging', extends: 'sys_import_set_row', wsAccess: false, columns: [{ name: 'name', label: 'Name' }] },
]

/** sys_db_object of sys_import_set_row as the Kandji app's build names it; an instance resolves it by name too. */
const IMPORT_SET_ROW_OBJECT = 'ed242d3f16d94e99aa3927583082da35'

function bootstrap(t: Table): string {
  const attrs = (a: Record<string, string>) => Object.entries(a).map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`).join('')
  const columns = t.columns.map(
    (c) => `    <element${attrs({ name: c.name, type: 'string', active: 'true', label: c.label, max_length: '40', mandatory: String(c.mandatory ?? false), choice: c.choice ? '1' : '0', display: String(c.name === 'name') })}/>`,
  )
  const table = attrs({ name: t.name, type: 'collection', label: t.label, ...(t.extends ? { extends: t.extends } : {}), access: 'public', ws_access: String(t.wsAccess), read_access: 'true', create_access: 'false', update_access: 'false', delete_access: 'false' })
  return `<?xml version="1.0"?>\n<database>\n  <element${table}>\n${columns.join('\n')}\n  </element>\n</database>`
}

function tableFiles(t: Table): Array<[string, string]> {
  const objectId = probeId(`sys_db_object:${t.name}`)
  const files: Array<[string, string]> = [
    [`dictionary/${t.name}.xml`, bootstrap(t)],
    [
      `update/sys_db_object_${objectId}.xml`,
      recordFile('sys_db_object', objectId, `sys_db_object_${objectId}`, {
        name: t.name,
        label: t.label,
        access: 'public',
        ws_access: String(t.wsAccess),
        read_access: 'true',
        create_access: 'false',
        update_access: 'false',
        delete_access: 'false',
        is_extendable: 'false',
        super_class: t.extends ? { value: IMPORT_SET_ROW_OBJECT, displayValue: t.extends } : '',
      }),
    ],
  ]
  for (const c of t.columns) {
    const updateName = `sys_dictionary_${t.name}_${c.name}`
    files.push([
      `update/${updateName}.xml`,
      recordFile(
        'sys_dictionary',
        probeId(`sys_dictionary:${t.name}.${c.name}`),
        updateName,
        { name: t.name, element: c.name, column_label: c.label, internal_type: 'string', max_length: '40', mandatory: String(c.mandatory ?? false), choice: c.choice ? '1' : '', display: String(c.name === 'name'), active: 'true' },
        ` element="${c.name}" table="${t.name}"`,
      ),
    ])
  }
  return files
}

function choiceFile(value: string, sequence: number): [string, string] {
  const sysId = probeId(`sys_choice:${value}`)
  // Every packaged choice travels under its field's choice-list update name (sdk-build-plugins choice-set-utils.js
  // getChoiceUpdateName): the name choiceListLoader is about.
  const updateName = `sys_choice_${PROBE_APP.itemTable}_${PROBE_APP.choiceField}`
  return [
    `update/sys_choice_${sysId}.xml`,
    recordFile('sys_choice', sysId, updateName, { name: PROBE_APP.itemTable, element: PROBE_APP.choiceField, value, label: value, sequence: String(sequence), inactive: 'false', language: 'en' }),
  ]
}

function propertyFile(name: string, value: string, description: string): [string, string] {
  const sysId = probeId(`sys_properties:${name}`)
  return [
    `update/sys_properties_${sysId}.xml`,
    recordFile('sys_properties', sysId, `sys_properties_${sysId}`, { name, value, description, type: 'string', suffix: name.slice(PROBE.appScope.length + 1), is_private: 'false', ignore_cache: 'false' }),
  ]
}

function fixScriptFile(): [string, string] {
  const sysId = probeId('sys_script_fix')
  const script = `gs.setProperty('${PROBE_APP.fixMarkerProperty}', '${FIX_MARKER.ran}');\n`
  return [
    `update/sys_script_fix_${sysId}.xml`,
    recordFile('sys_script_fix', sysId, `sys_script_fix_${sysId}`, { name: PROBE_APP.fixScriptName, description: 'Written by deploy-integration probe: marks that fix scripts run on an upload install.', script, before: 'false', unloadable: 'false' }),
  ]
}

function appFile(version: string): [string, string] {
  return [
    `scope/sys_app_${PROBE_APP.scopeId}.xml`,
    recordFile('sys_app', PROBE_APP.scopeId, `sys_app_${PROBE_APP.scopeId}`, {
      name: PROBE_APP.name,
      scope: PROBE_APP.scope,
      source: PROBE_APP.scope,
      version,
      active: 'true',
      short_description: 'Throw-away app of deploy-integration probe; the probe uninstalls it. Safe to uninstall.',
      licensable: 'false',
      private: 'false',
      runtime_access_tracking: 'permissive',
      scoped_administration: 'false',
      trackable: 'true',
      uninstall_blocked: 'false',
      js_level: 'es_latest',
    }),
  ]
}

/** The scripted REST API of the cross-scope experiment, its admin-only ACL and the one privilege it ships. */
function scopeProbeFiles(): Array<[string, string]> {
  const roleId = probeId('sys_user_role:prober')
  const aclId = probeId('sys_security_acl:scope_probe')
  const definitionId = probeId('sys_ws_definition:scope_probe')
  const operationId = probeId('sys_ws_operation:scope_probe.run')
  const privilegeId = probeId(`sys_scope_privilege:${SCOPE_PROBE.createTable}.create`)
  const linkId = probeId('sys_security_acl_role:scope_probe')
  const file = (table: string, sysId: string, fields: Record<string, Field>): [string, string] => [`update/${table}_${sysId}.xml`, recordFile(table, sysId, `${table}_${sysId}`, fields)]
  return [
    file('sys_user_role', roleId, { name: SCOPE_PROBE.role, suffix: 'prober', description: 'Held by nobody: only admin may call the probe app API.', elevated_privilege: 'false', grantable: 'false', can_delegate: 'false', scoped_admin: 'false' }),
    file('sys_security_acl', aclId, {
      name: `${PROBE.appScope}.scope_probe.run`,
      type: 'REST_Endpoint',
      operation: { value: 'execute', displayValue: 'execute' },
      decision_type: 'allow',
      admin_overrides: 'true',
      advanced: 'false',
      active: 'true',
      local_or_existing: 'Local',
      description: 'Only admin may run the cross-scope experiment of deploy-integration probe',
    }),
    file('sys_security_acl_role', linkId, { sys_security_acl: aclId, sys_user_role: { value: roleId, displayValue: SCOPE_PROBE.role } }),
    file('sys_ws_definition', definitionId, {
      name: 'Kandji probe scope',
      service_id: 'scope_probe',
      namespace: PROBE.appScope,
      base_uri: SCOPE_PROBE.basePath,
      active: 'true',
      is_versioned: 'false',
      consumes: 'application/json',
      produces: 'application/json',
      enforce_acl: aclId,
    }),
    file('sys_ws_operation', operationId, {
      name: 'run',
      web_service_definition: definitionId,
      http_method: 'POST',
      relative_path: SCOPE_PROBE.relativePath,
      operation_uri: `${SCOPE_PROBE.basePath}${SCOPE_PROBE.relativePath}`,
      operation_script: scopeProbeScript({ readTable: SCOPE_PROBE.readTable, choice: { table: SCOPE_PROBE.createTable, name: PROBE_APP.itemTable, element: SCOPE_PROBE.choiceElement, value: SCOPE_PROBE.choiceValue } }),
      active: 'true',
      requires_authentication: 'true',
      requires_acl_authorization: 'true',
      requires_snc_internal_role: 'true',
      enforce_acl: aclId,
      consumes: 'application/json',
      produces: 'application/json',
    }),
    file('sys_scope_privilege', privilegeId, { source_scope: PROBE_APP.scopeId, target_scope: 'global', target_name: SCOPE_PROBE.createTable, target_type: 'sys_db_object', operation: 'create', status: 'allowed' }),
  ]
}

const IMPORT_TABLES: Table[] = [
  { name: PROBE_IMPORT.stagingTable, label: 'Kandji probe import', extends: 'sys_import_set_row', wsAccess: true, columns: [{ name: PROBE_IMPORT.keyColumn, label: PROBE_IMPORT.keyLabel }] },
  { name: PROBE_IMPORT.targetTable, label: 'Kandji probe target', wsAccess: true, columns: [{ name: PROBE_IMPORT.targetField, label: 'Name' }] },
]

/** The insertMultiple experiment's tables, and a transform map (with one field map) from the staging table to the target. */
function importFiles(): Array<[string, string]> {
  const mapId = probeId('sys_transform_map')
  const entryId = probeId('sys_transform_entry')
  const common = { source_table: PROBE_IMPORT.stagingTable, target_table: PROBE_IMPORT.targetTable }
  return [
    ...IMPORT_TABLES.flatMap(tableFiles),
    [
      `update/sys_transform_map_${mapId}.xml`,
      recordFile('sys_transform_map', mapId, `sys_transform_map_${mapId}`, { ...common, name: PROBE_IMPORT.mapName, active: 'true', order: '100', coalesce: 'false', copy_empty_fields: 'false', create_new_record_on_empty_coalesce_fields: 'false', enforce_mandatory_fields: 'No', run_business_rules: 'true', run_script: 'false', script: '' }),
    ],
    [
      `update/sys_transform_entry_${entryId}.xml`,
      recordFile('sys_transform_entry', entryId, `sys_transform_entry_${entryId}`, { ...common, map: mapId, source_field: PROBE_IMPORT.keyColumn, target_field: PROBE_IMPORT.targetField, coalesce: 'false', coalesce_case_sensitive: 'false', coalesce_empty_fields: 'false', choice_action: '', date_format: '', reference_value_field: '', source_script: '', use_source_script: 'false' }),
    ],
  ]
}

/** The files of the probe app at one of its two versions (path -> text). v2 adds a packaged choice. */
export function probeAppFiles(version: keyof typeof PROBE_APP.versions): Map<string, string> {
  if (!Object.hasOwn(PROBE_APP.versions, version)) throw new TypeError(`the probe app has versions ${Object.keys(PROBE_APP.versions).join(', ')}; got ${JSON.stringify(version)}`)
  const number = PROBE_APP.versions[version]
  const entries: Array<[string, string]> = [
    appFile(number),
    ...TABLES.flatMap(tableFiles),
    ...importFiles(),
    choiceFile(PROBE_APP.choiceV1, 10),
    ...(version === 'v2' ? [choiceFile(PROBE_APP.choiceV2, 20)] : []),
    propertyFile(PROBE_APP.fixMarkerProperty, FIX_MARKER.shipped, 'Set by the probe app fix script when it runs.'),
    propertyFile(PROBE_APP.upgradeProperty, upgradeMarkerShipped(number), 'Changed by the probe between two versions, to see whether an upgrade keeps the change.'),
    fixScriptFile(),
    ...scopeProbeFiles(),
  ]
  const files = new Map(entries.sort(([a], [b]) => a.localeCompare(b)))
  const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
  const inventory = [`#build=${PROBE_APP.scope}`, `#appVersion=${number}`, '#type=scoped', '#version=1.0.0', ...[...files].map(([path, text]) => `${path};${sha(text)}`)]
  files.set('package_inventory.csv', `${inventory.join('\n')}\n`)
  return files
}

/** The zip of the probe app; entries carry a leading slash, as `now-sdk pack` writes them (fluent-sdk-findings §3). */
export function probeAppZip(version: keyof typeof PROBE_APP.versions): Uint8Array {
  const entries: Record<string, Uint8Array> = {}
  for (const [path, text] of probeAppFiles(version)) entries[`/${path}`] = strToU8(text)
  return zipSync(entries, { mtime: new Date('2026-01-01T00:00:00Z') })
}
