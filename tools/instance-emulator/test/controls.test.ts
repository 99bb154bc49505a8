import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { parseArgs, UsageError } from '../src/cli.ts'
import { defaultRuntime, startEmulator, type Emulator, type EmulatorOptions } from '../src/index.ts'
import { builtFixtureApp, FIXTURE_APP } from './helpers/fixture-app.ts'
import { ADMIN, api, authHeader, token } from './helpers/http.ts'

const emulators: Emulator[] = []
const dirs: string[] = []

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ runtime: defaultRuntime, ...options })
  emulators.push(emu)
  return emu
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'emu-state-'))
  dirs.push(dir)
  return dir
}

afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

describe('faults', () => {
  it('answers a 429 with Retry-After and the rate-limit body at the nth matching request, the given number of times', async () => {
    const emu = await start({ faults: [{ kind: 'status', status: 429, retryAfterSeconds: 7, path: '/api/now/table/sys_scope', nth: 2, times: 2 }] })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const res = await api(emu, '/api/now/table/sys_scope?sysparm_limit=1')
      statuses.push(res.status)
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('7')
        expect(res.body).toEqual({ error: { message: 'Rate limit exceeded', detail: 'Rate limit of 100 requests per hour for Table API exceeded' }, status: 'failure' })
      }
    }
    expect(statuses).toEqual([200, 429, 429, 200, 200])
    // Other paths are not affected.
    expect((await api(emu, '/api/now/table/sys_user?sysparm_limit=1')).status).toBe(200)
  })

  it('matches on method and on a RegExp over path and query; a custom body is sent as is', async () => {
    const emu = await start()
    emu.addFault({ kind: 'status', status: 503, method: 'POST', path: /sysparm_input_display_value=true/, body: { custom: true } })
    expect((await api(emu, '/api/now/table/sys_user?sysparm_input_display_value=true')).status).toBe(200)
    const res = await api(emu, '/api/now/table/sys_user?sysparm_input_display_value=true', { method: 'POST', body: {} })
    expect([res.status, res.body]).toEqual([503, { custom: true }])
    // Without nth or times a rule keeps firing until cleared.
    expect((await api(emu, '/api/now/table/sys_user?sysparm_input_display_value=true', { method: 'POST', body: {} })).status).toBe(503)
    emu.clearFaults()
    expect((await api(emu, '/api/now/table/sys_user?sysparm_input_display_value=true', { method: 'POST', body: { user_name: 'x' } })).status).toBe(201)
  })

  it('resets the connection, or never answers (timeout)', async () => {
    const emu = await start()
    emu.addFault({ kind: 'reset', path: '/api/now/table/sys_scope', times: 1 })
    await expect(fetch(`${emu.url}/api/now/table/sys_scope`)).rejects.toThrow()
    expect((await api(emu, '/api/now/table/sys_scope')).status).toBe(200)
    emu.addFault({ kind: 'timeout', path: '/api/now/table/sys_scope', times: 1 })
    await expect(fetch(`${emu.url}/api/now/table/sys_scope`, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i)
    expect((await api(emu, '/api/now/table/sys_scope')).status).toBe(200)
  })

  it('answers like a hibernating developer instance: 200 with an HTML page', async () => {
    const emu = await start({ faults: [{ kind: 'html' }] })
    const res = await fetch(`${emu.url}/api/now/table/sys_scope`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    expect(await res.text()).toMatch(/hibernating/i)
  })

  it('redirects to the login page before doing anything (302, Location /login.do or the given one)', async () => {
    const emu = await start({ faults: [{ kind: 'login-redirect', method: 'POST', times: 1 }, { kind: 'login-redirect', location: 'https://sso.example.com/idp', path: '/api/now/table/sys_scope', times: 1 }] })
    const res = await fetch(`${emu.url}/api/now/table/sys_user`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/json', ...authHeader(ADMIN) }, body: JSON.stringify({ user_name: 'redirected' }) })
    expect([res.status, res.headers.get('location')]).toEqual([302, '/login.do'])
    expect(emu.db.query('sys_user', 'user_name=redirected'), 'nothing was created').toHaveLength(0)
    const sso = await fetch(`${emu.url}/api/now/table/sys_scope`, { redirect: 'manual', headers: authHeader(ADMIN) })
    expect([sso.status, sso.headers.get('location')]).toEqual([302, 'https://sso.example.com/idp'])
  })

  // The faults that matter most to a client: the instance did the work, and the answer was lost on the way.
  it('processes the request, then resets the connection before the answer (reset-after)', async () => {
    const emu = await start({ faults: [{ kind: 'reset-after', method: 'POST', path: '/api/now/table/sys_user', times: 1 }] })
    await expect(fetch(`${emu.url}/api/now/table/sys_user`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...authHeader(ADMIN) }, body: JSON.stringify({ user_name: 'lost.reply' }) })).rejects.toThrow()
    expect(emu.db.query('sys_user', 'user_name=lost.reply'), 'the user was created').toHaveLength(1)
    expect(emu.counters.byRoute).toMatchObject({ fault: 1, 'POST /api/now/table/{table}': 1 })
  })

  it('processes the request, sends the headers and half the body, and never the rest (hang-after)', async () => {
    const emu = await start({ faults: [{ kind: 'hang-after', when: ({ method, query }) => method === 'POST' && query.get('sysparm_fields') === 'sys_id', times: 1 }] })
    const body = JSON.stringify({ user_name: 'half.answer' })
    const headers = { 'Content-Type': 'application/json', ...authHeader(ADMIN) }
    const res = await fetch(`${emu.url}/api/now/table/sys_user?sysparm_fields=sys_id`, { method: 'POST', headers, body, signal: AbortSignal.timeout(500) })
    expect(res.status, 'the status line and headers arrive').toBe(201)
    await expect(res.text()).rejects.toThrow(/abort|timeout/i)
    expect(emu.db.query('sys_user', 'user_name=half.answer'), 'the user was created').toHaveLength(1)
    // The predicate decides: the same POST without the parameter is answered in full.
    expect((await api(emu, '/api/now/table/sys_user', { method: 'POST', body: { user_name: 'whole.answer' } })).status).toBe(201)
  })

  it('processes the request and answers after delayMs (slow): a client that gave up earlier never sees it', async () => {
    const emu = await start({ faults: [{ kind: 'slow', delayMs: 400, path: '/api/now/table/sys_user', method: 'POST' }] })
    const headers = { 'Content-Type': 'application/json', ...authHeader(ADMIN) }
    await expect(fetch(`${emu.url}/api/now/table/sys_user`, { method: 'POST', headers, body: JSON.stringify({ user_name: 'too.late' }), signal: AbortSignal.timeout(100) })).rejects.toThrow(/abort|timeout/i)
    expect(emu.db.query('sys_user', 'user_name=too.late'), 'the user was created').toHaveLength(1)
    const patient = await fetch(`${emu.url}/api/now/table/sys_user`, { method: 'POST', headers, body: JSON.stringify({ user_name: 'waited' }) })
    expect(patient.status).toBe(201)
  })

  it('rejects malformed fault rules', async () => {
    const emu = await start()
    expect(() => emu.addFault({ kind: 'status', status: 42 })).toThrow(/HTTP status/)
    expect(() => emu.addFault({ kind: 'reset', nth: 0 })).toThrow(/nth/)
    expect(() => emu.addFault({ kind: 'reset', times: 1.5 })).toThrow(/times/)
    expect(() => emu.addFault({ kind: 'slow', delayMs: -1 })).toThrow(/delayMs/)
    expect(() => emu.addFault({ kind: 'login-redirect', location: 'javascript:alert(1)' })).toThrow(/location/)
  })
})

describe('counters', () => {
  it('counts requests per route and database operations, and resets them', async () => {
    const emu = await start()
    // The admin's first login writes snc_internal (Explicit Roles); count from after it.
    await api(emu, '/api/now/table/sys_scope')
    emu.resetCounters()
    await api(emu, '/api/now/table/sys_scope')
    await api(emu, '/api/now/table/sys_scope')
    await api(emu, '/api/now/table/cmdb_ci', { method: 'POST', body: { name: 'x' } })
    expect(emu.counters.requests).toBe(3)
    expect(emu.counters.byRoute).toEqual({ 'GET /api/now/table/{table}': 2, 'POST /api/now/table/{table}': 1 })
    expect(emu.counters.db.insert).toBe(1)
    expect(emu.counters.db.select).toBeGreaterThanOrEqual(2)
    const selects = emu.counters.db.select
    emu.db.query('cmdb_ci')
    expect(emu.counters.db.select).toBe(selects + 1)
    emu.resetCounters()
    expect(emu.counters).toEqual({ requests: 0, byRoute: {}, db: { select: 0, insert: 0, update: 0, delete: 0 } })
  })
})

describe('many instances in one process', () => {
  it('each emulator has its own port, data, users and tokens', async () => {
    const [a, b] = await Promise.all([start(), start({ release: 'xanadu', adminPassword: 'B-pass-1' })])
    expect(a.port).not.toBe(b.port)
    await api(a, '/api/now/table/cmdb_ci', { method: 'POST', body: { name: 'only-in-a' } })
    expect((await api(a, '/api/now/table/cmdb_ci?sysparm_query=name=only-in-a')).body.result).toHaveLength(1)
    expect((await api(b, '/api/now/table/cmdb_ci?sysparm_query=name=only-in-a', { auth: { user: 'admin', password: 'B-pass-1' } })).body.result).toEqual([])
    expect((await api(b, '/api/now/table/cmdb_ci')).status).toBe(401)
    expect([a.release, b.release]).toEqual(['zurich', 'xanadu'])
  })

  it('validates its options', async () => {
    await expect(startEmulator({ port: 70000 })).rejects.toThrow(/port/)
    await expect(startEmulator({ release: 'tokyo' as never })).rejects.toThrow(/release/)
    await expect(startEmulator({ latencyMs: -1 })).rejects.toThrow(/latencyMs/)
    await expect(startEmulator({ latencyJitterMs: -1 })).rejects.toThrow('startEmulator: latencyJitterMs must be a number >= 0, got -1')
    await expect(startEmulator({ latencyJitterMs: Number.NaN })).rejects.toThrow('startEmulator: latencyJitterMs must be a number >= 0, got NaN')
  })

  it('with latency jitter, a request still answers correctly (the delay varies from 0 to the jitter on top of the latency)', async () => {
    const emu = await start({ latencyMs: 1, latencyJitterMs: 5 })
    expect((await api(emu, '/api/now/table/sys_scope')).status).toBe(200)
  })

  it('delays responses when latency is set and still answers correctly', async () => {
    const emu = await start({ latencyMs: 5 })
    expect((await api(emu, '/api/now/table/sys_scope')).status).toBe(200)
  })

  it('setLatency changes the latency of a running emulator, and refuses a negative or non-numeric value', async () => {
    const emu = await start()
    emu.setLatency(3_000)
    const held = fetch(`${emu.url}/api/now/table/sys_scope`, { signal: AbortSignal.timeout(200) })
    await expect(held).rejects.toThrow(/abort|timeout/i)
    emu.setLatency(0)
    expect((await api(emu, '/api/now/table/sys_scope')).status).toBe(200)
    expect(() => emu.setLatency(-1)).toThrow(/latency must be a number >= 0/)
    expect(() => emu.setLatency(Number.NaN)).toThrow(/latency must be a number >= 0/)
  })
})

describe('state file', () => {
  it('saves atomically and restores records, tokens and installed apps', async () => {
    const dir = await tempDir()
    const statePath = join(dir, 'state.json')
    const first = await startEmulator({ runtime: defaultRuntime, statePath, adminPassword: 'Saved-1' })
    await first.installApp((await builtFixtureApp()).zip)
    first.db.insert('sys_user', { user_name: 'svc', user_password: 'Pw-123456' }, { inputDisplayValue: true })
    const client = first.db.insert('oauth_entity', { name: 'c', client_secret: 's3cret', scope_restriction_status: 'unrestricted' }, { inputDisplayValue: true })
    const t = await token(first, { grant_type: 'password', client_id: client.client_id as string, client_secret: 's3cret', username: 'svc', password: 'Pw-123456' })
    await first.close()
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(JSON.parse(await readFile(statePath, 'utf8')).version).toBe(1)

    const second = await start({ statePath })
    expect((await api(second, '/api/now/table/sys_user?sysparm_query=user_name=svc', { auth: { user: 'admin', password: 'Saved-1' } })).body.result).toHaveLength(1)
    expect((await api(second, '/api/now/table/sys_scope?sysparm_limit=1', { auth: { bearer: t.body.access_token } })).status).toBe(200)
    // The client secret survived encrypted and still matches.
    expect((await token(second, { grant_type: 'password', client_id: client.client_id as string, client_secret: 's3cret', username: 'svc', password: 'Pw-123456' })).status).toBe(200)
    await second.uninstallApp(FIXTURE_APP.scope)
    expect(second.db.tableExists('x_emu_fixture_import')).toBe(false)
  }, 180_000)

  it('refuses a corrupt state file or one of another release with a three-line error', async () => {
    const dir = await tempDir()
    const statePath = join(dir, 'state.json')
    await writeFile(statePath, '{nope')
    await expect(startEmulator({ statePath })).rejects.toThrow(/error: cannot load the emulator state file[\s\S]*cause:[\s\S]*fix:/)
    await writeFile(statePath, JSON.stringify({ version: 99 }))
    await expect(startEmulator({ statePath })).rejects.toThrow(/not an emulator state file/)
    await rm(statePath)
    const made = await startEmulator({ statePath, release: 'yokohama' })
    await made.close()
    await expect(startEmulator({ statePath, release: 'zurich' })).rejects.toThrow(/holds a yokohama instance/)
  })

  it('saveState without a state path is an error', async () => {
    const emu = await start()
    await expect(emu.saveState()).rejects.toThrow(/statePath/)
  })
})

describe('sn-emulator CLI', () => {
  it('parses the stable flags', () => {
    expect(parseArgs(['--port', '4100', '--release', 'yokohama', '--state', 's.json', '--latency-ms', '20', '--admin-password', 'pw'])).toEqual({
      port: 4100,
      release: 'yokohama',
      statePath: 's.json',
      latencyMs: 20,
      adminPassword: 'pw',
    })
    expect(parseArgs(['--port=0', '--release=australia'])).toEqual({ port: 0, release: 'australia' })
    expect(parseArgs(['--help'])).toBe('help')
  })

  it('rejects bad flags as usage errors', () => {
    for (const argv of [['--nope'], ['--port'], ['--port', 'abc'], ['--port', '70000'], ['--release', 'tokyo'], ['--latency-ms', '-5'], ['--port', '1', '--port', '2'], ['--state', '--port'], ['positional']]) {
      expect(() => parseArgs(argv), argv.join(' ')).toThrow(UsageError)
    }
  })

  const bin = resolve(import.meta.dirname, '../bin/sn-emulator.mjs')

  it('prints "listening on" first, serves, and stops cleanly on SIGTERM saving the state', async () => {
    const dir = await tempDir()
    const statePath = join(dir, 'cli.json')
    const child = spawn(process.execPath, [bin, '--state', statePath, '--admin-password', 'Cli-pass-1'], { stdio: ['ignore', 'pipe', 'pipe'] })
    const firstLine = await new Promise<string>((resolveLine, reject) => {
      createInterface({ input: child.stdout }).once('line', resolveLine)
      child.once('exit', (code) => reject(new Error(`exited ${code}`)))
    })
    expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/)
    const url = firstLine.replace('listening on ', '')
    expect((await api({ url }, '/api/now/table/sys_scope', { auth: { user: 'admin', password: 'Cli-pass-1' } })).status).toBe(200)
    const exit = new Promise<number | null>((r) => child.once('exit', r))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    expect(JSON.parse(await readFile(statePath, 'utf8')).version).toBe(1)
  }, 60_000)

  it('exits 2 with the usage on a bad flag', async () => {
    const child = spawn(process.execPath, [bin, '--release', 'tokyo'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const code = await new Promise<number | null>((r) => child.once('exit', r))
    expect(code).toBe(2)
    expect(stderr).toMatch(/error: --release must be one of/)
    expect(stderr).toMatch(/usage: sn-emulator/)
  }, 60_000)
})
