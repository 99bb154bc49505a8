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

  it('refuses duplicates instead of guessing which CI to update', () => {
    db.insert('cmdb_ci_computer', { name: 'a', serial_number: 'DUP' })
    db.insert('cmdb_ci_computer', { name: 'b', serial_number: 'DUP' })
    const out = ire('Kandji', [computer({ serial_number: 'DUP', name: 'c' })]).items[0]
    expect(out?.errors[0]).toEqual({ error: 'MULTIPLE_DUPLICATE_RECORDS', message: 'Found duplicate records in table [cmdb_ci_hardware] using fields [serial_number]' })
    expect(db.query('cmdb_ci_computer')).toHaveLength(2)
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
