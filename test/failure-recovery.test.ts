// "Idempotent and safe: re-running any command converges; no duplicates after a failure at any step." A clean
// deploy is measured first (how many requests, which routes); then, for every request of it, a fresh instance
// fails that request (connection reset; a 503 that outlasts the client's retries, or an answer that never comes,
// for a sample), deploy says what went wrong (or absorbs it), and a re-run with the instance back converges to
// exactly one of everything with working hand-off credentials; a third run writes nothing.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  APP,
  APP_PROPERTIES,
  DISCOVERY_SOURCE,
  EXIT_CODES,
  IMPORT_PROBE,
  OAUTH_CLIENT,
  PLATFORM_GRANTED_ROLES,
  PLATFORM_TABLES,
  SERVICE_ACCOUNT,
  SERVICE_ACCOUNT_ROLES,
  TABLES,
} from '@kandji-sn/contract'
import { query } from '@kandji-sn/servicenow-client'
import { startEmulator, type Emulator, type FaultRule } from '@kandji-sn/instance-emulator'
import type { CliRun } from '@kandji-sn/demo'
import { connectInstance, explain, startInstance, type Instance } from './support/instance.ts'

/** Above this many requests per deploy, a sample is faulted instead of every request (each route still included). */
const MAX_CASES_PER_KIND = 60
/** The client's default attempts per request (servicenow-client transport): a 503 that lasts this long is not retried away. */
const CLIENT_ATTEMPTS = 4
/** Deploys running at once (each is a CLI process plus an emulator in this process; the machine has 2 cores). */
const PARALLEL = 2

interface Baseline {
  /** The emulator's route name of each request of a clean deploy, in the order they reached it. */
  routes: string[]
  total: number
  byRoute: Record<string, number>
}

/**
 * A clean deploy through a pass-through proxy that forwards one request at a time, so each request's route can be
 * read from the emulator's counters as it completes. The total is the emulator's own request count.
 */
async function measureCleanDeploy(): Promise<Baseline> {
  const password = `Adm-${Math.random().toString(36).slice(2)}`
  const emulator = await startEmulator({ release: 'zurich', adminPassword: password })
  const routes: string[] = []
  let chain = Promise.resolve()
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const before = { ...emulator.counters.byRoute }
      const upstream = request({ host: '127.0.0.1', port: emulator.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = []
        answer.on('data', (c: Buffer) => chunks.push(c))
        answer.on('end', () => {
          const after = emulator.counters.byRoute
          routes.push(Object.keys(after).find((route) => (after[route] ?? 0) > (before[route] ?? 0)) ?? 'unknown')
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          res.end(Buffer.concat(chunks))
          resolve()
        })
      })
      upstream.on('error', () => {
        res.destroy()
        resolve()
      })
      upstream.end(body)
    })
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      chain = chain.then(() => forward(req, Buffer.concat(chunks), res))
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const connected = await connectInstance({ instance: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, user: 'admin', password })
  try {
    const run = await connected.deploy()
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    return { routes, total: emulator.counters.requests, byRoute: { ...emulator.counters.byRoute } }
  } finally {
    await connected.close()
    proxy.closeAllConnections()
    await new Promise((resolve) => proxy.close(resolve))
    await emulator.close()
  }
}

interface FaultCase {
  label: string
  nth: number
  rule: FaultRule
}

/** 1-based request numbers of the first and the last request of each route. */
function firstAndLastOfEachRoute(routes: readonly string[]): number[] {
  const picked = new Set<number>()
  for (const route of new Set(routes)) {
    picked.add(routes.indexOf(route) + 1)
    picked.add(routes.lastIndexOf(route) + 1)
  }
  return [...picked].sort((a, b) => a - b)
}

/** Every request, or (for a long deploy) each route's first and last plus evenly spaced ones up to the cap. */
function requestsToFault(baseline: Baseline): number[] {
  const all = Array.from({ length: baseline.total }, (_, i) => i + 1)
  if (baseline.total <= MAX_CASES_PER_KIND) return all
  const picked = new Set(firstAndLastOfEachRoute(baseline.routes))
  const step = baseline.total / Math.max(1, MAX_CASES_PER_KIND - picked.size)
  for (let at = 1; picked.size < MAX_CASES_PER_KIND && at <= baseline.total; at += step) picked.add(Math.round(at))
  return [...picked].sort((a, b) => a - b)
}

function faultCases(baseline: Baseline): FaultCase[] {
  const route = (n: number) => baseline.routes[n - 1] ?? 'unknown route'
  const of = `of ${baseline.total}`
  const cases: FaultCase[] = []
  // An answer that never comes costs the client's whole per-request timeout (30 s): one create, one read.
  const firstCreate = baseline.routes.indexOf('POST /api/now/table/{table}') + 1
  const lastRead = baseline.routes.lastIndexOf('GET /api/now/table/{table}') + 1
  for (const n of [firstCreate, lastRead].filter((n) => n > 0)) {
    cases.push({ label: `no answer to request ${n} ${of} (${route(n)})`, nth: n, rule: { kind: 'timeout', nth: n } })
  }
  for (const n of requestsToFault(baseline)) {
    cases.push({ label: `connection reset at request ${n} ${of} (${route(n)})`, nth: n, rule: { kind: 'reset', nth: n } })
  }
  // A 503 for CLIENT_ATTEMPTS requests in a row outlasts the retries of an idempotent request: the step fails.
  for (const n of firstAndLastOfEachRoute(baseline.routes)) {
    cases.push({ label: `503 from request ${n} ${of} on, ${CLIENT_ATTEMPTS} times (${route(n)})`, nth: n, rule: { kind: 'status', status: 503, nth: n, times: CLIENT_ATTEMPTS } })
  }
  return cases
}

function limit(concurrency: number) {
  let active = 0
  const waiting: Array<() => void> = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    while (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try {
      return await task()
    } finally {
      active--
      waiting.shift()?.()
    }
  }
}

/** Every string under a password/secret key in the JSON files of the credentials folder (hand-off, pending). */
function secretsOnDisk(folder: string): string[] {
  const found: string[] = []
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string' && /password|secret/i.test(key)) found.push(value)
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k)
  }
  for (const name of readdirSync(folder)) {
    try {
      walk(JSON.parse(readFileSync(join(folder, name), 'utf8')), '')
    } catch {
      // not JSON: not a credentials file
    }
  }
  return found
}

function expectNoSecret(runs: readonly CliRun[], secrets: readonly string[]) {
  for (const run of runs) for (const secret of secrets) expect(run.stdout + run.stderr, 'a secret in the output').not.toContain(secret)
}

/** error/cause/fix, three lines in that order, and no stack trace. */
function expectActionableError(run: CliRun) {
  expect(run.stderr, explain(run)).toMatch(/^error: \S.*\ncause: \S.*\nfix: +\S.*$/m)
  expect(run.stderr, explain(run)).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
}

async function count(inst: Instance, table: string, q: string): Promise<number> {
  return inst.client.table.count(table, q)
}

/** Exactly one of every object deploy owns, the three direct roles, the app once, the hand-off alone and 0600. */
async function expectConverged(inst: Instance) {
  const userName = SERVICE_ACCOUNT.defaultUserName
  expect(await count(inst, PLATFORM_TABLES.user, query().eq('user_name', userName).toString()), 'service accounts').toBe(1)
  expect(await count(inst, PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString()), 'OAuth clients').toBe(1)
  const user = await inst.client.table.findOne(PLATFORM_TABLES.user, query().eq('user_name', userName).toString())
  const grants = await inst.client.table.list(PLATFORM_TABLES.userRole, { query: query().eq('user', user!.sys_id!).eq('inherited', 'false').toString(), fields: ['role'] })
  const roles = await inst.client.table.list(PLATFORM_TABLES.role, { query: query().in('sys_id', grants.map((g) => g.role!)).toString(), fields: ['sys_id', 'name'] })
  const direct = grants.map((g) => roles.find((r) => r.sys_id === g.role)?.name ?? g.role!).filter((name) => !(PLATFORM_GRANTED_ROLES as readonly string[]).includes(name))
  expect(direct.sort(), 'direct role grants, one row each').toEqual([...SERVICE_ACCOUNT_ROLES].sort())
  for (const name of Object.values(APP_PROPERTIES)) expect(await count(inst, PLATFORM_TABLES.property, query().eq('name', name).toString()), name).toBe(1)
  const choice = query().eq('name', DISCOVERY_SOURCE.table).eq('element', DISCOVERY_SOURCE.element).eq('value', DISCOVERY_SOURCE.value).toString()
  expect(await count(inst, PLATFORM_TABLES.choice, choice), 'Kandji discovery-source choices').toBe(1)
  expect(await count(inst, PLATFORM_TABLES.app, query().eq('scope', APP.scope).toString()), 'sys_app rows').toBe(1)
  expect(await count(inst, PLATFORM_TABLES.scope, query().eq('scope', APP.scope).toString()), 'sys_scope rows').toBe(1)
  expect(await count(inst, TABLES.deviceImport, query().eq(IMPORT_PROBE.field, IMPORT_PROBE.value).toString()), 'smoke-test probe rows left behind').toBe(0)
  expect(await count(inst, PLATFORM_TABLES.importSet, ''), 'import sets left behind (nothing was pushed yet)').toBe(0)

  const handoff = inst.handoff()
  const client = await inst.client.table.findOne(PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
  expect(handoff).toMatchObject({ instance: inst.admin.instance, username: userName, client_id: client!.client_id })
  expect(statSync(inst.handoffPath).mode & 0o777).toBe(0o600)
  expect(readdirSync(dirname(inst.handoffPath)), 'the credentials folder holds the hand-off file only').toEqual(['handoff.json'])
}

const baseline = await measureCleanDeploy()
const cases = faultCases(baseline)
const slot = limit(PARALLEL)
const outcomes: Array<{ kind: FaultRule['kind']; code: number }> = []

async function faultThenRecover(c: FaultCase) {
  const inst = await startInstance({ release: 'zurich' })
  try {
    inst.emulator.addFault(c.rule)
    const failed = await inst.deploy()
    expect(inst.emulator.counters.byRoute.fault ?? 0, 'the fault fired').toBeGreaterThan(0)
    inst.emulator.resetCounters() // from here on, the writes are the re-runs'
    outcomes.push({ kind: c.rule.kind, code: failed.code })
    // A fault may be absorbed by the client's retries (an idempotent request): then the run simply succeeds.
    expect([EXIT_CODES.ok, EXIT_CODES.instance], explain(failed)).toContain(failed.code)
    if (failed.code !== EXIT_CODES.ok) expectActionableError(failed)
    const folder = dirname(inst.handoffPath)
    for (const name of readdirSync(folder)) expect(statSync(join(folder, name)).mode & 0o077, `${name} is readable by others`).toBe(0)
    const secretsAfterFailure = secretsOnDisk(folder)

    inst.emulator.clearFaults()
    const recovered = await inst.deploy(['--json'])
    expect(recovered.code, explain(recovered)).toBe(EXIT_CODES.ok)
    expect(recovered.json, explain(recovered)).toMatchObject({ status: 'ok', warnings: [], verification: { status: 'pass' } })
    await expectConverged(inst)
    const runs = [failed, recovered]

    // When the first run absorbed the fault, the re-run above already was a run on a converged instance.
    let again = recovered
    if (failed.code !== EXIT_CODES.ok) {
      inst.emulator.resetCounters()
      again = await inst.deploy(['--json'])
      runs.push(again)
    }
    expect(again.code, explain(again)).toBe(EXIT_CODES.ok)
    expect(again.json, explain(again)).toMatchObject({ changes: 0, applied: [], warnings: [], verification: { status: 'pass' } })
    // The hand-off credentials were used, not skipped: the smoke test passed the password grant with them.
    expect(again.json!.smokeTest).toContainEqual(expect.objectContaining({ id: 'password_grant', status: 'pass' }))
    expect(inst.writes(), 'a deploy on the converged instance writes nothing').toEqual({ insert: 0, update: 0, delete: 0 })

    const handoff = inst.handoff()
    expectNoSecret(runs, [inst.admin.password, handoff.password, handoff.client_secret, ...secretsAfterFailure])
  } finally {
    await inst.close()
  }
}

describe('a deploy that fails at any request converges when run again (Zurich)', () => {
  it(`a clean deploy makes ${baseline.total} requests over ${Object.keys(baseline.byRoute).length} routes, each of them faulted below`, async () => {
    expect(baseline.routes).toHaveLength(baseline.total)
    expect(baseline.routes).not.toContain('unknown')
    const faulted = new Set(cases.map((c) => baseline.routes[c.nth - 1]))
    expect([...faulted].sort()).toEqual(Object.keys(baseline.byRoute).sort())
    for (const kind of ['reset', 'status', 'timeout'] as const) expect(cases.some((c) => c.rule.kind === kind), kind).toBe(true)
  })

  describe.concurrent('fault, then deploy again: exactly one of everything, verify passes, and a deploy after that writes nothing', () => {
    for (const c of cases) {
      // A case waiting for an answer that never comes only waits: it does not take one of the busy slots.
      it(c.label, async () => {
        await (c.rule.kind === 'timeout' ? faultThenRecover(c) : slot(() => faultThenRecover(c)))
      }, 180_000)
    }
  })

  it('the faults were not all absorbed by retries: some first deploys failed with exit 4 and said why', () => {
    expect(outcomes.some((o) => o.kind === 'reset' && o.code === EXIT_CODES.instance)).toBe(true)
    expect(outcomes.some((o) => o.kind === 'status' && o.code === EXIT_CODES.instance)).toBe(true)
  })
})
