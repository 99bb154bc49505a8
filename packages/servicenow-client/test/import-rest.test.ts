import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { harness, json, rejection, snError, startFake, type Fake } from './fake-instance.ts'

let fake: Fake
beforeEach(async () => {
  fake = await startFake()
})
afterEach(() => fake.close())

const STAGING = 'x_kandj_kandji_device_import'
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ device_id: `dev-${i}`, serial_number: `C02${i}` }))

describe('importSet', () => {
  it('insert posts one row and returns the transform result', async () => {
    const result = { import_set: 'ISET0010001', staging_table: STAGING, result: [{ transform_map: 'Kandji Device to CMDB', table: 'cmdb_ci_computer', status: 'inserted', sys_id: 'abc' }] }
    fake.handle((_req, res) => json(res, 201, result))
    const { client } = harness(fake)
    expect(await client.importSet.insert(STAGING, { device_id: 'd1' })).toEqual(result)
    expect(fake.requests[0]!.path).toBe(`/api/now/import/${STAGING}`)
    expect(JSON.parse(fake.requests[0]!.text)).toEqual({ device_id: 'd1' })
  })

  it('insertMultiple splits 450 rows into requests of at most 200, joined to one multi import set', async () => {
    let n = 0
    fake.handle((_req, res) => json(res, 200, { import_set_id: `iset-${++n}`, multi_import_set_id: 'multi-1' }))
    const { client } = harness(fake)
    const results = await client.importSet.insertMultiple(STAGING, rows(450))
    expect(results).toEqual([
      { import_set_id: 'iset-1', multi_import_set_id: 'multi-1', rows: 200 },
      { import_set_id: 'iset-2', multi_import_set_id: 'multi-1', rows: 200 },
      { import_set_id: 'iset-3', multi_import_set_id: 'multi-1', rows: 50 },
    ])
    expect(fake.requests.map((r) => JSON.parse(r.text).records.length)).toEqual([200, 200, 50])
    expect(fake.requests.map((r) => r.path)).toEqual(Array(3).fill(`/api/now/import/${STAGING}/insertMultiple`))
    expect(fake.requests.map((r) => r.query.get('multi_import_set_id'))).toEqual([null, 'multi-1', 'multi-1'])
    expect(JSON.parse(fake.requests[2]!.text).records[0]).toEqual({ device_id: 'dev-400', serial_number: 'C02400' })
  })

  it('a failed batch is not repeated and the error says which rows were and were not accepted', async () => {
    let n = 0
    fake.handle((_req, res) => (++n === 2 ? snError(res, 502, 'Bad Gateway', null) : json(res, 200, { import_set_id: 'i', multi_import_set_id: 'm' })))
    const { client } = harness(fake)
    const error = await rejection(client.importSet.insertMultiple(STAGING, rows(25), { batchSize: 10 }))
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('batch 2 of 3, rows 11-20; 1 earlier batch was accepted')
    expect(fake.requests).toHaveLength(2)
  })

  it('refuses non-string values (the API mangles nested JSON) and bad batch sizes', async () => {
    const { client } = harness(fake)
    await expect(client.importSet.insertMultiple(STAGING, [{ a: 'x' }, { a: { nested: 1 } as never }])).rejects.toThrow(/row 1, column a/)
    await expect(client.importSet.insertMultiple(STAGING, rows(2), { batchSize: 0 })).rejects.toThrow(/batchSize/)
    await expect(client.importSet.insert('bad table', { a: 'x' })).rejects.toThrow(/staging table/)
    expect(fake.requests).toHaveLength(0)
  })

  it('an unexpected answer names the field', async () => {
    fake.handle((_req, res) => json(res, 201, { import_set: 'I', staging_table: STAGING, result: [{ status: 5 }] }))
    const error = await rejection(harness(fake).client.importSet.insert(STAGING, { a: 'x' }))
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain('result[0].status: expected string')
  })
})

describe('scripted REST', () => {
  it('get and post unwrap `result`', async () => {
    fake.handle((req, res) => json(res, 200, { result: { method: req.method, q: req.query.get('verbose'), body: req.text ? JSON.parse(req.text) : null } }))
    const { client } = harness(fake)
    expect(await client.rest.get('/api/x_kandj_kandji/integration/verify', { verbose: 'true' })).toEqual({ method: 'GET', q: 'true', body: null })
    expect(await client.rest.post('/api/x_kandj_kandji/integration/repair', { dryRun: true })).toEqual({ method: 'POST', q: null, body: { dryRun: true } })
  })

  it('an answer without `result` is an invalid response', async () => {
    fake.handle((_req, res) => json(res, 200, { checks: [] }))
    const error = await rejection(harness(fake).client.rest.get('/api/x_kandj_kandji/integration/verify'))
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain('result')
  })

  it('refuses paths outside /api or with a query string', async () => {
    const { client } = harness(fake)
    await expect(client.rest.get('/oauth_token.do')).rejects.toThrow(/invalid REST path/)
    await expect(client.rest.get('/api/x/verify?x=1')).rejects.toThrow(/invalid REST path/)
    await expect(client.rest.get('/api/../x')).rejects.toThrow(/invalid REST path/)
  })
})
