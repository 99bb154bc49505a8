// `field=value` through the equality indexes answers exactly what a scan of the table would: after inserts,
// updates that change the value, deletes, in-place patches, in the table's insertion order, any case.
import { beforeEach, describe, expect, it } from 'vitest'
import { Database } from './database.ts'
import { createDatabase } from './index.ts'
import { columnsFrom, col } from './dictionary.ts'
import { SYSTEM_COLUMNS } from './platform-tables.ts'

const T = 'x_test_thing'
const CHILD = 'x_test_thing_child'
let db: Database

const names = (encoded: string, table = T) => db.query(table, encoded).map((r) => r.name)

beforeEach(() => {
  db = createDatabase()
  db.dictionary.define({ name: T, label: 'Thing', wsAccess: true, columns: columnsFrom({ ...SYSTEM_COLUMNS, name: col.string('Name', 40), serial: col.string('Serial', 40), active: col.boolean('Active') }) })
  db.dictionary.define({ name: CHILD, label: 'Child', extends: T, wsAccess: true, columns: columnsFrom({}) })
})

describe('queries through the equality indexes', () => {
  it('follow updates, deletes and patches, keep insertion order across classes, and ignore case', () => {
    const a = db.insert(T, { name: 'a', serial: 'S1' })
    const b = db.insert(T, { name: 'b', serial: 'S2' })
    db.insert(CHILD, { name: 'c', serial: 's1' })
    expect(names('serial=S1')).toEqual(['a', 'c'])
    db.update(T, b.sys_id as string, { serial: 'S1' })
    // b was inserted after a: an update keeps its place.
    expect(names('serial=S1')).toEqual(['a', 'b', 'c'])
    expect(names('serial=S2')).toEqual([])
    db.delete(T, a.sys_id as string)
    expect(names('serial=s1^name!=c')).toEqual(['b'])
    db.patchStored(T, b.sys_id as string, { serial: 'S9' })
    expect(names('serial=S9')).toEqual(['b'])
    expect(names('serial=S1')).toEqual(['c'])
    expect(names('serial=S1', CHILD)).toEqual(['c'])
    expect(db.count(T, 'serial=S1')).toBe(1)
  })

  it('follow a reclassified row to its new class, and back to its place (IRE moving a CI to another class)', () => {
    db.insert(T, { name: 'a', serial: 'S1' })
    const b = db.insert(T, { name: 'b', serial: 'S1' })
    db.insert(T, { name: 'c', serial: 'S1' })
    expect(names('serial=S1', CHILD)).toEqual([])
    db.reclassify(b.sys_id as string, T, CHILD, {})
    // the table's own rows first, then each descendant's: what a scan (STARTSWITH is never indexed) answers too
    expect(names('serial=S1')).toEqual(['a', 'c', 'b'])
    expect(names('serialSTARTSWITHS1')).toEqual(['a', 'c', 'b'])
    expect(names('serial=S1', CHILD)).toEqual(['b'])
    db.reclassify(b.sys_id as string, CHILD, T, {})
    expect(names('serial=S1', CHILD)).toEqual([])
    expect(names('serial=S1')).toEqual(['a', 'b', 'c'])
  })

  it('leave OR, NQ, empty values and booleans to the scan, with the same answers', () => {
    db.insert(T, { name: 'a', serial: 'S1', active: 'true' })
    db.insert(T, { name: 'b', serial: '', active: 'false' })
    db.insert(T, { name: 'c', serial: 'S3', active: 'true' })
    expect(names('serial=S1^ORserial=S3')).toEqual(['a', 'c'])
    expect(names('serial=S1^NQserial=S3')).toEqual(['a', 'c'])
    expect(names('serial=')).toEqual(['b'])
    expect(names('active=1')).toEqual(['a', 'c'])
    expect(names('serial=S3^ORDERBYDESCname^active=true')).toEqual(['c'])
  })

  it('answer the same from a state restored with fromState', () => {
    db.insert(T, { name: 'a', serial: 'S1' })
    db.insert(T, { name: 'b', serial: 'S1' })
    db = Database.fromState(db.exportState())
    expect(names('serial=S1')).toEqual(['a', 'b'])
    db.insert(T, { name: 'c', serial: 'S1' })
    expect(names('serial=s1')).toEqual(['a', 'b', 'c'])
  })
})
