import type { ServiceNowClient } from '@kandji-sn/servicenow-client'
import type { DriftEntry } from '@kandji-sn/contract'
import type { Output } from '../render/output.ts'

export const STEP_IDS = [
  'app',
  'oauth-client',
  'service-account',
  'role-grants',
  'app-properties',
  'discovery-source',
  'smoke-test',
  'verification',
] as const
export type StepId = (typeof STEP_IDS)[number]

/** One field of a diff. Secret values are never kept here: `to` says "(generated)" or similar instead. */
export interface FieldDiff {
  field: string
  from: string | undefined
  to: string | undefined
}

/** A create, patch or delete of one record found (or not) by its natural key. */
export interface TableChange {
  step: StepId
  action: 'create' | 'update' | 'delete'
  table: string
  /** The natural key in words, e.g. `name=kandji_oauth_api`. */
  key: string
  sysId?: string
  fields: FieldDiff[]
  /** What apply writes; may hold a secret, so it is never rendered. */
  data?: Record<string, unknown>
  /** sysparm_input_display_value=true, needed to set encrypted fields (facts 4.1). */
  inputDisplayValue?: boolean
  /**
   * Encrypted fields written in a PATCH of their own with sysparm_input_display_value=true, after `data`: that flag
   * applies to every field of a request, and would read choice fields (oauth_entity.type, the scope restriction) as
   * labels (Table API docs). Holds a secret: never rendered.
   */
  secretData?: Record<string, string>
  /** Name of a field of `data` that takes the service account's sys_id, known only once the account exists. */
  userField?: string
  /** Why this change is planned when it is not obvious from the fields (e.g. "extra privileged role"). */
  reason?: string
}

export interface AppChange {
  step: 'app'
  /** replace: uninstall the application that holds the scope (the vendor's Store app), then install ours. */
  action: 'install' | 'upgrade' | 'uninstall' | 'replace'
  table?: undefined
  key: string
  fields: FieldDiff[]
  source: 'package' | 'repo' | 'store'
  version: string | undefined
  fromVersion: string | undefined
  reason?: string
  /** The app record is a sys_store_app: the upload must not ask for a custom app (now-sdk: isStoreApp). */
  storeApp?: boolean
}

export type Change = TableChange | AppChange

/** What plan says about one object: the changes and what is worth knowing without being a change. */
export interface StepPlan {
  step: StepId
  /** The object in words, e.g. `OAuth client "kandji_oauth_api"`. */
  object: string
  changes: Change[]
  /** Facts (inherited roles, versions). */
  notes: string[]
  /** Drift that deploy does not fix on its own (extra privileged roles without --prune-roles). */
  warnings: string[]
  /** The warnings that are drift, named (drift.ts adds the drift of each change). */
  drift?: DriftEntry[]
}

/** Shared across the steps of one apply: what earlier steps learned or created. */
export interface ApplyState {
  userSysId?: string
}

export interface ApplyContext {
  admin: ServiceNowClient
  out: Output
  state: ApplyState
}

export function boolString(value: boolean): string {
  return value ? 'true' : 'false'
}

/** Table API booleans come back as "true"/"false" (sometimes "1"/"0" on older releases). */
export function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1'
}

/** Fields whose current value differs from the desired one, as a diff and as the patch body. */
export function diffFields(current: Record<string, string> | undefined, desired: Record<string, string>): { fields: FieldDiff[]; data: Record<string, string> } {
  const fields: FieldDiff[] = []
  const data: Record<string, string> = {}
  for (const [field, want] of Object.entries(desired)) {
    const have = current?.[field]
    if (!sameValue(have, want)) {
      fields.push({ field, from: have, to: want })
      data[field] = want
    }
  }
  return { fields, data }
}

function sameValue(have: string | undefined, want: string): boolean {
  if (have === want) return true
  if (want === 'true' || want === 'false') return have !== undefined && isTrue(have) === (want === 'true')
  return false
}

/** The one place where table changes are written. */
export async function applyTableChange(change: TableChange, ctx: ApplyContext): Promise<string | undefined> {
  const { admin } = ctx
  const options = change.inputDisplayValue ? { inputDisplayValue: true } : undefined
  const data = { ...(change.data ?? {}) }
  if (change.userField) {
    if (!ctx.state.userSysId) throw new Error(`internal: ${change.table} ${change.key} needs the service account's sys_id before it exists`)
    data[change.userField] = ctx.state.userSysId
  }
  const writeSecrets = async (sysId: string | undefined) => {
    if (!change.secretData) return sysId
    if (!sysId) throw new Error(`internal: ${change.table} ${change.key} has no sys_id for its secret`)
    await admin.table.patch(change.table, sysId, change.secretData, { inputDisplayValue: true })
    return sysId
  }
  switch (change.action) {
    case 'create':
      return writeSecrets((await admin.table.create(change.table, data, options)).sys_id)
    case 'update':
      if (!change.sysId) throw new Error(`internal: update of ${change.table} ${change.key} without sys_id`)
      if (Object.keys(data).length > 0 || !change.secretData) await admin.table.patch(change.table, change.sysId, data, options)
      return writeSecrets(change.sysId)
    case 'delete':
      if (!change.sysId) throw new Error(`internal: delete of ${change.table} ${change.key} without sys_id`)
      await admin.table.delete(change.table, change.sysId)
      return change.sysId
  }
}
