import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../src/index.ts'
import { api } from './helpers/http.ts'

const NOT_FOUND = { error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" }, status: 'failure' }

describe('Table API', () => {
  let emu: Emulator
  let adminId: string
  let computerIds: string[]

  beforeAll(async () => {
    emu = await startEmulator()
    adminId = emu.db.query('sys_user', 'user_name=admin')[0]?.sys_id as string
    computerIds = ['Mac-1', 'Mac-2', 'Mac-3', 'Mac-4', 'Mac-5'].map(
      (name, i) => emu.db.insert('cmdb_ci_computer', { name, serial_number: `SN${i}`, assigned_to: i === 0 ? adminId : '', discovery_source: 'SCCM' }).sys_id as string,
    )
  })
  afterAll(() => emu.close())

  it('lists records with X-Total-Count and Link first/next/last, honouring limit and offset', async () => {
    const page = await api(emu, '/api/now/table/cmdb_ci_computer?sysparm_query=ORDERBYname&sysparm_limit=2&sysparm_offset=2&sysparm_fields=name')
    expect(page.status).toBe(200)
    expect(page.body.result).toEqual([{ name: 'Mac-3' }, { name: 'Mac-4' }])
    expect(page.headers.get('x-total-count')).toBe('5')
    const links = Object.fromEntries(
      (page.headers.get('link') ?? '').split(',').map((l) => {
        const m = /<([^>]+)>;rel="(\w+)"/.exec(l)
        return [m?.[2], new URL(m?.[1] ?? 'http://x').searchParams.get('sysparm_offset')]
      }),
    )
    expect(links).toEqual({ first: '0', prev: '0', next: '4', last: '4' })
  })

  it('leaves out prev on the first page and next on the last, and can suppress both headers', async () => {
    const first = await api(emu, '/api/now/table/cmdb_ci_computer?sysparm_limit=5')
    expect(first.headers.get('link')).not.toMatch(/rel="prev"|rel="next"/)
    const quiet = await api(emu, '/api/now/table/cmdb_ci_computer?sysparm_limit=1&sysparm_no_count=true&sysparm_suppress_pagination_header=true')
    expect(quiet.headers.get('x-total-count')).toBeNull()
    expect(quiet.headers.get('link')).toBeNull()
  })

  it('ignores malformed limit and offset values and uses the defaults', async () => {
    for (const q of ['sysparm_limit=abc', 'sysparm_limit=-1', 'sysparm_offset=x', 'sysparm_limit=']) {
      const res = await api(emu, `/api/now/table/cmdb_ci_computer?${q}`)
      expect(res.status, q).toBe(200)
      expect(res.body.result, q).toHaveLength(5)
    }
  })

  it('returns references as {link, value} unless links are excluded', async () => {
    const row = await api(emu, `/api/now/table/cmdb_ci_computer/${computerIds[0]}?sysparm_fields=assigned_to,name`)
    expect(row.body.result).toEqual({ assigned_to: { link: `${emu.url}/api/now/table/sys_user/${adminId}`, value: adminId }, name: 'Mac-1' })
    const plain = await api(emu, `/api/now/table/cmdb_ci_computer/${computerIds[0]}?sysparm_fields=assigned_to&sysparm_exclude_reference_link=true`)
    expect(plain.body.result).toEqual({ assigned_to: adminId })
    const empty = await api(emu, `/api/now/table/cmdb_ci_computer/${computerIds[1]}?sysparm_fields=assigned_to`)
    expect(empty.body.result).toEqual({ assigned_to: '' })
  })

  it('shows display values with sysparm_display_value=true and both with =all', async () => {
    const shown = await api(emu, `/api/now/table/cmdb_ci_computer/${computerIds[0]}?sysparm_fields=assigned_to,name&sysparm_display_value=true`)
    expect(shown.body.result).toEqual({ assigned_to: { display_value: 'System Administrator', link: `${emu.url}/api/now/table/sys_user/${adminId}` }, name: 'Mac-1' })
    const all = await api(emu, `/api/now/table/cmdb_ci_computer/${computerIds[0]}?sysparm_fields=assigned_to,discovery_source&sysparm_display_value=all&sysparm_exclude_reference_link=true`)
    expect(all.body.result).toEqual({
      assigned_to: { display_value: 'System Administrator', value: adminId },
      discovery_source: { display_value: 'SCCM', value: 'SCCM' },
    })
  })

  it('returns dot-walked fields and ignores invalid ones in sysparm_fields', async () => {
    const res = await api(emu, `/api/now/table/cmdb_ci_computer/${computerIds[0]}?sysparm_fields=assigned_to.user_name,assigned_to.nope,nope,name`)
    expect(res.body.result).toEqual({ 'assigned_to.user_name': 'admin', name: 'Mac-1' })
  })

  it('v1 answers 404 on an empty list, v2 and the unversioned path 200 with []', async () => {
    const q = 'sysparm_query=name=nothing'
    const v1 = await api(emu, `/api/now/v1/table/cmdb_ci_computer?${q}`)
    expect(v1.status).toBe(404)
    expect(v1.body).toEqual({ error: { message: 'No Record found', detail: 'Records matching query not found. Check query parameter or offset parameter' }, status: 'failure' })
    for (const path of [`/api/now/v2/table/cmdb_ci_computer?${q}`, `/api/now/table/cmdb_ci_computer?${q}`]) {
      const res = await api(emu, path)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ result: [] })
    }
  })

  it('refuses an unknown table with the platform message', async () => {
    const res = await api(emu, '/api/now/table/u_no_such_table')
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ error: { message: 'Invalid table u_no_such_table', detail: null }, status: 'failure' })
  })

  it('answers 404 for a record that does not exist, on GET, PATCH and DELETE', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await api(emu, '/api/now/table/cmdb_ci_computer/0123456789abcdef0123456789abcdef', { method, ...(method === 'PATCH' ? { body: { name: 'x' } } : {}) })
      expect(res.status, method).toBe(404)
      expect(res.body, method).toEqual(NOT_FOUND)
    }
  })

  it('creates (201 + Location), patches, puts and deletes (204) a record; unknown fields are ignored', async () => {
    const created = await api(emu, '/api/now/table/cmdb_ci_computer', { method: 'POST', body: { name: 'New', serial_number: 'N1', u_unknown: 'x' } })
    expect(created.status).toBe(201)
    const id = created.body.result.sys_id
    expect(created.headers.get('location')).toBe(`${emu.url}/api/now/table/cmdb_ci_computer/${id}`)
    expect(created.body.result).not.toHaveProperty('u_unknown')
    expect(created.body.result).toMatchObject({ name: 'New', sys_class_name: 'cmdb_ci_computer', sys_created_by: 'admin', sys_mod_count: '0' })

    const patched = await api(emu, `/api/now/table/cmdb_ci_computer/${id}`, { method: 'PATCH', body: { os_version: '15.1' } })
    expect(patched.body.result).toMatchObject({ name: 'New', os_version: '15.1', sys_mod_count: '1' })
    const put = await api(emu, `/api/now/table/cmdb_ci_computer/${id}`, { method: 'PUT', body: { name: 'Renamed' } })
    expect(put.body.result).toMatchObject({ name: 'Renamed', os_version: '15.1' })

    const deleted = await api(emu, `/api/now/table/cmdb_ci_computer/${id}`, { method: 'DELETE' })
    expect(deleted.status).toBe(204)
    expect(deleted.text).toBe('')
    expect((await api(emu, `/api/now/table/cmdb_ci_computer/${id}`)).status).toBe(404)
  })

  it('a parent table lists child-class rows with sys_class_name and finds them by sys_id', async () => {
    const list = await api(emu, '/api/now/table/cmdb_ci?sysparm_query=nameSTARTSWITHMac-^ORDERBYname&sysparm_fields=name,sys_class_name&sysparm_limit=1')
    expect(list.body.result).toEqual([{ name: 'Mac-1', sys_class_name: 'cmdb_ci_computer' }])
    const one = await api(emu, `/api/now/table/cmdb_ci/${computerIds[0]}`)
    expect(one.body.result.sys_class_name).toBe('cmdb_ci_computer')
    expect(one.body.result).not.toHaveProperty('os_version')
  })

  it('coerces values by column type and truncates to the max length', async () => {
    const created = await api(emu, '/api/now/table/cmdb_ci_computer', { method: 'POST', body: { name: 'x'.repeat(300), ram: '16384.7', install_status: 'bogus', serial_number: 42 } })
    expect(created.body.result.name).toHaveLength(255)
    expect(created.body.result.ram).toBe('16384')
    expect(created.body.result.install_status).toBe('')
    expect(created.body.result.serial_number).toBe('42')
  })

  it('sets encrypted fields only with sysparm_input_display_value=true and never shows the plaintext', async () => {
    const ignored = await api(emu, '/api/now/table/sys_user', { method: 'POST', body: { user_name: 'enc1', user_password: 'Secret-1' } })
    expect(ignored.body.result.user_password).toBe('')
    const set = await api(emu, '/api/now/table/sys_user?sysparm_input_display_value=true', { method: 'POST', body: { user_name: 'enc2', user_password: 'Secret-2' } })
    expect(set.body.result.user_password).not.toBe('')
    expect(set.body.result.user_password).not.toContain('Secret-2')
    expect((await api(emu, '/api/now/table/sys_user?sysparm_limit=1', { auth: { user: 'enc2', password: 'Secret-2' } })).status).not.toBe(401)

    const client = await api(emu, '/api/now/table/oauth_entity?sysparm_input_display_value=true', { method: 'POST', body: { name: 'c1', client_secret: 'S3cret-value' } })
    expect(client.body.result.client_secret).not.toBe('')
    expect(client.body.result.client_secret).not.toContain('S3cret-value')
    const generated = await api(emu, '/api/now/table/oauth_entity', { method: 'POST', body: { name: 'c2' } })
    expect(generated.body.result.client_id).toMatch(/^[0-9a-f]{32}$/)
    expect(generated.body.result.client_secret).not.toBe('')
  })

  it('refuses malformed bodies and other media types with the error envelope', async () => {
    const bad = await api(emu, '/api/now/table/cmdb_ci_computer', { method: 'POST', rawBody: '{"name":', headers: { 'Content-Type': 'application/json' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toBe('Exception while reading request')
    expect(bad.body.status).toBe('failure')
    for (const raw of ['[1,2]', '"text"', '42']) {
      const res = await api(emu, '/api/now/table/cmdb_ci_computer', { method: 'POST', rawBody: raw, headers: { 'Content-Type': 'application/json' } })
      expect(res.status, raw).toBe(400)
    }
    const xml = await api(emu, '/api/now/table/cmdb_ci_computer', { method: 'POST', rawBody: '<x/>', headers: { 'Content-Type': 'application/xml' } })
    expect(xml.status).toBe(415)
  })

  it('answers 405 for methods the resource does not support', async () => {
    expect((await api(emu, '/api/now/table/cmdb_ci_computer', { method: 'DELETE' })).status).toBe(405)
    expect((await api(emu, `/api/now/table/cmdb_ci_computer/${computerIds[0]}`, { method: 'POST', body: {} })).status).toBe(405)
    expect((await api(emu, '/api/now/table/cmdb_ci_computer', { method: 'PATCH', body: {} })).status).toBe(405)
  })

  it('answers 400 for an /api/now path that is no resource', async () => {
    const res = await api(emu, '/api/now/nothing/here')
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ error: { message: 'Requested URI does not represent any resource', detail: null }, status: 'failure' })
  })

  it('reports the release through sys_properties and the scope restriction column only on Zurich+', async () => {
    const props = await api(emu, '/api/now/table/sys_properties?sysparm_query=name=glide.buildname^ORname=glide.buildtag^ORname=glide.war^ORDERBYname&sysparm_fields=name,value')
    expect(props.body.result.map((p: { value: string }) => p.value)).toEqual(['Zurich', 'glide-zurich-07-01-2025__patch4-11-14-2025', 'glide-zurich-07-01-2025__patch4-11-14-2025.zip'])
    expect((await api(emu, '/api/now/table/oauth_entity', { method: 'POST', body: { name: 'z' } })).body.result).toHaveProperty('scope_restriction_status', 'restricted')
    const xanadu = await startEmulator({ release: 'xanadu' })
    try {
      const created = await api(xanadu, '/api/now/table/oauth_entity', { method: 'POST', body: { name: 'x', scope_restriction_status: 'unrestricted' } })
      expect(created.status).toBe(201)
      expect(created.body.result).not.toHaveProperty('scope_restriction_status')
      // ignored, as on an instance, and listed so a test can see what the client sent
      expect(xanadu.db.schemaMisses).toEqual([{ table: 'oauth_entity', column: 'scope_restriction_status', by: 'POST /api/now/table/oauth_entity' }])
      const updated = await api(xanadu, `/api/now/table/oauth_entity/${created.body.result.sys_id}`, { method: 'PATCH', body: { name: 'x2', no_such: '1' } })
      expect(updated.status).toBe(200)
      expect(xanadu.db.schemaMisses.slice(1)).toEqual([{ table: 'oauth_entity', column: 'no_such', by: 'PATCH /api/now/table/oauth_entity' }])
      const build = await api(xanadu, '/api/now/table/sys_properties?sysparm_query=name=glide.buildname&sysparm_fields=value')
      expect(build.body.result).toEqual([{ value: 'Xanadu' }])
    } finally {
      await xanadu.close()
    }
  })

  it('queries through the API with OR groups, NQ and escaped carets', async () => {
    emu.db.insert('cmdb_ci_computer', { name: 'Caret^Mac', serial_number: 'C^1' })
    const q = encodeURIComponent('name=Caret^^Mac^NQserial_number=SN1^ORserial_number=SN2^ORDERBYname')
    const res = await api(emu, `/api/now/table/cmdb_ci_computer?sysparm_query=${q}&sysparm_fields=name`)
    expect(res.body.result).toEqual([{ name: 'Caret^Mac' }, { name: 'Mac-2' }, { name: 'Mac-3' }])
  })
})

describe('sys_properties.name uniqueness (switch propertyNameUnique)', () => {
  const create = (emu: Emulator, value: string) => api(emu, '/api/now/table/sys_properties', { method: 'POST', body: { name: 'kandji.test.lock', value, type: 'string' } })

  it('by default (docs silent: no constraint) two creates of one name both succeed and both rows are listed', async () => {
    const emu = await startEmulator()
    try {
      expect((await create(emu, 'a')).status).toBe(201)
      expect((await create(emu, 'b')).status).toBe(201)
      const rows = await api(emu, '/api/now/table/sys_properties?sysparm_query=name=kandji.test.lock&sysparm_fields=value')
      expect(rows.body.result.map((r: { value: string }) => r.value).sort()).toEqual(['a', 'b'])
    } finally {
      await emu.close()
    }
  })

  it('with propertyNameUnique the second create is refused with 403 and the first row stays alone; renaming onto a taken name is refused too', async () => {
    const emu = await startEmulator({ switches: { propertyNameUnique: true } })
    try {
      expect((await create(emu, 'a')).status).toBe(201)
      const second = await create(emu, 'b')
      expect(second.status).toBe(403)
      expect(second.body).toEqual({ error: { message: 'Operation Failed', detail: 'Error during insert of sys_properties (kandji.test.lock): Unique Key violation detected by database' }, status: 'failure' })
      const other = await api(emu, '/api/now/table/sys_properties', { method: 'POST', body: { name: 'kandji.test.other', value: 'c' } })
      expect(other.status).toBe(201)
      const rename = await api(emu, `/api/now/table/sys_properties/${other.body.result.sys_id}`, { method: 'PATCH', body: { name: 'kandji.test.lock' } })
      expect(rename.status).toBe(403)
      const same = await api(emu, `/api/now/table/sys_properties/${other.body.result.sys_id}`, { method: 'PATCH', body: { value: 'd' } })
      expect(same.status).toBe(200)
      expect(emu.db.query('sys_properties', 'name=kandji.test.lock').map((r) => r.value)).toEqual(['a'])
    } finally {
      await emu.close()
    }
  })
})
