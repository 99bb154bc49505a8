import { PLATFORM_TABLES, SERVICE_ACCOUNT } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import { boolString, diffFields, type StepPlan } from './types.ts'

const TABLE = PLATFORM_TABLES.user
const FIELDS = ['sys_id', 'user_name', 'active', 'locked_out', 'password_needs_reset', 'web_service_access_only'] as const

export interface ServiceAccountDesired {
  userName: string
  webServiceOnly: boolean
  email?: string
  /** Set only when the account is created (an existing password cannot be compared); `rotate` changes it. */
  passwordOnCreate: string
}

export async function readServiceAccount(admin: ServiceNowClient, userName: string): Promise<TableRecord | undefined> {
  const found = await admin.table.findOne(TABLE, query().eq('user_name', userName).toString(), { fields: [...FIELDS] })
  // Taken (and, by uninstall, deleted) only when it is the account named.
  return found?.user_name === userName ? found : undefined
}

/** Active, not locked out, no forced reset (ROPC needs an active, unlocked user: facts 3.3), web services only by default. */
export function desiredAccountFields(desired: Pick<ServiceAccountDesired, 'webServiceOnly'>): Record<string, string> {
  return {
    active: boolString(true),
    locked_out: boolString(false),
    password_needs_reset: boolString(false),
    web_service_access_only: boolString(desired.webServiceOnly),
  }
}

export function planServiceAccount(current: TableRecord | undefined, desired: ServiceAccountDesired): StepPlan {
  const plan: StepPlan = { step: 'service-account', object: `service account "${desired.userName}"`, changes: [], notes: [], warnings: [] }
  const want = desiredAccountFields(desired)
  const key = `user_name=${desired.userName}`
  if (!current) {
    const data: Record<string, string> = {
      user_name: desired.userName,
      first_name: SERVICE_ACCOUNT.firstName,
      last_name: SERVICE_ACCOUNT.lastName,
      ...(desired.email ? { email: desired.email } : {}),
      ...want,
    }
    plan.changes.push({
      step: 'service-account',
      action: 'create',
      table: TABLE,
      key,
      fields: [
        ...Object.entries(data).map(([field, to]) => ({ field, from: undefined, to })),
        { field: 'user_password', from: undefined, to: '(generated, not shown)' },
      ],
      data: { ...data, user_password: desired.passwordOnCreate },
      // sysparm_input_display_value=true so the platform hashes the password (facts 4.1, 4.5).
      inputDisplayValue: true,
    })
    return plan
  }
  const { fields, data } = diffFields(current, want)
  if (fields.length > 0) plan.changes.push({ step: 'service-account', action: 'update', table: TABLE, key, sysId: current.sys_id, fields, data })
  return plan
}
