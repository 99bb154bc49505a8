import { beforeEach, describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE } from '@kandji-sn/contract/constants'
import type { Database } from '../db/database.ts'
import type { SessionUser } from '../types.ts'
import { createOrUpdateCI, HARDWARE_RULE_ENTRY, type IreOutput } from './ire.ts'
import { adminOf, contextFor, evaluate, testDatabase } from './test-support.ts'

let db: Database
let admin: SessionUser

function ire(source: string, items: unknown[]): IreOutput {
  return JSON.parse(createOrUpdateCI(contextFor(db, admin), source, JSON.stringify({ items }))) as IreOutput
}

function computer(values: Record<string, string>) {
  return { className: 'cmdb_ci_computer', values }
}

beforeEach(() => {
  db = testDatabase()
  admin = adminOf(db)
  db.insert('sys_choice', { name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value: DISCOVERY_SOURCE.value, label: DISCOVERY_SOURCE.label, language: 'en' })
})

describe('IdentificationEngine.createOrUpdateCI', () => {
  it('inserts an unknown computer with the data source as discovery_source', () => {
    const out = ire('Kandji', [computer({ serial_number: 'C02X', name: 'mac-1', os: 'macOS' })])
    expect(out.items[0]).toMatchObject({ className: 'cmdb_ci_computer', operation: 'INSERT', identifierEntrySysId: HARDWARE_RULE_ENTRY, errors: [] })
    const rows = db.query('cmdb_ci_computer', 'serial_number=C02X')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ sys_id: out.items[0]?.sysId, discovery_source: 'Kandji', name: 'mac-1', os: 'macOS' })
  })

  it('identifies by serial number: same values are NO_CHANGE, new values UPDATE, never a duplicate', () => {
    const first = ire('Kandji', [computer({ serial_number: 'C02X', name: 'mac-1' })]).items[0]
    const same = ire('Kandji', [computer({ serial_number: 'C02X', name: 'mac-1' })]).items[0]
    const changed = ire('Kandji', [computer({ serial_number: 'C02X', name: 'mac-renamed' })]).items[0]
    expect([same?.operation, changed?.operation]).toEqual(['NO_CHANGE', 'UPDATE'])
    expect(same?.sysId).toBe(first?.sysId)
    expect(changed?.sysId).toBe(first?.sysId)
    expect(db.query('cmdb_ci_computer')).toHaveLength(1)
    expect(db.get('cmdb_ci_computer', first?.sysId as string)?.name).toBe('mac-renamed')
  })

  it('falls back to the name when the serial number matches nothing (Hardware Rule order)', () => {
    const existing = db.insert('cmdb_ci_computer', { name: 'shared-name', serial_number: '' })
    const out = ire('Kandji', [computer({ serial_number: 'NEW1', name: 'shared-name' })]).items[0]
    expect(out).toMatchObject({ operation: 'UPDATE', sysId: existing.sys_id })
    expect(out?.identificationAttempts.map((a) => a.attemptResult)).toEqual(['NO_MATCH', 'MATCHED'])
  })

  it('refuses a data source that is not a cmdb_ci.discovery_source choice, with the IRE wording, and writes nothing', () => {
    const out = ire('Unknown Tool', [computer({ serial_number: 'C02X', name: 'mac-1' })])
    expect(out.items[0]).toMatchObject({ sysId: 'Unknown', operation: 'NO_CHANGE' })
    expect(out.items[0]?.errors).toEqual([
      { error: 'INVALID_INPUT_DATA', message: 'In payload invalid data source [Unknown Tool] exist. You need to provide a valid choice value from field [discovery_source] in table [cmdb_ci]' },
    ])
    expect(db.query('cmdb_ci_computer')).toHaveLength(0)
  })

  it('refuses the source once its choice is inactive, and an empty source', () => {
    const choice = db.query('sys_choice', 'value=Kandji')[0]
    db.update('sys_choice', choice?.sys_id as string, { inactive: 'true' })
    expect(ire('Kandji', [computer({ serial_number: 'A' })]).items[0]?.errors[0]?.error).toBe('INVALID_INPUT_DATA')
    expect(ire('', [computer({ serial_number: 'A' })]).items[0]?.errors[0]?.message).toMatch(/^In payload no data source exist/)
  })

  it('with skip_duplicates (the default) updates the oldest of duplicate CIs, tags the others and opens one de-duplication task', () => {
    db.now = () => new Date('2026-01-01T00:00:00Z')
    const oldest = db.insert('cmdb_ci_computer', { name: 'a', serial_number: 'DUP' })
    db.now = () => new Date('2026-02-01T00:00:00Z')
    const newer = db.insert('cmdb_ci_computer', { name: 'b', serial_number: 'DUP' })
    const out = ire('Kandji', [computer({ serial_number: 'DUP', name: 'c' })]).items[0]
    expect(out).toMatchObject({ operation: 'UPDATE', sysId: oldest.sys_id, errors: [] })
    expect(db.get('cmdb_ci_computer', newer.sys_id as string)).toMatchObject({ name: 'b', duplicate_of: oldest.sys_id })
    expect(db.query('reconcile_duplicate_task').map((t) => t.duplicate_cis)).toEqual([`${oldest.sys_id},${newer.sys_id}`])
    // The tagged duplicate no longer takes part in matching: the next payload meets one CI and opens no task.
    expect(ire('Kandji', [computer({ serial_number: 'DUP', name: 'c' })]).items[0]).toMatchObject({ operation: 'NO_CHANGE', sysId: oldest.sys_id })
    expect(db.count('reconcile_duplicate_task')).toBe(1)
  })

  it('without skip_duplicates, or above the threshold of 5, refuses duplicates and still opens a de-duplication task', () => {
    for (const i of [1, 2]) db.insert('cmdb_ci_computer', { name: `n${i}`, serial_number: 'DUP' })
    const refused = JSON.parse(createOrUpdateCI({ ...contextFor(db, admin), ire: { skipDuplicates: false, discoverySource: 'insert-only' } }, 'Kandji', JSON.stringify({ items: [computer({ serial_number: 'DUP', name: 'c' })] }))) as IreOutput
    expect(refused.items[0]?.errors[0]).toEqual({ error: 'MULTIPLE_DUPLICATE_RECORDS', message: 'Found duplicate records in table [cmdb_ci_hardware] using fields [serial_number]' })
    expect(db.count('reconcile_duplicate_task')).toBe(1)
    for (const i of [3, 4, 5, 6]) db.insert('cmdb_ci_computer', { name: `n${i}`, serial_number: 'MANY' })
    for (const i of [7, 8]) db.insert('cmdb_ci_computer', { name: `n${i}`, serial_number: 'MANY' })
    expect(ire('Kandji', [computer({ serial_number: 'MANY', name: 'c' })]).items[0]?.errors[0]?.error).toBe('MULTIPLE_DUPLICATE_RECORDS')
    expect(db.query('cmdb_ci_computer', 'serial_number=MANY^duplicate_ofISNOTEMPTY')).toHaveLength(0)
    expect(db.count('reconcile_duplicate_task')).toBe(2)
  })

  it('answers with the class of the CI it found, which may not be the class sent (ireReclassification update-without)', () => {
    const hardware = db.insert('cmdb_ci_hardware', { name: 'printer-ish', serial_number: 'HW1' })
    const ctx = { ...contextFor(db, admin), ire: { skipDuplicates: true, discoverySource: 'insert-only' as const, reclassification: 'update-without' as const } }
    const out = (JSON.parse(createOrUpdateCI(ctx, 'Kandji', JSON.stringify({ items: [computer({ serial_number: 'HW1', name: 'printer-ish', os_version: '15.1' })] }))) as IreOutput).items[0]
    expect(out).toMatchObject({ className: 'cmdb_ci_hardware', sysId: hardware.sys_id })
    expect(db.query('cmdb_ci_computer')).toHaveLength(0)
    // os_version is a Computer column: the Hardware CI cannot take it. The caller's mapping was right for the class
    // it sent, so that is no schema miss.
    expect(db.get('cmdb_ci_hardware', hardware.sys_id as string)).not.toHaveProperty('os_version')
    expect(db.schemaMisses).toEqual([])
  })

  it('keeps the discovery source of a CI another source created (ireDiscoverySource insert-only), or overwrites it (every-update)', () => {
    const sccm = db.insert('cmdb_ci_computer', { name: 'from-sccm', serial_number: 'S1', discovery_source: 'SCCM' })
    ire('Kandji', [computer({ serial_number: 'S1', name: 'from-sccm', os_version: '15' })])
    expect(db.get('cmdb_ci_computer', sccm.sys_id as string)).toMatchObject({ discovery_source: 'SCCM', os_version: '15' })
    createOrUpdateCI({ ...contextFor(db, admin), ire: { skipDuplicates: true, discoverySource: 'every-update' } }, 'Kandji', JSON.stringify({ items: [computer({ serial_number: 'S1', name: 'from-sccm' })] }))
    expect(db.get('cmdb_ci_computer', sccm.sys_id as string)?.discovery_source).toBe('Kandji')
  })

  it('drops values for columns the class does not have and notes each miss', () => {
    ire('Kandji', [computer({ serial_number: 'C1', name: 'x', cpu_name: 'Apple M3', mac_address: 'aa:bb', no_such: '1' })])
    expect(db.query('cmdb_ci_computer')[0]).toMatchObject({ cpu_name: 'Apple M3' })
    expect(db.schemaMisses.map((m) => `${m.table}.${m.column}`)).toEqual(['cmdb_ci_computer.mac_address', 'cmdb_ci_computer.no_such'])
  })

  it('writes related software installations of a computer once SAM is active, and refuses them while it is not', () => {
    const payload = { className: 'cmdb_ci_computer', values: { serial_number: 'SW1', name: 'mac' }, related: [{ className: 'cmdb_sam_sw_install', values: { display_name: 'Safari', version: '18.0', publisher: 'Apple' } }] }
    const without = ire('Kandji', [payload]).items[0]
    expect(without?.errors[0]).toEqual({ error: 'INVALID_INPUT_DATA', message: "Invalid className [cmdb_sam_sw_install] in related items of payload item '0'" })
    expect(db.query('cmdb_ci_computer')).toHaveLength(0)
    const sam = db.query('sys_plugins', 'source=com.snc.samp')[0]
    db.update('sys_plugins', sam?.sys_id as string, { active: 'active' })
    const first = ire('Kandji', [payload]).items[0]
    expect(first?.relatedItems).toEqual([{ className: 'cmdb_sam_sw_install', operation: 'INSERT', sysId: expect.stringMatching(/^[0-9a-f]{32}$/), errors: [], errorCount: 0, inputIndices: [0] }])
    expect(db.query('cmdb_sam_sw_install')).toEqual([expect.objectContaining({ installed_on: first?.sysId, display_name: 'Safari', version: '18.0', publisher: 'Apple', discovery_source: 'Kandji' })])
    const again = ire('Kandji', [payload]).items[0]
    expect(again?.relatedItems[0]).toMatchObject({ operation: 'NO_CHANGE', sysId: first?.relatedItems[0]?.sysId })
    const newer = ire('Kandji', [{ ...payload, related: [{ className: 'cmdb_sam_sw_install', values: { display_name: 'Safari', version: '18.1' } }] }]).items[0]
    expect(newer?.relatedItems[0]?.operation).toBe('INSERT')
    expect(db.count('cmdb_sam_sw_install')).toBe(2)
    const nameless = ire('Kandji', [{ ...payload, related: [{ className: 'cmdb_sam_sw_install', values: { version: '1' } }] }]).items[0]
    expect(nameless?.relatedItems[0]?.errors[0]?.error).toBe('MISSING_MATCHING_ATTRIBUTES')
  })

  it('reports an item without serial number and name, a class without an emulated rule, and an unknown class', () => {
    const out = ire('Kandji', [computer({ os: 'macOS' }), { className: 'cmdb_ci', values: { name: 'x' } }, { className: 'nope', values: { name: 'x' } }])
    expect(out.items.map((i) => i.errors[0]?.error)).toEqual(['MISSING_MATCHING_ATTRIBUTES', 'IDENTIFICATION_RULE_MISSING', 'INVALID_INPUT_DATA'])
    expect(db.query('cmdb_ci')).toHaveLength(0)
  })

  it('throws on input that is not a JSON payload with items', () => {
    const ctx = contextFor(db, admin)
    expect(() => createOrUpdateCI(ctx, 'Kandji', '{not json')).toThrow(/Error occurred during parsing input json payload/)
    expect(() => createOrUpdateCI(ctx, 'Kandji', '{"items": 3}')).toThrow(/"items" must be an array/)
  })

  it('is reachable from scripts as sn_cmdb.IdentificationEngine and through require', () => {
    const result = evaluate(db, admin, `
      var out = JSON.parse(sn_cmdb.IdentificationEngine.createOrUpdateCI('Kandji', JSON.stringify({ items: [{ className: 'cmdb_ci_computer', values: { serial_number: 'Z1', name: 'z' } }] })));
      var viaRequire = require('@servicenow/glide/sn_cmdb').IdentificationEngine.createOrUpdateCI('Kandji', JSON.stringify({ items: [{ className: 'cmdb_ci_computer', values: { serial_number: 'Z1', name: 'z' } }] }));
      return [out.items[0].operation, JSON.parse(viaRequire).items[0].operation];`)
    expect(result).toEqual(['INSERT', 'NO_CHANGE'])
    expect(() => evaluate(db, admin, `sn_cmdb.IdentificationEngine.identifyCI('{}');`)).toThrow('sn_cmdb.IdentificationEngine.identifyCI is not emulated')
  })
})

describe('IdentificationEngine.createOrUpdateCI reclassification (switch ireReclassification, c_CIReclassification.md)', () => {
  type Mode = 'refused-unless-flagged' | 'automatic' | 'update-without'
  const run = (mode: Mode, items: unknown[]): IreOutput =>
    JSON.parse(createOrUpdateCI({ ...contextFor(db, admin), ire: { skipDuplicates: true, discoverySource: 'insert-only', reclassification: mode } }, 'Kandji', JSON.stringify({ items }))) as IreOutput
  const handheld = (values: Record<string, string>, flags: Record<string, unknown> = {}) => ({ className: 'cmdb_ci_handheld_computing', ...flags, values })
  const classOf = (sysId: string) => db.findStored('cmdb_ci_hardware', sysId)?.table
  let id: string
  beforeEach(() => {
    id = ire('Kandji', [computer({ serial_number: 'P1', name: 'phone', os_version: '18.1' })]).items[0]!.sysId
  })

  it('refuses an unflagged upgrade with RECLASSIFICATION_NOT_ALLOWED and opens one reclassification task; nothing changes', () => {
    for (let i = 0; i < 2; i++) {
      const out = run('refused-unless-flagged', [handheld({ serial_number: 'P1', name: 'phone', os_version: '18.2' })]).items[0]
      expect(out).toMatchObject({ operation: 'NO_CHANGE', sysId: 'Unknown', errors: [{ error: 'RECLASSIFICATION_NOT_ALLOWED', message: 'CI Reclassification not allowed from class: [cmdb_ci_computer] to [cmdb_ci_handheld_computing].' }] })
    }
    expect(classOf(id)).toBe('cmdb_ci_computer')
    expect(db.get('cmdb_ci_computer', id)?.os_version).toBe('18.1')
    expect(db.query('reclassification_task').map((t) => [t.cmdb_ci, t.from_class, t.to_class, t.state])).toEqual([[id, 'cmdb_ci_computer', 'cmdb_ci_handheld_computing', 'open']])
  })

  it('moves the CI, same sys_id, when the flag for its kind of change is set (upgrade, then downgrade, then a switch)', () => {
    expect(run('refused-unless-flagged', [handheld({ serial_number: 'P1', name: 'phone' }, { classDowngrade: true })]).items[0]?.errors[0]?.error).toBe('RECLASSIFICATION_NOT_ALLOWED')
    const up = run('refused-unless-flagged', [handheld({ serial_number: 'P1', name: 'phone', imei: '35' }, { classUpgrade: true })]).items[0]
    expect(up).toMatchObject({ className: 'cmdb_ci_handheld_computing', operation: 'UPDATE', sysId: id, errors: [] })
    expect(classOf(id)).toBe('cmdb_ci_handheld_computing')
    expect(db.get('cmdb_ci_handheld_computing', id)).toMatchObject({ sys_class_name: 'cmdb_ci_handheld_computing', imei: '35', os_version: '18.1', serial_number: 'P1' })
    const down = run('refused-unless-flagged', [computer({ serial_number: 'P1', name: 'phone' }), { className: 'cmdb_ci_computer', classDowngrade: 'true', values: { serial_number: 'P1' } }]).items
    expect(down.map((i) => i.errors[0]?.error ?? i.operation)).toEqual(['RECLASSIFICATION_NOT_ALLOWED', 'UPDATE'])
    expect(classOf(id)).toBe('cmdb_ci_computer')
    expect(run('refused-unless-flagged', [{ className: 'cmdb_ci_media_player', classSwitch: true, values: { serial_number: 'P1' } }]).items[0]).toMatchObject({ className: 'cmdb_ci_media_player', operation: 'UPDATE', sysId: id })
    expect(classOf(id)).toBe('cmdb_ci_media_player')
    expect(db.query('cmdb_ci_hardware', 'serial_number=P1')).toHaveLength(1)
  })

  it("reclassifies without flags when automatic (the base system), and keeps the class whatever the flags with update-without", () => {
    expect(run('automatic', [handheld({ serial_number: 'P1', name: 'phone' })]).items[0]).toMatchObject({ className: 'cmdb_ci_handheld_computing', operation: 'UPDATE', sysId: id })
    expect(classOf(id)).toBe('cmdb_ci_handheld_computing')
    const kept = run('update-without', [{ className: 'cmdb_ci_computer', classDowngrade: true, values: { serial_number: 'P1', name: 'renamed' } }]).items[0]
    expect(kept).toMatchObject({ className: 'cmdb_ci_handheld_computing', operation: 'UPDATE', sysId: id })
    expect(db.get('cmdb_ci_handheld_computing', id)?.name).toBe('renamed')
    expect(db.count('reclassification_task')).toBe(0)
  })
})
