// plan --detailed-exitcode (and fleet plan): 5 when changes are pending, 0 in sync; blockers and errors keep their
// codes; without the flag plan's exit code and output are what they were.
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EXIT_CODES, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { verifyExitCode } from '../src/commands/verify/index.ts'
import { FakeInstance } from './support/fake-instance.ts'
import { fakeZip, runCli, tempDir } from './support/run-cli.ts'

const env = { SN_INSTANCE: 'https://fake.service-now.com', SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }

async function deployed() {
  const fake = new FakeInstance({ verifyStatus: 'pass' })
  const dir = tempDir()
  const deps = fake.deps('1.0.0', fakeZip(dir))
  const r = await runCli(['deploy', '--yes', '--credentials-out', join(dir, 'creds.json')], { env, deps })
  expect(r.code).toBe(EXIT_CODES.ok)
  return { fake, deps, dir }
}

function deactivateClient(fake: FakeInstance) {
  fake.rows(PLATFORM_TABLES.oauthEntity)[0]!.active = 'false'
}

describe('plan --detailed-exitcode', () => {
  it('exits 0 in sync, with the same output as without the flag', async () => {
    const { deps } = await deployed()
    const plain = await runCli(['plan', '--json'], { env, deps })
    const detailed = await runCli(['plan', '--json', '--detailed-exitcode'], { env, deps })
    expect([plain.code, detailed.code]).toEqual([EXIT_CODES.ok, EXIT_CODES.ok])
    expect(detailed.stdout).toBe(plain.stdout)
    expect(detailed.stderr).toBe(plain.stderr)
    expect(JSON.parse(detailed.stdout).changes).toBe(0)
  })

  it('exits 5 with changes pending, where plan without the flag exits 0; the output is the same', async () => {
    const { fake, deps } = await deployed()
    deactivateClient(fake)
    const writes = { ...fake.writes }
    const plain = await runCli(['plan'], { env, deps })
    const detailed = await runCli(['plan', '--detailed-exitcode'], { env, deps })
    expect(plain.code).toBe(EXIT_CODES.ok)
    expect(detailed.code).toBe(EXIT_CODES.changesPending)
    expect(detailed.stdout).toBe(plain.stdout)
    expect(detailed.stdout).toContain('1 change: run `deploy-integration deploy` to apply')
    expect(fake.writes).toEqual(writes)
  })

  it('keeps exit 2 for a blocker, changes pending or not', async () => {
    const fake = new FakeInstance({ appInstalled: false })
    const r = await runCli(['plan', '--app-source', 'store', '--detailed-exitcode'], { env, deps: fake.deps() })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/error: the Kandji app \(x_kandj_kandji\) is not installed and --app-source is store/)
  })

  it('keeps exit 3 for an admin without the admin role and exit 4 for duplicate records', async () => {
    const { fake, deps } = await deployed()
    deactivateClient(fake)
    const client = fake.rows(PLATFORM_TABLES.oauthEntity)[0]!
    fake.rows(PLATFORM_TABLES.oauthEntity).push({ ...client, sys_id: 'dup-sys-id' })
    expect((await runCli(['plan', '--detailed-exitcode'], { env, deps })).code).toBe(EXIT_CODES.instance)
    fake.rows(PLATFORM_TABLES.userRole).find((g) => g.user === 'u-admin')!.role = 'role-itil'
    expect((await runCli(['plan', '--detailed-exitcode'], { env, deps })).code).toBe(EXIT_CODES.auth)
  })

  it('is not a flag of deploy, rotate or uninstall (exit 2)', async () => {
    for (const cmd of ['deploy', 'rotate', 'uninstall']) {
      const r = await runCli([cmd, '--detailed-exitcode'], { env })
      expect(r.code, cmd).toBe(EXIT_CODES.usage)
      expect(r.stderr, cmd).toMatch(/Unknown option '--detailed-exitcode'/)
    }
  })

  it('takes no value (exit 2)', async () => {
    const r = await runCli(['plan', '--detailed-exitcode=yes'], { env })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/^error: .*--detailed-exitcode.*\ncause: .+\nfix: .+/m)
  })
})

describe('fleet plan --detailed-exitcode', () => {
  function fleetOf(instances: Record<string, FakeInstance>, zip: string) {
    const first = Object.values(instances)[0]!
    return { ...first.deps('1.0.0', zip), createClient: (o: Parameters<FakeInstance['client']>[0]) => instances[o.instance]!.client(o) }
  }

  async function setUp() {
    const dir = tempDir()
    const zip = fakeZip(dir)
    const synced = new FakeInstance({ verifyStatus: 'pass' })
    const drifted = new FakeInstance({ verifyStatus: 'pass' })
    for (const fake of [synced, drifted]) {
      expect((await runCli(['deploy', '--yes', '--credentials-out', join(dir, 'creds.json')], { env, deps: fake.deps('1.0.0', zip) })).code).toBe(EXIT_CODES.ok)
    }
    deactivateClient(drifted)
    const fleetFile = join(dir, 'fleet.yaml')
    writeFileSync(fleetFile, 'concurrency: 2\ninstances:\n  - instance: synced\n  - instance: drifted\n')
    return { dir, zip, synced, drifted, fleetFile }
  }

  it('passes the flag on: the drifted instance exits 5, the fleet exits 5 and its summary says how many changes', async () => {
    const { zip, synced, drifted, fleetFile } = await setUp()
    const deps = fleetOf({ 'https://synced.service-now.com': synced, 'https://drifted.service-now.com': drifted }, zip)
    const r = await runCli(['fleet', 'plan', '--config', fleetFile, '--detailed-exitcode', '--json'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.changesPending)
    const result = JSON.parse(r.stdout)
    expect(result.exitCode).toBe(EXIT_CODES.changesPending)
    expect(result.instances.map((i: { instance: string; exitCode: number }) => [i.instance, i.exitCode])).toEqual([
      ['https://synced.service-now.com', 0],
      ['https://drifted.service-now.com', 5],
    ])
    expect(r.stderr).toMatch(/^https:\/\/drifted\.service-now\.com +5 +1 change$/m)
    const plain = await runCli(['fleet', 'plan', '--config', fleetFile], { env, deps })
    expect(plain.code).toBe(EXIT_CODES.ok)
  })

  it('an error on another instance outranks the pending changes', async () => {
    const { zip, synced, drifted, fleetFile } = await setUp()
    synced.rows(PLATFORM_TABLES.userRole).find((g) => g.user === 'u-admin')!.role = 'role-itil'
    const deps = fleetOf({ 'https://synced.service-now.com': synced, 'https://drifted.service-now.com': drifted }, zip)
    const r = await runCli(['fleet', 'plan', '--config', fleetFile, '--detailed-exitcode', '--json'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.auth)
    expect(JSON.parse(r.stdout).instances.map((i: { exitCode: number }) => i.exitCode)).toEqual([3, 5])
  })

  it.each([
    ['deploy', '--detailed-exitcode', 'plan'],
    ['verify', '--detailed-exitcode', 'plan'],
    ['plan', '--drift', 'verify'],
    ['deploy', '--drift', 'verify'],
  ])('fleet %s %s is a usage error naming fleet %s, before any instance is contacted', async (sub, flag, right) => {
    const { zip, synced, drifted, fleetFile } = await setUp()
    const base = fleetOf({ 'https://synced.service-now.com': synced, 'https://drifted.service-now.com': drifted }, zip)
    let clients = 0
    const deps = { ...base, createClient: (o: Parameters<FakeInstance['client']>[0]) => (clients++, base.createClient(o)) }
    const r = await runCli(['fleet', sub, '--config', fleetFile, flag, '--yes'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(new RegExp(`^error: ${flag} works only with fleet ${right}\\ncause: .+\\nfix: +run \`deploy-integration fleet ${right} ${flag} --config FLEET_FILE\`$`, 'm'))
    expect(clients).toBe(0)
  })
})

describe('verify --drift exit code: an error keeps its code, then a failing check 1, a plan blocker 2, drift 5, else 0', () => {
  it('verifyExitCode over every combination', () => {
    const cases: Array<[boolean, { blockers: number; entries: number } | undefined, number]> = [
      [false, undefined, 0], [true, undefined, 1],
      [false, { blockers: 0, entries: 0 }, 0], [false, { blockers: 0, entries: 3 }, 5], [false, { blockers: 1, entries: 0 }, 2], [false, { blockers: 1, entries: 3 }, 2],
      [true, { blockers: 0, entries: 0 }, 1], [true, { blockers: 0, entries: 3 }, 1], [true, { blockers: 1, entries: 0 }, 1], [true, { blockers: 1, entries: 3 }, 1],
    ]
    for (const [failed, drift, code] of cases) expect(verifyExitCode(failed, drift), JSON.stringify([failed, drift])).toBe(code)
  })

  it('0 in sync, 5 with drift and every check passing, 1 when a check fails whatever the drift', async () => {
    const { fake, deps } = await deployed()
    expect((await runCli(['verify', '--drift'], { env, deps })).code).toBe(EXIT_CODES.ok)
    deactivateClient(fake)
    const drifted = await runCli(['verify', '--drift', '--json'], { env, deps })
    expect(drifted.code).toBe(EXIT_CODES.changesPending)
    expect(JSON.parse(drifted.stdout).drift).toStrictEqual([{ kind: 'client-inactive', detail: 'OAuth client "kandji_oauth_api" is inactive' }])
    expect((await runCli(['verify'], { env, deps })).code).toBe(EXIT_CODES.ok)
    fake.options.verifyStatus = 'fail'
    expect((await runCli(['verify', '--drift'], { env, deps })).code).toBe(EXIT_CODES.verificationFailed)
  })

  it('a blocker (--app-source store without the app) is in the JSON and on stderr; the failing app check outranks it (exit 1)', async () => {
    const fake = new FakeInstance({ appInstalled: false, verifyStatus: 'pass' })
    const r = await runCli(['verify', '--drift', '--app-source', 'store', '--json'], { env, deps: fake.deps() })
    expect(r.code).toBe(EXIT_CODES.verificationFailed)
    expect(r.stderr).toMatch(/^error: the Kandji app \(x_kandj_kandji\) is not installed and --app-source is store\ncause: .+\nfix: .+/m)
    expect(JSON.parse(r.stdout).blockers).toStrictEqual(['the Kandji app (x_kandj_kandji) is not installed and --app-source is store'])
  })

  it('an error keeps its code (3: the admin lost the admin role)', async () => {
    const { fake, deps } = await deployed()
    deactivateClient(fake)
    fake.rows(PLATFORM_TABLES.userRole).find((g) => g.user === 'u-admin')!.role = 'role-itil'
    expect((await runCli(['verify', '--drift'], { env, deps })).code).toBe(EXIT_CODES.auth)
  })

  it.each(['--app-source', '--app-package', '--app-version', '--replace-store-app'])('%s without --drift is a usage error (exit 2)', async (flag) => {
    const argv = flag === '--replace-store-app' ? ['verify', flag] : ['verify', flag, 'x']
    const r = await runCli(argv, { env })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(new RegExp(`^error: ${flag} works with verify only together with --drift\\ncause: .+\\nfix: +add --drift, or leave out ${flag}$`, 'm'))
  })

  it('fleet verify --drift: the drifted instance exits 5 and the summary names its kinds', async () => {
    const dir = tempDir()
    const zip = fakeZip(dir)
    const synced = new FakeInstance({ verifyStatus: 'pass' })
    const drifted = new FakeInstance({ verifyStatus: 'pass' })
    for (const fake of [synced, drifted]) expect((await runCli(['deploy', '--yes'], { env, deps: fake.deps('1.0.0', zip) })).code).toBe(EXIT_CODES.ok)
    deactivateClient(drifted)
    const user = drifted.rows(PLATFORM_TABLES.user).find((u) => u.user_name === 'kandji_rest_api_user')!
    drifted.rows(PLATFORM_TABLES.userRole).push({ sys_id: 'extra', user: user.sys_id!, role: 'role-admin', inherited: 'false' })
    const fleetFile = join(dir, 'fleet.yaml')
    writeFileSync(fleetFile, 'instances:\n  - instance: synced\n  - instance: drifted\n')
    const byUrl: Record<string, FakeInstance> = { 'https://synced.service-now.com': synced, 'https://drifted.service-now.com': drifted }
    const deps = { ...synced.deps('1.0.0', zip), createClient: (o: Parameters<FakeInstance['client']>[0]) => byUrl[o.instance]!.client(o) }
    const r = await runCli(['fleet', 'verify', '--config', fleetFile, '--drift', '--json'], { env, deps })
    expect(r.code).toBe(EXIT_CODES.changesPending)
    const result = JSON.parse(r.stdout)
    expect(result.instances.map((i: { exitCode: number; result: { drift: unknown } }) => [i.exitCode, i.result.drift])).toStrictEqual([
      [0, []],
      [5, [
        { kind: 'client-inactive', detail: 'OAuth client "kandji_oauth_api" is inactive' },
        { kind: 'role-added', detail: '"kandji_rest_api_user" has the extra direct privileged role admin; it needs only cmdb_read, import_transformer, rest_api_explorer' },
      ]],
    ])
    expect(r.stderr).toMatch(/^https:\/\/synced\.service-now\.com +0 +ok$/m)
    expect(r.stderr).toMatch(/^https:\/\/drifted\.service-now\.com +5 +drift: client-inactive, role-added$/m)
    const plain = await runCli(['fleet', 'verify', '--config', fleetFile, '--json'], { env, deps })
    expect(plain.code).toBe(EXIT_CODES.ok)
    expect(JSON.parse(plain.stdout).instances.map((i: { result: Record<string, unknown> }) => 'drift' in i.result)).toStrictEqual([false, false])
  })
})
