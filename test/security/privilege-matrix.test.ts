// Least privilege, proven as the service account (issue 19): after a deploy, the hand-off file's credentials get a
// token (ROPC, as Iru Endpoint does) and may do exactly what the integration needs: push into the app's two staging
// tables, read the outcome of that push, read computers. Everything else is refused: the verify and repair
// endpoints, other users' records, writing the CMDB or the app's MDM table directly, importing into any other
// table. Without credentials every call is a 401, and each of the app's REST endpoints refuses the roles it does not
// name (the names from packages/contract). Prints allowed / refused / unexpected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_ROLES, EXIT_CODES, PLATFORM_TABLES, SERVICE_ACCOUNT_ROLES, TABLES, importStatusPath, repairPath, verifyPath } from '@kandji-sn/contract'
import { summary } from './support/cli.ts'
import { explain, startInstance, type Instance } from '../support/instance.ts'

type Auth = { bearer: string } | { basic: [string, string] } | 'anonymous'
type Expect = 'allowed' | 'refused'

interface Row {
  who: string
  what: string
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
  expect: Expect
  /** The statuses that count as this outcome (default: 2xx allowed, 401/403 refused). */
  statuses?: readonly number[]
  /** For an allowed read that must still show nothing beyond the caller: the result to check. */
  check?: (body: unknown) => boolean
}

const tally = { allowed: 0, refused: 0, unexpected: 0 }
const PASSWORD = 'Matrix-Pw-9d2c!x'
let inst: Instance
let token: string
let serviceAccountId: string
let computerId: string
let importSetId: string
/** The users each holding one role (plus snc_internal), for the endpoints' wrong-role rows. */
const roleUsers: Record<string, string> = {}

async function call(auth: Auth, method: Row['method'], path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' }
  if (auth !== 'anonymous') headers.Authorization = 'bearer' in auth ? `Bearer ${auth.bearer}` : `Basic ${Buffer.from(auth.basic.join(':')).toString('base64')}`
  const res = await fetch(`${inst.admin.instance}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = text
  }
  return { status: res.status, body: parsed }
}

const result = (body: unknown) => (body as { result?: unknown })?.result

beforeAll(async () => {
  inst = await startInstance({ release: 'zurich' })
  const deploy = await inst.deploy()
  expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
  const handoff = inst.handoff()
  const form = new URLSearchParams({ grant_type: 'password', client_id: handoff.client_id, client_secret: handoff.client_secret, username: handoff.username, password: handoff.password })
  const res = await fetch(`${inst.admin.instance}/oauth_token.do`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form })
  expect(res.status).toBe(200)
  token = ((await res.json()) as { access_token: string }).access_token
  serviceAccountId = (await inst.client.table.findOne(PLATFORM_TABLES.user, `user_name=${handoff.username}`, { fields: ['sys_id'] }))!.sys_id!
  computerId = (await inst.client.table.create(PLATFORM_TABLES.computer, { name: 'matrix-mac', serial_number: 'MATRIX-1' })).sys_id!
  // One web-service-only user per role, created by the admin as a person would (Table API), for the wrong-role rows.
  for (const role of ['snc_internal', ...SERVICE_ACCOUNT_ROLES, APP_ROLES.viewer, APP_ROLES.admin]) {
    const userName = `matrix_${role.replace(/\W/g, '_')}`
    const user = await inst.client.table.create(PLATFORM_TABLES.user, { user_name: userName, user_password: PASSWORD, active: 'true', web_service_access_only: 'true' }, { inputDisplayValue: true })
    const roleRow = await inst.client.table.findOne(PLATFORM_TABLES.role, `name=${role}`, { fields: ['sys_id'] })
    if (role !== 'snc_internal') await inst.client.table.create(PLATFORM_TABLES.userRole, { user: user.sys_id!, role: roleRow!.sys_id! })
    roleUsers[role] = userName
  }
  const pushed = await call({ bearer: token }, 'POST', `/api/now/import/${TABLES.deviceImport}/insertMultiple`, { records: [{ device_id: 'matrix-dev', device_name: 'Matrix Mac', serial_number: 'MATRIX-2', platform: 'Mac' }] })
  expect(pushed.status, JSON.stringify(pushed.body)).toBe(201)
  importSetId = (pushed.body as { import_set_id: string }).import_set_id
  await inst.emulator.importsIdle()
})
afterAll(async () => {
  await inst?.close()
  summary(`privilege matrix: ${tally.allowed} allowed, ${tally.refused} refused, ${tally.unexpected} unexpected`)
})

function rows(): Row[] {
  const sa = 'service account'
  const device = { device_id: 'matrix-dev-3', device_name: 'Matrix Mac 3', serial_number: 'MATRIX-3', platform: 'Mac' }
  const app = { device_id: 'matrix-dev-3', serial_number: 'MATRIX-3', app_name: 'Safari', version: '18.0', bundle_id: 'com.apple.Safari', publisher: 'Apple' }
  const list: Row[] = [
    { who: sa, what: 'import into the device staging table', method: 'POST', path: `/api/now/import/${TABLES.deviceImport}`, body: device, expect: 'allowed' },
    { who: sa, what: 'import into the application staging table', method: 'POST', path: `/api/now/import/${TABLES.appImport}`, body: app, expect: 'allowed' },
    { who: sa, what: 'insertMultiple into the application staging table', method: 'POST', path: `/api/now/import/${TABLES.appImport}/insertMultiple`, body: { records: [app] }, expect: 'allowed' },
    { who: sa, what: 'read the outcome of its push (import status)', method: 'GET', path: importStatusPath(importSetId), expect: 'allowed' },
    { who: sa, what: 'read cmdb_ci_computer', method: 'GET', path: `/api/now/table/${PLATFORM_TABLES.computer}?sysparm_limit=5`, expect: 'allowed', check: (b) => Array.isArray(result(b)) && (result(b) as unknown[]).length > 0 },
    { who: sa, what: 'the verify endpoint', method: 'GET', path: verifyPath, expect: 'refused' },
    { who: sa, what: 'the repair endpoint', method: 'POST', path: repairPath, body: {}, expect: 'refused' },
    {
      who: sa,
      what: 'list sys_user: nothing beyond itself',
      method: 'GET',
      path: `/api/now/table/${PLATFORM_TABLES.user}?sysparm_fields=sys_id`,
      expect: 'refused',
      statuses: [200, 403],
      check: (b) => result(b) === undefined || (Array.isArray(result(b)) && (result(b) as Array<{ sys_id?: string }>).every((u) => u.sys_id === serviceAccountId)),
    },
    { who: sa, what: 'read the admin user', method: 'GET', path: `/api/now/table/${PLATFORM_TABLES.user}?sysparm_query=user_name=admin`, expect: 'refused', statuses: [200, 403], check: (b) => result(b) === undefined || (Array.isArray(result(b)) && (result(b) as unknown[]).length === 0) },
    { who: sa, what: 'create a user', method: 'POST', path: `/api/now/table/${PLATFORM_TABLES.user}`, body: { user_name: 'matrix_evil' }, expect: 'refused' },
    { who: sa, what: 'change its own roles', method: 'POST', path: `/api/now/table/${PLATFORM_TABLES.userRole}`, body: { user: serviceAccountId, role: 'admin' }, expect: 'refused' },
    { who: sa, what: 'create a computer directly', method: 'POST', path: `/api/now/table/${PLATFORM_TABLES.computer}`, body: { name: 'evil', serial_number: 'EVIL-1' }, expect: 'refused' },
    { who: sa, what: 'update a computer directly', method: 'PATCH', path: `/api/now/table/${PLATFORM_TABLES.computer}/${computerId}`, body: { name: 'evil' }, expect: 'refused' },
    { who: sa, what: 'delete a computer directly', method: 'DELETE', path: `/api/now/table/${PLATFORM_TABLES.computer}/${computerId}`, expect: 'refused' },
    { who: sa, what: "create a row of the app's MDM table", method: 'POST', path: `/api/now/table/${TABLES.mdm}`, body: { serial_number: 'EVIL-2' }, expect: 'refused' },
    { who: sa, what: "create a row of the app's software table", method: 'POST', path: `/api/now/table/${TABLES.software}`, body: { app_name: 'evil' }, expect: 'refused' },
    { who: sa, what: 'read the staging table rows (others\' pushes)', method: 'GET', path: `/api/now/table/${TABLES.deviceImport}`, expect: 'refused', statuses: [200, 403], check: (b) => result(b) === undefined || (Array.isArray(result(b)) && (result(b) as unknown[]).length === 0) },
    { who: sa, what: 'import into another table (sys_user import set)', method: 'POST', path: '/api/now/import/imp_user', body: { user_name: 'evil' }, expect: 'refused', statuses: [403, 404, 400] },
    { who: sa, what: 'import into a platform table directly', method: 'POST', path: `/api/now/import/${PLATFORM_TABLES.computer}`, body: { name: 'evil' }, expect: 'refused', statuses: [403, 404, 400] },
    { who: sa, what: 'read OAuth clients', method: 'GET', path: `/api/now/table/${PLATFORM_TABLES.oauthEntity}`, expect: 'refused', statuses: [200, 403], check: (b) => result(b) === undefined || (Array.isArray(result(b)) && (result(b) as unknown[]).length === 0) },
    { who: sa, what: 'read system properties', method: 'GET', path: `/api/now/table/${PLATFORM_TABLES.property}`, expect: 'refused', statuses: [200, 403], check: (b) => result(b) === undefined || (Array.isArray(result(b)) && (result(b) as unknown[]).length === 0) },
  ]
  for (const [what, method, path] of [
    ['the verify endpoint', 'GET', verifyPath],
    ['the repair endpoint', 'POST', repairPath],
    ['the import status endpoint', 'GET', importStatusPath(importSetId)],
    ['the Table API (computers)', 'GET', `/api/now/table/${PLATFORM_TABLES.computer}`],
    ['the Import Set API', 'POST', `/api/now/import/${TABLES.deviceImport}`],
  ] as const) {
    list.push({ who: 'anonymous', what, method, path, body: method === 'POST' ? {} : undefined, expect: 'refused', statuses: [401] })
  }
  // Each endpoint of the app: the roles its ACL names are allowed (acls.now.ts), every other role refused.
  const endpoints = [
    { what: 'verify', method: 'GET' as const, path: verifyPath, body: undefined, allowed: [APP_ROLES.viewer, APP_ROLES.admin] },
    { what: 'repair', method: 'POST' as const, path: repairPath, body: {}, allowed: [APP_ROLES.admin] },
    { what: 'import status', method: 'GET' as const, path: importStatusPath(importSetId), body: undefined, allowed: ['import_transformer', APP_ROLES.viewer, APP_ROLES.admin] },
  ]
  for (const e of endpoints) {
    for (const [role, user] of Object.entries(roleUsers)) {
      const expectation: Expect = (e.allowed as readonly string[]).includes(role) ? 'allowed' : 'refused'
      // Repair allowed may answer 409 (nothing to repair is still an answer to an allowed caller).
      list.push({ who: `a user with only ${role}`, what: `the ${e.what} endpoint`, method: e.method, path: e.path, body: e.body, expect: expectation, ...(expectation === 'allowed' ? { statuses: [200, 201, 409] } : { statuses: [403] }) })
      void user
    }
  }
  return list
}

describe('least privilege as the service account (ROPC token from the hand-off file)', () => {
  it('every row of the matrix: exactly the allowed calls succeed, every other is refused', async () => {
    const failures: string[] = []
    for (const row of rows()) {
      const auth: Auth = row.who === 'anonymous' ? 'anonymous' : row.who === 'service account' ? { bearer: token } : { basic: [roleUsers[row.who.replace('a user with only ', '')]!, PASSWORD] }
      const res = await call(auth, row.method, row.path, row.body)
      const statuses = row.statuses ?? (row.expect === 'allowed' ? [200, 201] : [401, 403])
      const ok = statuses.includes(res.status) && (row.check === undefined || row.check(res.body))
      if (ok) tally[row.expect] += 1
      else {
        tally.unexpected += 1
        failures.push(`${row.who}: ${row.what} (${row.method} ${row.path}) -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}, expected ${row.expect}`)
      }
    }
    expect(failures).toEqual([])
    expect(tally.allowed + tally.refused).toBe(rows().length)
  })

  it('the service account holds exactly the three roles directly (nothing the matrix would miss)', async () => {
    const grants = await inst.client.table.list(PLATFORM_TABLES.userRole, { query: `user=${serviceAccountId}^inherited=false`, fields: ['role'] })
    const names = await Promise.all(grants.map(async (g) => (await inst.client.table.get(PLATFORM_TABLES.role, g.role!, { fields: ['name'] }))?.name))
    expect(names.filter((n) => n !== 'snc_internal').sort()).toEqual([...SERVICE_ACCOUNT_ROLES].sort())
  })
})
