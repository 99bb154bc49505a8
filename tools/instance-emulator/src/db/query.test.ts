import { beforeEach, describe, expect, it } from 'vitest'
import { createDatabase, type Database } from './index.ts'
import { columnsFrom, col } from './dictionary.ts'
import { escapeQueryValue, parseEncodedQuery, splitEncodedQuery } from './query.ts'

describe('parsing encoded queries', () => {
  it('splits on ^ and keeps ^^ as a literal caret inside a value', () => {
    expect(splitEncodedQuery('a=1^b=2')).toEqual(['a=1', 'b=2'])
    expect(splitEncodedQuery('name=x^^y^active=true')).toEqual(['name=x^y', 'active=true'])
    expect(splitEncodedQuery('name=x^^^active=true')).toEqual(['name=x^', 'active=true'])
    expect(escapeQueryValue('a^b')).toBe('a^^b')
  })

  it('binds ^OR to the condition before it and ^NQ starts a new query', () => {
    const q = parseEncodedQuery('a=1^b=2^ORc=3^NQd=4')
    expect(q.queries).toHaveLength(2)
    expect(q.queries[0]?.map((term) => term.map((c) => c.field))).toEqual([['a'], ['b', 'c']])
    expect(q.queries[1]?.map((term) => term.map((c) => c.field))).toEqual([['d']])
  })

  it('reads ORDERBY and ORDERBYDESC without mistaking them for OR conditions', () => {
    const q = parseEncodedQuery('active=true^ORDERBYname^ORDERBYDESCsys_created_on')
    expect(q.orderBy).toEqual([
      { field: 'name', path: ['name'], descending: false },
      { field: 'sys_created_on', path: ['sys_created_on'], descending: true },
    ])
    expect(q.queries).toHaveLength(1)
  })

  it('recognises every operator, longest first', () => {
    const cases: Array<[string, string, string]> = [
      ['a=1', '=', '1'],
      ['a!=1', '!=', '1'],
      ['a<1', '<', '1'],
      ['a<=1', '<=', '1'],
      ['a>1', '>', '1'],
      ['a>=1', '>=', '1'],
      ['aLIKEx', 'LIKE', 'x'],
      ['aNOTLIKEx', 'NOTLIKE', 'x'],
      ['aNOT LIKEx', 'NOT LIKE', 'x'],
      ['aSTARTSWITHx', 'STARTSWITH', 'x'],
      ['aENDSWITHx', 'ENDSWITH', 'x'],
      ['aINx,y', 'IN', 'x,y'],
      ['aNOTINx,y', 'NOTIN', 'x,y'],
      ['aNOT INx,y', 'NOT IN', 'x,y'],
      ['aISEMPTY', 'ISEMPTY', ''],
      ['aISNOTEMPTY', 'ISNOTEMPTY', ''],
      ['sys_class_nameINSTANCEOFcmdb_ci', 'INSTANCEOF', 'cmdb_ci'],
      ['aBETWEEN1@5', 'BETWEEN', '1@5'],
    ]
    for (const [text, operator, value] of cases) {
      const c = parseEncodedQuery(text).queries[0]?.[0]?.[0]
      expect(c, text).toMatchObject({ operator, value })
    }
  })

  it('keeps "=" inside a value and splits dot-walked fields', () => {
    const c = parseEncodedQuery('role.name=a=b').queries[0]?.[0]?.[0]
    expect(c).toMatchObject({ field: 'role.name', path: ['role', 'name'], operator: '=', value: 'a=b' })
  })

  it('reports unparseable parts as invalid and ignores empty parts and EQ', () => {
    const q = parseEncodedQuery('^^=x^Name=Bob^active=true^^EQ^ORDERBY')
    expect(q.invalid).toEqual(['^=x', 'Name=Bob', 'ORDERBY'])
    expect(parseEncodedQuery('active=true^EQ').invalid).toEqual([])
    expect(parseEncodedQuery('').queries).toEqual([])
    expect(parseEncodedQuery(undefined).queries).toEqual([])
  })
})

describe('matching rows', () => {
  let db: Database
  const names = (rows: Array<Record<string, string>>) => rows.map((r) => r.name)

  beforeEach(() => {
    db = createDatabase({ seed: false })
    db.dictionary.define({
      name: 'u_gadget',
      label: 'Gadget',
      wsAccess: true,
      columns: columnsFrom({
        sys_id: { label: 'Sys ID', type: 'GUID' },
        name: col.string('Name', 100),
        size: col.integer('Size'),
        active: col.boolean('Active', 'true'),
        owner: col.reference('Owner', 'sys_user'),
        note: col.string('Note', 100),
      }),
    })
    const alice = db.insert('sys_user', { user_name: 'alice', first_name: 'Alice', last_name: 'A' })
    const bob = db.insert('sys_user', { user_name: 'bob', first_name: 'Bob', last_name: 'B' })
    db.insert('u_gadget', { name: 'Alpha', size: 1, active: true, owner: alice.sys_id, note: 'red^blue' })
    db.insert('u_gadget', { name: 'beta', size: 10, active: false, owner: bob.sys_id, note: '' })
    db.insert('u_gadget', { name: 'Gamma', size: 2, active: true, owner: '', note: 'green' })
    db.insert('u_gadget', { name: 'delta', size: '', active: true, owner: bob.sys_id, note: 'red' })
  })

  const q = (query: string) => names(db.query('u_gadget', query))

  it('= is case-insensitive for strings and numeric for integers', () => {
    expect(q('name=alpha')).toEqual(['Alpha'])
    expect(q('size=10')).toEqual(['beta'])
    expect(q('size=10.0')).toEqual(['beta'])
    expect(q('name=')).toEqual([])
    expect(q('note=')).toEqual(['beta'])
  })

  it('!= never matches an empty value (SQL semantics)', () => {
    expect(q('note!=red')).toEqual(['Alpha', 'Gamma'])
    expect(q('size!=1')).toEqual(['beta', 'Gamma'])
  })

  it('orders integers numerically for < <= > >= and BETWEEN', () => {
    expect(q('size<2')).toEqual(['Alpha'])
    expect(q('size<=2')).toEqual(['Alpha', 'Gamma'])
    expect(q('size>2')).toEqual(['beta'])
    expect(q('size>=2')).toEqual(['beta', 'Gamma'])
    expect(q('sizeBETWEEN2@10')).toEqual(['beta', 'Gamma'])
  })

  it('compares strings for LIKE, NOT LIKE, STARTSWITH, ENDSWITH without case', () => {
    expect(q('nameLIKEET')).toEqual(['beta'])
    expect(q('nameNOTLIKEa')).toEqual([])
    expect(q('noteNOTLIKEred')).toEqual(['Gamma'])
    expect(q('noteNOT LIKEred')).toEqual(['Gamma'])
    expect(q('nameSTARTSWITHg')).toEqual(['Gamma'])
    expect(q('nameENDSWITHTA')).toEqual(['beta', 'delta'])
  })

  it('IN and NOT IN take comma-separated values', () => {
    expect(q('nameINalpha,Gamma')).toEqual(['Alpha', 'Gamma'])
    expect(q('nameNOTINalpha,Gamma')).toEqual(['beta', 'delta'])
    expect(q('nameNOT INalpha,Gamma,beta')).toEqual(['delta'])
  })

  it('ISEMPTY and ISNOTEMPTY look at the stored value', () => {
    expect(q('ownerISEMPTY')).toEqual(['Gamma'])
    expect(q('noteISNOTEMPTY')).toEqual(['Alpha', 'Gamma', 'delta'])
    expect(q('sizeISEMPTY')).toEqual(['delta'])
  })

  it('treats booleans as true/false whatever the spelling', () => {
    expect(q('active=true')).toEqual(['Alpha', 'Gamma', 'delta'])
    expect(q('active=1')).toEqual(['Alpha', 'Gamma', 'delta'])
    expect(q('active=false')).toEqual(['beta'])
  })

  it('follows references when dot-walking', () => {
    expect(q('owner.user_name=bob')).toEqual(['beta', 'delta'])
    expect(q('owner.nameSTARTSWITHAlice')).toEqual(['Alpha'])
  })

  it('combines AND, OR and NQ like the platform', () => {
    expect(q('active=true^nameSTARTSWITHa^ORnameSTARTSWITHd')).toEqual(['Alpha', 'delta'])
    expect(q('nameSTARTSWITHa^ORnameSTARTSWITHd^active=true')).toEqual(['Alpha', 'delta'])
    expect(q('size=1^NQsize=10')).toEqual(['Alpha', 'beta'])
    expect(q('size=1^ORsize=2^NQname=delta^active=true')).toEqual(['Alpha', 'Gamma', 'delta'])
  })

  it('matches a caret inside a value only when it is escaped as ^^', () => {
    expect(q('note=red^^blue')).toEqual(['Alpha'])
    expect(q(`note=${escapeQueryValue('red^blue')}`)).toEqual(['Alpha'])
    // Unescaped, the caret ends the condition: note=red AND an invalid part "blue" (ignored).
    expect(q('note=red^blue')).toEqual(['delta'])
  })

  it('orders by ORDERBY / ORDERBYDESC, numbers numerically and empty values first', () => {
    expect(q('ORDERBYname')).toEqual(['Alpha', 'beta', 'delta', 'Gamma'])
    expect(q('ORDERBYDESCsize')).toEqual(['beta', 'Gamma', 'Alpha', 'delta'])
    expect(q('ORDERBYsize')).toEqual(['delta', 'Alpha', 'Gamma', 'beta'])
    expect(q('active=true^ORDERBYDESCname')).toEqual(['Gamma', 'delta', 'Alpha'])
    expect(q('ORDERBYactive^ORDERBYname')).toEqual(['beta', 'Alpha', 'delta', 'Gamma'])
  })

  it('ignores invalid parts (unknown fields, script values) unless the instance says otherwise', () => {
    expect(q('no_such_field=1^name=Alpha')).toEqual(['Alpha'])
    expect(q('name=Alpha^ORno_such_field=1')).toEqual(['Alpha'])
    expect(q('name=Alpha^owner.no_such=1')).toEqual(['Alpha'])
    expect(q('nameINSTANCEOFx^name=beta')).toEqual(['beta'])
    expect(q('name=javascript:gs.getUserID()')).toHaveLength(4)
    expect(q('ORDERBYno_such^name=beta')).toEqual(['beta'])
    db.insert('sys_properties', { name: 'glide.invalid_query.returns_no_rows', value: 'true' })
    expect(q('no_such_field=1^name=Alpha')).toEqual([])
    expect(q('name=Alpha')).toEqual(['Alpha'])
  })

  it('compares one field with another with SAMEAS / NSAMEAS', () => {
    db.insert('u_gadget', { name: 'same', note: 'same' })
    expect(q('nameSAMEASnote')).toEqual(['same'])
    expect(q('nameNSAMEASnote')).toHaveLength(4)
  })
})

describe('class hierarchy in queries', () => {
  it('a parent table returns child-class rows, INSTANCEOF selects by class', () => {
    const db = createDatabase({ seed: false })
    db.insert('cmdb_ci', { name: 'plain' })
    db.insert('cmdb_ci_computer', { name: 'mac', serial_number: 'C02' })
    db.insert('cmdb_ci_hardware', { name: 'router' })
    expect(db.query('cmdb_ci', 'ORDERBYname').map((r) => [r.name, r.sys_class_name])).toEqual([
      ['mac', 'cmdb_ci_computer'],
      ['plain', 'cmdb_ci'],
      ['router', 'cmdb_ci_hardware'],
    ])
    expect(db.query('cmdb_ci', 'sys_class_nameINSTANCEOFcmdb_ci_hardware^ORDERBYname').map((r) => r.name)).toEqual(['mac', 'router'])
    expect(db.query('cmdb_ci', 'sys_class_name=cmdb_ci_computer').map((r) => r.name)).toEqual(['mac'])
    // A parent shows only its own columns; the child shows both.
    expect(db.query('cmdb_ci', 'name=mac')[0]).not.toHaveProperty('os_version')
    expect(db.query('cmdb_ci_computer')[0]).toHaveProperty('os_version', '')
    expect(db.query('cmdb_ci_computer')[0]).toHaveProperty('serial_number', 'C02')
  })
})
