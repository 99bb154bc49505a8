// What an admin sees after Iru Endpoint pushed inventory: the outcome of each staging row (System Import Sets >
// Import Set Runs) and the computers in the CMDB. Read with the admin's client: the service account may write the
// staging table but not read it back (the app's ACLs), as on an instance.
import { DISCOVERY_SOURCE, IMPORT_REJECTED_PREFIX, PLATFORM_TABLES, PLATFORMS, TABLES, type Platform } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'

/** A few people of the customer's directory (ServiceNow's demo-data names), so some devices get an assigned user. */
export const DEMO_DIRECTORY = [
  ['abel.tuter', 'Abel', 'Tuter'],
  ['beth.anglin', 'Beth', 'Anglin'],
  ['bow.ruggeri', 'Bow', 'Ruggeri'],
  ['charlie.whitherspoon', 'Charlie', 'Whitherspoon'],
  ['christen.mitchell', 'Christen', 'Mitchell'],
  ['david.loo', 'David', 'Loo'],
  ['don.goodliffe', 'Don', 'Goodliffe'],
  ['fred.luddy', 'Fred', 'Luddy'],
] as const

export const DIRECTORY_EMAIL_DOMAIN = 'example.com'

/** Creates the directory users that are missing (looked up by user_name); returns their e-mail addresses. */
export async function ensureDirectoryUsers(client: Pick<ServiceNowClient, 'table'>): Promise<string[]> {
  const emails: string[] = []
  for (const [userName, firstName, lastName] of DEMO_DIRECTORY) {
    const email = `${userName}@${DIRECTORY_EMAIL_DOMAIN}`
    const existing = await client.table.findOne(PLATFORM_TABLES.user, query().eq('user_name', userName).toString(), { fields: ['sys_id'] })
    if (!existing) await client.table.create(PLATFORM_TABLES.user, { user_name: userName, first_name: firstName, last_name: lastName, email, active: 'true' })
    emails.push(email)
  }
  return emails
}

export interface MessageCount {
  message: string
  count: number
}

export interface ImportOutcome {
  /** Staging rows of the import sets. */
  rows: number
  /** By sys_import_state (inserted, updated, ignored, skipped, error, pending, ...); 'rejected' for rejected rows. */
  byState: Record<string, number>
  /** Rows in error or rejected, grouped by their comment with row-specific ids removed, most frequent first. */
  errors: MessageCount[]
  /** The staging rows themselves (state, comment, device_id, serial_number), for callers that match rows. */
  records: TableRecord[]
}

const ID_IN_PARENS = /\s*\((?:[a-z_ ]*?\s)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\)/gi
const BARE_ID = /\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b/gi

/** One line per cause: ids that differ from row to row are dropped ("(device_id 60ea…)") or replaced. */
export function groupKey(message: string): string {
  return message.replace(ID_IN_PARENS, '').replace(BARE_ID, '<id>').replace(/\s+/g, ' ').trim() || '(no message)'
}

export function groupMessages(messages: readonly string[]): MessageCount[] {
  const counts = new Map<string, number>()
  for (const m of messages) {
    const key = groupKey(m)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count || a.message.localeCompare(b.message))
}

export interface ReadOutcomeOptions {
  table?: string
  /** Wait this long for asynchronous transforms (insertMultiple on an instance); default 60 s. */
  timeoutMs?: number
  intervalMs?: number
  sleep?: (ms: number) => Promise<void>
}

const STATE_FIELDS = ['sys_import_state', 'sys_import_state_comment', 'device_id', 'serial_number'] as const

/** A sys_id is queried directly; anything else is taken as the import set number (ASSUMPTION: either may come back). */
export function importSetQuery(importSet: string): string {
  if (/^[0-9a-f]{32}$/i.test(importSet)) return `sys_import_set=${importSet}`
  if (/^[A-Za-z0-9_-]+$/.test(importSet)) return `sys_import_set.number=${importSet}`
  throw new Error(`unexpected import set id from the instance: ${JSON.stringify(importSet.slice(0, 60))}`)
}

/** The row's state as an admin reads it: an ignored row whose comment starts with the app's prefix was rejected. */
function stateOf(r: TableRecord): string {
  const state = r.sys_import_state || 'pending'
  return state === 'ignored' && (r.sys_import_state_comment ?? '').startsWith(IMPORT_REJECTED_PREFIX) ? 'rejected' : state
}

/** Reads the staging rows of the given import sets, waiting while any is still pending. */
export async function readImportOutcome(client: Pick<ServiceNowClient, 'table'>, importSets: readonly string[], options: ReadOutcomeOptions = {}): Promise<ImportOutcome> {
  const table = options.table ?? TABLES.deviceImport
  const timeoutMs = options.timeoutMs ?? 60_000
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  let waited = 0
  for (;;) {
    const records: TableRecord[] = []
    for (const set of new Set(importSets)) records.push(...(await client.table.list(table, { query: importSetQuery(set), fields: STATE_FIELDS })))
    const pending = records.filter((r) => (r.sys_import_state ?? '') === 'pending' || (r.sys_import_state ?? '') === '').length
    if (pending === 0 || waited >= timeoutMs) {
      const byState: Record<string, number> = {}
      for (const r of records) byState[stateOf(r)] = (byState[stateOf(r)] ?? 0) + 1
      // The summary already says "rejected": the comment's own prefix is left out.
      const reasons = records.filter((r) => ['error', 'rejected'].includes(stateOf(r))).map((r) => (r.sys_import_state_comment ?? '').replace(IMPORT_REJECTED_PREFIX, ''))
      const errors = groupMessages(reasons)
      return { rows: records.length, byState, errors, records }
    }
    const pause = Math.min(options.intervalMs ?? 1000, timeoutMs - waited)
    await sleep(pause)
    waited += pause
  }
}

export interface CmdbSnapshot {
  /** Computer CIs of Kandji devices: the CIs the app's MDM rows point at, whoever created them. */
  computers: number
  /**
   * Of those, CIs whose discovery source is not Kandji: another source created them first and IRE keeps the source
   * that created a CI, so a list filtered on discovery source misses them.
   */
  otherSource: number
  /** Of those, how many have an assigned user. */
  assigned: number
  /** Computers per platform, from the app's MDM rows (the CI itself does not record the platform). */
  byPlatform: Partial<Record<Platform | 'other', number>>
  /** MDM rows that point at a computer (one row per serial number). */
  devices: number
  /** Devices whose computer also holds another device (another serial number): IRE matched them by name. */
  devicesOnSharedComputers: number
}

export async function cmdbSnapshot(client: Pick<ServiceNowClient, 'table'>): Promise<CmdbSnapshot> {
  // One read of the MDM rows, with their computers' source and user dot-walked: a Kandji device is an MDM row, not
  // a CI with discovery source Kandji.
  const mdm = await client.table.list(TABLES.mdm, {
    query: query().isNotEmpty('ci').toString(),
    fields: ['platform', 'ci', `ci.${DISCOVERY_SOURCE.element}`, 'ci.assigned_to'],
  })
  const cis = new Map<string, { source: string; assigned: boolean }>()
  for (const row of mdm) cis.set(row.ci!, { source: row[`ci.${DISCOVERY_SOURCE.element}`] ?? '', assigned: (row['ci.assigned_to'] ?? '') !== '' })
  const computers = cis.size
  const otherSource = [...cis.values()].filter((c) => c.source !== DISCOVERY_SOURCE.value).length
  const assigned = [...cis.values()].filter((c) => c.assigned).length
  const platformOf = new Map<string, Platform | 'other'>()
  const devicesOf = new Map<string, number>()
  for (const row of mdm) {
    const ci = row.ci!
    devicesOf.set(ci, (devicesOf.get(ci) ?? 0) + 1)
    if (!platformOf.has(ci)) platformOf.set(ci, (PLATFORMS as readonly string[]).includes(row.platform ?? '') ? (row.platform as Platform) : 'other')
  }
  const byPlatform: CmdbSnapshot['byPlatform'] = {}
  for (const platform of [...PLATFORMS, 'other'] as const) {
    const n = [...platformOf.values()].filter((p) => p === platform).length
    if (n) byPlatform[platform] = n
  }
  const devicesOnSharedComputers = [...devicesOf.values()].filter((n) => n > 1).reduce((a, n) => a + n, 0)
  return { computers, otherSource, assigned, byPlatform, devices: mdm.length, devicesOnSharedComputers }
}
