import { describe, expect, it } from 'vitest'
import { query, QueryBuilderError } from './query.ts'

describe('query()', () => {
  it('writes each operator the way the platform encodes it', () => {
    const q = query()
      .eq('active', true)
      .ne('state', 6)
      .lt('a', 1)
      .lte('b', 2)
      .gt('c', 3)
      .gte('d', 4)
      .like('short_description', 'mac')
      .notLike('name', 'test')
      .startsWith('serial_number', 'C02')
      .endsWith('name', '.local')
      .in('role.name', ['cmdb_read', 'import_transformer'])
      .notIn('state', [6, 7])
      .isEmpty('email')
      .isNotEmpty('user_name')
      .instanceOf('cmdb_ci_computer')
      .toString()
    expect(q).toBe(
      'active=true^state!=6^a<1^b<=2^c>3^d>=4^short_descriptionLIKEmac^nameNOT LIKEtest^serial_numberSTARTSWITHC02' +
        '^nameENDSWITH.local^role.nameINcmdb_read,import_transformer^stateNOT IN6,7^emailISEMPTY^user_nameISNOTEMPTY' +
        '^sys_class_nameINSTANCEOFcmdb_ci_computer',
    )
  })

  it('joins with ^OR and ^NQ and appends ORDERBY', () => {
    const q = query().eq('name', 'a').or().eq('name', 'b').nq().eq('active', false).orderBy('name').orderByDesc('sys_created_on')
    expect(q.toString()).toBe('name=a^ORname=b^NQactive=false^ORDERBYname^ORDERBYDESCsys_created_on')
  })

  it('a user name containing ^NQ cannot add a condition: the caret is doubled', () => {
    const q = query().eq('user_name', 'bob^NQuser_nameISNOTEMPTY').toString()
    expect(q).toBe('user_name=bob^^NQuser_nameISNOTEMPTY')
    // Splitting on single carets (how the platform separates conditions) leaves one condition.
    expect(q.split(/(?<!\^)\^(?!\^)/)).toHaveLength(1)
  })

  it('escapes carets inside IN lists too', () => {
    expect(query().in('name', ['a^ORb', 'c']).toString()).toBe('nameINa^^ORb,c')
  })

  it('refuses an IN value with a comma instead of silently splitting it', () => {
    expect(() => query().in('name', ['Smith, John'])).toThrow(/contains ","/)
    expect(() => query().notIn('name', ['a,b'])).toThrow(QueryBuilderError)
    expect(() => query().in('name', [])).toThrow(/at least one value/)
  })

  it('refuses field names that could smuggle operators', () => {
    for (const bad of ['name=x^ORactive', 'a b', '', 'name^', 'x;y', 'ORDERBYname=1']) {
      // ORDERBYname=1 contains "=": the pattern rejects it.
      expect(() => query().eq(bad, 'v'), bad).toThrow(QueryBuilderError)
    }
    expect(() => query().orderBy('name DESC')).toThrow(/invalid field name/)
    expect(() => query().instanceOf('cmdb_ci^ORactive=true')).toThrow(/invalid table name/)
  })

  it('refuses values that are not strings, numbers or booleans', () => {
    expect(() => query().eq('a', null as never)).toThrow(/string, number or boolean/)
    expect(() => query().eq('a', { toString: () => 'x' } as never)).toThrow(QueryBuilderError)
    expect(() => query().eq('a', Number.NaN)).toThrow(/finite/)
  })

  it('refuses or()/nq() without a condition on both sides', () => {
    expect(() => query().or()).toThrow(/needs a condition before/)
    expect(() => query().nq()).toThrow(/needs a condition before/)
    expect(() => query().eq('a', 1).or().toString()).toThrow(/ends with or\(\)/)
    expect(() => query().eq('a', 1).or().orderBy('a')).toThrow(/ORDERBY/)
  })

  it('raw() appends trusted text unchanged', () => {
    expect(query().eq('a', 1).raw('bISNOTEMPTY^ORc=2').toString()).toBe('a=1^bISNOTEMPTY^ORc=2')
    expect(query().raw('').eq('a', 1).toString()).toBe('a=1')
  })
})
