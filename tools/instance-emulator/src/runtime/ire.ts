// sn_cmdb.IdentificationEngine.createOrUpdateCI for hardware classes: the base system's "Hardware Rule"
// identifies a cmdb_ci_hardware (or descendant) by serial_number, then by name; a match is updated (in its own
// class, which may differ from the one sent), no match is inserted. Several matches: with skip_duplicates (switch
// ireSkipDuplicates, true by default) the oldest is updated and the others tagged duplicate_of, otherwise refused;
// a de-duplication task (reconcile_duplicate_task) is opened either way (id-detect-dup-ci.md). Related
// cmdb_sam_sw_install items of a computer are written with installed_on = the CI (payload-details.md). Values for
// columns the class lacks are dropped and noted in db.schemaMisses. The data source must be an active choice of
// cmdb_ci.discovery_source; it is written on insert, and on update only with switch ireDiscoverySource.
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
import type { ExecutionContext, IreSettings } from './context.ts'
import type { Database } from '../db/database.ts'
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
  relatedItems: RelatedResult[]
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
  const items = input.items as Array<{ className?: unknown; values?: unknown; lookup?: unknown; related?: unknown; [flag: string]: unknown }>
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

/** glide.identification_engine.skip_duplicates.threshold: its default (id-detect-dup-ci.md). */
export const DUPLICATE_THRESHOLD = 5
/** Software Installations are a related entry of Computers (sample-payload-byol.md, payload-details.md). */
export const SOFTWARE_INSTALL = PLATFORM_TABLES.softwareInstall
const DEFAULT_SETTINGS: IreSettings = { skipDuplicates: true, discoverySource: 'insert-only' }

type RelatedResult = { className: string; operation: IreItemResult['operation']; sysId: string; errors: IreError[]; errorCount: number; inputIndices: number[] }

/**
 * The values a class can take. A value for a column the class sent does not have is dropped, as IRE drops it, and
 * noted for the tests (the caller mapped a column that does not exist); one the class IRE found lacks is dropped
 * silently (the caller's mapping was right for the class it sent).
 */
function writableValues(db: Database, className: string, values: Record<string, string>, sentClass = className): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(values)) {
    if (k === 'sys_id' || k === 'sys_class_name') continue
    if (!db.dictionary.column(sentClass, k)) db.schemaMisses.push({ table: sentClass, column: k, by: 'IdentificationEngine.createOrUpdateCI' })
    else if (db.dictionary.column(className, k)) out[k] = v
  }
  return out
}

/** The values that differ from the stored row (an empty stored value reads as ''). */
function changedValues(stored: TableRecordRow, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => (stored[k] ?? '') !== v))
}

/**
 * The oldest of several CIs matching on one identifier field, when skip_duplicates lets IRE pick it: the others are
 * tagged duplicate_of, and a de-duplication task is opened either way (id-detect-dup-ci.md).
 */
function resolveDuplicates(ctx: ExecutionContext, rows: TableRecordRow[], field: string, value: string): TableRecordRow | undefined {
  const { db } = ctx
  const settings = ctx.ire ?? DEFAULT_SETTINGS
  const ids = rows.map((r) => r.sys_id as string)
  const listed = ids.join(',')
  if (db.query('reconcile_duplicate_task', `duplicate_cis=${escapeQueryValue(listed)}^state=open`, { limit: 1 }).length === 0) {
    db.insert('reconcile_duplicate_task', { short_description: `Duplicate CIs in ${HARDWARE_BASE} with ${field} ${value}`, duplicate_cis: listed, state: 'open' }, { user: ctx.user.userName })
  }
  if (!settings.skipDuplicates || rows.length > DUPLICATE_THRESHOLD) return undefined
  const [oldest, ...others] = rows
  for (const other of others) db.update(HARDWARE_BASE, other.sys_id as string, { duplicate_of: oldest?.sys_id as string }, { user: ctx.user.userName })
  return oldest
}

function processItem(ctx: ExecutionContext, source: string, className: string, item: { values?: unknown; lookup?: unknown; related?: unknown; [flag: string]: unknown }, index: number): IreItemResult {
  const { db } = ctx
  const settings = ctx.ire ?? DEFAULT_SETTINGS
  if (!className || !db.tableExists(className)) {
    return failedItem(className, index, [{ error: 'INVALID_INPUT_DATA', message: `Invalid className [${className}] in payload item '${index}'` }])
  }
  if (!db.dictionary.isInstanceOf(className, HARDWARE_BASE)) {
    // The emulator carries only the Hardware Rule; other classes' rules are not emulated.
    return failedItem(className, index, [{ error: 'IDENTIFICATION_RULE_MISSING', message: `Identity Rule Missing for table [${className}] (the instance emulator emulates only the Hardware Rule)` }])
  }
  if (Array.isArray(item.lookup) && item.lookup.length > 0) {
    return failedItem(className, index, [{ error: 'ABANDONED', message: 'lookup items are not emulated by the instance emulator' }])
  }
  const related = Array.isArray(item.related) ? (item.related as Array<{ className?: unknown; values?: unknown }>) : []
  for (const r of related) {
    const relatedClass = typeof r?.className === 'string' ? r.className : ''
    if (relatedClass !== SOFTWARE_INSTALL || !db.dictionary.isInstanceOf(className, PLATFORM_TABLES.computer)) {
      return failedItem(className, index, [{ error: 'ABANDONED', message: `related items of class [${relatedClass}] for [${className}] are not emulated (only ${SOFTWARE_INSTALL} of a computer)` }])
    }
    if (!db.tableExists(SOFTWARE_INSTALL)) {
      // [U] the wording: the class of a related entry that does not exist on the instance (SAM not active).
      return failedItem(className, index, [{ error: 'INVALID_INPUT_DATA', message: `Invalid className [${SOFTWARE_INSTALL}] in related items of payload item '${index}'` }])
    }
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
    // "During matching, IRE filters out any CI that is tagged as duplicate of any CI" (id-detect-dup-ci.md).
    const rows = db.query(HARDWARE_BASE, `${field}=${escapeQueryValue(value)}^duplicate_ofISEMPTY^ORDERBYsys_created_on`, { limit: DUPLICATE_THRESHOLD + 1 })
    if (rows.length > 1) {
      match = resolveDuplicates(ctx, rows, field, value)
      if (!match) {
        attempts.push({ attributes: [field], identifierName: 'Hardware Rule', attemptResult: 'MULTI_MATCH', searchOnTable: HARDWARE_BASE })
        return failedItem(className, index, [{ error: 'MULTIPLE_DUPLICATE_RECORDS', message: `Found duplicate records in table [${HARDWARE_BASE}] using fields [${field}]` }], attempts)
      }
      attempts.push({ attributes: [field], identifierName: 'Hardware Rule', attemptResult: 'MATCHED', searchOnTable: HARDWARE_BASE })
      break
    }
    if (rows.length === 1) {
      attempts.push({ attributes: [field], identifierName: 'Hardware Rule', attemptResult: 'MATCHED', searchOnTable: HARDWARE_BASE })
      match = rows[0]
      break
    }
    attempts.push({ attributes: [field], identifierName: 'Hardware Rule', attemptResult: 'NO_MATCH', searchOnTable: HARDWARE_BASE })
  }
  const now = glideDateTime(db.now())
  const by = { user: ctx.user.userName }
  const identified = (resultClass: string, operation: IreItemResult['operation'], sysId: string): IreItemResult => {
    const result = itemResult(index, { className: resultClass, operation, sysId, identifierEntrySysId: HARDWARE_RULE_ENTRY, identificationAttempts: attempts })
    result.relatedItems = related.map((r, j) => relatedItem(ctx, source, sysId, r.values, j))
    return result
  }
  if (!match) {
    const writable = writableValues(db, className, values)
    const row = db.insert(className, { first_discovered: now, last_discovered: now, ...writable, discovery_source: source }, by)
    return identified(className, 'INSERT', row.sys_id as string)
  }
  const sysId = match.sys_id as string
  const found = db.findStored(HARDWARE_BASE, sysId)
  const matchedClass = found?.table ?? className
  const full = found?.row ?? {}
  if (matchedClass !== className) {
    const change = reclassification(ctx, matchedClass, className, item)
    if (change === 'refused') {
      openReclassificationTask(ctx, sysId, matchedClass, className)
      return failedItem(className, index, [{ error: 'RECLASSIFICATION_NOT_ALLOWED', message: `CI Reclassification not allowed from class: [${matchedClass}] to [${className}].` }], attempts)
    }
    if (change === 'reclassify') {
      db.reclassify(sysId, matchedClass, className, { last_discovered: now, ...writableValues(db, className, values) }, by)
      return identified(className, 'UPDATE', sysId)
    }
    // 'keep': the CI keeps its class and IRE answers with the class it found (IdentificationEngineScopedAPI.md's
    // reclassification example answers another class than the one sent).
  }
  const writable = writableValues(db, matchedClass, values, className)
  if (settings.discoverySource === 'every-update') writable.discovery_source = source
  const changes = changedValues(full, writable)
  if (Object.keys(changes).length === 0) return identified(matchedClass, 'NO_CHANGE', sysId)
  db.update(matchedClass, sysId, { last_discovered: now, ...changes }, by)
  return identified(matchedClass, 'UPDATE', sysId)
}

type ReclassificationKind = 'upgrade' | 'downgrade' | 'switch'
const RECLASSIFICATION_FLAGS: Record<ReclassificationKind, string> = { upgrade: 'classUpgrade', downgrade: 'classDowngrade', switch: 'classSwitch' }

/** Upgrade: to a class that extends the CI's; downgrade: to one the CI's extends; switch: another branch (c_CIReclassification.md). */
function reclassificationKind(db: Database, from: string, to: string): ReclassificationKind {
  if (db.dictionary.isInstanceOf(to, from)) return 'upgrade'
  if (db.dictionary.isInstanceOf(from, to)) return 'downgrade'
  return 'switch'
}

/**
 * What IRE does with an identified CI of another class than the item's (c_CIReclassification.md): the item's
 * classUpgrade/classDowngrade/classSwitch flag takes precedence over glide.class.<kind>.enabled, and
 * glide.identification_engine.update_without_<kind>_enabled (true: update without the class change) over both.
 */
function reclassification(ctx: ExecutionContext, from: string, to: string, item: Record<string, unknown>): 'reclassify' | 'keep' | 'refused' {
  const mode = ctx.ire?.reclassification ?? 'refused-unless-flagged'
  if (mode === 'update-without') return 'keep'
  if (mode === 'automatic') return 'reclassify'
  const flag = item[RECLASSIFICATION_FLAGS[reclassificationKind(ctx.db, from, to)]]
  return flag === true || flag === 'true' ? 'reclassify' : 'refused'
}

/** "If automatic reclassification is disabled ... the system generates a reclassification task" (c_CIReclassification.md); one open task per CI and target. */
function openReclassificationTask(ctx: ExecutionContext, sysId: string, from: string, to: string): void {
  const q = `cmdb_ci=${sysId}^to_class=${escapeQueryValue(to)}^state=open`
  if (ctx.db.query('reclassification_task', q, { limit: 1 }).length > 0) return
  ctx.db.insert('reclassification_task', { short_description: `Reclassify CI from ${from} to ${to}`, cmdb_ci: sysId, from_class: from, to_class: to, state: 'open' }, { user: ctx.user.userName })
}

/**
 * A Software Installation related to the identified computer: found by installed_on, display_name and version
 * (third-party-discovery-sam.md: when "the display name and the version ... match, the Installation record is
 * overwritten"; the related entry's exact criterion is [U]), else inserted.
 */
function relatedItem(ctx: ExecutionContext, source: string, ciSysId: string, rawValues: unknown, index: number): RelatedResult {
  const { db } = ctx
  const values = writableValues(db, SOFTWARE_INSTALL, stringValues(rawValues))
  const base = { className: SOFTWARE_INSTALL, inputIndices: [index] }
  const name = values.display_name ?? ''
  if (name === '') {
    const errors = [{ error: 'MISSING_MATCHING_ATTRIBUTES', message: `In payload missing minimum set of input values for criterion (matching) attributes from related entry rule for table [${SOFTWARE_INSTALL}]. Add these input values in related item '${index}'` }]
    return { ...base, operation: 'NO_CHANGE', sysId: 'Unknown', errors, errorCount: errors.length }
  }
  const q = `installed_on=${ciSysId}^display_name=${escapeQueryValue(name)}^version=${escapeQueryValue(values.version ?? '')}`
  const existing = db.query(SOFTWARE_INSTALL, q, { limit: 1 })[0]
  const by = { user: ctx.user.userName }
  if (!existing) {
    const row = db.insert(SOFTWARE_INSTALL, { ...values, installed_on: ciSysId, discovery_source: source }, by)
    return { ...base, operation: 'INSERT', sysId: row.sys_id as string, errors: [], errorCount: 0 }
  }
  const changes = changedValues(existing, values)
  if (Object.keys(changes).length === 0) return { ...base, operation: 'NO_CHANGE', sysId: existing.sys_id as string, errors: [], errorCount: 0 }
  db.update(SOFTWARE_INSTALL, existing.sys_id as string, changes, by)
  return { ...base, operation: 'UPDATE', sysId: existing.sys_id as string, errors: [], errorCount: 0 }
}

export function createIdentificationEngine(ctx: ExecutionContext): object {
  return strictApi(
    {
      createOrUpdateCI: (source: unknown, input: unknown) => createOrUpdateCI(ctx, source, input),
    },
    'sn_cmdb.IdentificationEngine',
  )
}
