// What a client of the install endpoints sees (audit items 9-18): progress answers with nulls, running installs in
// sys_execution_tracker, slow and tracker-less uploads, the legacy UI session, get_user's cookie, CI/CD refusal
// bodies, the Update-Mutex, uninstall outcomes, Link headers and choice fields written as display values.
import { readFile } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultRuntime, startEmulator, type Emulator, type EmulatorOptions } from '../src/index.ts'
import { builtFixtureApp, FIXTURE_APP, type BuiltApp } from './helpers/fixture-app.ts'
import { api } from './helpers/http.ts'

let app: BuiltApp
let zip: Uint8Array
const emulators: Emulator[] = []

beforeAll(async () => {
  app = await builtFixtureApp()
  zip = new Uint8Array(await readFile(app.zip))
}, 180_000)
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})
afterAll(() => undefined)

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ runtime: defaultRuntime, ...options })
  emulators.push(emu)
  return emu
}

/** The UI login now-sdk performs; `keepTokenCookie` also keeps the cookie get_user's 401 sets (now-sdk does not). */
async function uiSession(emu: Emulator, keepTokenCookie = false) {
  const login = await fetch(`${emu.url}/angular.do?sysparm_type=view_form.login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'user_name=admin&user_password=admin',
  })
  const jar = new Map(login.headers.getSetCookie().map((c) => c.split(';')[0]!.split('=') as [string, string]))
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const getUser = await fetch(`${emu.url}/angular.do?sysparm_type=get_user`, { method: 'POST', headers: { Cookie: cookie() } })
  if (keepTokenCookie) for (const c of getUser.headers.getSetCookie()) jar.set(...(c.split(';')[0]!.split('=') as [string, string]))
  return { cookie: cookie(), userToken: getUser.headers.get('x-usertoken-response') ?? '', getUserStatus: getUser.status }
}

async function upload(emu: Emulator, s: { cookie: string; userToken: string }, query = 'sysparm_async_fluent_install=false', ck: string | undefined = s.userToken) {
  const form = new FormData()
  form.append('upload_type', 'file')
  form.append('load_demo', 'false')
  if (ck !== undefined) form.append('sysparm_ck', ck)
  form.append('attachFile', new Blob([zip as Uint8Array<ArrayBuffer>]))
  const res = await fetch(`${emu.url}/sn_appclient_upload_processor.do?sysparm_track_fluent_install=true&sysparm_fluent_scope_name=${FIXTURE_APP.scope}&${query}`, {
    method: 'POST',
    body: form,
    headers: { Cookie: s.cookie, 'X-UserToken': s.userToken },
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function uninstall(emu: Emulator, s: { cookie: string; userToken: string }): Promise<string> {
  const res = await fetch(`${emu.url}/xmlhttp.do`, {
    method: 'POST',
    headers: { Cookie: s.cookie, 'X-UserToken': s.userToken, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sysparm_processor: 'com.snc.apps.AppsAjaxProcessor', sysparm_function: 'deleteApplication', sysparm_sys_id: FIXTURE_APP.scopeId, sysparm_ck: s.userToken }).toString(),
  })
  return /answer="([^"]*)"/.exec(await res.text())?.[1] ?? ''
}

async function progress(emu: Emulator, id: string) {
  return (await api(emu, `/api/sn_cicd/progress/${id}`)).body.result as Record<string, unknown>
}

async function pollUntilDone(emu: Emulator, id: string) {
  for (let i = 0; i < 200; i++) {
    const p = await progress(emu, id)
    if (p.status !== '0' && p.status !== '1') return p
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`progress ${id} never finished`)
}

const mutexHeld = (emu: Emulator) => emu.db.query('sys_mutex', 'name=Update-Mutex^acquiredISNOTEMPTY').length > 0

describe.each(['empty-string', 'null'] as const)('progress answers (progressEmptyFields %s)', (progressEmptyFields) => {
  it('a first install answers rollback_version null; empty text fields are "" or null as switched', async () => {
    const emu = await start({ switches: { progressEmptyFields } })
    await emu.publishApp(app.zip)
    const started = await api(emu, `/api/sn_cicd/app_repo/install?scope=${FIXTURE_APP.scope}`, { method: 'POST' })
    const empty = progressEmptyFields === 'null' ? null : ''
    const { links: _links, ...rest } = started.body.result
    expect(rest).toEqual({ status: '0', status_label: 'Pending', status_message: empty, status_detail: empty, error: empty, percent_complete: 0, rollback_version: null })
    const done = await pollUntilDone(emu, started.body.result.links.progress.id)
    expect(done).toMatchObject({ status: '2', percent_complete: 100, status_detail: empty, error: empty, rollback_version: null })
  })
})

describe('a running install is visible in sys_execution_tracker', () => {
  it('the repository install names its scope and application, pending until polled, then successful', async () => {
    const emu = await start()
    await emu.publishApp(app.zip)
    const started = await api(emu, `/api/sn_cicd/app_repo/install?scope=${FIXTURE_APP.scope}`, { method: 'POST' })
    const id = started.body.result.links.progress.id
    const running = await api(emu, `/api/now/table/sys_execution_tracker?sysparm_query=stateIN0,1^source=${FIXTURE_APP.scopeId}^ORnameLIKE${FIXTURE_APP.scope}&sysparm_fields=sys_id,state,source,source_table`)
    expect(running.body.result).toEqual([{ sys_id: id, state: '0', source: FIXTURE_APP.scopeId, source_table: 'sys_store_app' }])
    await pollUntilDone(emu, id)
    expect(emu.db.get('sys_execution_tracker', id)).toMatchObject({ state: '2', percent_complete: '100' })
  })
})

describe('upload installs', () => {
  it('with uploadInstallDelayMs the synchronous upload answers only once installed; meanwhile its tracker is running', async () => {
    const emu = await start({ uploadInstallDelayMs: 300 })
    const s = await uiSession(emu)
    const answer = upload(emu, s)
    let seen: string | undefined
    for (let i = 0; i < 100 && seen === undefined; i++) {
      seen = emu.db.query('sys_execution_tracker', 'state=1')[0]?.state
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(seen).toBe('1')
    const done = await answer
    expect(done.status).toBe(200)
    expect((await progress(emu, done.body.executionTracker as string)).status).toBe('2')
  })

  it('refuses a negative or non-numeric uploadInstallDelayMs / updateMutexHoldMs', async () => {
    await expect(startEmulator({ uploadInstallDelayMs: -1 })).rejects.toThrow('startEmulator: uploadInstallDelayMs must be a number >= 0, got -1')
    await expect(startEmulator({ updateMutexHoldMs: Number.NaN })).rejects.toThrow('startEmulator: updateMutexHoldMs must be a number >= 0, got NaN')
  })

  it.each([false, true])('uploadExecutionTracker absent (asynchronous %s): no tracker in the answer; sys_upgrade_history shows the install finished', async (asynchronous) => {
    const emu = await start({ switches: { uploadExecutionTracker: 'absent' } })
    const s = await uiSession(emu)
    const res = await upload(emu, s, `sysparm_async_fluent_install=${asynchronous}`)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['rollbackContext'])
    const history = async () => (await api(emu, `/api/now/table/sys_upgrade_history?sysparm_query=to_version=${FIXTURE_APP.scope}^ORDERBYDESCupgrade_started&sysparm_fields=upgrade_finished,sys_id&sysparm_limit=1`)).body.result
    let rows = await history()
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20))
      rows = await history()
    }
    expect(rows).toHaveLength(1)
    expect(rows[0].upgrade_finished).not.toBe('')
    expect(emu.db.get('sys_scope', FIXTURE_APP.scopeId)?.scope).toBe(FIXTURE_APP.scope)
  })
})

describe('UI sessions', () => {
  it('user-token model: a client that keeps the cookie of get_user\'s 401 loses its session; now-sdk\'s jar (login cookies only) works', async () => {
    const emu = await start()
    const kept = await uiSession(emu, true)
    expect(kept.userToken).not.toBe('')
    expect((await upload(emu, kept)).status).toBe(401)
    const sdk = await uiSession(emu)
    expect((await upload(emu, sdk)).status).toBe(200)
  })

  it('legacy model: get_user answers 200 without a token, and the processors accept an empty or absent sysparm_ck', async () => {
    const emu = await start({ switches: { uiSessionSecurity: 'legacy' } })
    const s = await uiSession(emu)
    expect({ status: s.getUserStatus, token: s.userToken }).toEqual({ status: 200, token: '' })
    expect((await upload(emu, s, 'sysparm_async_fluent_install=false', '')).status).toBe(200)
    expect((await upload(emu, s, 'sysparm_async_fluent_install=false', undefined)).status).toBe(200)
  })
})

describe('CI/CD refusals carry their reason in result.error / result.status_message (sncicd-install-app)', () => {
  it('400 without scope or sys_id, 404 for an app that was not published', async () => {
    const emu = await start()
    const bad = await api(emu, '/api/sn_cicd/app_repo/install', { method: 'POST' })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({ result: { status: '3', status_label: 'Failed', status_message: 'Invalid request', status_detail: '', error: 'Either scope or sys_id is required', percent_complete: 0 } })
    const missing = await api(emu, `/api/sn_cicd/app_repo/install?scope=${FIXTURE_APP.scope}`, { method: 'POST' })
    expect(missing.status).toBe(404)
    expect(missing.body.result.error).toBe(`No version (latest) of ${FIXTURE_APP.scope} has been published to the application repository`)
    expect(missing.body.error).toBeUndefined()
  })
})

describe('the Update-Mutex', () => {
  it('is held while an uninstall runs and for updateMutexHoldMs after; an install started meanwhile queues, then runs', async () => {
    const emu = await start({ updateMutexHoldMs: 1500 })
    await emu.installApp(app.zip)
    await emu.publishApp(app.zip)
    const s = await uiSession(emu)
    expect(mutexHeld(emu)).toBe(false)
    const id = await uninstall(emu, s)
    expect((await progress(emu, id)).status).toBe('1')
    expect(mutexHeld(emu)).toBe(true)
    expect(await pollUntilDone(emu, id)).toMatchObject({ status: '2', percent_complete: 100, status_message: 'Deleted application and metadata' })
    expect(mutexHeld(emu)).toBe(true)
    const install = await api(emu, `/api/sn_cicd/app_repo/install?scope=${FIXTURE_APP.scope}`, { method: 'POST' })
    const installId = install.body.result.links.progress.id
    expect((await progress(emu, installId)).status).toBe('0')
    expect((await progress(emu, installId)).status).toBe('0')
    expect((await pollUntilDone(emu, installId)).status).toBe('2')
    for (let i = 0; i < 100 && mutexHeld(emu); i++) await new Promise((r) => setTimeout(r, 20))
    expect(mutexHeld(emu)).toBe(false)
  })
})

describe('uninstall outcomes (uninstallOutcome)', () => {
  it('partially-deleted: status 3 "Failed to completely delete application", the application is gone', async () => {
    const emu = await start({ updateMutexHoldMs: 0, switches: { uninstallOutcome: 'partially-deleted' } })
    await emu.installApp(app.zip)
    const done = await pollUntilDone(emu, await uninstall(emu, await uiSession(emu)))
    expect(done.status).toBe('3')
    expect(done.status_message).toBe(`Failed to completely delete application ${FIXTURE_APP.scopeId}: some ACL protected metadata may remain`)
    expect(emu.db.query('sys_scope', `scope=${FIXTURE_APP.scope}`)).toEqual([])
  })

  it('deactivated: status 2 "The store application was deactivated", the application stays inactive', async () => {
    const emu = await start({ updateMutexHoldMs: 0, switches: { uninstallOutcome: 'deactivated' } })
    await emu.installApp(app.zip)
    const done = await pollUntilDone(emu, await uninstall(emu, await uiSession(emu)))
    expect(done).toMatchObject({ status: '2', percent_complete: 100, status_message: 'The store application was deactivated' })
    expect(emu.db.query('sys_scope', `scope=${FIXTURE_APP.scope}`).map((r) => r.active)).toEqual(['false'])
  })
})

describe('Table API', () => {
  it('a Link URL keeps the commas of sysparm_fields (as instances send it), so a split on "," breaks it apart', async () => {
    const emu = await start()
    const res = await api(emu, '/api/now/table/sys_user_role?sysparm_fields=sys_id,name&sysparm_limit=2&sysparm_query=nameINadmin,itil,cmdb_read')
    const link = res.headers.get('link') ?? ''
    expect(link).toContain('sysparm_fields=sys_id,name&')
    expect(link).toContain('sysparm_query=nameINadmin%2Citil%2Ccmdb_read')
    const next = /<([^>]*)>;rel="next"/.exec(link)?.[1]
    expect(new URL(next ?? 'http://x').searchParams.get('sysparm_offset')).toBe('2')
    expect(link.split(',').some((part) => /^<[^>]*>;rel="next"$/.test(part.trim()))).toBe(false)
  })

  it.each(['', 'v1/', 'v2/'])('an unknown table is 400 "Invalid table" on /api/now/%stable', async (version) => {
    const emu = await start()
    const res = await api(emu, `/api/now/${version}table/u_nope?sysparm_limit=1`)
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { error: { message: 'Invalid table u_nope', detail: null }, status: 'failure' } })
  })

  it.each([
    ['label-only', 'restricted'],
    ['label-or-value', 'unrestricted'],
  ] as const)('with sysparm_input_display_value a choice takes the value of its label; a value that is no label (%s) -> %s', async (choiceInputDisplayValue, stored) => {
    const emu = await start({ switches: { choiceInputDisplayValue } })
    const write = async (name: string, restriction: string) =>
      (await api(emu, '/api/now/table/oauth_entity?sysparm_input_display_value=true&sysparm_fields=scope_restriction_status', { method: 'POST', body: { name, type: 'client', scope_restriction_status: restriction } })).body.result
    expect(await write('by-label', 'Broadly scoped')).toEqual({ scope_restriction_status: 'unrestricted' })
    expect(await write('by-value', 'unrestricted')).toEqual({ scope_restriction_status: stored })
    const plain = await api(emu, '/api/now/table/oauth_entity?sysparm_fields=scope_restriction_status', { method: 'POST', body: { name: 'values', scope_restriction_status: 'unrestricted' } })
    expect(plain.body.result).toEqual({ scope_restriction_status: 'unrestricted' })
  })
})
