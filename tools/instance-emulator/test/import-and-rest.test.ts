import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultRuntime, grantRole, NOT_LOADED, startEmulator, type Emulator, type ScriptRuntime } from '../src/index.ts'
import { builtFixtureApp } from './helpers/fixture-app.ts'
import { api, type Auth } from './helpers/http.ts'

const SVC: Auth = { user: 'svc', password: 'Pw-123456' }

function addUser(emu: Emulator, userName: string, roles: readonly string[], fields: Record<string, string> = {}): string {
  const id = emu.db.insert('sys_user', { user_name: userName, user_password: 'Pw-123456', ...fields }, { inputDisplayValue: true }).sys_id as string
  for (const role of roles) grantRole(emu.db, id, role)
  return id
}

describe('Import Set API with the part-1 seam runtime (defaultRuntime)', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator({ runtime: defaultRuntime })
    await emu.installApp((await builtFixtureApp()).zip)
    addUser(emu, 'svc', ['cmdb_read', 'import_transformer', 'rest_api_explorer'])
    addUser(emu, 'reader', ['cmdb_read'])
  }, 180_000)
  afterAll(() => emu.close())

  it('stores the row pending in a new import set and says no transform ran', async () => {
    const res = await api(emu, '/api/now/import/x_emu_fixture_import', { method: 'POST', body: { serial_number: 'C02X', device_name: 'Mac', unknown_column: 'dropped' }, auth: SVC })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      import_set: expect.stringMatching(/^ISET\d{7}$/),
      staging_table: 'x_emu_fixture_import',
      result: [{ status: 'ignored', status_message: expect.stringContaining(NOT_LOADED) }],
    })
    const rows = emu.db.query('x_emu_fixture_import', 'serial_number=C02X')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ device_name: 'Mac', sys_import_state: 'pending', sys_class_name: 'x_emu_fixture_import' })
    const set = emu.db.get('sys_import_set', rows[0]?.sys_import_set as string)
    expect(set).toMatchObject({ number: res.body.import_set, table_name: 'x_emu_fixture_import', state: 'loading', mode: 'synchronous' })
  })

  it("one-row inserts share the table's open synchronous set, which stays Loading (processed at midnight, r_ImportSetMode.md)", async () => {
    const first = await api(emu, '/api/now/import/x_emu_fixture_import', { method: 'POST', body: { serial_number: 'SH1' }, auth: SVC })
    const second = await api(emu, '/api/now/import/x_emu_fixture_import', { method: 'POST', body: { serial_number: 'SH2' }, auth: SVC })
    expect(second.body.import_set).toBe(first.body.import_set)
    const rows = emu.db.query('x_emu_fixture_import', 'serial_numberINSH1,SH2')
    expect(new Set(rows.map((r) => r.sys_import_set)).size).toBe(1)
    expect(rows.map((r) => Number(r.sys_import_row))).toEqual([rows.length === 2 ? Number(rows[0]?.sys_import_row) : -1, Number(rows[0]?.sys_import_row) + 1])
    expect(emu.db.query('sys_import_set_run', `set=${rows[0]?.sys_import_set}`).length).toBeGreaterThanOrEqual(2)
  })

  it('insertMultiple takes keys by column label (a key by name maps to nothing) and answers with the set ids', async () => {
    const res = await api(emu, '/api/now/import/x_emu_fixture_import/insertMultiple', {
      method: 'POST',
      body: { records: [{ 'Serial Number': 'M1', 'Device Name': 'One' }, { serial_number: 'M2', device_name: 'Two' }, { nested: { a: 1 } }] },
      auth: SVC,
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ import_set_id: expect.stringMatching(/^[0-9a-f]{32}$/), multi_import_set_id: expect.stringMatching(/^[0-9a-f]{32}$/) })
    const rows = emu.db.query('x_emu_fixture_import', `sys_import_set=${res.body.import_set_id}^ORDERBYsys_import_row`)
    expect(rows.map((r) => [r.sys_import_row, r.serial_number, r.device_name])).toEqual([['0', 'M1', 'One'], ['1', '', ''], ['2', '', '']])
    expect(emu.db.get('sys_import_set', res.body.import_set_id)).toMatchObject({ mode: 'asynchronous', multi_import_set: res.body.multi_import_set_id })
  })

  it('refuses malformed requests', async () => {
    const cases: Array<[string, Parameters<typeof api>[2], number]> = [
      ['not json', { method: 'POST', rawBody: '{', headers: { 'Content-Type': 'application/json' }, auth: SVC }, 400],
      ['an array', { method: 'POST', body: [{ serial_number: 'x' }], auth: SVC }, 400],
      ['form body', { method: 'POST', rawBody: 'a=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, auth: SVC }, 415],
    ]
    for (const [name, options, status] of cases) expect((await api(emu, '/api/now/import/x_emu_fixture_import', options)).status, name).toBe(status)
    for (const body of [{}, { records: 'x' }, { records: [1, 2] }]) {
      expect((await api(emu, '/api/now/import/x_emu_fixture_import/insertMultiple', { method: 'POST', body, auth: SVC })).status).toBe(400)
    }
  })

  it('refuses tables that are not staging tables, and unknown tables', async () => {
    const notStaging = await api(emu, '/api/now/import/cmdb_ci_computer', { method: 'POST', body: { name: 'x' } })
    expect(notStaging.status).toBe(400)
    expect(notStaging.body.error.message).toBe('Invalid table cmdb_ci_computer')
    const unknown = await api(emu, '/api/now/import/u_nothing', { method: 'POST', body: {} })
    expect(unknown.body).toEqual({ error: { message: 'Invalid table u_nothing', detail: null }, status: 'failure' })
  })

  it('needs create on the staging table (the app ACL names import_transformer)', async () => {
    const res = await api(emu, '/api/now/import/x_emu_fixture_import', { method: 'POST', body: { serial_number: 'x' }, auth: { user: 'reader', password: 'Pw-123456' } })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ error: { message: 'Operation Failed', detail: 'ACL Exception Insert Failed due to security constraints' }, status: 'failure' })
  })

  it('needs web service access on the staging table (switch importSetRequiresWsAccess)', async () => {
    emu.db.dictionary.define({ name: 'u_closed_import', label: 'Closed', extends: 'sys_import_set_row', wsAccess: false, columns: new Map() })
    const res = await api(emu, '/api/now/import/u_closed_import', { method: 'POST', body: {} })
    expect(res.status).toBe(403)
    expect(res.body.error.message).toBe('User Not Authorized')
  })
})

describe('a plugged-in runtime', () => {
  let emu: Emulator
  const calls: string[] = []
  const runtime: ScriptRuntime = {
    async scriptedRest(ctx) {
      calls.push(`rest ${ctx.method} ${ctx.user.userName}`)
      return { status: 200, body: { result: { path: ctx.path, query: ctx.query, body: ctx.body, params: ctx.pathParams, op: ctx.operation.name } }, headers: { 'X-Test': 'yes' } }
    },
    async transformRow(ctx) {
      ctx.db.update(ctx.stagingTable, ctx.row.sys_id as string, { sys_import_state: 'inserted' })
      return [{ transform_map: 'Emu Transform', table: 'cmdb_ci_computer', status: 'inserted', sys_id: 'abc' }]
    },
    async afterInstall(ctx) {
      calls.push(`installed ${ctx.scope} by ${ctx.user.userName}`)
    },
  }

  beforeAll(async () => {
    // afterInstall after an upload-style install only with runFixScriptsOnInstall (app-install.test.ts covers the default).
    emu = await startEmulator({ runtime, switches: { runFixScriptsOnInstall: true } })
    await emu.installApp((await builtFixtureApp()).zip)
    addUser(emu, 'svc', ['cmdb_read', 'import_transformer', 'rest_api_explorer'])
    addUser(emu, 'plain', [])
  }, 180_000)
  afterAll(() => emu.close())

  it('runs afterInstall with the scope and the installing user', () => {
    expect(calls).toContain('installed x_emu_fixture by admin')
  })

  it('hands staging rows to transformRow and returns its outcomes', async () => {
    const res = await api(emu, '/api/now/import/x_emu_fixture_import', { method: 'POST', body: { serial_number: 'R1' }, auth: SVC })
    expect(res.body.result).toEqual([{ transform_map: 'Emu Transform', table: 'cmdb_ci_computer', status: 'inserted', sys_id: 'abc' }])
    expect(emu.db.query('x_emu_fixture_import', 'serial_number=R1')[0]?.sys_import_state).toBe('inserted')
  })

  it('routes scripted REST calls (also versioned) to the runtime with query, body and headers', async () => {
    const res = await api(emu, '/api/x_emu_fixture/emu/ping?a=1&a=2&b=x', { auth: SVC })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-test')).toBe('yes')
    expect(res.body.result).toEqual({ path: '/api/x_emu_fixture/emu/ping', query: { a: ['1', '2'], b: 'x' }, params: {}, op: 'ping' })
    expect((await api(emu, '/api/x_emu_fixture/v1/emu/ping', { auth: SVC })).status).toBe(200)
    expect(calls.filter((c) => c === 'rest GET svc')).toHaveLength(2)
  })

  it('refuses unauthenticated callers, users without snc_internal, unknown paths and wrong methods', async () => {
    const anonymous = await api(emu, '/api/x_emu_fixture/emu/ping', { auth: undefined })
    expect([anonymous.status, anonymous.body]).toEqual([401, { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' }])
    // 'plain' has no roles at all; snc_internal is added at first login, so take it away again.
    await api(emu, '/api/now/table/sys_scope', { auth: { user: 'plain', password: 'Pw-123456' } })
    const plainId = emu.db.query('sys_user', 'user_name=plain')[0]?.sys_id
    for (const row of emu.db.query('sys_user_has_role', `user=${plainId}`)) emu.db.delete('sys_user_has_role', row.sys_id as string)
    const noInternal = await api(emu, '/api/x_emu_fixture/emu/ping', { auth: { user: 'plain', password: 'Pw-123456' } })
    expect(noInternal.status).toBe(403)
    expect(noInternal.body.error.message).toBe('User Not Authorized')
    expect((await api(emu, '/api/x_emu_fixture/emu/nothing', { auth: SVC })).body).toEqual({ error: { message: 'Requested URI does not represent any resource', detail: null }, status: 'failure' })
    expect((await api(emu, '/api/x_emu_fixture/emu/ping', { method: 'POST', body: {}, auth: SVC })).status).toBe(405)
  })

  it('enforces the REST_Endpoint ACLs the operation names', async () => {
    const op = emu.db.query('sys_ws_operation', 'name=ping')[0]
    const acl = emu.db.insert('sys_security_acl', { name: 'x_emu_fixture.ping', type: 'REST_Endpoint', operation: 'execute' })
    emu.db.insert('sys_security_acl_role', { sys_security_acl: acl.sys_id, sys_user_role: emu.db.query('sys_user_role', 'name=x_emu_fixture.admin')[0]?.sys_id })
    emu.db.update('sys_ws_operation', op?.sys_id as string, { enforce_acl: acl.sys_id })
    const denied = await api(emu, '/api/x_emu_fixture/emu/ping', { auth: SVC })
    expect([denied.status, denied.body]).toEqual([403, { error: { message: 'User Not Authorized', detail: 'Failed API level ACL Validation' }, status: 'failure' }])
    expect((await api(emu, '/api/x_emu_fixture/emu/ping')).status).toBe(200)
  })
})

describe('the default runtime', () => {
  it('never reports a fake success', async () => {
    const rest = await defaultRuntime.scriptedRest({ operation: { name: 'x' } } as never)
    expect(rest.status).toBe(501)
    const outcomes = await defaultRuntime.transformRow({} as never)
    expect(outcomes.every((o) => o.status !== 'inserted' && o.status !== 'updated')).toBe(true)
  })
})
