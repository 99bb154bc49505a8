import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isServiceNowError, query } from '../src/index.ts'
import { harness, json, rejection, snError, startFake, type Fake, type Seen } from './fake-instance.ts'

let fake: Fake
beforeEach(async () => {
  fake = await startFake()
})
afterEach(() => fake.close())

const sysId = (i: number) => i.toString(16).padStart(32, '0')
const users = Array.from({ length: 45 }, (_, i) => ({ sys_id: sysId(i + 1), user_name: `user${i + 1}` }))

/** Serves `records` like the Table API: sysparm_limit/offset, X-Total-Count and a Link header. */
function serveTable(records: Array<Record<string, string>>, opts: { link?: boolean; count?: boolean } = {}) {
  return (req: Seen, res: Parameters<Parameters<Fake['handle']>[0]>[1]) => {
    const limit = Number(req.query.get('sysparm_limit') ?? 10000)
    const offset = Number(req.query.get('sysparm_offset') ?? 0)
    const headers: Record<string, string> = {}
    if (opts.count !== false) headers['X-Total-Count'] = String(records.length)
    if (opts.link !== false) {
      const at = (o: number) => `<${fake.url}${req.path}?sysparm_limit=${limit}&sysparm_offset=${o}>`
      const links = [`${at(0)};rel="first"`]
      if (offset + limit < records.length) links.push(`${at(offset + limit)};rel="next"`)
      links.push(`${at(Math.max(0, records.length - limit))};rel="last"`)
      headers.Link = links.join(',')
    }
    json(res, 200, { result: records.slice(offset, offset + limit) }, headers)
  }
}

describe('table.list', () => {
  it('follows Link rel="next" past several pages to the end', async () => {
    fake.handle(serveTable(users))
    const { client, events } = harness(fake)
    const all = await client.table.list('sys_user', { pageSize: 10 })
    expect(all.map((r) => r.user_name)).toEqual(users.map((u) => u.user_name))
    expect(events).toHaveLength(5)
    expect(fake.requests.map((r) => r.query.get('sysparm_offset'))).toEqual(['0', '10', '20', '30', '40'])
  })

  it('falls back to X-Total-Count arithmetic when the instance sends no Link header', async () => {
    fake.handle(serveTable(users, { link: false }))
    const { client } = harness(fake)
    expect(await client.table.list('sys_user', { pageSize: 20 })).toHaveLength(45)
    expect(fake.requests).toHaveLength(3)
  })

  it('does not stop at a short page when X-Total-Count says there is more (limit applies before ACLs)', async () => {
    fake.handle((req, res) => {
      const offset = Number(req.query.get('sysparm_offset'))
      // The first page lost 3 records to ACLs.
      const page = offset === 0 ? users.slice(0, 7) : users.slice(offset, offset + 10)
      json(res, 200, { result: page }, { 'X-Total-Count': '20' })
    })
    const { client } = harness(fake)
    expect(await client.table.list('sys_user', { pageSize: 10 })).toHaveLength(17)
  })

  it('stops after `limit` records and asks only for what it needs', async () => {
    fake.handle(serveTable(users))
    const { client } = harness(fake)
    const some = await client.table.list('sys_user', { pageSize: 10, limit: 25 })
    expect(some).toHaveLength(25)
    expect(fake.requests.map((r) => r.query.get('sysparm_limit'))).toEqual(['10', '10', '5'])
  })

  it('sends the query, fields and sysparm_exclude_reference_link=true', async () => {
    fake.handle(serveTable([]))
    const { client } = harness(fake)
    await client.table.list('sys_user', { query: query().eq('user_name', 'a.b').toString(), fields: ['sys_id', 'user_name'], displayValue: 'all' })
    const seen = fake.requests[0]!
    expect(seen.path).toBe('/api/now/table/sys_user')
    expect(seen.query.get('sysparm_query')).toBe('user_name=a.b')
    expect(seen.query.get('sysparm_fields')).toBe('sys_id,user_name')
    expect(seen.query.get('sysparm_exclude_reference_link')).toBe('true')
    expect(seen.query.get('sysparm_display_value')).toBe('all')
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('admin:S3cret-Pa55!').toString('base64')}`)
  })

  it('treats the v1 404 for an empty result as an empty list', async () => {
    fake.handle((_req, res) => snError(res, 404, 'No Record found', 'Records matching query not found. Check query parameter or offset parameter'))
    const { client } = harness(fake)
    expect(await client.table.list('sys_user', { query: 'user_name=nobody' })).toEqual([])
    expect(await client.table.count('sys_user', 'user_name=nobody')).toBe(0)
  })

  it('reports a table that does not exist instead of answering empty', async () => {
    fake.handle((_req, res) => snError(res, 404, 'Invalid table x_nope', null))
    const { client } = harness(fake)
    const error = await rejection(client.table.list('x_nope'))
    expect(error.kind).toBe('not_found')
    expect(error.hint).toMatch(/does not exist.*or an ACL hides it/)
  })

  it('names the field when a record has an unexpected shape', async () => {
    fake.handle((_req, res) => json(res, 200, { result: [{ sys_id: 42 }] }))
    const { client } = harness(fake)
    const error = await rejection(client.table.list('sys_user'))
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain('result[0].sys_id: expected string')
  })

  it('refuses invalid table names and page sizes before sending anything', async () => {
    const { client } = harness(fake)
    await expect(client.table.list('sys_user?x=1')).rejects.toThrow(/invalid table name/)
    await expect(client.table.list('../oauth_entity')).rejects.toThrow(/invalid table name/)
    await expect(client.table.list('sys_user', { pageSize: 0 })).rejects.toThrow(/pageSize/)
    await expect(client.table.list('sys_user', { fields: ['name,password'] })).rejects.toThrow(/invalid field name/)
    expect(fake.requests).toHaveLength(0)
  })
})

describe('table.page and count', () => {
  it('page returns one page with the total and the next offset from Link', async () => {
    fake.handle(serveTable(users))
    const { client } = harness(fake)
    const page = await client.table.page('sys_user', { pageSize: 10, offset: 10 })
    expect(page.records).toHaveLength(10)
    expect(page.totalCount).toBe(45)
    expect(page.nextOffset).toBe(20)
  })

  it('count reads X-Total-Count of a one-record page', async () => {
    fake.handle(serveTable(users))
    const { client } = harness(fake)
    expect(await client.table.count('sys_user', 'active=true')).toBe(45)
    expect(fake.requests[0]!.query.get('sysparm_limit')).toBe('1')
    expect(fake.requests[0]!.query.get('sysparm_query')).toBe('active=true')
  })

  it('count fails clearly when the header is missing', async () => {
    fake.handle(serveTable(users, { count: false }))
    const { client } = harness(fake)
    expect((await rejection(client.table.count('sys_user'))).message).toMatch(/X-Total-Count/)
  })
})

describe('table.get / findOne', () => {
  it('get returns the record, and undefined when it does not exist', async () => {
    fake.handle((req, res) =>
      req.path.endsWith(sysId(1)) ? json(res, 200, { result: users[0] }) : snError(res, 404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
    )
    const { client } = harness(fake)
    expect(await client.table.get('sys_user', sysId(1))).toEqual(users[0])
    expect(await client.table.get('sys_user', sysId(2))).toBeUndefined()
    await expect(client.table.get('sys_user', '../../oauth_token.do')).rejects.toThrow(/invalid sys_id/)
  })

  it('findOne returns the single match or undefined', async () => {
    fake.handle(serveTable(users.slice(0, 1)))
    const { client } = harness(fake)
    expect(await client.table.findOne('sys_user', 'user_name=user1', { fields: ['user_name'] })).toEqual(users[0])
    expect(fake.requests[0]!.query.get('sysparm_fields')).toBe('sys_id,user_name')
    fake.handle(serveTable([]))
    expect(await client.table.findOne('sys_user', 'user_name=nobody')).toBeUndefined()
  })

  it('findOne refuses to guess when several records match, and names them', async () => {
    fake.handle(serveTable(users.slice(0, 3)))
    const { client } = harness(fake)
    const error = await rejection(client.table.findOne('sys_user', 'user_nameSTARTSWITHuser'))
    expect(isServiceNowError(error)).toBe(true)
    expect(error.kind).toBe('ambiguous')
    expect(error.records).toEqual([`${sysId(1)} (user1)`, `${sysId(2)} (user2)`, `${sysId(3)} (user3)`])
    expect(error.message).toMatch(/3 records in sys_user match/)
  })

  it('findOne refuses an empty query (it would match everything)', async () => {
    const { client } = harness(fake)
    await expect(client.table.findOne('sys_user', ' ')).rejects.toThrow(/non-empty query/)
  })
})

describe('table writes', () => {
  it('create posts JSON with sysparm_input_display_value when asked (passwords)', async () => {
    fake.handle((req, res) => json(res, 201, { result: { sys_id: sysId(9), ...JSON.parse(req.text) } }))
    const { client } = harness(fake)
    const created = await client.table.create('sys_user', { user_name: 'svc', user_password: 'pw-xyz' }, { inputDisplayValue: true })
    expect(created.sys_id).toBe(sysId(9))
    const seen = fake.requests[0]!
    expect(seen.method).toBe('POST')
    expect(seen.headers['content-type']).toBe('application/json')
    expect(seen.query.get('sysparm_input_display_value')).toBe('true')
    expect(JSON.parse(seen.text)).toEqual({ user_name: 'svc', user_password: 'pw-xyz' })
  })

  it('patch sends PATCH to the record; delete answers false when it is already gone', async () => {
    fake.handle((req, res) => {
      if (req.method === 'PATCH') return json(res, 200, { result: { sys_id: sysId(1), active: 'false' } })
      if (req.path.endsWith(sysId(1))) {
        res.writeHead(204)
        return res.end()
      }
      snError(res, 404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval")
    })
    const { client } = harness(fake)
    expect(await client.table.patch('sys_user', sysId(1), { active: false })).toEqual({ sys_id: sysId(1), active: 'false' })
    expect(fake.requests[0]!.method).toBe('PATCH')
    expect(await client.table.delete('sys_user', sysId(1))).toBe(true)
    expect(await client.table.delete('sys_user', sysId(2))).toBe(false)
    await expect(client.table.create('sys_user', [] as never)).rejects.toThrow(/object of field names/)
  })
})
