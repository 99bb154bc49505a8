import type { AppRecord, ColumnDefinition, TableDefinition } from './types.ts'
import type { XmlElement } from './parse-xml.ts'

/**
 * Table definitions from the two places a build describes tables (fluent-sdk-findings §f): the
 * `dictionary/<table>.xml` bootstrap (`<database><element type="collection">…`) and the `sys_db_object` +
 * `sys_dictionary` records. The bootstrap wins where both say something; records fill what it leaves out.
 */
export function buildTables(bootstraps: XmlElement[], records: AppRecord[]): TableDefinition[] {
  const tables = new Map<string, TableDefinition>()
  const table = (name: string): TableDefinition => {
    let t = tables.get(name)
    if (!t) tables.set(name, (t = { name, columns: [] }))
    return t
  }
  for (const database of bootstraps) {
    for (const collection of database.elements.filter((e) => e.attributes['type'] === 'collection')) {
      const name = collection.attributes['name']
      if (!name) continue
      const t = table(name)
      fill(t, { label: collection.attributes['label'], extends: collection.attributes['extends'] })
      for (const column of collection.elements) mergeColumn(t, columnFromBootstrap(column))
    }
  }
  for (const record of records) {
    if (record.action === 'DELETE') continue
    if (record.table === 'sys_db_object' && record.fields['name']) {
      fill(table(record.fields['name']), {
        label: record.fields['label'],
        extends: record.displayValues['super_class'],
      })
    }
    if (record.table === 'sys_dictionary' && record.fields['name']) {
      const t = table(record.fields['name'])
      const element = record.fields['element'] ?? ''
      // the `<table>_null` row (empty element, internal_type collection) describes the table itself
      if (element === '') continue
      mergeColumn(t, columnFromDictionary(element, record.fields))
    }
  }
  return [...tables.values()].sort((a, b) => a.name.localeCompare(b.name))
}

function columnFromBootstrap(e: XmlElement): ColumnDefinition {
  const a = e.attributes
  return compact({
    name: a['name'] ?? '',
    type: a['type'] ?? '',
    label: a['label'],
    maxLength: toNumber(a['max_length']),
    reference: a['reference'],
    mandatory: toBoolean(a['mandatory']),
    defaultValue: a['default_value'],
  })
}

function columnFromDictionary(element: string, f: Record<string, string>): ColumnDefinition {
  return compact({
    name: element,
    type: f['internal_type'] ?? '',
    label: f['column_label'],
    maxLength: toNumber(f['max_length']),
    reference: f['reference'],
    mandatory: toBoolean(f['mandatory']),
    defaultValue: f['default_value'],
  })
}

function mergeColumn(t: TableDefinition, column: ColumnDefinition): void {
  if (!column.name) return
  const existing = t.columns.find((c) => c.name === column.name)
  if (existing) fill(existing, column)
  else t.columns.push(column)
}

/** Sets each property of `target` that is still undefined or empty from `source`. */
function fill<T extends object>(target: T, source: Partial<Record<keyof T, unknown>>): void {
  for (const [key, value] of Object.entries(source)) {
    const current = (target as Record<string, unknown>)[key]
    if ((current === undefined || current === '') && value !== undefined && value !== '') {
      ;(target as Record<string, unknown>)[key] = value
    }
  }
}

/** Drops undefined and empty-string optional properties so definitions compare cleanly. */
function compact(c: ColumnDefinition): ColumnDefinition {
  const out: ColumnDefinition = { name: c.name, type: c.type }
  if (c.label) out.label = c.label
  if (c.maxLength !== undefined) out.maxLength = c.maxLength
  if (c.reference) out.reference = c.reference
  if (c.mandatory !== undefined) out.mandatory = c.mandatory
  if (c.defaultValue !== undefined && c.defaultValue !== '') out.defaultValue = c.defaultValue
  return out
}

function toNumber(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined
  const n = Number(s)
  return Number.isFinite(n) ? n : undefined
}

function toBoolean(s: string | undefined): boolean | undefined {
  if (s === 'true') return true
  if (s === 'false') return false
  return undefined
}
