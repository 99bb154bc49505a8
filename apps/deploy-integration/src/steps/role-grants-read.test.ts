// Reading the service account's roles: the role ids by name (refusing an instance without one), and the grants kept
// only when they are the user's (uninstall and --prune-roles delete them by sys_id).
import { describe, expect, it } from 'vitest'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import type { ServiceNowClient, TableRecord } from '@kandji-sn/servicenow-client'
import { describeRoleCount, grantsOf, planRoleGrants, readGrantRowsByUserName, readGrants, readRoleIds } from './role-grants.ts'

function lister(byTable: Record<string, TableRecord[]>) {
  const calls: unknown[] = []
  const admin = { table: { list: async (table: string, options: unknown) => (calls.push([table, options]), byTable[table] ?? []) } } as unknown as ServiceNowClient
  return { admin, calls }
}

describe('reading roles', () => {
  it('maps each required role name to its sys_id with one query', async () => {
    const { admin, calls } = lister({ sys_user_role: [{ sys_id: 'r1', name: 'cmdb_read' }, { sys_id: 'r2', name: 'import_transformer' }, { sys_id: 'r3', name: 'rest_api_explorer' }, { name: 'x' }, { sys_id: 'r9' }] })
    expect(await readRoleIds(admin)).toEqual({ cmdb_read: 'r1', import_transformer: 'r2', rest_api_explorer: 'r3' })
    expect(calls).toEqual([['sys_user_role', { query: 'nameINcmdb_read,import_transformer,rest_api_explorer', fields: ['sys_id', 'name'] }]])
  })

  it('refuses an instance that lacks a required role, naming each', async () => {
    const error = await readRoleIds(lister({ sys_user_role: [{ sys_id: 'r1', name: 'cmdb_read' }] }).admin).catch((e: unknown) => e as { exitCode: number; message: string; causeText: string; fix: string })
    expect([error.exitCode, error.message, error.causeText, error.fix]).toEqual([
      EXIT_CODES.instance, 'the instance has no role named import_transformer, rest_api_explorer',
      'the plugin that defines it is not active on this instance, or the role was renamed',
      'activate the plugin that provides the role (System Definition > Plugins), then re-run `deploy-integration plan`',
    ])
  })

  it("keeps only the user's grants, naming each role (by sys_id when the role is unknown)", async () => {
    const { admin, calls } = lister({
      sys_user_has_role: [
        { sys_id: 'g1', role: 'r1', inherited: 'false', user: 'u1' },
        { sys_id: 'g2', role: 'r2', inherited: 'true', user: 'u1' },
        { sys_id: 'g3', role: 'r7', inherited: 'false', user: 'u1' },
        { sys_id: 'g4', role: 'r1', inherited: 'false', user: 'someone-else' },
        { sys_id: 'g5', role: 'r1', user: 'u1' },
        { user: 'u1' },
      ],
      sys_user_role: [{ sys_id: 'r1', name: 'cmdb_read' }, { sys_id: 'r2', name: 'itil' }, { sys_id: 'r7' }, { name: 'orphan' }],
    })
    expect(await readGrants(admin, 'u1')).toEqual([
      { sysId: 'g1', roleSysId: 'r1', roleName: 'cmdb_read', inherited: false },
      { sysId: 'g2', roleSysId: 'r2', roleName: 'itil', inherited: true },
      { sysId: 'g3', roleSysId: 'r7', roleName: 'r7', inherited: false },
      { sysId: 'g5', roleSysId: 'r1', roleName: 'cmdb_read', inherited: false },
      { sysId: '', roleSysId: '', roleName: '', inherited: false },
    ])
    expect(calls).toEqual([
      ['sys_user_has_role', { query: 'user=u1', fields: ['sys_id', 'role', 'role.name', 'inherited', 'user'] }],
      ['sys_user_role', { query: 'sys_idINr1,r2,r7', fields: ['sys_id', 'name'] }],
    ])
  })

  it('by user name (before the account\'s sys_id is known): the rows are kept only when they are that account\'s; role.name saves the role read', async () => {
    const { admin, calls } = lister({
      sys_user_has_role: [
        { sys_id: 'g1', role: 'r1', 'role.name': 'cmdb_read', inherited: 'false', user: 'u1' },
        { sys_id: 'g2', role: 'r2', 'role.name': 'itil', inherited: 'true', user: 'u1' },
        { sys_id: 'g3', role: 'r1', 'role.name': 'cmdb_read', inherited: 'false', user: 'another-user-of-that-name' },
      ],
    })
    const rows = await readGrantRowsByUserName(admin, 'kandji_rest_api_user')
    expect(await grantsOf(admin, rows, 'u1')).toEqual([
      { sysId: 'g1', roleSysId: 'r1', roleName: 'cmdb_read', inherited: false },
      { sysId: 'g2', roleSysId: 'r2', roleName: 'itil', inherited: true },
    ])
    expect(calls).toEqual([['sys_user_has_role', { query: 'user.user_name=kandji_rest_api_user', fields: ['sys_id', 'role', 'role.name', 'inherited', 'user'] }]])
  })

  it('rows without role.name (an instance that does not dot-walk fields) get their names from sys_user_role, those only', async () => {
    const { admin, calls } = lister({ sys_user_role: [{ sys_id: 'r2', name: 'itil' }] })
    const rows: TableRecord[] = [{ sys_id: 'g1', role: 'r1', 'role.name': 'cmdb_read', user: 'u1' }, { sys_id: 'g2', role: 'r2', user: 'u1' }]
    expect((await grantsOf(admin, rows, 'u1')).map((g) => g.roleName)).toEqual(['cmdb_read', 'itil'])
    expect(calls).toEqual([['sys_user_role', { query: 'sys_idINr2', fields: ['sys_id', 'name'] }]])
  })

  it('a grant row without a role reads as an empty role, not as a name', async () => {
    const { admin } = lister({ sys_user_has_role: [{ sys_id: 'g1', user: 'u1' }, { sys_id: 'g2', user: 'u1', role: 'r1' }], sys_user_role: [{ sys_id: 'r1', name: 'itil' }] })
    expect(await readGrants(admin, 'u1')).toEqual([
      { sysId: 'g1', roleSysId: '', roleName: '', inherited: false },
      { sysId: 'g2', roleSysId: 'r1', roleName: 'itil', inherited: false },
    ])
  })

  it('reads no role names for a user without grants', async () => {
    const { admin, calls } = lister({})
    expect(await readGrants(admin, 'u1')).toEqual([])
    expect(calls).toHaveLength(1)
  })
})

describe('the roles plan, exactly', () => {
  const grant = (roleName: string, inherited = false) => ({ sysId: `g-${roleName}`, roleSysId: `r-${roleName}`, roleName, inherited })
  const roleIds = { cmdb_read: 'r1', import_transformer: 'r2', rest_api_explorer: 'r3' }
  it('adds each missing role for the user, names extras as privileged or not, and prunes them only when asked', () => {
    const current = { userSysId: 'u1', roleIds, grants: [grant('cmdb_read'), grant('import_transformer', true), grant('admin'), grant('itil'), grant('snc_internal')] }
    const extraDrift = [
      { kind: 'role-added', detail: '"svc" has the extra direct privileged role admin; it needs only cmdb_read, import_transformer, rest_api_explorer' },
      { kind: 'role-added', detail: '"svc" has the extra direct role itil; it needs only cmdb_read, import_transformer, rest_api_explorer' },
    ]
    expect(planRoleGrants(current, { userName: 'svc', pruneRoles: false })).toEqual({
      step: 'role-grants', object: 'roles of "svc"',
      changes: [
        { step: 'role-grants', action: 'create', table: 'sys_user_has_role', key: 'user=svc^role=import_transformer', fields: [{ field: 'role', from: undefined, to: 'import_transformer' }], data: { role: 'r2', user: 'u1' } },
        { step: 'role-grants', action: 'create', table: 'sys_user_has_role', key: 'user=svc^role=rest_api_explorer', fields: [{ field: 'role', from: undefined, to: 'rest_api_explorer' }], data: { role: 'r3', user: 'u1' } },
      ],
      warnings: [
        'extra direct privileged role "admin": the integration needs only cmdb_read, import_transformer, rest_api_explorer (re-run with --prune-roles to remove it)',
        'extra direct role "itil": the integration needs only cmdb_read, import_transformer, rest_api_explorer (re-run with --prune-roles to remove it)',
      ],
      notes: [describeRoleCount(current.grants)],
      drift: extraDrift,
    })
    const pruned = planRoleGrants(current, { userName: 'svc', pruneRoles: true })
    expect(pruned.drift).toEqual(extraDrift)
    expect(pruned.warnings).toEqual([])
    expect(pruned.changes.slice(2)).toEqual([
      { step: 'role-grants', action: 'delete', table: 'sys_user_has_role', key: 'user=svc^role=admin', sysId: 'g-admin', fields: [{ field: 'role', from: 'admin', to: undefined }], reason: 'extra privileged role' },
      { step: 'role-grants', action: 'delete', table: 'sys_user_has_role', key: 'user=svc^role=itil', sysId: 'g-itil', fields: [{ field: 'role', from: 'itil', to: undefined }], reason: 'extra role' },
    ])
    expect(planRoleGrants({ userSysId: undefined, roleIds, grants: [] }, { userName: 'svc', pruneRoles: false })).toMatchObject({ notes: [], changes: [{ data: { role: 'r1' }, userField: 'user' }, {}, {}] })
    expect(planRoleGrants({ userSysId: 'u1', roleIds, grants: [grant('cmdb_read'), grant('snc_internal')] }, { userName: 'svc', pruneRoles: false }).drift).toBeUndefined()
  })

  it('counts the roles the way the vendor does, naming the platform-granted and inherited ones', () => {
    expect(describeRoleCount([grant('cmdb_read'), grant('itil', true), grant('api', true), grant('itil', true), grant('snc_internal')]))
      .toBe('the instance reports 4 roles (1 direct; 2 inherited: api, itil; 1 added by the platform at first login: snc_internal); the vendor expects 6 plus those')
    expect(describeRoleCount([grant('cmdb_read')])).toBe('the instance reports 1 roles (1 direct; 0 inherited); the vendor expects 6')
  })
})
