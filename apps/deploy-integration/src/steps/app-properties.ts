import { APP_PROPERTIES, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import type { StepPlan } from './types.ts'

const TABLE = PLATFORM_TABLES.property

export interface AppPropertiesDesired {
  serviceAccount: string
  oauthClient: string
}

const DESCRIPTIONS: Record<string, string> = {
  [APP_PROPERTIES.serviceAccount]: 'User name of the Kandji integration service account (checked by the verify endpoint)',
  [APP_PROPERTIES.oauthClient]: 'Name of the OAuth client Iru Endpoint uses (checked by the verify endpoint)',
}

export async function readAppProperties(admin: ServiceNowClient): Promise<Record<string, TableRecord | undefined>> {
  const names = Object.values(APP_PROPERTIES)
  const rows = await admin.table.list(TABLE, { query: query().in('name', names).toString(), fields: ['sys_id', 'name', 'value'] })
  // The record is taken (and, by uninstall, deleted) only when it is the one named.
  return Object.fromEntries(names.map((name) => [name, rows.find((r) => r.name === name)] as const))
}

/**
 * The properties are this project's app's (its verify endpoint reads them): with another application in the scope
 * (the vendor's Store app, configured as it is) none are written, and the plan says why.
 */
export function planAppProperties(current: Record<string, TableRecord | undefined>, desired: AppPropertiesDesired, ourApp = true): StepPlan {
  const plan: StepPlan = { step: 'app-properties', object: 'app properties', changes: [], notes: [], warnings: [] }
  if (!ourApp) {
    plan.notes.push(`not set: the installed app is not this project's build and does not read ${Object.values(APP_PROPERTIES).join(', ')}`)
    return plan
  }
  const want: Record<string, string> = {
    [APP_PROPERTIES.serviceAccount]: desired.serviceAccount,
    [APP_PROPERTIES.oauthClient]: desired.oauthClient,
  }
  for (const [name, value] of Object.entries(want)) {
    const record = current[name]
    if (!record) {
      plan.changes.push({
        step: 'app-properties',
        action: 'create',
        table: TABLE,
        key: `name=${name}`,
        fields: [{ field: 'value', from: undefined, to: value }],
        data: { name, value, type: 'string', description: DESCRIPTIONS[name] ?? '' },
      })
    } else if ((record.value ?? '') !== value) {
      plan.changes.push({ step: 'app-properties', action: 'update', table: TABLE, key: `name=${name}`, sysId: record.sys_id, fields: [{ field: 'value', from: record.value, to: value }], data: { value } })
    }
  }
  return plan
}
