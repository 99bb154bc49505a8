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
    fields: ['sys_id', 'value', 'label', 'language', 'inactive'],
  })
}

export function discoverySourcePresent(rows: readonly TableRecord[]): boolean {
  return rows.some((r) => !isTrue(r.inactive))
}

/** A row of the contract's language; an empty language is the platform's default language, English. */
export function inContractLanguage(row: TableRecord): boolean {
  return (row.language || DISCOVERY_SOURCE.language) === DISCOVERY_SOURCE.language
}

/** The row to create when none is active: the contract's choice, active. */
export function discoverySourceRow(): Record<string, string> {
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
    fields: ['sys_id', ...CHOICE_COLUMNS],
  })
}

function describeChoice(row: TableRecord): string {
  return `${row.value ?? ''}${row.label && row.label !== row.value ? ` ("${row.label}")` : ''}${row.language && row.language !== DISCOVERY_SOURCE.language ? ` [${row.language}]` : ''}`
}

/**
 * After an app install or upgrade: every discovery-source choice that was there before and is gone now is created
 * again with its sys_id and values, as the admin through the Table API. The Kandji app packages no choice, but a
 * package that does (an older Kandji build, another vendor's) may be applied as the field's whole choice list and
 * delete the others (docs/architecture.md, "The app packages no sys_choice"). Returns what it restored.
 */
export async function restoreRemovedChoices(admin: ServiceNowClient, before: readonly TableRecord[]): Promise<TableRecord[]> {
  const missing = removedChoices(before, await readFieldChoices(admin))
  for (const row of missing) {
    const data: Record<string, string> = { sys_id: row.sys_id as string }
    for (const column of CHOICE_COLUMNS) if (row[column] !== undefined) data[column] = row[column] as string
    await admin.table.create(PLATFORM_TABLES.choice, data)
  }
  return missing
}

/** A choice's natural key: the same value, language and dependent value is the same choice, whatever its sys_id. */
const choiceKey = (r: TableRecord) => JSON.stringify([r.value ?? '', r.language ?? '', r.dependent_value ?? ''])

/** The rows of `before` that are gone from `now`, by sys_id, unless a row with the same natural key took their place. */
export function removedChoices(before: readonly TableRecord[], now: readonly TableRecord[]): TableRecord[] {
  const ids = new Set(now.map((r) => r.sys_id))
  const keys = new Set(now.map(choiceKey))
  return before.filter((r) => r.sys_id && !ids.has(r.sys_id) && !keys.has(choiceKey(r)))
}

/** The message for choices an install removed: restored, or (when restoring failed) what to add back by hand. */
export function removedChoicesMessage(rows: readonly TableRecord[], restored: boolean): string {
  const list = rows.map(describeChoice).join(', ')
  return restored
    ? `the app install removed ${rows.length} ${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element} choice${rows.length === 1 ? '' : 's'} (${list}); restored with their sys_ids. The package carries a choice list: report it to its publisher`
    : `the app install removed ${rows.length} ${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element} choice${rows.length === 1 ? '' : 's'} and restoring them failed; add them back by hand (sys_id, value, label, sequence): ${rows.map((r) => `${r.sys_id} ${r.value ?? ''} "${r.label ?? ''}" ${r.sequence ?? ''}`).join('; ')}`
}
