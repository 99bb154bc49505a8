import { EXPECTED_TOTAL_ROLE_COUNT, SERVICE_ACCOUNT_ROLES } from '@kandji-sn/contract/constants'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { grantRole, startEmulator, userRoleNames, type Emulator } from '../src/index.ts'
import { builtFixtureApp } from './helpers/fixture-app.ts'
import { api, type Auth } from './helpers/http.ts'

const SVC: Auth = { user: 'svc', password: 'Pw-123456' }
const ITIL: Auth = { user: 'fulfiller', password: 'Pw-123456' }
const NOBODY: Auth = { user: 'nobody', password: 'Pw-123456' }

const ACL = {
  insert: { error: { message: 'Operation Failed', detail: 'ACL Exception Insert Failed due to security constraints' }, status: 'failure' },
  update: { error: { message: 'Operation Failed', detail: 'ACL Exception Update Failed due to security constraints' }, status: 'failure' },
  delete: { error: { message: 'Operation Failed', detail: 'ACL Exception Delete Failed due to security constraints' }, status: 'failure' },
  query: { error: { message: 'Insufficient rights to query records', detail: 'Field(s) present in the query do not have permission to be read' }, status: 'failure' },
  notFound: { error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" }, status: 'failure' },
}

function addUser(emu: Emulator, userName: string, roles: readonly string[]): string {
  const id = emu.db.insert('sys_user', { user_name: userName, user_password: 'Pw-123456' }, { inputDisplayValue: true }).sys_id as string
  for (const role of roles) grantRole(emu.db, id, role)
  return id
}

describe('roles and inheritance', () => {
  let emu: Emulator
  beforeEach(async () => {
    emu = await startEmulator()
  })
  afterEach(() => emu.close())

  it('the service account has six roles: three direct and three inherited (fixture assumption), then snc_internal at login', async () => {
    const id = addUser(emu, 'svc', SERVICE_ACCOUNT_ROLES)
    const rows = emu.db.query('sys_user_has_role', `user=${id}`)
    expect(rows).toHaveLength(EXPECTED_TOTAL_ROLE_COUNT)
    const direct = rows.filter((r) => r.inherited === 'false')
    const inherited = rows.filter((r) => r.inherited === 'true')
    expect(direct).toHaveLength(3)
    expect(inherited).toHaveLength(3)
    const names = (list: typeof rows) => list.map((r) => emu.db.get('sys_user_role', r.role as string)?.name).sort()
    expect(names(inherited)).toEqual(['api_analytics_read', 'cmdb_query_builder_read', 'import_set_loader'])
    for (const row of inherited) expect(row.inh_count).toBe('1')
    await api(emu, '/api/now/table/cmdb_ci', { auth: SVC })
    expect(userRoleNames(emu.db, id).has('snc_internal')).toBe(true)
  })

  it('grants through the Table API write inherited rows, refuse duplicates, and removal cleans up', async () => {
    const id = addUser(emu, 'u1', [])
    const role = emu.db.query('sys_user_role', 'name=import_admin')[0]?.sys_id
    const granted = await api(emu, '/api/now/table/sys_user_has_role', { method: 'POST', body: { user: id, role } })
    expect(granted.status).toBe(201)
    const inherited = await api(emu, `/api/now/table/sys_user_has_role?sysparm_query=user=${id}^inherited=true^ORDERBYrole.name&sysparm_fields=role.name,granted_by.name,inh_count`)
    expect(inherited.body.result).toEqual([
      { 'role.name': 'import_scheduler', 'granted_by.name': 'import_admin', inh_count: '1' },
      // import_set_loader comes from import_admin and from import_transformer (fixture assumption): counted twice.
      { 'role.name': 'import_set_loader', 'granted_by.name': 'import_admin', inh_count: '2' },
      { 'role.name': 'import_transformer', 'granted_by.name': 'import_admin', inh_count: '1' },
    ])
    const duplicate = await api(emu, '/api/now/table/sys_user_has_role', { method: 'POST', body: { user: id, role } })
    expect(duplicate.status).toBe(403)
    expect(duplicate.body.error.message).toBe('Operation Failed')
    const inheritedRow = emu.db.query('sys_user_has_role', `user=${id}^inherited=true`)[0]?.sys_id
    const refused = await api(emu, `/api/now/table/sys_user_has_role/${inheritedRow}`, { method: 'DELETE' })
    expect(refused.status).toBe(403)
    const removed = await api(emu, `/api/now/table/sys_user_has_role/${granted.body.result.sys_id}`, { method: 'DELETE' })
    expect(removed.status).toBe(204)
    expect(emu.db.query('sys_user_has_role', `user=${id}`)).toEqual([])
  })

  it('an explicit grant of a role that is also inherited keeps both rows', () => {
    const id = addUser(emu, 'u2', ['import_transformer', 'import_set_loader'])
    const loaderRows = emu.db.query('sys_user_has_role', `user=${id}^role.name=import_set_loader`)
    expect(loaderRows.map((r) => r.inherited).sort()).toEqual(['false', 'true'])
  })
})

describe('table ACLs', () => {
  let emu: Emulator
  let adminId: string
  beforeAll(async () => {
    emu = await startEmulator()
    addUser(emu, 'svc', SERVICE_ACCOUNT_ROLES)
    addUser(emu, 'fulfiller', ['itil'])
    addUser(emu, 'nobody', [])
    adminId = emu.db.query('sys_user', 'user_name=admin')[0]?.sys_id as string
    emu.db.insert('cmdb_ci_computer', { name: 'Mac-1' })
  })
  afterAll(() => emu.close())

  it('cmdb_read reads CIs (child classes through the parent rule), a user without roles sees nothing', async () => {
    expect((await api(emu, '/api/now/table/cmdb_ci_computer', { auth: SVC })).body.result).toHaveLength(1)
    expect((await api(emu, '/api/now/table/cmdb_ci', { auth: ITIL })).body.result).toHaveLength(1)
    const none = await api(emu, '/api/now/table/cmdb_ci_computer', { auth: NOBODY })
    expect(none.status).toBe(200)
    expect(none.body.result).toEqual([])
    expect(none.headers.get('x-total-count')).toBe('0')
  })

  it('a query on a table the caller may not read is 403 "Insufficient rights to query records"', async () => {
    const res = await api(emu, '/api/now/table/sys_user?sysparm_query=user_name=admin', { auth: SVC })
    expect(res.status).toBe(403)
    expect(res.body).toEqual(ACL.query)
  })

  it('a single record the caller may not read is 404, as if it did not exist', async () => {
    const res = await api(emu, `/api/now/table/sys_user/${adminId}`, { auth: SVC })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(ACL.notFound)
  })

  it('refuses create, update and delete with the platform ACL bodies', async () => {
    const computer = emu.db.query('cmdb_ci_computer')[0]?.sys_id
    const create = await api(emu, '/api/now/table/cmdb_ci_computer', { method: 'POST', body: { name: 'x' }, auth: SVC })
    expect([create.status, create.body]).toEqual([403, ACL.insert])
    const update = await api(emu, `/api/now/table/cmdb_ci_computer/${computer}`, { method: 'PATCH', body: { name: 'x' }, auth: SVC })
    expect([update.status, update.body]).toEqual([403, ACL.update])
    const del = await api(emu, `/api/now/table/cmdb_ci_computer/${computer}`, { method: 'DELETE', auth: ITIL })
    expect([del.status, del.body]).toEqual([403, ACL.delete])
    const user = await api(emu, '/api/now/table/sys_user', { method: 'POST', body: { user_name: 'x' }, auth: ITIL })
    expect([user.status, user.body]).toEqual([403, ACL.insert])
  })

  it('keeps OAuth registry, properties and users to their admin roles; admin passes everything', async () => {
    for (const table of ['oauth_entity', 'sys_properties', 'sys_user', 'sys_user_has_role']) {
      expect((await api(emu, `/api/now/table/${table}?sysparm_query=sys_idISNOTEMPTY`, { auth: ITIL })).status, table).toBe(403)
      expect((await api(emu, `/api/now/table/${table}?sysparm_query=sys_idISNOTEMPTY`)).status, table).toBe(200)
    }
    expect((await api(emu, '/api/now/table/oauth_entity', { method: 'POST', body: { name: 'x' }, auth: SVC })).body).toEqual(ACL.insert)
  })

  it('with listReadDenied=forbidden a list GET without a query is 403 too', async () => {
    const strict = await startEmulator({ switches: { listReadDenied: 'forbidden' } })
    try {
      addUser(strict, 'nobody', [])
      const res = await api(strict, '/api/now/table/sys_user', { auth: NOBODY })
      expect(res.status).toBe(403)
      expect(res.body).toEqual({ error: { message: 'Insufficient rights to query records', detail: null }, status: 'failure' })
    } finally {
      await strict.close()
    }
  })
})

describe("an installed app's ACLs", () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator()
    await emu.installApp((await builtFixtureApp()).zip)
    addUser(emu, 'svc', SERVICE_ACCOUNT_ROLES)
    addUser(emu, 'appuser', ['x_emu_fixture.user'])
    addUser(emu, 'appadmin', ['x_emu_fixture.admin'])
  }, 180_000)
  afterAll(() => emu.close())

  it('the staging table is readable with the app role (directly or contained), not with import_transformer', async () => {
    emu.db.insert('x_emu_fixture_import', { serial_number: 'S1' })
    expect((await api(emu, '/api/now/table/x_emu_fixture_import', { auth: { user: 'appuser', password: 'Pw-123456' } })).body.result).toHaveLength(1)
    expect((await api(emu, '/api/now/table/x_emu_fixture_import', { auth: { user: 'appadmin', password: 'Pw-123456' } })).body.result).toHaveLength(1)
    expect((await api(emu, '/api/now/table/x_emu_fixture_import', { auth: SVC })).body.result).toEqual([])
  })

  it('the app ACL on create decides for the staging table: import_transformer may insert, the app user may not', async () => {
    expect((await api(emu, '/api/now/table/x_emu_fixture_import', { method: 'POST', body: { serial_number: 'S2' }, auth: SVC })).status).toBe(201)
    expect((await api(emu, '/api/now/table/x_emu_fixture_import', { method: 'POST', body: { serial_number: 'S3' }, auth: { user: 'appuser', password: 'Pw-123456' } })).body).toEqual(ACL.insert)
  })

  it('an app table without ACLs falls back to admin only', async () => {
    expect((await api(emu, '/api/now/table/x_emu_fixture_item', { method: 'POST', body: { code: 'c' }, auth: { user: 'appadmin', password: 'Pw-123456' } })).body).toEqual(ACL.insert)
    expect((await api(emu, '/api/now/table/x_emu_fixture_item', { method: 'POST', body: { code: 'c' } })).status).toBe(201)
  })
})
