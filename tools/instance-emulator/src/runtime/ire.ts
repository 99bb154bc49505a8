// sn_cmdb.IdentificationEngine.createOrUpdateCI for hardware classes: the base system's "Hardware Rule"
// identifies a cmdb_ci_hardware (or descendant) by serial_number, then by name; a match is updated, no match is
// inserted, several matches are refused. The data source must be an active choice of cmdb_ci.discovery_source.
//
// Error wording: ServiceNow docs "IRE error messages" (ServiceNow/ServiceNowDocs,
// markdown/servicenow-platform/configuration-management-database-cmdb/id-engine-error-messages.md), error
// INVALID_INPUT_DATA: "In payload invalid data source [xyz] exist. You need to provide a valid choice value from
// field [discovery_source] in table [cmdb_ci]". Output shape: "IdentificationEngine - Scoped",
// createOrUpdateCI return value (items[].className/operation/sysId/identifierEntrySysId/errors, relations).
// ASSUMPTION: the refusal comes back in the output JSON (items[].errors) rather than as a thrown exception; the
// docs list the message but not how the scoped API surfaces it.
import { DISCOVERY_SOURCE, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { escapeQueryValue } from '../db/query.ts'
import { glideDateTime } from '../db/database.ts'
import type { TableRecordRow } from '../types.ts'
import type { ExecutionContext } from './context.ts'
import { strictApi } from './errors.ts'

/** sys_id of the base system's Hardware Rule identifier entry, as in the docs' sample output. */
export const HARDWARE_RULE_ENTRY = '556eb250c3400200d8d4bea192d3ae92'
const HARDWARE_BASE = PLATFORM_TABLES.hardware
const IDENTIFIER_FIELDS = ['serial_number', 'name'] as const

export interface IreError {
  error: string
  message: string
}

export interface IreItemResult {
  className: string
  operation: 'INSERT' | 'UPDATE' | 'NO_CHANGE'
  sysId: string
  identifierEntrySysId: string
  identificationAttempts: Array<{ attributes: string[]; identifierName: string; attemptResult: string; searchOnTable: string }>
  inputIndices: number[]
  errorCount: number
  errors: IreError[]
  info: unknown[]
  warningCount: number
  markers: unknown[]
  duplicateIndices: number[]
  relatedItems: unknown[]
  maskedAttributes: string[]
}

export interface IreOutput {
  items: IreItemResult[]
  relations: unknown[]
  additionalCommittedItems: unknown[]
  additionalCommittedRelations: unknown[]
}

/** One output item; errorCount follows errors, and the lists the emulator never fills stay empty. */
function itemResult(
  index: number,
  item: Pick<IreItemResult, 'className' | 'operation' | 'sysId' | 'identifierEntrySysId' | 'identificationAttempts'>,
  errors: IreError[] = [],
): IreItemResult {
  return {
    ...item,
    inputIndices: [index],
    errorCount: errors.length,
    errors,
    info: [],
    warningCount: 0,
    markers: [],
    duplicateIndices: [],
    relatedItems: [],
    maskedAttributes: [],
  }
}

function failedItem(className: string, index: number, errors: IreError[], attempts: IreItemResult['identificationAttempts'] = []): IreItemResult {
  return itemResult(index, { className, operation: 'NO_CHANGE', sysId: 'Unknown', identifierEntrySysId: 'Unknown', identificationAttempts: attempts }, errors)
}

/** Whether the source is an active choice of cmdb_ci.discovery_source (one counted read). */
export function isValidDataSource(ctx: ExecutionContext, source: string): boolean {
  if (source === '') return false
  const q = `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${escapeQueryValue(source)}^inactive!=true`
  return ctx.db.query('sys_choice', q, { limit: 1 }).length > 0
}

function stringValues(values: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!values || typeof values !== 'object') return out
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    if (v === null || v === undefined) out[k] = ''
    else if (typeof v === 'object') out[k] = JSON.stringify(v)
    else out[k] = String(v)
  }
  return out
}

export function createOrUpdateCI(ctx: ExecutionContext, sourceArg: unknown, inputArg: unknown): string {
  const source = sourceArg === null || sourceArg === undefined ? '' : String(sourceArg)
  let input: { items?: unknown; relations?: unknown }
  try {
    input = JSON.parse(String(inputArg)) as typeof input
  } catch (err) {
    // "ABANDONED" in the IRE error messages doc.
    throw new Error(`Error occurred during parsing input json payload: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!input || typeof input !== 'object' || !Array.isArray(input.items)) {
    throw new Error('Error occurred during parsing input json payload: "items" must be an array')
  }
  if (Array.isArray(input.relations) && input.relations.length > 0) {
    throw new Error('sn_cmdb.IdentificationEngine.createOrUpdateCI with relations is not emulated by the instance emulator')
  }
  const items = input.items as Array<{ className?: unknown; values?: unknown; lookup?: unknown; related?: unknown }>
  const output: IreOutput = { items: [], relations: [], additionalCommittedItems: [], additionalCommittedRelations: [] }

  const sourceError: IreError | undefined =
    source === ''
      ? { error: 'INVALID_INPUT_DATA', message: 'In payload no data source exist. You need to provide choice value from choice field [discovery_source] in table [cmdb_ci]' }
      : !isValidDataSource(ctx, source)
        ? { error: 'INVALID_INPUT_DATA', message: `In payload invalid data source [${source}] exist. You need to provide a valid choice value from field [discovery_source] in table [cmdb_ci]` }
        : undefined

  items.forEach((item, index) => {
    const className = typeof item?.className === 'string' ? item.className : ''
    if (sourceError) {
      output.items.push(failedItem(className, index, [sourceError]))
      return
    }
    output.items.push(processItem(ctx, source, className, item, index))
  })
  return JSON.stringify(output)
}

function processItem(ctx: ExecutionContext, source: string, className: string, item: { values?: unknown; lookup?: unknown; related?: unknown }, index: number): IreItemResult {
  const { db } = ctx
  if (!className || !db.tableExists(className)) {
    return failedItem(className, index, [{ error: 'INVALID_INPUT_DATA', message: `Invalid className [${className}] in payload item '${index}'` }])
  }
  if (!db.dictionary.isInstanceOf(className, HARDWARE_BASE)) {
    // The emulator carries only the Hardware Rule; other classes' rules are not emulated.
    return failedItem(className, index, [{ error: 'IDENTIFICATION_RULE_MISSING', message: `Identity Rule Missing for table [${className}] (the instance emulator emulates only the Hardware Rule)` }])
  }
  if ((Array.isArray(item.lookup) && item.lookup.length > 0) || (Array.isArray(item.related) && item.related.length > 0)) {
    return failedItem(className, index, [{ error: 'ABANDONED', message: 'lookup and related items are not emulated by the instance emulator' }])
  }
  const values = stringValues(item.values)
  const attempts: IreItemResult['identificationAttempts'] = []
  if (IDENTIFIER_FIELDS.every((f) => (values[f] ?? '') === '')) {
    return failedItem(className, index, [
      {
        error: 'MISSING_MATCHING_ATTRIBUTES',
        message: `In payload missing minimum set of input values for criterion (matching) attributes from identify rule for table [${className}]. Add these input values in payload item '${index}'`,
      },
    ])
  }
  let match: TableRecordRow | undefined
  for (const field of IDENTIFIER_FIELDS) {
    const value = values[field] ?? ''
    if (value === '') {
      attempts.push({ attributes: [field], identifierName: 'Hardware Rule', attemptResult: 'SKIPPED', searchOnTable: HARDWARE_BASE })
      continue
    }
    const rows = db.query(HARDWARE_BASE, `${field}=${escapeQueryValue(value)}`, { limit: 2 })
    if (rows.length > 1) {
      attempts.push({ attributes: [field], identifierName: 'Hardware Rule', attemptResult: 'MULTI_MATCH', searchOnTable: HARDWARE_BASE })
      return failedItem(className, index, [{ error: 'MULTIPLE_DUPLICATE_RECORDS', message: `Found duplicate records in table [${HARDWARE_BASE}] using fields [${field}]` }], attempts)
    }
    if (rows.length === 1) {
      attempts.push({ attributes: [field], identifierName: 'Hardware Rule', attemptResult: 'MATCHED', searchOnTable: HARDWARE_BASE })
      match = rows[0]
      break
    }
    attempts.push({ attributes: [field], identifierName: 'Hardware Rule', attemptResult: 'NO_MATCH', searchOnTable: HARDWARE_BASE })
  }
  const now = glideDateTime(db.now())
  const writable = Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'sys_id' && k !== 'sys_class_name' && db.dictionary.column(className, k)))
  const identified = (resultClass: string, operation: IreItemResult['operation'], sysId: string): IreItemResult =>
    itemResult(index, { className: resultClass, operation, sysId, identifierEntrySysId: HARDWARE_RULE_ENTRY, identificationAttempts: attempts })
  if (!match) {
    const row = db.insert(className, { ...writable, discovery_source: source, first_discovered: now, last_discovered: now }, { user: ctx.user.userName })
    return identified(className, 'INSERT', row.sys_id as string)
  }
  const sysId = match.sys_id as string
  const found = db.findStored(HARDWARE_BASE, sysId)
  const matchedClass = found?.table ?? className
  const full = found?.row ?? {}
  const changes: Record<string, string> = {}
  for (const [k, v] of Object.entries(writable)) if ((full[k] ?? '') !== v) changes[k] = v
  if (Object.keys(changes).length === 0) return identified(matchedClass, 'NO_CHANGE', sysId)
  db.update(matchedClass, sysId, { ...changes, last_discovered: now }, { user: ctx.user.userName })
  return identified(matchedClass, 'UPDATE', sysId)
}

export function createIdentificationEngine(ctx: ExecutionContext): object {
  return strictApi(
    {
      createOrUpdateCI: (source: unknown, input: unknown) => createOrUpdateCI(ctx, source, input),
    },
    'sn_cmdb.IdentificationEngine',
  )
}
