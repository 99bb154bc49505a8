// Issue 15: a fleet of 50 emulated instances, run in this process. Some fail in different ways (the admin's
// password is wrong, the instance answers 503, the instance hangs past --instance-timeout, the instance drifted):
// the healthy ones converge, each failure is reported with its cause, --resume finishes the rest without one
// request to the finished ones, and shards 1/3..3/3 plus `fleet merge` cover the fleet exactly once.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHECK_IDS, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES, handoffSchema } from '@kandji-sn/contract'
import { explainFleet, fleetEnv, readFleetState, runFleet, startFleet, writeFleetFile, type FleetMember } from './support/fleet.ts'
import { tempDir } from './support/instance.ts'

const SIZE = 50
const AUTH = [0, 1]
const UNAVAILABLE = [2, 3]
const HANG = [4]
const DRIFT = [5, 6]
const FAILING = [...AUTH, ...UNAVAILABLE, ...HANG]

describe(`fleet of ${SIZE} instances: failures, --resume, shards and merge`, () => {
  let members: FleetMember[]
  let dir: string
  let fleetFile: string
  let env: NodeJS.ProcessEnv
  const urls = () => members.map((m) => m.emulator.url)
  const at = (indices: number[]) => indices.map((i) => members[i]!.emulator.url)

  beforeAll(async () => {
    members = await startFleet(SIZE)
    dir = tempDir('fleet-scale')
    fleetFile = await writeFleetFile(dir, members)
    env = fleetEnv(members, new Map(AUTH.map((i) => [members[i]!.prefix, 'not-the-password'])))
  })
  afterAll(async () => {
    await Promise.all((members ?? []).map((m) => m.emulator.close()))
  })

  it('deploys the healthy instances and reports each failure with its cause', async () => {
    for (const i of UNAVAILABLE) members[i]!.emulator.addFault({ kind: 'status', status: 503, path: '/api/now/table' })
    for (const i of HANG) members[i]!.emulator.addFault({ kind: 'timeout' })
    const run = await runFleet(['deploy', '--yes', '--json', '--config', fleetFile, '--out', join(dir, 'out'), '--concurrency', '4', '--instance-timeout', '60'], env, dir)
    expect(run.code, explainFleet(run)).toBe(EXIT_CODES.instance)
    const state = readFleetState(join(dir, 'out'))
    const byUrl = new Map(state.instances.map((e) => [e.instance, e]))
    expect(state.instances.map((e) => e.instance)).toEqual(urls())
    const errors = state.instances.map((e) => `${e.instance} ${e.exitCode}: ${e.error?.message ?? ''}`).join('\n')
    expect(Object.fromEntries(state.instances.map((e) => [e.instance, e.exitCode])), errors).toEqual(
      Object.fromEntries(urls().map((u, i) => [u, AUTH.includes(i) ? EXIT_CODES.auth : UNAVAILABLE.includes(i) || HANG.includes(i) ? EXIT_CODES.instance : EXIT_CODES.ok])),
    )
    expect(state.totals).toEqual({ instances: SIZE, ok: SIZE - FAILING.length, drifted: 0, failed: FAILING.length, interrupted: 0, pending: 0 })
    for (const [i, url] of urls().entries()) {
      const e = byUrl.get(url)!
      if (FAILING.includes(i)) continue
      expect(e.checks.map((c) => `${c.id}:${c.status}`), url).toEqual(CHECK_IDS.map((id) => `${id}:pass`))
      expect(e.handoff).toBe(`handoff/${e.tenant.replace(/[^A-Za-z0-9._-]/g, '-')}.json`)
    }
    for (const [n, url] of at(AUTH).entries()) {
      const error = byUrl.get(url)!.error!
      expect(error.message, url).toMatch(/^the instance refused the admin's basic-auth credentials \(401 on /)
      // The fix names the entry's own variables (its adminEnvPrefix), never SN_ADMIN_USER / SN_ADMIN_PASSWORD.
      const prefix = members[AUTH[n]!]!.prefix
      expect(error.fix, url).toMatch(new RegExp(`otherwise correct ${prefix}_USER / ${prefix}_PASSWORD$`))
      expect(error.fix, url).not.toMatch(/SN_ADMIN_/)
    }
    for (const url of at(UNAVAILABLE)) expect(byUrl.get(url)!.error!.message, url).toMatch(/503/)
    for (const url of at(HANG)) {
      expect(byUrl.get(url)!.error!.message).toMatch(new RegExp(`^${url} did not finish deploy within --instance-timeout 60 s; abandoned`))
      expect(byUrl.get(url)!.error!.fix).toMatch(/--resume/)
    }
    // The healthy instances have the service account's OAuth client, the failing ones none.
    for (const [i, m] of members.entries()) {
      const clients = m.emulator.db.query(PLATFORM_TABLES.oauthEntity, `name=${OAUTH_CLIENT.defaultName}^active=true`).length
      expect(clients, m.emulator.url).toBe(FAILING.includes(i) ? 0 : 1)
    }
  }, 600_000)

  it('no secret of a hand-off file or an admin password is in the state, the report or a log; hand-off files are 0600', () => {
    const out = join(dir, 'out')
    const secrets = readdirSync(join(out, 'handoff')).flatMap((f) => {
      expect(statSync(join(out, 'handoff', f)).mode & 0o777).toBe(0o600)
      const h = handoffSchema.parse(JSON.parse(readFileSync(join(out, 'handoff', f), 'utf8')))
      return [h.client_secret, h.password]
    })
    expect(secrets).toHaveLength(2 * (SIZE - FAILING.length))
    const texts = ['state.json', 'report.md', ...readdirSync(join(out, 'logs')).map((f) => join('logs', f))].map((f) => readFileSync(join(out, f), 'utf8'))
    expect(texts).toHaveLength(2 + SIZE)
    for (const secret of [...secrets, ...members.map((m) => m.password)]) for (const text of texts) expect(text.includes(secret)).toBe(false)
  })

  it('--resume, once the faults are fixed, runs only the failed instances: not one request to the finished ones', async () => {
    for (const m of members) {
      m.emulator.clearFaults()
      m.emulator.resetCounters()
    }
    const run = await runFleet(['deploy', '--yes', '--json', '--config', fleetFile, '--out', join(dir, 'out'), '--resume', '--concurrency', '4', '--instance-timeout', '60'], fleetEnv(members), dir)
    expect(run.code, explainFleet(run)).toBe(EXIT_CODES.ok)
    expect(run.stderr).toContain(`--resume: ${SIZE - FAILING.length} instances ended ok in ${join(dir, 'out', 'state.json')} and are skipped; ${FAILING.length} failed or unfinished run again`)
    expect(Object.fromEntries(members.map((m, i) => [m.emulator.url, m.emulator.counters.requests > 0]))).toEqual(Object.fromEntries(members.map((m, i) => [m.emulator.url, FAILING.includes(i)])))
    const state = readFleetState(join(dir, 'out'))
    expect(state.totals).toEqual({ instances: SIZE, ok: SIZE, drifted: 0, failed: 0, interrupted: 0, pending: 0 })
    expect(state.instances.filter((e) => !e.carriedOver).map((e) => e.instance)).toEqual(at(FAILING))
  }, 600_000)

  it('fleet verify over shards 1/3..3/3, merged: every instance exactly once, the drifted ones failing with the check that drifted', async () => {
    for (const i of DRIFT) {
      const [client] = members[i]!.emulator.db.query(PLATFORM_TABLES.oauthEntity, `name=${OAUTH_CLIENT.defaultName}`)
      members[i]!.emulator.db.update(PLATFORM_TABLES.oauthEntity, client!.sys_id!, { active: 'false' })
    }
    const shardDirs = [1, 2, 3].map((n) => join(dir, `verify-${n}`))
    const seen: string[] = []
    for (const [n, out] of shardDirs.entries()) {
      const run = await runFleet(['verify', '--json', '--config', fleetFile, '--out', out, '--shard', `${n + 1}/3`, '--concurrency', '16'], fleetEnv(members), dir)
      expect([EXIT_CODES.ok, EXIT_CODES.verificationFailed], explainFleet(run)).toContain(run.code)
      seen.push(...readFleetState(out).instances.map((e) => e.instance))
    }
    expect([...seen].sort()).toEqual([...urls()].sort())
    const merged = await runFleet(['merge', ...shardDirs, '--json', '--out', join(dir, 'merged')], {}, dir)
    expect(merged.code, explainFleet(merged)).toBe(EXIT_CODES.verificationFailed)
    const report = readFleetState(join(dir, 'merged'), 'report.json')
    expect(report.instances.map((e) => e.instance).sort()).toEqual([...urls()].sort())
    expect(report.shards).toEqual([1, 2, 3].map((index) => ({ index, total: 3 })))
    expect(Object.fromEntries(report.instances.filter((e) => e.status !== 'ok').map((e) => [e.instance, e.checks.filter((c) => c.status === 'fail').map((c) => c.id)]))).toEqual(
      Object.fromEntries(at(DRIFT).map((u) => [u, ['oauth_client']])),
    )
    const md = readFileSync(join(dir, 'merged', 'report.md'), 'utf8')
    expect(md).toContain(`**${SIZE} instances**: ${SIZE - DRIFT.length} ok, 0 drifted, ${DRIFT.length} failed, 0 interrupted, 0 not run`)
  }, 600_000)
})
