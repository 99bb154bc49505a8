import type { AppRecord } from './types.ts'
import { parseXmlDocument, type XmlElement } from './parse-xml.ts'

export type ParsedRecordFile = { record: AppRecord } | { problem: string }

/**
 * Reads one `<record_update table="…">` file. The element named like the table (or, when the `table`
 * attribute is missing as on the SDK's bom.json sys_module, the first element) is the record; every other
 * element in the file is a row embedded with it (fluent-sdk-findings §g: ATF steps carry `sys_variable_value`).
 */
export function parseRecordFile(path: string, xml: string): ParsedRecordFile {
  const parsed = parseXmlDocument(xml)
  if ('problem' in parsed) return parsed
  const { root } = parsed
  if (root.tag !== 'record_update') {
    return { problem: `the root element is <${root.tag}>, not <record_update>: this is not a ServiceNow record file` }
  }
  if (root.elements.length === 0) return { problem: '<record_update> holds no record' }
  const table = root.attributes['table']
  const primaryIndex = table === undefined ? 0 : root.elements.findIndex((e) => e.tag === table)
  if (primaryIndex < 0) {
    return { problem: `<record_update table="${table}"> holds no <${table}> element` }
  }
  const primary = toRecord(root.elements[primaryIndex]!, path, xml)
  primary.children = root.elements.filter((_, i) => i !== primaryIndex).map((e) => toRecord(e, path, ''))
  return { record: primary }
}

function toRecord(element: XmlElement, path: string, xml: string): AppRecord {
  const fields: Record<string, string> = {}
  const displayValues: Record<string, string> = {}
  for (const field of element.elements) {
    fields[field.tag] = field.text
    const display = field.attributes['display_value'] ?? field.attributes['name']
    if (display !== undefined) displayValues[field.tag] = display
  }
  const action = element.attributes['action'] ?? ''
  // `<sys_variable_value action="delete_multiple" query="document_key=…"/>` has no fields, only its query
  const query = element.attributes['query']
  if (query !== undefined && fields['query'] === undefined) fields['query'] = query
  return { table: element.tag, sysId: fields['sys_id'] ?? '', action, fields, displayValues, children: [], path, xml }
}
