// Issue 17: the built app's update set (toUpdateSetXml), imported as an admin imports one (upload as a retrieved
// update set, preview, commit; tools/instance-emulator/README.md "Update sets"), yields exactly the records the package
// install writes, and the instance then deploys with the app left as it is (--app-source store) and passes verify.
// Seeded update sets show the preview's problems row for row: a scope the instance lacks, a collision with a newer
// local update, a missing reference; each where the switches decide, under both variants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP, EXIT_CODES } from '@kandji-sn/contract'
import { readAppPackage, toUpdateSetXml, type AppPackage, type AppRecord } from '@kandji-sn/app-package'
import { loadKandjiApp, startEmulator, UpdateSetError, type Emulator, type EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { explain, request, startInstance, type Instance } from './support/instance.ts'

const DATE = '2026-01-15 10:00:00'

/**
 * The fields that may differ between the two installs: when the row was written (each instance writes at its own
 * time). Everything else, including who wrote it (admin on both) and sys_mod_count, must be equal; a reference to a
 * platform record (a base role, a parent table) is compared by the record it names, as each emulated instance seeds
 * its base records under its own sys_ids (a real instance's baseline records have the same sys_id everywhere,
 * update-set-collisions.md), while a reference to one of the app's own records must be the same sys_id.
 */
const WRITE_TIME = ['sys_created_on', 'sys_updated_on'] as const

function flatten(records: readonly AppRecord[]): AppRecord[] {
  return records.flatMap((r) => [r, ...flatten(r.children)])
}

let pkg: AppPackage
let zip: string
beforeAll(async () => {
  zip = (await loadKandjiApp()).zip
  pkg = await readAppPackage(zip)
})

/** Table -> sys_id -> the stored row without its write times, for every record the package ships. */
function appRecords(emu: Emulator): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {}
  for (const r of flatten(pkg.records)) {
    if (!r.sysId || r.action === 'delete_multiple') continue
    const stored = emu.db.findStored(emu.db.dictionary.root(r.table), r.sysId)
    const row: Record<string, unknown> = stored ? { ...stored.row, '(class)': stored.table } : { '(missing)': true }
    for (const f of WRITE_TIME) delete row[f]
    if (stored) for (const [field, value] of Object.entries(row)) row[field] = platformReference(emu, stored.table, field, value)
    ;(out[r.table] ??= {})[r.sysId] = row
  }
  return out
}

/** A reference to a record the app does not ship, as `<table>:<display value>`; any other value as it is. */
function platformReference(emu: Emulator, table: string, field: string, value: unknown): unknown {
  const column = emu.db.dictionary.columns(table).find((c) => c.name === field)
  if (column?.type !== 'reference' || !column.reference || typeof value !== 'string' || value === '' || shipped().has(value)) return value
  const target = emu.db.findStored(emu.db.dictionary.root(column.reference), value)
  return target ? `${column.reference}:${String(target.row[emu.db.dictionary.displayField(target.table)])}` : value
}

let shippedIds: Set<string> | undefined
function shipped(): Set<string> {
  shippedIds ??= new Set([pkg.scopeId, ...flatten(pkg.records).map((r) => r.sysId)])
  return shippedIds
}

/** The app's tables as the dictionary holds them: label, parent, scope, display field, every column. */
function appTables(emu: Emulator) {
  return pkg.tables.map((t) => {
    const def = emu.db.dictionary.get(t.name)
    return { name: t.name, label: def?.label, extends: def?.extends, scopeId: def?.scopeId, displayField: def?.displayField, columns: [...emu.db.dictionary.columns(t.name)].sort((a, b) => a.name.localeCompare(b.name)) }
  })
}

/** Every application file the instance holds in the app's scope, as table:sys_id. */
function scopeFiles(emu: Emulator): string[] {
  return emu.db.query('sys_metadata', `sys_scope=${pkg.scopeId}`).map((r) => `${String(r.sys_class_name)}:${String(r.sys_id)}`).sort()
}

async function tableGet(inst: Instance, path: string): Promise<unknown> {
  const res = await request(inst, `/api/now/table/${path}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return (res.body as { result: unknown }).result
}

async function problemRows(inst: Instance, setId: string) {
  return tableGet(inst, `sys_update_preview_problem?sysparm_query=remote_update_set=${setId}^ORDERBYdescription&sysparm_fields=type,status,description,remote_update,missing_item_table,missing_item&sysparm_exclude_reference_link=true`)
}

describe('the exported update set round trip', () => {
  let viaUpdateSet: Instance
  let viaPackage: Emulator
  let setId: string
  beforeAll(async () => {
    viaUpdateSet = await startInstance()
    viaPackage = await startEmulator()
    await viaPackage.installApp(zip)
  }, 60_000)
  afterAll(async () => {
    await viaUpdateSet?.close()
    await viaPackage?.close()
  })

  it('uploads as a loaded retrieved update set with one customer update per record', async () => {
    ;({ sysId: setId } = await viaUpdateSet.emulator.updateSets.upload(toUpdateSetXml(pkg, { date: DATE })))
    expect(await tableGet(viaUpdateSet, `sys_remote_update_set/${setId}?sysparm_fields=state,application,application_scope,application_version,name`)).toEqual({
      state: 'loaded',
      application: pkg.scopeId,
      application_scope: APP.scope,
      application_version: pkg.version,
      name: `${pkg.name} ${pkg.version}`,
    })
    const updates = (await tableGet(viaUpdateSet, `sys_update_xml?sysparm_query=remote_update_set=${setId}&sysparm_fields=name,action,sys_updated_on&sysparm_limit=1000`)) as Array<{ name: string; action: string; sys_updated_on: string }>
    expect(updates.map((u) => u.name).sort()).toEqual(pkg.records.map((r) => r.fields['sys_update_name'] || `${r.table}_${r.sysId}`).sort())
    expect(Object.fromEntries(updates.map((u) => [u.name, `${u.action} ${u.sys_updated_on}`]))).toEqual(
      Object.fromEntries(pkg.records.map((r) => [r.fields['sys_update_name'] || `${r.table}_${r.sysId}`, `${r.action === 'DELETE' ? 'DELETE' : 'INSERT_OR_UPDATE'} ${DATE}`])),
    )
  })

  it('previews with no problem and commits', async () => {
    expect((await viaUpdateSet.emulator.updateSets.preview(setId)).problems).toEqual([])
    expect(await problemRows(viaUpdateSet, setId)).toEqual([])
    expect(await tableGet(viaUpdateSet, `sys_remote_update_set/${setId}?sysparm_fields=state`)).toEqual({ state: 'previewed' })
    expect((await viaUpdateSet.emulator.updateSets.commit(setId)).applied).toBe(pkg.records.length)
    expect(await tableGet(viaUpdateSet, `sys_remote_update_set/${setId}?sysparm_fields=state`)).toEqual({ state: 'committed' })
  })

  it('yields the records of the package install, table by table, sys_id by sys_id, field by field', () => {
    const committed = appRecords(viaUpdateSet.emulator)
    const installed = appRecords(viaPackage)
    expect(Object.keys(committed).sort()).toEqual(Object.keys(installed).sort())
    for (const table of Object.keys(installed)) expect({ table, rows: committed[table] }).toEqual({ table, rows: installed[table] })
    // nothing was left out: every shipped record exists, but the ones the package deletes
    const missing = Object.entries(committed).flatMap(([table, rows]) => Object.entries(rows).filter(([, r]) => r['(missing)']).map(([id]) => `${table}:${id}`))
    expect(missing.sort()).toEqual(flatten(pkg.records).filter((r) => r.action === 'DELETE').map((r) => `${r.table}:${r.sysId}`).sort())
  })

  it('yields the same tables and columns, though the update set carries no dictionary/*.xml bootstrap', () => {
    expect(appTables(viaUpdateSet.emulator)).toEqual(appTables(viaPackage))
  })

  it('holds no other application file in the scope than the package install', () => {
    const files = scopeFiles(viaPackage)
    expect(files.length).toBeGreaterThan(100)
    expect(scopeFiles(viaUpdateSet.emulator)).toEqual(files)
  })

  it('is no install: no upgrade history row, and a local update set with a copy of each update', async () => {
    expect(viaUpdateSet.emulator.db.count('sys_upgrade_history', `to_version=${APP.scope}`)).toBe(0)
    const [local] = (await tableGet(viaUpdateSet, `sys_update_set?sysparm_query=remote_sys_id=${setId}&sysparm_fields=sys_id,state,application&sysparm_exclude_reference_link=true`)) as Array<{ sys_id: string; state: string; application: string }>
    expect(local).toMatchObject({ state: 'complete', application: pkg.scopeId })
    expect(viaUpdateSet.emulator.db.count('sys_update_xml', `update_set=${local!.sys_id}`)).toBe(pkg.records.length)
  })

  it('deploys with the app left as it is (--app-source store) and passes verify', async () => {
    const deploy = await viaUpdateSet.cli(['deploy', '--yes', '--json', '--app-source', 'store', '--credentials-out', viaUpdateSet.handoffPath])
    expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
    const applied = (deploy.json?.applied as Array<{ step: string }>).filter((a) => a.step === 'app')
    expect(applied).toEqual([])
    const verified = await viaUpdateSet.verify()
    expect(verified.code, explain(verified)).toBe(EXIT_CODES.ok)
    expect(verified.report?.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status}`)).toEqual([])
  }, 120_000)

  it('refuses a second commit of the committed set', async () => {
    await expect(viaUpdateSet.emulator.updateSets.commit(setId)).rejects.toThrow(/is committed, not previewed\ncause: .*\nfix: {3}nothing to do: it is committed/)
  })
})

describe('seeded update sets: the preview problems, row for row', () => {
  let inst: Instance
  afterAll(async () => inst?.close())

  async function fresh(switches: Partial<EmulatorSwitches> = {}): Promise<Instance> {
    await inst?.close()
    inst = await startInstance({ switches })
    return inst
  }

  /** The package without some of its records (an update set someone exported incompletely). */
  function without(drop: (r: AppRecord) => boolean): AppPackage {
    return { ...pkg, records: pkg.records.filter((r) => !drop(r)) }
  }

  it('an update set for a scope the instance lacks (the application record left out)', async () => {
    const i = await fresh()
    const { sysId } = await i.emulator.updateSets.upload(toUpdateSetXml(without((r) => r.table === 'sys_app'), { date: DATE }))
    await i.emulator.updateSets.preview(sysId)
    expect(await problemRows(i, sysId)).toEqual([
      {
        type: 'error',
        status: '',
        description: `Application scope validation issue: the application ${pkg.scopeId} (${APP.scope}) is not on this instance and the update set does not include it`,
        remote_update: '',
        missing_item_table: 'sys_scope',
        missing_item: pkg.scopeId,
      },
    ])
    await expect(i.emulator.updateSets.commit(sysId)).rejects.toThrow(UpdateSetError)
    expect(i.emulator.db.findStored('sys_scope', pkg.scopeId)).toBeUndefined()
  })

  it('an update set whose scope another application holds here (the vendor Store app)', async () => {
    const i = await fresh()
    const vendor = await i.emulator.installVendorStoreApp()
    const { sysId } = await i.emulator.updateSets.upload(toUpdateSetXml(pkg, { date: DATE }))
    await i.emulator.updateSets.preview(sysId)
    expect(await problemRows(i, sysId)).toEqual([
      {
        type: 'error',
        status: '',
        description: `Application scope validation issue: the scope ${APP.scope} belongs to another application on this instance (${vendor.sysId})`,
        remote_update: '',
        missing_item_table: 'sys_scope',
        missing_item: pkg.scopeId,
      },
    ])
  })

  const script = () => pkg.records.find((r) => r.table === 'sys_script_include')!
  const updateName = (r: AppRecord) => r.fields['sys_update_name'] || `${r.table}_${r.sysId}`

  describe.each(['different-date', 'newer-local'] as const)('collision detection %s', (mode) => {
    it.each([
      ['newer', '2026-02-01 00:00:00', true],
      ['older', '2025-12-01 00:00:00', mode === 'different-date'],
      ['same-dated', DATE, false],
    ] as const)('a %s local update of the script include', async (_label, localDate, collides) => {
      const i = await fresh({ updateSetCollision: mode })
      // someone changed the script include on this instance: a local customer update of the same name
      const local = i.emulator.db.insert('sys_update_set', { name: 'Local changes', state: 'complete' })
      const row = i.emulator.db.insert('sys_update_xml', { name: updateName(script()), update_set: local.sys_id, payload: '<record_update/>' })
      i.emulator.db.findStored('sys_update_xml', row.sys_id as string)!.row.sys_updated_on = localDate
      const { sysId } = await i.emulator.updateSets.upload(toUpdateSetXml(pkg, { date: DATE }))
      await i.emulator.updateSets.preview(sysId)
      const [remote] = i.emulator.db.query('sys_update_xml', `remote_update_set=${sysId}^name=${updateName(script())}`)
      expect(await problemRows(i, sysId)).toEqual(
        collides ? [{ type: 'error', status: '', description: `Found a local update that is newer than this one (local ${localDate}, update set ${DATE})`, remote_update: remote!.sys_id, missing_item_table: '', missing_item: '' }] : [],
      )
    })
  })

  it('a collision accepted (status set on the problem) lets the commit through', async () => {
    const i = await fresh()
    const local = i.emulator.db.insert('sys_update_set', { name: 'Local changes', state: 'complete' })
    const row = i.emulator.db.insert('sys_update_xml', { name: updateName(script()), update_set: local.sys_id, payload: '<record_update/>' })
    i.emulator.db.findStored('sys_update_xml', row.sys_id as string)!.row.sys_updated_on = '2026-02-01 00:00:00'
    const { sysId } = await i.emulator.updateSets.upload(toUpdateSetXml(pkg, { date: DATE }))
    await i.emulator.updateSets.preview(sysId)
    await expect(i.emulator.updateSets.commit(sysId)).rejects.toThrow(/has 1 unresolved preview problem: Found a local update that is newer than this one/)
    const [problem] = i.emulator.db.query('sys_update_preview_problem', `remote_update_set=${sysId}`)
    const res = await request(i, `/api/now/table/sys_update_preview_problem/${String(problem!.sys_id)}`, { method: 'PATCH', body: { status: 'accepted' } })
    expect(res.status).toBe(200)
    expect((await i.emulator.updateSets.commit(sysId)).applied).toBe(pkg.records.length)
  })

  describe.each(['error', 'warning'] as const)('a missing reference as %s', (type) => {
    it('an ACL role row whose ACL the update set leaves out', async () => {
      const i = await fresh({ updateSetMissingReference: type })
      const aclRole = pkg.records.find((r) => r.table === 'sys_security_acl_role')!
      const aclId = aclRole.fields['sys_security_acl']!
      const referencing = pkg.records.filter((r) => r.table === 'sys_security_acl_role' && r.fields['sys_security_acl'] === aclId)
      const { sysId } = await i.emulator.updateSets.upload(toUpdateSetXml(without((r) => r.sysId === aclId), { date: DATE }))
      await i.emulator.updateSets.preview(sysId)
      const remoteIds = referencing.map((r) => String(i.emulator.db.query('sys_update_xml', `remote_update_set=${sysId}^name=${updateName(r)}`)[0]?.sys_id))
      const rows = (await problemRows(i, sysId)) as Array<{ remote_update: string }>
      expect(rows.map((r) => ({ ...r })).sort((a, b) => a.remote_update.localeCompare(b.remote_update))).toEqual(
        remoteIds.sort().map((remote) => ({ type, status: '', description: 'Could not find a record in sys_security_acl for column sys_security_acl referenced in this update', remote_update: remote, missing_item_table: 'sys_security_acl', missing_item: aclId })),
      )
      expect(referencing.length).toBeGreaterThan(0)
      if (type === 'error') await expect(i.emulator.updateSets.commit(sysId)).rejects.toThrow(/unresolved preview problem/)
      else expect((await i.emulator.updateSets.commit(sysId)).applied).toBe(pkg.records.length - 1)
    })
  })
})

describe('malformed uploads and out-of-order steps are refused with what, cause and fix', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator()
  })
  afterAll(async () => emu?.close())

  it.each([
    ['not XML', '<unload><sys_remote_update_set>', /^The file is not XML: .*\ncause: the file was truncated or is not an update set export\nfix: {3}export the update set again/],
    ['another root', '<?xml version="1.0"?><record_update table="sys_app"><sys_app/></record_update>', /^The file's root element is <record_update>, not <unload>\ncause: this is not an XML export of records\nfix: /],
    ['no set record', '<unload unload_date="2026-01-01 00:00:00"></unload>', /^The file holds 0 sys_remote_update_set records, not one\ncause: /],
    ['two set records', `<unload><sys_remote_update_set><sys_id>${'a'.repeat(32)}</sys_id></sys_remote_update_set><sys_remote_update_set><sys_id>${'b'.repeat(32)}</sys_id></sys_remote_update_set></unload>`, /^The file holds 2 sys_remote_update_set records, not one/],
    ['a set without a sys_id', '<unload><sys_remote_update_set><name>x</name></sys_remote_update_set></unload>', /^The sys_remote_update_set has no valid sys_id \(none\)/],
    ['an update with a bad sys_id', `<unload><sys_remote_update_set><sys_id>${'a'.repeat(32)}</sys_id></sys_remote_update_set><sys_update_xml><name>u</name><sys_id>nope</sys_id></sys_update_xml></unload>`, /^A sys_update_xml \(u\) has no valid sys_id/],
  ])('%s', async (_label, xml, message) => {
    const before = emu.db.count('sys_remote_update_set')
    await expect(emu.updateSets.upload(xml)).rejects.toThrow(message)
    expect(emu.db.count('sys_remote_update_set')).toBe(before)
  })

  it('a commit before the preview, and a preview of a set that does not exist', async () => {
    const { sysId } = await emu.updateSets.upload(toUpdateSetXml(pkg, { date: DATE }))
    await expect(emu.updateSets.commit(sysId)).rejects.toThrow(/is loaded, not previewed\ncause: the UI offers Commit Update Set only after a preview\nfix: {3}preview it first/)
    await expect(emu.updateSets.preview('0'.repeat(32))).rejects.toThrow(/^No retrieved update set 0{32}\ncause: it was never uploaded/)
  })

  it('a payload that is not a record: an error problem on that update, the commit refused', async () => {
    // the script include's payload cut short
    const xml = toUpdateSetXml(pkg, { date: DATE }).replace(/(<name>sys_script_include_[0-9a-f]{32}<\/name><payload>)[^<]*(<\/payload>)/, '$1&lt;record_update&gt;&lt;sys_script_include&gt;$2')
    expect(xml).toContain('&lt;record_update&gt;&lt;sys_script_include&gt;</payload>')
    const { sysId } = await emu.updateSets.upload(xml)
    const { problems } = await emu.updateSets.preview(sysId)
    expect(problems.map((p) => [p.type, p.description.split(':')[0]])).toEqual([['error', "The update's payload cannot be read"]])
    await expect(emu.updateSets.commit(sysId)).rejects.toThrow(/1 unresolved preview problem/)
  })
})
