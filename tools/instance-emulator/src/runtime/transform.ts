// Transform maps, run from the installed records: for each active sys_transform_map on the staging table, in
// order — onStart (once per import set), coalesce lookup, onBefore scripts, field maps (sys_transform_entry),
// the map script, the target write, onAfter, onComplete — then the staging row's sys_import_state,
// sys_import_state_comment, sys_target_sys_id and sys_target_table are updated and the Import Set API outcome is
// returned. Transform globals: source, target, map, log, action, ignore, error, error_message, status_message.
import { escapeQueryValue } from '../db/query.ts'
import type { Database } from '../db/database.ts'
import type { ImportRowOutcome, SessionUser, TableRecordRow } from '../types.ts'
import type { ExecutionContext } from './context.ts'
import { GlideRecordCore, wrapRecord } from './glide/record.ts'
import { toGlideString } from './glide/values.ts'
import { errorMessage, Sandbox } from './sandbox.ts'
import { scopeNameOf } from './scope.ts'
import { writeImportLog, writeSyslog, type LogLevel } from './syslog.ts'

export type ImportState = 'inserted' | 'updated' | 'ignored' | 'skipped' | 'error'

export interface TransformInput {
  stagingTable: string
  row: TableRecordRow
  importSetId: string
  user: SessionUser
  db: Database
  /** Told when error = true in an onBefore script halts the import set (switch onBeforeError). */
  onHalt?: (message: string) => void
  /** The batch the row belongs to (ScriptRuntime.transformRow): its rows share a sandbox per map. */
  batch?: object
}

/** What error = true in onBefore does: halt the import set (r_MapWithTransformationEventScripts.md) or fail the row. */
export type OnBeforeError = 'halt-import-set' | 'row'

type MakeContext = (db: Database, user: SessionUser, scope: string) => ExecutionContext

interface RowResult {
  outcome: ImportRowOutcome
  state: ImportState
  comment: string
  targetSysId: string
  targetTable: string
  mapId: string
  /** error = true was set by an onBefore script */
  haltedByOnBefore?: boolean
}

/** Where the scripts of a transform keep their globals (switch transformScriptScope). */
export type TransformScriptScope = 'import-run' | 'row'

/** The sandboxes of each batch, by map, scope and user; gone with the batch object. */
const batchSandboxes = new WeakMap<object, Map<string, Sandbox>>()

/**
 * The batch's sandbox for this map, or a new one (scope 'row', no batch, the first row, or the previous row's
 * script threw or timed out: a half-evaluated module must not serve the next row).
 */
function sandboxFor(input: TransformInput, map: TableRecordRow, ctx: ExecutionContext, scriptScope: TransformScriptScope): Sandbox {
  if (!input.batch || scriptScope === 'row') return new Sandbox(ctx)
  let sandboxes = batchSandboxes.get(input.batch)
  if (!sandboxes) batchSandboxes.set(input.batch, (sandboxes = new Map<string, Sandbox>()))
  const key = `${map.sys_id}:${ctx.scope}:${ctx.user.sysId}`
  const reused = sandboxes.get(key)
  if (reused && !reused.failed) return reused
  const sandbox = new Sandbox(ctx)
  sandboxes.set(key, sandbox)
  return sandbox
}

const TRANSFORM_GLOBALS = ['ignore', 'error', 'error_message', 'status_message', 'answer', 'action'] as const

/** Import sets whose onStart scripts already ran, per map (bounded: oldest forgotten first). */
export class OnStartTracker {
  readonly #seen = new Set<string>()
  firstTime(importSetId: string, mapId: string): boolean {
    const key = `${importSetId}:${mapId}`
    if (this.#seen.has(key)) return false
    if (this.#seen.size > 10_000) this.#seen.delete(this.#seen.values().next().value as string)
    this.#seen.add(key)
    return true
  }
}

function importLog(db: Database, importSetId: string, source: string, user: string): object {
  const write = (level: LogLevel) => (message: unknown) => writeImportLog(db, level, toGlideString(message), source, importSetId, user)
  return { info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug') }
}

function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1'
}

export function transformRow(
  input: TransformInput,
  makeContext: MakeContext,
  onStart: OnStartTracker,
  onBeforeError: OnBeforeError = 'halt-import-set',
  scriptScope: TransformScriptScope = 'import-run',
): ImportRowOutcome[] {
  const { db, stagingTable, row } = input
  const maps = db.query('sys_transform_map', `source_table=${escapeQueryValue(stagingTable)}^active=true^ORDERBYorder`)
  if (maps.length === 0) {
    // Without a map the platform leaves the row pending; say so in the outcome.
    return [{ status: 'ignored', status_message: `No active transform map has source table ${stagingTable}; the row stays pending.` }]
  }
  const results: RowResult[] = []
  for (const map of maps) {
    const result = transformWithMap(input, map, makeContext, onStart, scriptScope)
    results.push(result)
    if (result.haltedByOnBefore && onBeforeError === 'halt-import-set') {
      input.onHalt?.(result.comment)
      break
    }
  }
  const decisive = results.find((r) => r.state === 'error') ?? results[results.length - 1] as RowResult
  db.update(
    stagingTable,
    row.sys_id as string,
    {
      sys_import_state: decisive.state,
      sys_import_state_comment: decisive.comment,
      sys_target_sys_id: decisive.targetSysId,
      sys_target_table: decisive.targetTable,
      sys_transform_map: decisive.mapId,
    },
    { user: input.user.userName },
  )
  return results.map((r) => r.outcome)
}

function transformWithMap(input: TransformInput, map: TableRecordRow, makeContext: MakeContext, onStart: OnStartTracker, scriptScope: TransformScriptScope): RowResult {
  const { db, user, stagingTable, importSetId } = input
  const mapName = map.name ?? ''
  const targetTable = map.target_table ?? ''
  const scope = scopeNameOf(db, map)
  const ctx = makeContext(db, user, scope)
  const base = { transform_map: mapName, table: targetTable }
  const fail = (message: string, targetSysId = ''): RowResult => ({
    outcome: { ...base, status: 'error', error_message: message, status_message: message },
    state: 'error',
    comment: message,
    targetSysId,
    targetTable,
    mapId: map.sys_id as string,
  })
  if (!db.tableExists(targetTable)) return fail(`Transform map ${mapName}: target table ${targetTable} does not exist`)

  const entries = db.query('sys_transform_entry', `map=${map.sys_id}`)
  const scripts = db.query('sys_transform_script', `map=${map.sys_id}^active!=false^ORDERBYorder`)
  const scriptsFor = (when: string) => scripts.filter((s) => (s.when ?? '').toLowerCase() === when.toLowerCase())

  const sandbox = sandboxFor(input, map, ctx, scriptScope)
  const source = new GlideRecordCore(ctx, stagingTable, false)
  if (!source.get(input.row.sys_id)) return fail(`The staging row ${input.row.sys_id} of ${stagingTable} was not found`)
  const target = new GlideRecordCore(ctx, targetTable, false)
  // The engine's own read of its map (the `map` global) is not a script's cross-scope access; its reads and writes
  // of the target are (a transform map is an app file, in the app's scope).
  const mapRecord = new GlideRecordCore({ ...ctx, scopeAllows: () => true }, 'sys_transform_map', false)
  mapRecord.get(map.sys_id)
  const globals: Record<string, unknown> = {
    source: wrapRecord(source, 'GlideRecord'),
    target: wrapRecord(target, 'GlideRecord'),
    map: wrapRecord(mapRecord, 'GlideRecord'),
    log: importLog(db, importSetId, mapName, user.userName),
    ignore: false,
    error: false,
    error_message: undefined,
    status_message: undefined,
    answer: undefined,
    action: 'insert',
  }
  const context = sandbox.context as Record<string, unknown>
  const read = () => Object.fromEntries(TRANSFORM_GLOBALS.map((k) => [k, context[k]])) as Record<(typeof TRANSFORM_GLOBALS)[number], unknown>
  const runScript = (code: string, label: string) => sandbox.run(code, `${mapName}:${label}`, {})

  try {
    Object.assign(context, globals)
    if (onStart.firstTime(importSetId, map.sys_id as string)) {
      for (const s of scriptsFor('onStart')) runScript(s.script ?? '', 'onStart')
    }

    // A field map's value: the source field or its source script's answer; a reference with a "referenced value
    // field" is resolved to the sys_id of the record that has that value (choice_action decides when none does).
    type Mapped = { value: string } | { reject: string } | { ignore: true } | { skip: true }
    const mappedValue = (entry: TableRecordRow): Mapped => {
      let value: string
      if (isTrue(entry.use_source_script)) {
        context.answer = undefined
        runScript(entry.source_script ?? '', `field map ${entry.target_field}`)
        value = toGlideString(context.answer)
      } else value = source.rawValue(entry.source_field ?? '')
      const field = entry.target_field ?? ''
      const column = db.dictionary.column(targetTable, field)
      if (column?.type !== 'reference' || !column.reference || value === '' || !entry.reference_value_field) return { value }
      const ref = db.query(column.reference, `${entry.reference_value_field}=${escapeQueryValue(value)}`, { limit: 1 })[0]
      if (ref) return { value: ref.sys_id as string }
      const choice = entry.choice_action || 'create'
      if (choice === 'reject') return { reject: `No ${column.reference} record has ${entry.reference_value_field}=${value} (field map ${field}, choice action reject)` }
      if (choice === 'ignore') return { ignore: true }
      log(db, 'warn', `Transform ${mapName}: creating a ${column.reference} record for ${field}=${value} is not emulated; ${field} left empty`, scope, user.userName)
      return { skip: true }
    }
    const apply = (m: Mapped): string | undefined => {
      if ('reject' in m) {
        context.error = true
        context.error_message = m.reject
      } else if ('ignore' in m) context.ignore = true
      else if ('value' in m) return m.value
      return undefined
    }

    // Coalesce: find the target record by the coalesce field maps.
    const coalesce = entries.filter((e) => isTrue(e.coalesce))
    const coalesceValues: Array<{ field: string; value: string }> = []
    for (const entry of coalesce) {
      const value = apply(mappedValue(entry))
      if (value === undefined) break
      coalesceValues.push({ field: entry.target_field ?? '', value })
    }
    let g = read()
    if (coalesce.length > 0 && g.error !== true && g.ignore !== true) {
      const allEmpty = coalesceValues.every((v) => v.value === '')
      if (!(allEmpty && isTrue(map.create_new_record_on_empty_coalesce_fields))) {
        const probe = new GlideRecordCore(ctx, targetTable, false)
        // ASSUMPTION: an empty coalesce value matches a target whose field is empty (the platform's default).
        for (const v of coalesceValues) v.value === '' ? probe.addNullQuery(v.field) : probe.addQuery(v.field, v.value)
        probe.setLimit(1)
        probe.query()
        if (probe.next() && target.get(probe.getUniqueValue())) context.action = 'update'
      }
    }

    let haltedByOnBefore = false
    if (g.error !== true && g.ignore !== true) {
      for (const s of scriptsFor('onBefore')) {
        runScript(s.script ?? '', 'onBefore')
        g = read()
        haltedByOnBefore = g.error === true
        if (g.error === true || g.ignore === true) break
      }
    }
    g = read()
    if (g.error !== true && g.ignore !== true) {
      for (const entry of entries) {
        if (isTrue(entry.coalesce) && context.action === 'update') continue
        const field = entry.target_field ?? ''
        if (!field) continue
        if (!target.hasColumn(field)) {
          db.schemaMisses.push({ table: targetTable, column: field, by: `transform map ${mapName}` })
          continue
        }
        const value = apply(mappedValue(entry))
        if (context.error === true || context.ignore === true) break
        if (value === undefined || (value === '' && !isTrue(map.copy_empty_fields))) continue
        target.setValue(field, value)
      }
      g = read()
      if (g.error !== true && g.ignore !== true && isTrue(map.run_script) && (map.script ?? '').trim() !== '') {
        runScript(map.script ?? '', 'map script')
        g = read()
      }
    }

    if (g.error === true) {
      const message = toGlideString(g.error_message) || toGlideString(g.status_message) || 'The transform script set error=true'
      const result = { ...fail(message), haltedByOnBefore }
      if (g.status_message !== undefined && toGlideString(g.status_message) !== message) result.outcome.status_message = toGlideString(g.status_message)
      runCompletion()
      return result
    }
    if (g.ignore === true) {
      const message = toGlideString(g.status_message)
      runCompletion()
      return {
        outcome: { ...base, status: 'ignored', ...(message ? { status_message: message } : {}) },
        state: 'ignored',
        comment: message,
        targetSysId: '',
        targetTable,
        mapId: map.sys_id as string,
      }
    }

    const isUpdate = context.action === 'update'
    const changed = target.changedFields().length > 0
    const sysId = isUpdate ? target.update() : target.insert()
    if (!sysId) return fail(`${isUpdate ? 'Update' : 'Insert'} of the ${targetTable} record failed (see the system log)`)
    for (const s of scriptsFor('onAfter')) runScript(s.script ?? '', 'onAfter')
    runCompletion()
    // ASSUMPTION: an update that changes nothing is reported as "ignored", as the platform marks unchanged rows.
    const state: ImportState = !isUpdate ? 'inserted' : changed ? 'updated' : 'ignored'
    const statusMessage = toGlideString(read().status_message)
    const displayField = db.dictionary.displayField(targetTable)
    return {
      outcome: {
        ...base,
        display_name: displayField,
        display_value: target.getDisplayValue(),
        record_link: `/api/now/table/${targetTable}/${sysId}`,
        status: state,
        sys_id: sysId,
        ...(statusMessage ? { status_message: statusMessage } : {}),
      },
      state,
      comment: statusMessage,
      targetSysId: sysId,
      targetTable,
      mapId: map.sys_id as string,
    }
  } catch (err) {
    const message = errorMessage(err)
    writeSyslog(db, 'error', `Transform ${mapName} failed on a row of ${stagingTable}: ${message}`, scope, user.userName)
    return fail(message)
  }

  function runCompletion(): void {
    for (const s of scriptsFor('onComplete')) runScript(s.script ?? '', 'onComplete')
  }
}

function log(db: Database, level: LogLevel, message: string, scope: string, user: string): void {
  writeSyslog(db, level, message, scope, user)
}
