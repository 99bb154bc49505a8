// Issue 20, "Done when": `--profile` reproduces behaviour. A profile is written to a file, loaded into emulators, and
// each switch of PROBED_SWITCHES is read back through HTTP only (never from the emulator's settings): one request per
// switch whose answer differs between its values. Three profiles together give every listed value of every switch.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE, INSERT_MULTIPLE_PLUGIN, OAUTH_CLIENT, PROBED_SWITCH_NAMES, PROBED_SWITCHES, PROFILE_FORMAT, TABLES, type EmulatorProfile, type ProbedSwitch } from '@kandji-sn/contract'
import { BASIC_AUTH_ROLE, DEFAULT_SWITCHES, grantRole, loadKandjiApp, startEmulator, type Emulator } from '../src/index.ts'
import { builtFixtureApp, FIXTURE_APP, type BuiltApp } from './helpers/fixture-app.ts'
import { api, token, type Auth } from './helpers/http.ts'

type Value = string | boolean
const PASSWORD = 'Pw-round-trip-1'
const dirs: string[] = []
let app: BuiltApp
let fixtureZip: Uint8Array
let fixtureZip101: Uint8Array
let kandjiZip: Uint8Array

/** The fixture app's build at version 1.0.1 (an upgrade), zipped as `now-sdk pack` does. */
async function zipAt101(distDir: string): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {}
  for (const entry of await readdir(distDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === 'package_inventory.csv') continue
    const path = join(entry.parentPath, entry.name)
    let bytes = new Uint8Array(await readFile(path))
    if (entry.name.startsWith('sys_app_')) bytes = new TextEncoder().encode(new TextDecoder().decode(bytes).replace('<version>1.0.0</version>', '<version>1.0.1</version>'))
    files[path.slice(distDir.length + 1)] = bytes
  }
  return zipSync(files)
}

beforeAll(async () => {
  app = await builtFixtureApp()
  fixtureZip = new Uint8Array(await readFile(app.zip))
  fixtureZip101 = await zipAt101(app.distDir)
  kandjiZip = (await loadKandjiApp()).bytes
}, 180_000)
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

/** Variant k sets each switch to its k-th listed value (wrapping): variants 0..2 cover every value. */
function variant(k: number): Record<ProbedSwitch, Value> {
  return Object.fromEntries(PROBED_SWITCH_NAMES.map((name) => [name, PROBED_SWITCHES[name][k % PROBED_SWITCHES[name].length]])) as Record<ProbedSwitch, Value>
}

/** Writes a profile observing `values`; a switch set to null is `could-not-tell`. */
async function writeProfile(values: Record<ProbedSwitch, Value | null>): Promise<string> {
  const profile: EmulatorProfile = {
    format: PROFILE_FORMAT,
    probedAt: new Date(0).toISOString(),
    tool: { name: 'profile-round-trip.test.ts (synthetic)', version: '0' },
    instance: { release: 'Zurich', buildName: 'Zurich', buildTag: null, patch: null },
    switches: Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, value === null ? { outcome: 'could-not-tell', reason: 'synthetic', evidence: [] } : { outcome: 'observed', value, evidence: [{ request: 'synthetic', status: null, answer: 'synthetic' }] }]),
    ),
  }
  const dir = await mkdtemp(join(tmpdir(), 'emu-round-trip-'))
  dirs.push(dir)
  const path = join(dir, 'profile.json')
  await writeFile(path, JSON.stringify(profile, null, 2))
  return path
}

/** The value an answer's status stands for; any other status is a broken observation, not a value. */
function byStatus<T extends Value>(res: { status: number; text: string }, values: Record<number, T>): T {
  const value = values[res.status]
  if (value === undefined) throw new Error(`unexpected ${res.status}: ${res.text.slice(0, 300)}`)
  return value
}

const v2 = (path: string) => `/api/now/v2/table/${path}`

function user(emu: Emulator, name: string, fields: Record<string, string> = {}, roles: string[] = [BASIC_AUTH_ROLE]): Auth {
  const id = emu.db.insert('sys_user', { user_name: name, user_password: PASSWORD, ...fields }, { inputDisplayValue: true }).sys_id as string
  for (const role of roles) grantRole(emu.db, id, role)
  return { user: name, password: PASSWORD }
}

/** The admin may use basic auth even where the restriction is enforced (the documented exemption role). */
function exemptAdmin(emu: Emulator): void {
  grantRole(emu.db, emu.db.query('sys_user', 'user_name=admin')[0]!.sys_id as string, BASIC_AUTH_ROLE)
}

/** The UI session now-sdk uses (login, then get_user for the user token). */
async function uiSession(emu: Emulator) {
  const login = await fetch(`${emu.url}/angular.do?sysparm_type=view_form.login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'user_name=admin&user_password=admin' })
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const getUser = await fetch(`${emu.url}/angular.do?sysparm_type=get_user`, { method: 'POST', headers: { Cookie: cookie } })
  return { cookie, userToken: getUser.headers.get('x-usertoken-response') ?? '', getUserStatus: getUser.status }
}

/** Uploads a package the way now-sdk install does (synchronous install); the answer's body. */
async function upload(emu: Emulator, zip: Uint8Array): Promise<Record<string, unknown>> {
  const s = await uiSession(emu)
  const form = new FormData()
  form.append('upload_type', 'file')
  form.append('load_demo', 'false')
  form.append('sysparm_ck', s.userToken)
  form.append('attachFile', new Blob([zip as Uint8Array<ArrayBuffer>]))
  const res = await fetch(`${emu.url}/sn_appclient_upload_processor.do?sysparm_track_fluent_install=true&sysparm_fluent_scope_name=${FIXTURE_APP.scope}&sysparm_async_fluent_install=false`, {
    method: 'POST',
    body: form,
    headers: { Cookie: s.cookie, 'X-UserToken': s.userToken },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Record<string, unknown>
}

async function rows(emu: Emulator, table: string, query: string, fields: string): Promise<Array<Record<string, string>>> {
  const res = await api(emu, v2(`${table}?sysparm_query=${encodeURIComponent(query)}&sysparm_fields=${fields}`))
  expect(res.status, `${table} ${query}`).toBe(200)
  return res.body.result
}

/**
 * A route of the fixture app (its scope) that runs `body` and answers what it returned, or that it threw: the
 * cross-scope switches are read from what an app script sees. The operation is added next to the shipped ping route.
 */
async function inFixtureScope(emu: Emulator, name: string, body: string): Promise<{ thrown: boolean; value: unknown }> {
  await upload(emu, fixtureZip)
  const { sys_id: _ping, ...ping } = emu.db.query('sys_ws_operation', `sys_scope=${FIXTURE_APP.scopeId}^name=ping`)[0]!
  const script = `(function (request, response) { var out; try { out = { thrown: false, value: (function () { ${body} })() }; } catch (e) { out = { thrown: true, value: String(e.message) }; } response.setBody(out); })(request, response);`
  emu.db.insert('sys_ws_operation', { ...ping, name, relative_path: `/${name}`, http_method: 'GET', operation_script: script })
  const res = await api(emu, `/api/${FIXTURE_APP.scope}/emu/${name}`)
  expect(res.status, res.text).toBe(200)
  return res.body.result
}

/** The fixture app's privileges (status allowed) recorded for a table, through the Table API. */
async function privilegesFor(emu: Emulator, table: string): Promise<number> {
  return (await rows(emu, 'sys_scope_privilege', `source_scope=${FIXTURE_APP.scopeId}^target_name=${table}^status=allowed`, 'sys_id')).length
}

/** One observation per switch: what the instance's answers say the value is. `emu` was started from the profile. */
const OBSERVE: Record<ProbedSwitch, (emu: Emulator) => Promise<Value>> = {
  async unversionedTableApi(emu) {
    return byStatus(await api(emu, '/api/now/table/sys_user?sysparm_query=user_name=kandji_profile_nobody'), { 404: 'v1', 200: 'v2' })
  },
  async ropcRefusedForWebServiceOnly(emu) {
    user(emu, 'ws_only', { web_service_access_only: 'true' })
    const client = emu.db.insert('oauth_entity', { name: 'round-trip', client_secret: 'client-secret-1' }, { inputDisplayValue: true })
    return byStatus(await token(emu, { grant_type: 'password', client_id: client.client_id as string, client_secret: 'client-secret-1', username: 'ws_only', password: PASSWORD }), { 401: true, 200: false })
  },
  async addSncInternalOnFirstLogin(emu) {
    const first = user(emu, 'first_login')
    expect((await api(emu, v2('sys_user_role?sysparm_limit=1'), { auth: first })).status).not.toBe(401)
    return (await rows(emu, 'sys_user_has_role', 'user.user_name=first_login^role.name=snc_internal^inherited=false', 'sys_id')).length === 1
  },
  async defaultScopeRestriction(emu) {
    const res = await api(emu, v2(`oauth_entity?sysparm_fields=${OAUTH_CLIENT.scopeRestrictionField}`), { method: 'POST', body: { name: 'no-restriction-given', type: 'client' } })
    return res.body.result[OAUTH_CLIENT.scopeRestrictionField]
  },
  async choiceInputDisplayValue(emu) {
    // "useraccount" and "restricted" are values, not labels: stored as given only by 'label-or-value'. The value
    // written differs from what a client gets when none is given (defaultScopeRestriction), so keeping it tells.
    const field = OAUTH_CLIENT.scopeRestrictionField
    const plain = await api(emu, v2(`oauth_entity?sysparm_fields=${field}`), { method: 'POST', body: { name: 'no-value', type: 'client' } })
    const value = plain.body.result[field] === 'useraccount' ? 'restricted' : 'useraccount'
    const res = await api(emu, v2(`oauth_entity?sysparm_input_display_value=true&sysparm_fields=${field}`), { method: 'POST', body: { name: 'by-value', type: 'client', [field]: value } })
    return res.body.result[field] === value ? 'label-or-value' : 'label-only'
  },
  async listReadDenied(emu) {
    const res = await api(emu, v2('sys_properties'), { auth: user(emu, 'no_roles') })
    if (res.status === 200) expect(res.body.result).toEqual([])
    return byStatus(res, { 403: 'forbidden', 200: 'filter' })
  },
  async uiSessionSecurity(emu) {
    const s = await uiSession(emu)
    if (s.getUserStatus === 401 && s.userToken !== '') return 'user-token'
    if (s.getUserStatus === 200 && s.userToken === '') return 'legacy'
    throw new Error(`get_user answered ${s.getUserStatus} with token "${s.userToken}"`)
  },
  async basicAuthRestriction(emu) {
    // A plain account (not web-service-only, no snc_basic_auth_api_access) calling the Table API with basic auth:
    // signed in (200, or 403 where listReadDenied is 'forbidden') or refused as if the password were wrong (401).
    return byStatus(await api(emu, v2('sys_user_role?sysparm_limit=1'), { auth: user(emu, 'plain', {}, []) }), { 401: 'new-instance', 200: 'upgraded', 403: 'upgraded' })
  },
  async samPro(emu) {
    return byStatus(await api(emu, v2('cmdb_sam_sw_install?sysparm_limit=1')), { 400: 'inactive', 200: 'active' })
  },
  async insertMultiplePlugin(emu) {
    await upload(emu, fixtureZip)
    return byStatus(await api(emu, `/api/now/import/${FIXTURE_APP.scope}_import/insertMultiple`, { method: 'POST', body: { records: [{ serial_number: 'A' }] } }), { 201: 'active', 400: 'absent' })
  },
  async insertMultipleTransform(emu) {
    // The endpoint needs its plugin (switch insertMultiplePlugin, which a variant may set 'absent').
    for (const p of emu.db.query('sys_plugins', `source=${INSERT_MULTIPLE_PLUGIN}`)) emu.db.update('sys_plugins', String(p.sys_id), { active: 'active' })
    await upload(emu, fixtureZip)
    const res = await api(emu, `/api/now/import/${FIXTURE_APP.scope}_import/insertMultiple`, { method: 'POST', body: { records: [{ serial_number: 'A' }] } })
    expect(res.status).toBe(201)
    // Read right after the answer; this emulator waits a second before a background transform (observeAll).
    const [row] = await rows(emu, `${FIXTURE_APP.scope}_import`, `sys_import_set=${res.body.import_set_id}`, 'sys_import_state')
    return row!.sys_import_state === 'pending' ? 'asynchronous' : 'synchronous'
  },
  async ireSkipDuplicates(emu) {
    await emu.installApp(kandjiZip)
    // As deploy leaves it: the Kandji discovery source added by the admin (IRE refuses an unknown source).
    const choice = { name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value: DISCOVERY_SOURCE.value, label: DISCOVERY_SOURCE.label, language: DISCOVERY_SOURCE.language }
    expect((await api(emu, v2('sys_choice'), { method: 'POST', body: choice })).status).toBe(201)
    // Two CIs with one serial number (duplicates another source left behind), then Kandji reports that serial.
    for (const name of ['dup-a', 'dup-b']) expect((await api(emu, v2('cmdb_ci_computer'), { method: 'POST', body: { name, serial_number: 'ROUNDTRIPDUP' } })).status).toBe(201)
    const res = await api(emu, `/api/now/import/${TABLES.deviceImport}`, { method: 'POST', body: { device_id: 'dev-dup', device_name: 'Mac dup', platform: 'Mac', os_version: '15.1', serial_number: 'ROUNDTRIPDUP' } })
    const [outcome] = res.body.result as Array<{ status: string; status_message?: string }>
    if (outcome?.status === 'inserted' && outcome.status_message?.endsWith('update through IRE.')) return true
    if (outcome?.status === 'ignored' && outcome.status_message?.includes('MULTIPLE_DUPLICATE_RECORDS')) return false
    throw new Error(`IRE answered neither way: ${JSON.stringify(outcome)}`)
  },
  async propertyNameUnique(emu) {
    const property = { name: 'kandji_profile_unique', value: '1', type: 'string' }
    expect((await api(emu, v2('sys_properties'), { method: 'POST', body: property })).status).toBe(201)
    return byStatus(await api(emu, v2('sys_properties'), { method: 'POST', body: property }), { 403: true, 201: false })
  },
  async importSetRequiresWsAccess(emu) {
    emu.db.dictionary.define({ name: 'u_round_trip_closed', label: 'Closed', extends: 'sys_import_set_row', wsAccess: false, columns: new Map() })
    return byStatus(await api(emu, '/api/now/import/u_round_trip_closed', { method: 'POST', body: {} }), { 403: true, 201: false })
  },
  async enforceMandatoryOnTableApi(emu) {
    // sys_user.user_name is dictionary-mandatory.
    return byStatus(await api(emu, v2('sys_user'), { method: 'POST', body: { first_name: 'No user name' } }), { 403: true, 201: false })
  },
  async runFixScriptsOnInstall(emu) {
    await upload(emu, fixtureZip)
    // The fixture's fix script logs "fix". The emulator creates syslog with its first line (400 Invalid table before).
    const res = await api(emu, v2('syslog?sysparm_query=message=fix&sysparm_fields=sys_id'))
    expect([200, 400], JSON.stringify(res.body)).toContain(res.status)
    return res.status === 200 && res.body.result.length === 1
  },
  async choiceListLoader(emu) {
    await upload(emu, fixtureZip)
    const values = (await rows(emu, 'sys_choice', 'name=cmdb_ci^element=discovery_source', 'value')).map((r) => r.value)
    const fixture = values.includes('EmuFixture')
    const others = values.some((v) => v === 'ServiceNow')
    return fixture && !others ? 'replace' : !fixture && others ? 'skip' : 'additive'
  },
  async upgradeKeepsCustomerChanges(emu) {
    await upload(emu, fixtureZip)
    const [prop] = await rows(emu, 'sys_properties', `name=${FIXTURE_APP.scope}.setting`, 'sys_id')
    expect((await api(emu, v2(`sys_properties/${prop!.sys_id}`), { method: 'PATCH', body: { value: 'customer' } })).status).toBe(200)
    await upload(emu, fixtureZip101)
    const [after] = await rows(emu, 'sys_properties', `name=${FIXTURE_APP.scope}.setting`, 'value')
    return after!.value === 'customer'
  },
  async uploadExecutionTracker(emu) {
    return 'executionTracker' in (await upload(emu, fixtureZip)) ? 'answered' : 'absent'
  },
  async uninstallOutcome(emu) {
    await upload(emu, fixtureZip)
    const s = await uiSession(emu)
    const started = await fetch(`${emu.url}/xmlhttp.do`, {
      method: 'POST',
      headers: { Cookie: s.cookie, 'X-UserToken': s.userToken, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ sysparm_processor: 'com.snc.apps.AppsAjaxProcessor', sysparm_function: 'deleteApplication', sysparm_sys_id: FIXTURE_APP.scopeId, sysparm_ck: s.userToken }).toString(),
    })
    const id = /answer="([^"]*)"/.exec(await started.text())?.[1] ?? ''
    for (let i = 0; i < 200; i++) {
      const p = (await api(emu, `/api/sn_cicd/progress/${id}`)).body.result as { status: string; status_message: string }
      if (p.status === '3') return 'partially-deleted'
      if (p.status === '2') return p.status_message.includes('deactivated') ? 'deactivated' : 'deleted'
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`uninstall ${id} never finished`)
  },
  async runtimeAccessTracking(emu) {
    // The fixture app holds no privilege for sys_user: Enforcing refuses the read (thrown or quietly), Tracking lets it
    // through and records one, None lets it through and records nothing.
    const read = await inFixtureScope(emu, 'read_user', "var u = new GlideRecord('sys_user'); return u.get(gs.getUserID());")
    if (read.thrown || read.value === false) return 'enforcing'
    return (await privilegesFor(emu, 'sys_user')) === 1 ? 'tracking' : 'none'
  },
  async crossScopeRefusal(emu) {
    // A global table no other scope may use (sys_db_object.access not public) refuses under every tracking mode.
    emu.db.dictionary.define({ name: 'u_round_trip_private', label: 'Private', wsAccess: true, columns: new Map() })
    emu.db.insert('sys_db_object', { name: 'u_round_trip_private', access: 'package_private', read_access: 'true', sys_scope: 'global' })
    emu.db.insert('u_round_trip_private', { sys_id: '0123456789abcdef0123456789abcdef' })
    const read = await inFixtureScope(emu, 'read_private', "var r = new GlideRecord('u_round_trip_private'); r.query(); return r.next();")
    if (read.thrown) return 'throw'
    expect(read.value).toBe(false)
    return 'quiet'
  },
  async globalTableAccess(emu) {
    // With an allowed create privilege for sys_choice, only the table's application access decides.
    emu.db.insert('sys_scope_privilege', { source_scope: FIXTURE_APP.scopeId, target_scope: 'global', target_name: 'sys_choice', target_type: 'sys_db_object', operation: 'create', status: 'allowed', sys_scope: FIXTURE_APP.scopeId })
    const created = await inFixtureScope(emu, 'create_choice', "var c = new GlideRecord('sys_choice'); c.initialize(); c.setValue('name', 'cmdb_ci'); c.setValue('element', 'discovery_source'); c.setValue('value', 'RoundTrip'); c.setValue('language', 'en'); return c.insert();")
    const stored = await rows(emu, 'sys_choice', 'name=cmdb_ci^element=discovery_source^value=RoundTrip', 'sys_id')
    if (!created.thrown && typeof created.value === 'string' && created.value !== '') {
      expect(stored.map((r) => r.sys_id)).toEqual([created.value])
      return 'open'
    }
    expect(stored).toEqual([])
    return 'read-only'
  },
}

/** Each switch read back through HTTP, each from a fresh emulator started with the profile file. */
async function observeAll(path: string): Promise<Record<string, Value>> {
  const observed: Record<string, Value> = {}
  for (const name of PROBED_SWITCH_NAMES) {
    // A fresh emulator per switch, so one observation's objects never change another's answer.
    // insertMultipleTransform is told by a read right after the answer: a background transform waits a second for it.
    const emu = await startEmulator({ profile: path, updateMutexHoldMs: 0, importTransformDelayMs: name === 'insertMultipleTransform' ? 1_000 : 0 })
    try {
      if (name !== 'basicAuthRestriction') exemptAdmin(emu)
      observed[name] = await OBSERVE[name](emu)
    } catch (error) {
      throw new Error(`observing ${name}: ${(error as Error).message}`)
    } finally {
      await emu.close()
    }
  }
  return observed
}

describe.each([0, 1, 2])('a profile written with variant %i of every switch', (k) => {
  it('is reproduced: each switch, read back through HTTP from an emulator started with the profile file, has the profile value', async () => {
    const values = variant(k)
    expect(await observeAll(await writeProfile(values))).toEqual(values)
  }, 180_000)
})

it('a profile that could tell nothing behaves as the defaults, switch by switch', async () => {
  const nothing = Object.fromEntries(PROBED_SWITCH_NAMES.map((name) => [name, null])) as Record<ProbedSwitch, null>
  expect(await observeAll(await writeProfile(nothing))).toEqual(Object.fromEntries(PROBED_SWITCH_NAMES.map((name) => [name, DEFAULT_SWITCHES[name]])))
}, 180_000)

it('the three variants give every listed value of every switch, so each observation is seen telling its values apart', () => {
  for (const name of PROBED_SWITCH_NAMES) expect(new Set([0, 1, 2].map((k) => variant(k)[name])), name).toEqual(new Set<Value>(PROBED_SWITCHES[name]))
})

it('explicit switches win over the profile in what the instance does, too', async () => {
  const path = await writeProfile(variant(0))
  expect(variant(0).unversionedTableApi).toBe('v1')
  const emu = await startEmulator({ profile: path, switches: { unversionedTableApi: 'v2' } })
  try {
    exemptAdmin(emu)
    expect(await OBSERVE.unversionedTableApi(emu)).toBe('v2')
  } finally {
    await emu.close()
  }
})

