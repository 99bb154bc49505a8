import { describe, expect, it } from 'vitest'
import { query, QueryBuilderError, UnsafeQueryValueError } from './query.ts'

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

  it('a user name containing ^ is refused, so it can never add a condition or change the query', () => {
    for (const value of ['bob^NQuser_nameISNOTEMPTY', 'a^ORactive=true', '^', 'trailing^', 'a^^b']) {
      expect(() => query().eq('user_name', value), value).toThrow(UnsafeQueryValueError)
    }
    expect(() => query().eq('active', true).or().ne('name', 'x^y')).toThrow(QueryBuilderError)
    for (const op of ['like', 'notLike', 'startsWith', 'endsWith', 'lt', 'gte'] as const) {
      expect(() => query()[op]('name', 'x^ORy'), op).toThrow(UnsafeQueryValueError)
    }
  })

  it('the refusal says what, why and how to fix it, naming the field and a bounded excerpt of the value', () => {
    let error: UnsafeQueryValueError | undefined
    try {
      query().eq('user_name', `bob^${'x'.repeat(200)}`)
    } catch (e) {
      error = e as UnsafeQueryValueError
    }
    expect(error).toBeInstanceOf(UnsafeQueryValueError)
    expect(error!.field).toBe('user_name')
    expect(error!.summary).toMatch(/^the value "bob\^x+…" for user_name cannot be expressed safely in an encoded query$/)
    expect(error!.summary.length).toBeLessThan(140)
    expect(error!.reason).toMatch(/"\^".*separates the conditions/)
    expect(error!.fix).toMatch(/without "\^"/)
  })

  it('refuses a caret inside IN and NOT IN lists too', () => {
    expect(() => query().in('name', ['a^ORb', 'c'])).toThrow(UnsafeQueryValueError)
    expect(() => query().notIn('name', ['c', 'd^NQe'])).toThrow(UnsafeQueryValueError)
  })

  it('values without a caret pass through unchanged (numbers and booleans as text)', () => {
    expect(query().eq('user_name', 'first.last@acme-corp.com').eq('n', 0).eq('b', false).toString()).toBe('user_name=first.last@acme-corp.com^n=0^b=false')
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
