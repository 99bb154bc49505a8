// The probe's throw-away objects: recorded the moment they may exist and removed by sys_id. Objects whose creation
// answer was lost (or that an interrupted run left) are found by a STARTSWITH query on their name; each row's name is
// checked before it is deleted by sys_id, so a query the instance ignored can never delete anything else.
import { PROBE } from '@kandji-sn/contract/constants'
import { isMissingTableError, query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import type { ProbeTable } from './types.ts'

export interface ProbeObject {
  table: string
  sysId: string
  name: string
}

export class CreatedObjects {
  readonly #objects: ProbeObject[] = []

  record(table: string, sysId: string, name: string): void {
    if (!name.startsWith(PROBE.namePrefix)) throw new Error(`internal: probe object "${name}" in ${table} does not start with ${PROBE.namePrefix}`)
    if (!/^[0-9a-f]{32}$/i.test(sysId)) return // no usable sys_id: the leftover search finds it by name
    if (!this.#objects.some((o) => o.table === table && o.sysId === sysId)) this.#objects.push({ table, sysId, name })
  }

  /** Newest first: a role grant goes before its user. */
  take(): ProbeObject[] {
    return this.#objects.splice(0).reverse()
  }
}

/** Deletes each object by sys_id; returns those that were there (a 404 means already gone). */
export async function removeObjects(admin: ServiceNowClient, objects: readonly ProbeObject[]): Promise<ProbeObject[]> {
  const removed: ProbeObject[] = []
  for (const o of objects) {
    try {
      if (await admin.table.delete(o.table, o.sysId)) removed.push(o)
    } catch (error) {
      // A table that is gone took its rows with it (an uninstalled app's tables).
      if (!isMissingTableError(error)) throw error
    }
  }
  return removed
}

/** A dot-walked field (`user.user_name`) as the Table API returns it with sysparm_fields. */
function nameOf(row: Record<string, string>, field: string): string {
  return row[field] ?? ''
}

/** The objects named PROBE.namePrefix… in the tables (a table the instance does not have holds none). */
export async function findLeftovers(admin: ServiceNowClient, tables: readonly ProbeTable[]): Promise<ProbeObject[]> {
  const found: ProbeObject[] = []
  const seen = new Set<string>()
  for (const { table, nameField } of tables) {
    if (seen.has(`${table}|${nameField}`)) continue
    seen.add(`${table}|${nameField}`)
    let rows: Record<string, string>[]
    try {
      rows = await admin.table.list(table, { query: query().startsWith(nameField, PROBE.namePrefix).toString(), fields: ['sys_id', nameField] })
    } catch (error) {
      if (isMissingTableError(error)) continue
      throw error
    }
    for (const row of rows) {
      const name = nameOf(row, nameField)
      // STARTSWITH ignores case on an instance, and an instance may ignore a query it cannot read: check each row.
      if (name.startsWith(PROBE.namePrefix) && row.sys_id) found.push({ table, sysId: row.sys_id, name })
    }
  }
  return found
}

/** The probe tables of the experiments, in the order leftovers are removed (each experiment's list reversed). */
export function sweepOrder(tables: readonly (readonly ProbeTable[])[]): ProbeTable[] {
  return tables.flatMap((list) => [...list].reverse())
}
