// An update set imported as an admin does it in the UI (README "Update sets" cites each step):
//   upload    "Import Update Set from XML" (sys_upload.do): a sys_remote_update_set in state `loaded` and its
//             sys_update_xml rows, sys_ids and dates as the file has them (t_SaveAnUpdateSetAsAnXMLFile.md)
//   preview   state `previewed`; problems in sys_update_preview_problem (t_PreviewARemoteUpdateSet.md)
//   commit    refused while an error problem is unresolved (t_CommitAnUpdateSet.md); each payload applied as the
//             record it describes, DELETE deletes; a local update set with a copy of each update; state `committed`
import { parseRecordFile, parseXmlDocument, readAppPackageFromFiles, type AppPackage, type AppRecord, type XmlElement } from '@kandji-sn/app-package'
import type { Database } from '../db/database.ts'
import { glideDateTime } from '../db/database.ts'
import { escapeQueryValue } from '../db/query.ts'
import type { EmulatorSwitches, PreviewProblem, SessionUser } from '../types.ts'
import type { AppManager } from './app-manager.ts'

export const UPDATE_SET_TABLES = {
  remote: 'sys_remote_update_set',
  update: 'sys_update_xml',
  local: 'sys_update_set',
  problem: 'sys_update_preview_problem',
} as const

/** A refusal of the UI, with what happened, why and what to do. */
export class UpdateSetError extends Error {
  constructor(
    message: string,
    readonly likelyCause: string,
    readonly fix: string,
  ) {
    super(`${message}\ncause: ${likelyCause}\nfix:   ${fix}`)
    this.name = 'UpdateSetError'
  }
}

type Switches = Pick<EmulatorSwitches, 'updateSetCollision' | 'updateSetMissingReference' | 'choiceListLoader'>

const SYS_ID = /^[0-9a-f]{32}$/

function fieldsOf(element: XmlElement): Record<string, string> {
  return Object.fromEntries(element.elements.map((e) => [e.tag, e.text]))
}

/** Upload: parses the file and stores the set and its updates as the file has them (an XML import keeps sys_ids). */
export function uploadUpdateSet(db: Database, xml: string, user: SessionUser): { sysId: string } {
  const parsed = parseXmlDocument(xml)
  const notAnUpdateSet = 'export the update set again (Retrieved or Local Update Sets > Export to XML), or rebuild it with `app-package <app> --update-set`'
  if ('problem' in parsed) throw new UpdateSetError(`The file is not XML: ${parsed.problem}`, 'the file was truncated or is not an update set export', notAnUpdateSet)
  const { root } = parsed
  if (root.tag !== 'unload') throw new UpdateSetError(`The file's root element is <${root.tag}>, not <unload>`, 'this is not an XML export of records', notAnUpdateSet)
  const sets = root.elements.filter((e) => e.tag === UPDATE_SET_TABLES.remote)
  if (sets.length !== 1) {
    throw new UpdateSetError(`The file holds ${sets.length} sys_remote_update_set records, not one`, 'an update set export carries exactly one set record', notAnUpdateSet)
  }
  const set = fieldsOf(sets[0]!)
  if (!set.sys_id || !SYS_ID.test(set.sys_id)) throw new UpdateSetError(`The sys_remote_update_set has no valid sys_id (${set.sys_id ?? 'none'})`, 'the file was edited or written by another tool', notAnUpdateSet)
  const updates = root.elements.filter((e) => e.tag === UPDATE_SET_TABLES.update).map(fieldsOf)
  for (const u of updates) {
    if (!u.sys_id || !SYS_ID.test(u.sys_id)) throw new UpdateSetError(`A sys_update_xml (${u.name ?? 'no name'}) has no valid sys_id`, 'the file was edited or written by another tool', notAnUpdateSet)
  }
  const writer = { user: user.userName, skipRules: true }
  const setValues = {
    name: set.name ?? '',
    description: set.description ?? '',
    state: 'loaded',
    application: set.application ?? '',
    application_name: set.application_name ?? '',
    application_scope: set.application_scope ?? '',
    application_version: set.application_version ?? '',
    remote_sys_id: set.remote_sys_id ?? '',
  }
  if (db.findStored(UPDATE_SET_TABLES.remote, set.sys_id)) db.update(UPDATE_SET_TABLES.remote, set.sys_id, setValues, writer)
  else db.insert(UPDATE_SET_TABLES.remote, { ...setValues, sys_id: set.sys_id }, writer)
  for (const old of db.query(UPDATE_SET_TABLES.update, `remote_update_set=${set.sys_id}`)) db.delete(UPDATE_SET_TABLES.update, old.sys_id as string, writer)
  for (const u of updates) {
    const row = db.insert(
      UPDATE_SET_TABLES.update,
      { sys_id: u.sys_id!, name: u.name ?? '', action: u.action ?? 'INSERT_OR_UPDATE', type: u.type ?? '', target_name: u.target_name ?? '', application: u.application ?? '', payload: u.payload ?? '', update_set: '', remote_update_set: set.sys_id },
      writer,
    )
    // The update's date is the file's: collision detection compares it (update-set-collisions.md).
    if (u.sys_updated_on) db.patchStored(UPDATE_SET_TABLES.update, row.sys_id as string, { sys_updated_on: u.sys_updated_on })
  }
  return { sysId: set.sys_id }
}

function requireSet(db: Database, sysId: string) {
  const set = db.findStored(UPDATE_SET_TABLES.remote, sysId)?.row
  if (!set) throw new UpdateSetError(`No retrieved update set ${sysId}`, 'it was never uploaded, or it was deleted', 'upload the XML first (Retrieved Update Sets > Import Update Set from XML)')
  return set
}

interface ParsedUpdate {
  update: Record<string, unknown>
  record: AppRecord | undefined
  problem: string | undefined
}

function parseUpdates(db: Database, setId: string): ParsedUpdate[] {
  return db.query(UPDATE_SET_TABLES.update, `remote_update_set=${setId}`).map((update) => {
    const parsed = parseRecordFile(`update/${String(update.name)}.xml`, String(update.payload ?? ''))
    if ('problem' in parsed) return { update, record: undefined, problem: parsed.problem }
    if (update.action === 'DELETE') parsed.record.action = 'DELETE'
    return { update, record: parsed.record, problem: undefined }
  })
}

/** The set's records as a package, for the loader (the app record in scope/, like a build). */
function packageOf(updates: readonly ParsedUpdate[]): AppPackage | undefined {
  const files = new Map<string, string>()
  for (const { update, record } of updates) {
    if (!record) continue
    files.set(`${record.table === 'sys_app' ? 'scope' : 'update'}/${String(update.name)}.xml`, String(update.payload))
  }
  if (![...updates].some((u) => u.record?.table === 'sys_app' && u.record.action !== 'DELETE')) return undefined
  return readAppPackageFromFiles(files, 'the update set')
}

function flatten(records: readonly AppRecord[]): AppRecord[] {
  return records.flatMap((r) => [r, ...flatten(r.children)])
}

/** The column a field references: the instance's dictionary, else the set's own sys_dictionary records. */
function referenceOf(db: Database, pkg: AppPackage | undefined, table: string, field: string): string | undefined {
  if (db.tableExists(table)) {
    const column = db.dictionary.lineage(table).map((t) => db.dictionary.get(t)?.columns.get(field)).find((c) => c !== undefined)
    if (column) return column.type === 'reference' ? column.reference : undefined
  }
  return pkg?.tables.find((t) => t.name === table)?.columns.find((c) => c.name === field)?.reference
}

function scopeProblems(db: Database, set: Record<string, unknown>, pkg: AppPackage | undefined): PreviewProblem[] {
  const application = String(set.application ?? '')
  if (application === '' || application === 'global') return []
  const problem = (description: string): PreviewProblem => ({ type: 'error', description, remoteUpdate: '', missingItemTable: 'sys_scope', missingItem: application })
  const local = db.findStored('sys_scope', application)?.row
  const scope = String(set.application_scope ?? '')
  if (local) {
    // [U] a scope sys_id whose local application has another scope name
    return scope && local.scope !== scope ? [problem(`Application scope validation issue: the application ${application} is ${String(local.scope)} on this instance, the update set names ${scope}`)] : []
  }
  if (pkg?.scopeId === application) {
    // [U] the set carries the application, but another application (another sys_id) holds its scope here
    const holder = [...db.scan('sys_scope')].map((r) => r.row).find((r) => r.scope === pkg.scope)
    return holder ? [problem(`Application scope validation issue: the scope ${pkg.scope} belongs to another application on this instance (${String(holder.sys_id)})`)] : []
  }
  return [problem(`Application scope validation issue: the application ${application} (${scope || 'unknown scope'}) is not on this instance and the update set does not include it`)]
}

function collisionProblems(db: Database, updates: readonly ParsedUpdate[], mode: Switches['updateSetCollision']): PreviewProblem[] {
  const out: PreviewProblem[] = []
  for (const { update } of updates) {
    const remoteDate = String(update.sys_updated_on ?? '')
    const local = db
      .query(UPDATE_SET_TABLES.update, `name=${escapeQueryValue(String(update.name))}^update_setISNOTEMPTY^ORDERBYDESCsys_updated_on`, { limit: 1 })[0]
    if (!local) continue
    const localDate = String(local.sys_updated_on ?? '')
    const collides = mode === 'different-date' ? localDate !== remoteDate : localDate > remoteDate
    if (collides) out.push({ type: 'error', description: `Found a local update that is newer than this one (local ${localDate}, update set ${remoteDate})`, remoteUpdate: String(update.sys_id), missingItemTable: '', missingItem: '' })
  }
  return out
}

/**
 * Single-column coalesce strategies (update-set-collisions.md "Coalesce strategies"): a reference to such a table is
 * rewritten to the target instance's record of that name, so it resolves by the reference's display value.
 */
const COALESCE_COLUMN: Record<string, string> = { sys_user_role: 'name', sys_db_object: 'name', sys_properties: 'name', sys_user_group: 'name', sys_ui_view: 'name' }

function resolvesByCoalesce(db: Database, table: string, display: string | undefined): boolean {
  const column = COALESCE_COLUMN[table]
  if (!column || !display || !db.tableExists(table)) return false
  return db.query(table, `${column}=${escapeQueryValue(display)}`, { limit: 1 }).length > 0
}

/** The set's application itself is checked by scopeProblems, so a reference to it is no missing object here. */
function missingReferenceProblems(db: Database, updates: readonly ParsedUpdate[], pkg: AppPackage | undefined, application: string, type: PreviewProblem['type']): PreviewProblem[] {
  const shipped = new Set(updates.flatMap((u) => (u.record ? flatten([u.record]).map((r) => r.sysId) : [])))
  shipped.add(application)
  const out: PreviewProblem[] = []
  for (const { update, record } of updates) {
    if (!record || record.action === 'DELETE') continue
    for (const r of flatten([record])) {
      for (const [field, value] of Object.entries(r.fields)) {
        if (field === 'sys_id' || !SYS_ID.test(value) || shipped.has(value)) continue
        const target = referenceOf(db, pkg, r.table, field)
        if (!target || (db.tableExists(target) && db.findStored(db.dictionary.root(target), value))) continue
        if (resolvesByCoalesce(db, target, r.displayValues[field])) continue
        out.push({ type, description: `Could not find a record in ${target} for column ${field} referenced in this update`, remoteUpdate: String(update.sys_id), missingItemTable: target, missingItem: value })
      }
    }
  }
  return out
}

/** Preview: replaces the set's problems with what the instance finds now ("Run Preview Again" does the same). */
export function previewUpdateSet(db: Database, sysId: string, switches: Switches, user: SessionUser): { problems: PreviewProblem[] } {
  const set = requireSet(db, sysId)
  if (set.state === 'committed') throw new UpdateSetError(`The update set ${String(set.name)} is already committed`, 'a committed set cannot be previewed again', 'upload the XML again to re-import it')
  const writer = { user: user.userName, skipRules: true }
  for (const old of db.query(UPDATE_SET_TABLES.problem, `remote_update_set=${sysId}`)) db.delete(UPDATE_SET_TABLES.problem, old.sys_id as string, writer)
  const updates = parseUpdates(db, sysId)
  const pkg = packageOf(updates)
  const problems: PreviewProblem[] = [
    ...updates.filter((u) => u.problem).map((u) => ({ type: 'error' as const, description: `The update's payload cannot be read: ${u.problem}`, remoteUpdate: String(u.update.sys_id), missingItemTable: '', missingItem: '' })),
    ...scopeProblems(db, set, pkg),
    ...collisionProblems(db, updates, switches.updateSetCollision),
    ...missingReferenceProblems(db, updates, pkg, String(set.application ?? ''), switches.updateSetMissingReference),
  ]
  for (const p of problems) {
    db.insert(UPDATE_SET_TABLES.problem, { type: p.type, status: '', description: p.description, remote_update_set: sysId, remote_update: p.remoteUpdate, missing_item_table: p.missingItemTable, missing_item: p.missingItem }, writer)
  }
  db.update(UPDATE_SET_TABLES.remote, sysId, { state: 'previewed' }, writer)
  return { problems }
}

/**
 * Commit. A problem resolved with status `skipped` ("Skip remote update") leaves its update out; any other
 * non-empty status (accepted, ignored) counts as resolved.
 */
export async function commitUpdateSet(db: Database, apps: AppManager, sysId: string, switches: Switches, user: SessionUser): Promise<{ applied: number; localUpdateSet: string }> {
  const set = requireSet(db, sysId)
  if (set.state !== 'previewed') {
    throw new UpdateSetError(`The update set ${String(set.name)} is ${String(set.state)}, not previewed`, 'the UI offers Commit Update Set only after a preview', set.state === 'committed' ? 'nothing to do: it is committed' : 'preview it first (Preview Update Set)')
  }
  const problems = db.query(UPDATE_SET_TABLES.problem, `remote_update_set=${sysId}`)
  const open = problems.filter((p) => p.type === 'error' && (p.status ?? '') === '')
  if (open.length > 0) {
    throw new UpdateSetError(
      `The update set ${String(set.name)} has ${open.length} unresolved preview problem${open.length === 1 ? '' : 's'}: ${open.map((p) => String(p.description)).join('; ')}`,
      "You can't commit an update set until all problems are resolved (t_CommitAnUpdateSet.md)",
      'resolve each problem in the Update Set Preview Problems related list (accept or skip the remote update), then commit',
    )
  }
  const skipped = new Set(problems.filter((p) => p.status === 'skipped').map((p) => String(p.remote_update)))
  const updates = parseUpdates(db, sysId).filter((u) => !skipped.has(String(u.update.sys_id)))
  const pkg = packageOf(updates)
  if (!pkg) {
    throw new UpdateSetError(
      `The update set ${String(set.name)} carries no application record`,
      'the emulator commits update sets that carry their application (sys_app), as toUpdateSetXml writes them; other sets are not emulated',
      'export the update set from the built app (`app-package <app> --update-set`)',
    )
  }
  await apps.commitPackage(pkg, user)
  const writer = { user: user.userName, skipRules: true }
  const local = db.insert(UPDATE_SET_TABLES.local, { name: String(set.name), state: 'complete', application: pkg.scopeId, remote_sys_id: sysId }, writer)
  for (const { update } of updates) {
    const copy = db.insert(UPDATE_SET_TABLES.update, { name: update.name, action: update.action, type: update.type, target_name: update.target_name, application: update.application, payload: update.payload, update_set: local.sys_id, remote_update_set: '' }, writer)
    db.patchStored(UPDATE_SET_TABLES.update, copy.sys_id as string, { sys_updated_on: String(update.sys_updated_on ?? '') })
  }
  db.update(UPDATE_SET_TABLES.remote, sysId, { state: 'committed', commit_date: glideDateTime(db.now()), update_set: local.sys_id }, writer)
  return { applied: updates.length, localUpdateSet: local.sys_id as string }
}
