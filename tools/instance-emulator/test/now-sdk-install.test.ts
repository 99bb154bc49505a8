// Acceptance (issue 5): the real `now-sdk install` (4.9.0, CI mode, basic auth) installs a built app into the
// emulator, and the app's records are then visible through the Table API.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../src/index.ts'
import { builtFixtureApp, FIXTURE_APP, NOW_SDK, type BuiltApp } from './helpers/fixture-app.ts'
import { api } from './helpers/http.ts'

const run = promisify(execFile)

function nowSdk(app: BuiltApp, emu: Emulator, args: string[] = []) {
  return run(NOW_SDK, ['install', ...args], {
    cwd: app.projectDir,
    timeout: 120_000,
    env: {
      ...process.env,
      SN_SDK_NODE_ENV: 'SN_SDK_CI_INSTALL',
      SN_SDK_INSTANCE_URL: emu.url,
      SN_SDK_USER: 'admin',
      SN_SDK_USER_PWD: 'admin',
      // disables the SDK's telemetry (fluent-sdk-findings 4)
      NODE_ENV: 'test',
    },
  })
}

describe('now-sdk install against the emulator', () => {
  let app: BuiltApp
  let emu: Emulator

  beforeAll(async () => {
    app = await builtFixtureApp()
    emu = await startEmulator()
  }, 180_000)

  afterAll(async () => {
    await emu?.close()
  })

  it('installs the built app and its records are visible through the Table API', async () => {
    const { stdout, stderr } = await nowSdk(app, emu)
    expect(`${stdout}${stderr}`).not.toMatch(/error/i)

    const scope = await api(emu, `/api/now/table/sys_scope?sysparm_query=scope=${FIXTURE_APP.scope}&sysparm_fields=sys_id,sys_class_name,scope,version,active`)
    expect(scope.body.result).toEqual([{ sys_id: FIXTURE_APP.scopeId, sys_class_name: 'sys_app', scope: FIXTURE_APP.scope, version: FIXTURE_APP.version, active: 'true' }])

    const roles = await api(emu, '/api/now/table/sys_user_role?sysparm_query=nameSTARTSWITHx_emu_fixture^ORDERBYname&sysparm_fields=name')
    expect(roles.body.result).toEqual([{ name: 'x_emu_fixture.admin' }, { name: 'x_emu_fixture.user' }])
    const contains = await api(emu, '/api/now/table/sys_user_role_contains?sysparm_query=role.name=x_emu_fixture.admin&sysparm_fields=contains.name')
    expect(contains.body.result).toEqual([{ 'contains.name': 'x_emu_fixture.user' }])

    // The ACL on a platform role resolved by name to the instance's import_transformer (the XML carries another sys_id).
    const aclRoles = await api(emu, '/api/now/table/sys_security_acl_role?sysparm_query=sys_security_acl.name=x_emu_fixture_import^ORDERBYsys_user_role.name&sysparm_fields=sys_user_role.name,sys_security_acl.operation')
    expect(aclRoles.body.result).toEqual([
      { 'sys_user_role.name': 'import_transformer', 'sys_security_acl.operation': 'create' },
      { 'sys_user_role.name': 'x_emu_fixture.user', 'sys_security_acl.operation': 'read' },
    ])

    const choices = await api(emu, '/api/now/table/sys_choice?sysparm_query=name=cmdb_ci^element=discovery_source&sysparm_fields=value')
    const values = choices.body.result.map((c: { value: string }) => c.value)
    // The documented default loader (choiceListLoader 'replace', v3) applies the packaged choice as the field's whole
    // list: every other discovery source is gone (app-install.test.ts runs the other loaders).
    expect(values).toEqual(['EmuFixture'])

    const tables = await api(emu, '/api/now/table/sys_db_object?sysparm_query=nameSTARTSWITHx_emu_fixture^ORDERBYname&sysparm_fields=name,super_class.name,ws_access')
    expect(tables.body.result).toEqual([
      { name: 'x_emu_fixture_import', 'super_class.name': 'sys_import_set_row', ws_access: 'true' },
      { name: 'x_emu_fixture_item', 'super_class.name': '', ws_access: 'false' },
    ])
    const staging = await api(emu, '/api/now/table/x_emu_fixture_import')
    expect(staging.status).toBe(200)
    expect(staging.body.result).toEqual([])

    for (const [table, query] of [
      ['sys_script_fix', 'name=emu_fix'],
      ['sys_script_include', 'api_name=x_emu_fixture.EmuUtil'],
      ['sys_properties', 'name=x_emu_fixture.setting'],
      ['sys_ws_definition', 'base_uri=/api/x_emu_fixture/emu'],
      ['sys_ws_operation', 'operation_uri=/api/x_emu_fixture/emu/ping'],
      ['sys_transform_map', 'name=Emu Transform'],
      ['sys_transform_entry', 'target_field=serial_number'],
      ['sys_module', `pathSTARTSWITH${FIXTURE_APP.scope}/`],
    ] as const) {
      const found = await api(emu, `/api/now/table/${table}?sysparm_query=${encodeURIComponent(query)}^sys_scope=${FIXTURE_APP.scopeId}&sysparm_fields=sys_id`)
      expect(found.body.result.length, `${table} ${query}`).toBeGreaterThan(0)
    }

    const history = await api(emu, `/api/now/table/sys_upgrade_history?sysparm_query=to_version=${FIXTURE_APP.scope}&sysparm_fields=from_version,to_version,upgrade_finished`)
    expect(history.body.result).toHaveLength(1)
    expect(history.body.result[0].upgrade_finished).not.toBe('')

    // The scripted REST route runs the installed module (the Glide runtime is the default).
    const ping = await api(emu, '/api/x_emu_fixture/emu/ping')
    expect(ping.status).toBe(200)
    expect(ping.body).toEqual({ result: { ok: true } })
  }, 180_000)

  it('re-installing the same app keeps customer rows in its tables and does not duplicate records', async () => {
    const created = await api(emu, '/api/now/table/x_emu_fixture_item', { method: 'POST', body: { code: 'CUSTOMER-1' } })
    expect(created.status).toBe(201)
    const rolesBefore = await api(emu, '/api/now/table/sys_user_role?sysparm_query=nameSTARTSWITHx_emu_fixture')

    await nowSdk(app, emu)

    const rows = await api(emu, '/api/now/table/x_emu_fixture_item?sysparm_fields=code')
    expect(rows.body.result).toEqual([{ code: 'CUSTOMER-1' }])
    const rolesAfter = await api(emu, '/api/now/table/sys_user_role?sysparm_query=nameSTARTSWITHx_emu_fixture')
    expect(rolesAfter.body.result).toHaveLength(rolesBefore.body.result.length)
    const history = await api(emu, `/api/now/table/sys_upgrade_history?sysparm_query=to_version=${FIXTURE_APP.scope}`)
    expect(history.body.result).toHaveLength(2)
  }, 180_000)

  it('`now-sdk install --reinstall` uninstalls through the apps processor first, then installs again', async () => {
    await nowSdk(app, emu, ['--reinstall'])
    const scope = await api(emu, `/api/now/table/sys_scope?sysparm_query=scope=${FIXTURE_APP.scope}&sysparm_fields=sys_class_name`)
    expect(scope.body.result).toEqual([{ sys_class_name: 'sys_app' }])
    // Uninstall dropped the app's tables with their rows; the install created them again, empty.
    const rows = await api(emu, '/api/now/table/x_emu_fixture_item')
    expect(rows.status).toBe(200)
    expect(rows.body.result).toEqual([])
    expect(emu.counters.byRoute['POST /xmlhttp.do']).toBe(2)
  }, 180_000)
})
