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
  const inactive = rows.filter((r) => (r.language ?? '') === DISCOVERY_SOURCE.language)
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
