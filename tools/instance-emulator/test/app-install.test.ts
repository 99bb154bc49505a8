import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultRuntime, grantRole, startEmulator, type Emulator, type EmulatorOptions } from '../src/index.ts'
import { builtFixtureApp, FIXTURE_APP, type BuiltApp } from './helpers/fixture-app.ts'
import { api } from './helpers/http.ts'

let app: BuiltApp
const temp: string[] = []
const emulators: Emulator[] = []

beforeAll(async () => {
  app = await builtFixtureApp()
}, 180_000)
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})
afterAll(async () => {
  await Promise.all(temp.map((d) => rm(d, { recursive: true, force: true })))
})

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ runtime: defaultRuntime, ...options })
  emulators.push(emu)
  return emu
}

/** A copy of the built app changed the way a new version would be (no inventory: the files no longer match it). */
async function variant(edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'emu-app-'))
  temp.push(dir)
  await cp(app.distDir, dir, { recursive: true })
  await rm(join(dir, 'package_inventory.csv'), { force: true })
  await edit(dir)
  return dir
}

async function replaceIn(dir: string, prefix: string, from: string, to: string): Promise<void> {
  for (const sub of ['scope', 'update']) {
    for (const f of await readdir(join(dir, sub))) {
      if (!f.startsWith(prefix)) continue
      const path = join(dir, sub, f)
      await writeFile(path, (await readFile(path, 'utf8')).replace(from, to))
    }
  }
}

const version101 = (dir: string) => replaceIn(dir, 'sys_app_', '<version>1.0.0</version>', '<version>1.0.1</version>')

describe('programmatic install, upgrade and uninstall', () => {
  it('installs from the zip and from the dist/app folder alike', async () => {
    const a = await start()
    const b = await start()
    expect(await a.installApp(app.zip)).toEqual({ scope: FIXTURE_APP.scope, version: '1.0.0' })
    expect(await b.installApp(app.distDir)).toEqual({ scope: FIXTURE_APP.scope, version: '1.0.0' })
    const count = (e: Emulator) => e.db.count('sys_metadata', `sys_scope=${FIXTURE_APP.scopeId}`)
    expect(count(a)).toBeGreaterThan(10)
    expect(count(a)).toBe(count(b))
  })

  it('an upgrade removes records the new version no longer ships and records the history', async () => {
    const emu = await start()
    await emu.installApp(app.zip)
    expect(emu.db.query('sys_script_include', 'name=EmuUtil')).toHaveLength(1)
    const next = await variant(async (dir) => {
      await version101(dir)
      for (const f of await readdir(join(dir, 'update'))) if (f.startsWith('sys_script_include_')) await rm(join(dir, 'update', f))
    })
    await emu.installApp(next)
    expect(emu.db.query('sys_script_include', 'name=EmuUtil')).toEqual([])
    expect(emu.db.get('sys_app', FIXTURE_APP.scopeId)?.version).toBe('1.0.1')
    // to_version holds the scope, where now-sdk looks an install up (connector.js appUpgradeStatus).
    const history = emu.db.query('sys_upgrade_history', 'ORDERBYsys_created_on').map((h) => [h.name?.split(' ').at(-1), h.from_version, h.to_version])
    expect(history).toEqual([
      ['1.0.0', '', FIXTURE_APP.scope],
      ['1.0.1', '1.0.0', FIXTURE_APP.scope],
    ])
  })

  it('an upgrade keeps a value the customer changed, but applies a new value to an unchanged record', async () => {
    const emu = await start()
    await emu.installApp(app.zip)
    const prop = emu.db.query('sys_properties', 'name=x_emu_fixture.setting')[0]
    emu.db.update('sys_properties', prop?.sys_id as string, { value: 'customer' })
    await emu.installApp(await variant(version101))
    expect(emu.db.get('sys_properties', prop?.sys_id as string)?.value).toBe('customer')

    const fresh = await start()
    await fresh.installApp(app.zip)
    await fresh.installApp(await variant(async (dir) => {
      await version101(dir)
      await replaceIn(dir, 'sys_properties_', '<value>on</value>', '<value>off</value>')
    }))
    expect(fresh.db.query('sys_properties', 'name=x_emu_fixture.setting')[0]?.value).toBe('off')
  })

  it('with upgradeKeepsCustomerChanges=false an upgrade overwrites customer changes', async () => {
    const emu = await start({ switches: { upgradeKeepsCustomerChanges: false } })
    await emu.installApp(app.zip)
    const prop = emu.db.query('sys_properties', 'name=x_emu_fixture.setting')[0]
    emu.db.update('sys_properties', prop?.sys_id as string, { value: 'customer' })
    await emu.installApp(await variant(version101))
    expect(emu.db.get('sys_properties', prop?.sys_id as string)?.value).toBe('on')
  })

  it('uninstall removes the app, its records, tables and roles', async () => {
    const emu = await start()
    await emu.installApp(app.zip)
    const granted = emu.db.insert('sys_user', { user_name: 'appuser' })
    grantRole(emu.db, granted.sys_id as string, 'x_emu_fixture.admin')
    await emu.uninstallApp(FIXTURE_APP.scope)
    expect(emu.db.query('sys_scope', `scope=${FIXTURE_APP.scope}`)).toEqual([])
    expect(emu.db.count('sys_metadata', `sys_scope=${FIXTURE_APP.scopeId}`)).toBe(0)
    expect(emu.db.tableExists('x_emu_fixture_import')).toBe(false)
    expect(emu.db.count('sys_choice', 'value=EmuFixture')).toBe(0)
    expect(emu.db.query('sys_user_has_role', `user=${granted.sys_id}`)).toEqual([])
    await expect(emu.uninstallApp(FIXTURE_APP.scope)).rejects.toThrow(/no application with scope/)
  })

  it('an application is its scope and its sys_id: a package for a scope another app holds is refused, the other app untouched', async () => {
    const emu = await start()
    await emu.installApp(app.zip)
    const before = emu.db.count('sys_metadata', `sys_scope=${FIXTURE_APP.scopeId}`)
    const impostor = await variant((dir) => replaceIn(dir, 'sys_app_', `<sys_id>${FIXTURE_APP.scopeId}</sys_id>`, '<sys_id>11111111111111111111111111111111</sys_id>'))
    await expect(emu.installApp(impostor)).rejects.toThrow(`The scope ${FIXTURE_APP.scope} already belongs to another application (sys_app ${FIXTURE_APP.scopeId}`)
    expect(emu.db.query('sys_scope', `scope=${FIXTURE_APP.scope}`).map((r) => r.sys_id)).toEqual([FIXTURE_APP.scopeId])
    expect(emu.db.count('sys_metadata', `sys_scope=${FIXTURE_APP.scopeId}`)).toBe(before)
  })
  it('refuses a package that is not a zip or folder of a build, with a message a person can act on', async () => {
    const emu = await start()
    await expect(emu.installApp(new Uint8Array([1, 2, 3]))).rejects.toThrow(/is not a zip file/)
    await expect(emu.installApp('/nonexistent/dist/app')).rejects.toThrow(/cannot read the app package/)
  })
})

/** The choices of a field as stored, every column, ordered by sys_id: what "byte for byte" compares. */
function choiceRows(emu: Emulator, table = 'cmdb_ci', element = 'discovery_source') {
  return emu.db.query('sys_choice', `name=${table}^element=${element}^ORDERBYsys_id`).map((r) => ({ ...r }))
}

// The fixture app packages one sys_choice on cmdb_ci.discovery_source ("EmuFixture"), under the field's choice-list
// update name (sys_choice_cmdb_ci_discovery_source), as any Fluent Record on sys_choice builds.
describe.each([
  { loader: 'replace' as const, others: 'deleted', fixture: true },
  { loader: 'skip' as const, others: 'kept', fixture: false },
  { loader: 'additive' as const, others: 'kept', fixture: true },
])('a packaged choice list with choiceListLoader $loader', ({ loader, others, fixture }) => {
  it(`leaves the field's other choices ${others} on install, and the fixture's own choice ${fixture ? 'added' : 'skipped'}`, async () => {
    const emu = await start({ switches: { choiceListLoader: loader } })
    const before = choiceRows(emu)
    expect(before.map((c) => c.value)).toContain('ServiceNow')
    await emu.installApp(app.zip)
    const after = choiceRows(emu)
    expect(after.filter((c) => c.value !== 'EmuFixture')).toEqual(others === 'kept' ? before : [])
    expect(after.filter((c) => c.value === 'EmuFixture')).toHaveLength(fixture ? 1 : 0)
    // other fields' choice lists are never touched
    expect(emu.db.count('sys_choice', 'name=oauth_entity')).toBeGreaterThan(0)
    await emu.uninstallApp(FIXTURE_APP.scope)
    expect(choiceRows(emu)).toEqual(others === 'kept' ? before : [])
  })
})

describe('what counts as a packaged choice list', () => {
  it("'skip' loads the package's choices for a field that has none yet", async () => {
    const emu = await start({ switches: { choiceListLoader: 'skip' } })
    for (const c of choiceRows(emu)) emu.db.delete('sys_choice', c.sys_id as string)
    await emu.installApp(app.zip)
    expect(choiceRows(emu).map((c) => c.value)).toEqual(['EmuFixture'])
  })

  it("'skip' on an upgrade keeps the choices the previous version loaded: it does not load the list, it does not remove it", async () => {
    const emu = await start({ switches: { choiceListLoader: 'skip' }, updateMutexHoldMs: 0 })
    for (const c of choiceRows(emu)) emu.db.delete('sys_choice', c.sys_id as string)
    await emu.installApp(app.zip)
    emu.db.insert('sys_choice', { name: 'cmdb_ci', element: 'discovery_source', value: 'Customer', label: 'Customer' })
    const upgrade = await variant((dir) => replaceIn(dir, 'sys_app_', '<version>1.0.0</version>', '<version>1.0.1</version>'))
    expect(await emu.installApp(upgrade)).toEqual({ scope: FIXTURE_APP.scope, version: '1.0.1' })
    expect(choiceRows(emu).map((c) => c.value).sort()).toEqual(['Customer', 'EmuFixture'])
  })

  it("a sys_choice travelling under its own update name (not the field's list) is added alone, even under 'replace'", async () => {
    const emu = await start({ switches: { choiceListLoader: 'replace' } })
    const before = choiceRows(emu)
    const single = await variant((dir) => replaceIn(dir, 'sys_choice_', '<sys_update_name>sys_choice_cmdb_ci_discovery_source</sys_update_name>', '<sys_update_name>sys_choice_0000000000000000000000000000aaaa</sys_update_name>'))
    await emu.installApp(single)
    expect(choiceRows(emu).filter((c) => c.value !== 'EmuFixture')).toEqual(before)
    expect(choiceRows(emu).filter((c) => c.value === 'EmuFixture')).toHaveLength(1)
  })
})

describe('fix scripts run on repository installs, not on an upload (audit item 6)', () => {
  const ran = (emu: Emulator) => emu.db.count('syslog', 'message=fix')
  it('an upload-style install runs none unless runFixScriptsOnInstall; a repository install runs them', async () => {
    const upload = await start({ runtime: undefined })
    await upload.installApp(app.zip)
    expect(upload.db.tableExists('syslog') ? ran(upload) : 0).toBe(0)
    const uploadOn = await start({ runtime: undefined, switches: { runFixScriptsOnInstall: true } })
    await uploadOn.installApp(app.zip)
    expect(ran(uploadOn)).toBe(1)
    const repo = await start({ runtime: undefined })
    await repo.publishApp(app.zip)
    const started = await api(repo, `/api/sn_cicd/app_repo/install?scope=${FIXTURE_APP.scope}`, { method: 'POST' })
    for (let i = 0; i < 3; i++) await api(repo, `/api/sn_cicd/progress/${started.body.result.links.progress.id}`)
    expect(ran(repo)).toBe(1)
  })

  it('an upgrade runs only the fix scripts the previous version did not have (t_RunFixScripts.md)', async () => {
    // Back-to-back installs: no Update-Mutex hold between them (a held mutex queues the next one; tested below).
    const repo = await start({ runtime: undefined, updateMutexHoldMs: 0 })
    await repo.publishApp(app.zip)
    const install = async () => {
      const started = await api(repo, `/api/sn_cicd/app_repo/install?scope=${FIXTURE_APP.scope}`, { method: 'POST' })
      for (let i = 0; i < 3; i++) await api(repo, `/api/sn_cicd/progress/${started.body.result.links.progress.id}`)
    }
    await install()
    expect(ran(repo)).toBe(1)
    await repo.publishApp(await variant(version101))
    await install()
    expect(ran(repo)).toBe(1)
    const withNewFix = await variant(async (dir) => {
      await replaceIn(dir, 'sys_app_', '<version>1.0.0</version>', '<version>1.0.2</version>')
      for (const f of await readdir(join(dir, 'update'))) {
        if (!f.startsWith('sys_script_fix_')) continue
        const xml = (await readFile(join(dir, 'update', f), 'utf8')).replace(/[0-9a-f]{32}<\/sys_id>/, '0000000000000000000000000000f1a2</sys_id>').replace('<name>emu_fix</name>', '<name>emu_fix_2</name>')
        await writeFile(join(dir, 'update', 'sys_script_fix_0000000000000000000000000000f1a2.xml'), xml)
      }
    })
    await repo.publishApp(withNewFix)
    await install()
    expect(ran(repo)).toBe(2)
  })
})

describe('CI/CD app repository and progress', () => {
  it('installs a published app over a few polls with string statuses and percent_complete', async () => {
    const emu = await start()
    await emu.publishApp(app.zip)
    const started = await api(emu, `/api/sn_cicd/app_repo/install?scope=${FIXTURE_APP.scope}&version=1.0.0`, { method: 'POST' })
    expect(started.status).toBe(200)
    const id = started.body.result.links.progress.id
    expect(started.body.result).toMatchObject({ status: '0', status_label: 'Pending', percent_complete: 0, rollback_version: null })
    expect(started.body.result.links.progress.url).toBe(`${emu.url}/api/sn_cicd/progress/${id}`)
    const seen: Array<[string, number]> = []
    for (let i = 0; i < 5; i++) {
      const p = await api(emu, `/api/sn_cicd/progress/${id}`)
      seen.push([p.body.result.status, p.body.result.percent_complete])
      if (p.body.result.status === '2') break
    }
    expect(seen).toEqual([['1', 50], ['2', 100]])
    expect(emu.db.query('sys_scope', `scope=${FIXTURE_APP.scope}`)[0]?.sys_class_name).toBe('sys_store_app')
  })

  it('refuses callers without admin or sn_cicd.sys_ci_automation, and unpublished apps', async () => {
    const emu = await start()
    const user = emu.db.insert('sys_user', { user_name: 'ci', user_password: 'Pw-123456' }, { inputDisplayValue: true })
    const refused = await api(emu, `/api/sn_cicd/app_repo/install?scope=${FIXTURE_APP.scope}`, { method: 'POST', auth: { user: 'ci', password: 'Pw-123456' } })
    expect(refused.status).toBe(403)
    expect(refused.body.error.message).toBe('User Not Authorized')
    grantRole(emu.db, user.sys_id as string, 'sn_cicd.sys_ci_automation')
    const missing = await api(emu, `/api/sn_cicd/app_repo/install?scope=${FIXTURE_APP.scope}`, { method: 'POST', auth: { user: 'ci', password: 'Pw-123456' } })
    expect(missing.status).toBe(404)
    expect((await api(emu, '/api/sn_cicd/app_repo/install', { method: 'POST' })).status).toBe(400)
    expect((await api(emu, '/api/sn_cicd/progress/nope')).status).toBe(404)
    expect((await api(emu, '/api/sn_cicd/progress/nope', { auth: undefined })).status).toBe(401)
  })

  it('installs by scope sys_id and reports the version it replaces as rollback_version', async () => {
    const emu = await start()
    await emu.installApp(app.zip)
    await emu.publishApp(await variant(version101))
    const started = await api(emu, `/api/sn_cicd/app_repo/install?sys_id=${FIXTURE_APP.scopeId}`, { method: 'POST' })
    expect(started.body.result.rollback_version).toBe('1.0.0')
    const id = started.body.result.links.progress.id
    await api(emu, `/api/sn_cicd/progress/${id}`)
    const done = await api(emu, `/api/sn_cicd/progress/${id}`)
    expect(done.body.result.status).toBe('2')
    expect(emu.db.get('sys_scope', FIXTURE_APP.scopeId)?.version).toBe('1.0.1')
  })
})

describe('upload processor', () => {
  async function session(emu: Emulator) {
    const login = await fetch(`${emu.url}/angular.do?sysparm_type=view_form.login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'user_name=admin&user_password=admin',
    })
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    const userToken = (await fetch(`${emu.url}/angular.do?sysparm_type=get_user`, { method: 'POST', headers: { Cookie: cookie } })).headers.get('x-usertoken-response') as string
    return { cookie, userToken }
  }

  async function upload(emu: Emulator, zip: Uint8Array, options: { cookie?: string; userToken?: string; ck?: string; query?: string }) {
    const form = new FormData()
    form.append('upload_type', 'file')
    form.append('load_demo', 'true')
    form.append('sysparm_ck', options.ck ?? options.userToken ?? '')
    form.append('attachFile', new Blob([zip]))
    const res = await fetch(`${emu.url}/sn_appclient_upload_processor.do?sysparm_track_fluent_install=true&${options.query ?? 'sysparm_async_fluent_install=true'}`, {
      method: 'POST',
      body: form,
      headers: { ...(options.cookie ? { Cookie: options.cookie } : {}), ...(options.userToken ? { 'X-UserToken': options.userToken } : {}) },
    })
    return { status: res.status, body: (await res.json()) as any }
  }

  it('needs the UI session and its token as sysparm_ck', async () => {
    const emu = await start()
    const zip = new Uint8Array(await readFile(app.zip))
    expect((await upload(emu, zip, {})).status).toBe(401)
    const s = await session(emu)
    expect((await upload(emu, zip, { ...s, ck: 'wrong' })).status).toBe(401)
    const ok = await upload(emu, zip, s)
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ executionTracker: expect.stringMatching(/^[0-9a-f]{32}$/), rollbackContext: expect.stringMatching(/^[0-9a-f]{32}$/) })
  })

  it('an asynchronous upload completes over polls; a corrupt package fails with status "3" and a message', async () => {
    const emu = await start({ updateMutexHoldMs: 0 })
    const s = await session(emu)
    const headers = { Cookie: s.cookie, 'X-UserToken': s.userToken }
    const good = await upload(emu, new Uint8Array(await readFile(app.zip)), s)
    const statuses: string[] = []
    for (let i = 0; i < 4 && statuses.at(-1) !== '2'; i++) {
      statuses.push((await api(emu, `/api/sn_cicd/progress/${good.body.executionTracker}`, { auth: undefined, headers })).body.result.status)
    }
    expect(statuses).toEqual(['1', '2'])
    const bad = await upload(emu, new Uint8Array([80, 75, 3, 4, 0, 0]), s)
    let progress
    for (let i = 0; i < 3; i++) progress = await api(emu, `/api/sn_cicd/progress/${bad.body.executionTracker}`, { auth: undefined, headers })
    expect(progress?.body.result.status).toBe('3')
    expect(progress?.body.result.status_message).toMatch(/corrupt zip/)
  })

  it('refuses a package for another scope than the request names', async () => {
    const emu = await start()
    const s = await session(emu)
    const res = await upload(emu, new Uint8Array(await readFile(app.zip)), { ...s, query: 'sysparm_async_fluent_install=false&sysparm_fluent_scope_name=x_other' })
    const progress = await api(emu, `/api/sn_cicd/progress/${res.body.executionTracker}`)
    expect(progress.body.result.status).toBe('3')
    expect(progress.body.result.status_message).toMatch(/x_other/)
  })
})
