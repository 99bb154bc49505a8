import { DISCOVERY_SOURCE, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import { isTrue, type StepPlan, type TableChange } from './types.ts'

// The `Kandji` choice on cmdb_ci.discovery_source. The app packages no choice (a packaged sys_choice travels as the
// field's whole choice list and may replace or skip it, docs/architecture.md "The discovery source"), so deploy adds
// it here, as the admin through the Table API: one row, additive, found by its natural key, never touching another
// choice. The same works for the vendor's Store app, and needs no cross-scope access.

const KEY = `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}`

/** Every row with the choice's value on the field (one per language at most, normally). */
export async function readDiscoverySource(admin: ServiceNowClient): Promise<TableRecord[]> {
  return admin.table.list(PLATFORM_TABLES.choice, {
    query: query().eq('name', DISCOVERY_SOURCE.table).eq('element', DISCOVERY_SOURCE.element).eq('value', DISCOVERY_SOURCE.value).toString(),
    fields: ['sys_id', 'name', 'element', 'value', 'label', 'language', 'inactive'],
  }).then((rows) => rows.filter((r) => r.name === DISCOVERY_SOURCE.table && r.element === DISCOVERY_SOURCE.element && r.value === DISCOVERY_SOURCE.value))
}

export function discoverySourcePresent(rows: readonly TableRecord[]): boolean {
  return rows.some((r) => !isTrue(r.inactive))
}

/** A row of the contract's language; an empty language is the platform's default language, English. */
export function inContractLanguage(row: TableRecord): boolean {
  return (row.language || DISCOVERY_SOURCE.language) === DISCOVERY_SOURCE.language
}

/** The row to create when none is active: the contract's choice, active. */
function discoverySourceRow(): Record<string, string> {
  return {
    name: DISCOVERY_SOURCE.table,
    element: DISCOVERY_SOURCE.element,
    value: DISCOVERY_SOURCE.value,
    label: DISCOVERY_SOURCE.label,
    language: DISCOVERY_SOURCE.language,
    sequence: String(DISCOVERY_SOURCE.sequence),
    inactive: 'false',
  }
}

/**
 * Nothing when an active row exists; otherwise reactivate the one inactive row of the contract's language, or create
 * the row. Several inactive rows of that language: no guess, a warning that says what to do.
 */
export function planDiscoverySource(rows: readonly TableRecord[]): StepPlan {
  const plan: StepPlan = { step: 'discovery-source', object: `discovery source "${DISCOVERY_SOURCE.value}"`, changes: [], notes: [], warnings: [] }
  if (discoverySourcePresent(rows)) return plan
  const inactive = rows.filter(inContractLanguage)
  const base: Pick<TableChange, 'step' | 'table' | 'key'> = { step: 'discovery-source', table: PLATFORM_TABLES.choice, key: `${KEY}^language=${DISCOVERY_SOURCE.language}` }
  if (inactive.length > 1) {
    plan.warnings.push(
      `${inactive.length} inactive ${PLATFORM_TABLES.choice} rows define ${KEY} (language ${DISCOVERY_SOURCE.language}); deploy will not pick one: ` +
        'reactivate one of them (clear Inactive) and delete the others, then deploy again',
    )
    plan.drift = [{ kind: 'choice-inactive', detail: `${inactive.length} inactive ${PLATFORM_TABLES.choice} rows define ${KEY} and none is active` }]
    return plan
  }
  const row = inactive[0]
  if (row?.sys_id) {
    plan.changes.push({ ...base, action: 'update', sysId: row.sys_id, fields: [{ field: 'inactive', from: 'true', to: 'false' }], data: { inactive: 'false' }, reason: 'inactive: IRE rejects an inactive source' })
    return plan
  }
  const data = discoverySourceRow()
  plan.changes.push({
    ...base,
    action: 'create',
    fields: Object.entries(data).map(([field, to]) => ({ field, from: undefined, to })),
    data,
    reason: 'missing: IRE rejects every device until the choice exists (added alone, the other choices stay as they are)',
  })
  return plan
}

/** CIs (any class) that name the Kandji discovery source: while there are any, uninstall keeps the choice. */
export async function countKandjiCis(admin: ServiceNowClient): Promise<number> {
  return admin.table.count(PLATFORM_TABLES.ci, query().eq('discovery_source', DISCOVERY_SOURCE.value).toString())
}

/** Columns of a choice that say what it is; system columns are the instance's to set. */
const CHOICE_COLUMNS = ['name', 'element', 'value', 'label', 'sequence', 'inactive', 'language', 'dependent_value', 'hint'] as const

/** Every choice of cmdb_ci.discovery_source, as stored: the before-image an app install is checked against. */
export async function readFieldChoices(admin: ServiceNowClient): Promise<TableRecord[]> {
  return admin.table.list(PLATFORM_TABLES.choice, {
    query: query().eq('name', DISCOVERY_SOURCE.table).eq('element', DISCOVERY_SOURCE.element).toString(),
    fields: ['sys_id', 'sys_scope', ...CHOICE_COLUMNS],
  })
}

function describeChoice(row: TableRecord): string {
  return `${row.value ?? ''}${row.label && row.label !== row.value ? ` ("${row.label}")` : ''}${row.language && row.language !== DISCOVERY_SOURCE.language ? ` [${row.language}]` : ''}`
}

/** What an admin needs to add a choice back by hand. */
function recipe(rows: readonly TableRecord[]): string {
  return rows.map((r) => `${r.sys_id} value=${r.value ?? ''} label="${r.label ?? ''}" sequence=${r.sequence ?? ''} language=${r.language ?? ''}`).join('; ')
}

/**
 * A choice's natural key: the same value, language and dependent value is the same choice, whatever its sys_id. An
 * empty language is the platform's default, English (as planDiscoverySource reads it).
 */
const choiceKey = (r: TableRecord) => JSON.stringify([r.value ?? '', r.language || DISCOVERY_SOURCE.language, r.dependent_value ?? ''])

/**
 * The rows of `before` that are gone from `now`, by sys_id, unless a row with the same natural key took their place.
 * Rows of the app's own scope are left out: they are the app's files (Kandji 1.0.0 packaged its choice), which an
 * upgrade may remove; the discovery-source step adds the contract's row back.
 */
export function removedChoices(before: readonly TableRecord[], now: readonly TableRecord[], appScopeId: string): TableRecord[] {
  const ids = new Set(now.map((r) => r.sys_id))
  const keys = new Set(now.map(choiceKey))
  return before.filter((r) => r.sys_id && r.sys_scope !== appScopeId && !ids.has(r.sys_id) && !keys.has(choiceKey(r)))
}

export type ChoiceGuardResult =
  | { kind: 'intact' }
  | { kind: 'restored'; rows: TableRecord[] }
  | { kind: 'not_restored'; rows: TableRecord[] }
  | { kind: 'unchecked'; reason: string }

/**
 * After an app install or upgrade: every discovery-source choice that was there before and is gone now is created
 * again with its sys_id and values, as the admin through the Table API. The Kandji app packages no choice, but a
 * package that does (an older Kandji build, another vendor's) may be applied as the field's whole choice list and
 * delete the others (docs/architecture.md, "The app packages no sys_choice"). A create carries its sys_id, so when
 * its answer is lost the row is looked up by sys_id before it is sent again; what is still missing at the end is
 * reported, never silently dropped.
 */
export async function restoreRemovedChoices(admin: ServiceNowClient, before: readonly TableRecord[], appScopeId: string): Promise<ChoiceGuardResult> {
  let now: TableRecord[]
  try {
    now = await readFieldChoices(admin)
  } catch (error) {
    return { kind: 'unchecked', reason: error instanceof Error ? error.message : String(error) }
  }
  const missing = removedChoices(before, now, appScopeId)
  if (missing.length === 0) return { kind: 'intact' }
  for (const row of missing) {
    const data: Record<string, string> = { sys_id: row.sys_id as string }
    for (const column of CHOICE_COLUMNS) if (row[column] !== undefined) data[column] = row[column] as string
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        await admin.table.create(PLATFORM_TABLES.choice, data)
        break
      } catch {
        if (await admin.table.get(PLATFORM_TABLES.choice, row.sys_id as string).catch(() => undefined)) break
      }
    }
  }
  const after = await readFieldChoices(admin).catch(() => undefined)
  if (!after) return { kind: 'unchecked', reason: 'the choices could not be read again after restoring them' }
  const still = removedChoices(before, after, appScopeId)
  return still.length === 0 ? { kind: 'restored', rows: missing } : { kind: 'not_restored', rows: still }
}

const FIELD = `${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element}`

/** What the user is told about the shared choice list after an install; undefined when it is intact. */
export function choiceGuardMessage(result: ChoiceGuardResult, before: readonly TableRecord[], installSettled: boolean): string | undefined {
  const n = (rows: readonly TableRecord[]) => `${rows.length} ${FIELD} choice${rows.length === 1 ? '' : 's'}`
  const later = installSettled ? '' : ' The install may still be running on the instance: once it has finished, run deploy again and check these choices are still there.'
  switch (result.kind) {
    case 'intact':
      return installSettled ? undefined : `the app install's outcome is unknown, so the ${FIELD} choices were checked before it finished.${later} They were: ${recipe(before)}`
    case 'restored':
      return `the app install removed ${n(result.rows)} (${result.rows.map(describeChoice).join(', ')}); restored with their sys_ids. The installed package carries a choice list for the field.${later}`
    case 'not_restored':
      return `the app install removed ${n(result.rows)} and restoring them failed; add them back by hand (Discovery source > Show Choice List): ${recipe(result.rows)}`
    case 'unchecked':
      return `could not check that the app install left the ${FIELD} choices alone (${result.reason}); compare them with what was there before: ${recipe(before)}`
  }
}
