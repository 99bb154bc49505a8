// The failure matrix (issue 14): every fault kind at every request index of a command. A command is first run
// without faults to count its requests; then, for each kind and each request number n, a fresh instance in the
// command's starting state faults request n, the command runs (it absorbs the fault or fails with the documented
// exit code and a message that tells the truth), the instance comes back, the command runs again and must converge
// (exactly one of every object, nothing orphaned, verify passing), and one more run must write nothing.
//
// The CLI runs in-process (the built executable is covered by the other suites) so the 1,000-odd cases fit in CI: a
// per-request timeout of 1 s instead of 30 s, and the client's pauses (backoff, Retry-After, polls) capped at 25 ms.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import {
  APP,
  APP_PROPERTIES,
  DEPLOY_LOCK,
  DISCOVERY_SOURCE,
  ENV,
  EXIT_CODES,
  handoffSchema,
  IMPORT_PROBE,
  OAUTH_CLIENT,
  PLATFORM_GRANTED_ROLES,
  PLATFORM_TABLES,
  SERVICE_ACCOUNT,
  SERVICE_ACCOUNT_ROLES,
  TABLES,
  type Handoff,
} from '@kandji-sn/contract'
import { defaultDeps, run, type Deps } from '@kandji-sn/deploy-integration'
import { createClient } from '@kandji-sn/servicenow-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadKandjiApp, startEmulator, type Emulator, type FaultRule } from '@kandji-sn/instance-emulator'

/** The per-request timeout of the matrix's CLI runs (the CLI's default is 30 s). */
export const CLIENT_TIMEOUT_MS = 1_000
/** The app upload's timeout (default 300 s, as now-sdk). */
const INSTALL_TIMEOUT_MS = 6_000
/** The client's attempts per request (servicenow-client transport): a 503 this many times in a row outlasts its retries. */
const CLIENT_ATTEMPTS = 4
const MAX_PAUSE_MS = 25

/** The instance answered, but not with what was asked: before processing, nothing was done. */
export const ANSWER_FAULTS = ['status 429', 'status 500', 'status 503', 'html', 'login-redirect'] as const
/** The connection failed: before processing (reset, timeout) or after it, the work done and the answer lost. */
export const CONNECTION_FAULTS = ['reset', 'timeout', 'reset-after', 'hang-after', 'slow'] as const
export const FAULT_KINDS = [...CONNECTION_FAULTS, ...ANSWER_FAULTS] as const
export type FaultKindName = (typeof FAULT_KINDS)[number]
/** The kinds that let the instance do the work before the answer is lost. */
export const AFTER_PROCESSING: ReadonlySet<FaultKindName> = new Set(['reset-after', 'hang-after', 'slow'])

export function faultRule(kind: FaultKindName, nth: number): FaultRule {
  switch (kind) {
    case 'status 429':
      return { kind: 'status', status: 429, retryAfterSeconds: 1, nth }
    case 'status 500':
      return { kind: 'status', status: 500, nth }
    case 'status 503':
      return { kind: 'status', status: 503, nth, times: CLIENT_ATTEMPTS }
    case 'slow':
      return { kind: 'slow', delayMs: CLIENT_TIMEOUT_MS + 500, nth }
    default:
      return { kind, nth }
  }
}

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  json: Record<string, unknown> | undefined
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, MAX_PAUSE_MS)))
let deps: Promise<Deps> | undefined
function matrixDeps(): Promise<Deps> {
  deps ??= defaultDeps().then((base) => {
    // The package files do not change during a run: each is read once, not on every one of the thousand deploys.
    const summaries = new Map<string, ReturnType<Deps['readAppPackage']>>()
    return {
      ...base,
      createClient: (options) => createClient({ ...options, timeoutMs: CLIENT_TIMEOUT_MS, installTimeoutMs: INSTALL_TIMEOUT_MS, sleep: pause }),
      readAppPackage: (path) => {
        if (!summaries.has(path)) summaries.set(path, base.readAppPackage(path))
        return summaries.get(path)!.then((summary) => ({ ...summary }))
      },
      sleep: pause,
    }
  })
  return deps
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

/** An emulated instance and a credentials folder; the CLI runs in-process against it. */
export class MatrixInstance {
  readonly handoffPath: string
  private constructor(
    readonly emulator: Emulator,
    readonly dir: string,
    readonly adminPassword: string,
  ) {
    this.handoffPath = join(dir, 'handoff.json')
  }

  static on(emulator: Emulator, dir: string, adminPassword: string): MatrixInstance {
    return new MatrixInstance(emulator, dir, adminPassword)
  }

  static async start(options: { statePath?: string; adminPassword?: string; handoffFrom?: string } = {}): Promise<MatrixInstance> {
    const adminPassword = options.adminPassword ?? `Adm-${Math.random().toString(36).slice(2)}`
    const emulator = await startEmulator({
      release: 'zurich',
      ...(options.statePath ? { statePath: options.statePath } : { adminPassword }),
      importTransformDelayMs: 5,
      updateMutexHoldMs: 50,
    })
    const inst = new MatrixInstance(emulator, mkdtempSync(join(tmpdir(), 'kandji-matrix-')), adminPassword)
    // The restored instance listens on another port: the hand-off names it, as it would name the one instance.
    if (options.handoffFrom) {
      const handoff = JSON.parse(readFileSync(options.handoffFrom, 'utf8')) as Handoff
      writeFileSync(inst.handoffPath, JSON.stringify({ ...handoff, instance: emulator.url }, null, 2), { mode: 0o600 })
    }
    return inst
  }

  async cli(argv: readonly string[]): Promise<CliRun> {
    const out = sink()
    const err = sink()
    const stdin = Object.assign(new PassThrough(), { isTTY: false })
    const env = { [ENV.instance]: this.emulator.url, [ENV.adminUser]: 'admin', [ENV.adminPassword]: this.adminPassword, NO_COLOR: '1' }
    const code = await run([...argv], { stdout: out.stream, stderr: err.stream, stdin, env, cwd: this.dir }, { deps: await matrixDeps() })
    await new Promise((resolve) => setImmediate(resolve))
    const stdout = out.text()
    let json: Record<string, unknown> | undefined
    if (argv.includes('--json')) {
      try {
        json = JSON.parse(stdout) as Record<string, unknown>
      } catch {
        json = undefined
      }
    }
    return { code, stdout, stderr: err.text(), json }
  }

  handoff(): Handoff {
    return handoffSchema.parse(JSON.parse(readFileSync(this.handoffPath, 'utf8')))
  }

  writes(): { insert: number; update: number; delete: number } {
    const { insert, update, delete: del } = this.emulator.counters.db
    return { insert, update, delete: del }
  }

  /** Rows matching the query; 0 when the table is gone (the app's staging tables after an uninstall). */
  count(table: string, query: string): number {
    return this.emulator.db.tableExists(table) ? this.emulator.db.query(table, query).length : 0
  }

  async close(): Promise<void> {
    await this.emulator.close()
  }
}

/** A finding of the convergence check: `duplicate` (two where one belongs), `orphan` (left behind), `wrong` (missing or not as deployed). */
export interface Finding {
  kind: 'duplicate' | 'orphan' | 'wrong'
  what: string
}

function expectCount(inst: MatrixInstance, findings: Finding[], what: string, table: string, query: string, want: number): void {
  const n = inst.count(table, query)
  if (n > want) findings.push({ kind: want === 0 ? 'orphan' : 'duplicate', what: `${n} ${what} (want ${want})` })
  else if (n < want) findings.push({ kind: 'wrong', what: `${n} ${what} (want ${want})` })
}

const choiceQuery = `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}`

/** What is left behind whatever the state: probe rows, import sets (nothing was pushed), grants of deleted users, pending secrets. */
function leftovers(inst: MatrixInstance, findings: Finding[]): void {
  expectCount(inst, findings, 'smoke-test probe rows', TABLES.deviceImport, `${IMPORT_PROBE.field}=${IMPORT_PROBE.value}`, 0)
  expectCount(inst, findings, 'import sets (nothing was pushed)', PLATFORM_TABLES.importSet, '', 0)
  expectCount(inst, findings, 'instance locks (every run removes its own)', PLATFORM_TABLES.property, `name=${DEPLOY_LOCK.property}`, 0)
  const users = new Set(inst.emulator.db.query(PLATFORM_TABLES.user, '').map((u) => u.sys_id))
  const dangling = inst.emulator.db.query(PLATFORM_TABLES.userRole, '').filter((g) => !users.has(g.user ?? ''))
  if (dangling.length > 0) findings.push({ kind: 'orphan', what: `${dangling.length} role grants of users that no longer exist` })
  const files = readdirSync(inst.dir).filter((name) => name !== 'handoff.json')
  if (files.length > 0) findings.push({ kind: 'orphan', what: `files left in the credentials folder: ${files.join(', ')}` })
  for (const name of readdirSync(inst.dir)) {
    if ((statSync(join(inst.dir, name)).mode & 0o077) !== 0) findings.push({ kind: 'wrong', what: `${name} is readable by others` })
  }
}

/** Exactly one of every object deploy owns, the three direct roles, the app once, the hand-off file working. */
export function deployedState(inst: MatrixInstance): Finding[] {
  const findings: Finding[] = []
  const userName = SERVICE_ACCOUNT.defaultUserName
  expectCount(inst, findings, 'service accounts', PLATFORM_TABLES.user, `user_name=${userName}`, 1)
  expectCount(inst, findings, 'OAuth clients', PLATFORM_TABLES.oauthEntity, `name=${OAUTH_CLIENT.defaultName}`, 1)
  for (const name of Object.values(APP_PROPERTIES)) expectCount(inst, findings, `${name} properties`, PLATFORM_TABLES.property, `name=${name}`, 1)
  expectCount(inst, findings, 'Kandji discovery-source choices', PLATFORM_TABLES.choice, choiceQuery, 1)
  expectCount(inst, findings, 'sys_app rows', PLATFORM_TABLES.app, `scope=${APP.scope}`, 1)
  expectCount(inst, findings, 'sys_scope rows', PLATFORM_TABLES.scope, `scope=${APP.scope}`, 1)
  const user = inst.emulator.db.query(PLATFORM_TABLES.user, `user_name=${userName}`)[0]
  if (user) {
    const roleNames = new Map(inst.emulator.db.query(PLATFORM_TABLES.role, '').map((r) => [r.sys_id, r.name]))
    const direct = inst.emulator.db
      .query(PLATFORM_TABLES.userRole, `user=${user.sys_id}^inherited=false`)
      .map((g) => roleNames.get(g.role ?? '') ?? g.role ?? '')
      .filter((name) => !(PLATFORM_GRANTED_ROLES as readonly string[]).includes(name))
      .sort()
    const want = [...SERVICE_ACCOUNT_ROLES].sort()
    for (const role of new Set(direct)) {
      const n = direct.filter((d) => d === role).length
      if (!want.includes(role as (typeof want)[number])) findings.push({ kind: 'wrong', what: `a direct grant of ${role}, which deploy never grants` })
      else if (n > 1) findings.push({ kind: 'duplicate', what: `${n} direct grants of ${role}` })
    }
    for (const role of want) if (!direct.includes(role)) findings.push({ kind: 'wrong', what: `no direct grant of ${role}` })
  }
  if (!existsSync(inst.handoffPath)) findings.push({ kind: 'wrong', what: 'no hand-off file' })
  else {
    const handoff = inst.handoff()
    const client = inst.emulator.db.query(PLATFORM_TABLES.oauthEntity, `name=${OAUTH_CLIENT.defaultName}`)[0]
    if (handoff.username !== userName || handoff.client_id !== client?.client_id || handoff.instance !== inst.emulator.url) {
      findings.push({ kind: 'wrong', what: 'the hand-off file names another account, client or instance' })
    }
  }
  leftovers(inst, findings)
  return findings
}

/** Nothing of what deploy created, nor the app (uninstall --app). */
export function uninstalledState(inst: MatrixInstance): Finding[] {
  const findings: Finding[] = []
  expectCount(inst, findings, 'service accounts', PLATFORM_TABLES.user, `user_name=${SERVICE_ACCOUNT.defaultUserName}`, 0)
  expectCount(inst, findings, 'OAuth clients', PLATFORM_TABLES.oauthEntity, `name=${OAUTH_CLIENT.defaultName}`, 0)
  for (const name of Object.values(APP_PROPERTIES)) expectCount(inst, findings, `${name} properties`, PLATFORM_TABLES.property, `name=${name}`, 0)
  expectCount(inst, findings, 'Kandji discovery-source choices (no CI names it)', PLATFORM_TABLES.choice, choiceQuery, 0)
  expectCount(inst, findings, 'sys_app rows', PLATFORM_TABLES.app, `scope=${APP.scope}`, 0)
  expectCount(inst, findings, 'sys_scope rows', PLATFORM_TABLES.scope, `scope=${APP.scope}`, 0)
  leftovers(inst, findings)
  return findings
}

/** Every string under a password/secret key of the JSON files in the folder (hand-off, pending secrets). */
export function secretsOnDisk(folder: string): string[] {
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

/** A command's starting state, the command, and what "converged" means after it. */
export interface Scenario {
  name: string
  /** A fresh instance in the state the command starts from. */
  start(): Promise<MatrixInstance>
  argv(inst: MatrixInstance): string[]
  /** The state after the command succeeded. */
  converged(inst: MatrixInstance): Finding[]
  /** The run after convergence, which must write nothing (and, after deploy or rotate, pass its smoke test). */
  again(inst: MatrixInstance): string[]
}

export interface CaseOutcome {
  kind: FaultKindName
  nth: number
  /** The faulted run's exit code. */
  firstCode: number
  findings: Finding[]
  /** What went wrong with the runs themselves (a wrong exit code, an untruthful message, a write on the last run). */
  problems: string[]
}

const DOCUMENTED_FAILURE_CODES: readonly number[] = [EXIT_CODES.instance, EXIT_CODES.auth]

function describeRun(label: string, r: CliRun): string {
  return `${label}: exit ${r.code}\n${r.stderr.trim().split('\n').slice(-6).join('\n')}`
}

/** One case: fault request `nth` with `kind`, run, recover, run again. */
export async function runCase(scenario: Scenario, kind: FaultKindName, nth: number): Promise<CaseOutcome> {
  const inst = await scenario.start()
  const problems: string[] = []
  try {
    inst.emulator.addFault(faultRule(kind, nth))
    const first = await inst.cli(scenario.argv(inst))
    // A run may make a request fewer than the clean runs (a status poll answered sooner): then nothing was faulted.
    const made = inst.emulator.counters.requests
    if ((inst.emulator.counters.byRoute.fault ?? 0) === 0 && made >= nth) problems.push(`the fault at request ${nth} never fired (the command made ${made} requests)`)
    if (first.code !== EXIT_CODES.ok) {
      if (!DOCUMENTED_FAILURE_CODES.includes(first.code)) problems.push(`undocumented exit code. ${describeRun('first run', first)}`)
      if (!/^error: \S.*\ncause: \S.*\nfix: +\S.*$/m.test(first.stderr)) problems.push(`no error/cause/fix. ${describeRun('first run', first)}`)
      if (/^\s+at .+:\d+:\d+\)?$/m.test(first.stderr)) problems.push(`a stack trace. ${describeRun('first run', first)}`)
      // A lost answer to work the instance did: the message must not claim nothing happened.
      if (AFTER_PROCESSING.has(kind) && !/may have (been processed|done the request)/.test(first.stderr)) {
        problems.push(`the answer to work the instance did was lost, and the message does not say it may have been done. ${describeRun('first run', first)}`)
      }
    }
    const secretsAfterFailure = secretsOnDisk(inst.dir)
    inst.emulator.clearFaults()
    const runs = [first]
    if (first.code !== EXIT_CODES.ok) {
      // A lock the run could not remove is reported with its expiry and the fix, which the re-run follows.
      const leftLock = /lock on \S+ (could not be removed|is left behind)|lock row of this run \(\S+\) may be left/.test(first.stderr)
      const recovered = await inst.cli([...scenario.argv(inst), ...(leftLock ? ['--force-unlock'] : [])])
      runs.push(recovered)
      if (recovered.code !== EXIT_CODES.ok) problems.push(`the re-run did not converge. ${describeRun('re-run', recovered)}`)
    }
    const findings = scenario.converged(inst)
    inst.emulator.resetCounters()
    const again = await inst.cli(scenario.again(inst))
    runs.push(again)
    if (again.code !== EXIT_CODES.ok) problems.push(`the run after convergence failed. ${describeRun('last run', again)}`)
    const writes = inst.writes()
    if (writes.insert + writes.update + writes.delete > 0) problems.push(`the run after convergence wrote ${JSON.stringify(writes)}`)
    if (again.json && 'changes' in again.json && again.json.changes !== 0) problems.push(`the run after convergence reports ${String(again.json.changes)} changes`)
    const verification = again.json?.verification as { status?: string } | undefined
    if (verification && verification.status !== 'pass') problems.push(`verify says ${verification.status ?? 'nothing'} after convergence`)
    const smoke = again.json?.smokeTest as Array<{ id: string; status: string }> | undefined
    if (smoke && !smoke.some((s) => s.id === 'password_grant' && s.status === 'pass')) problems.push('the hand-off credentials fail the password grant after convergence')
    const secrets = [inst.adminPassword, ...secretsAfterFailure, ...(existsSync(inst.handoffPath) ? [inst.handoff().password, inst.handoff().client_secret] : [])]
    for (const r of runs) for (const s of secrets) if (s && (r.stdout + r.stderr).includes(s)) problems.push('a secret in the output')
    return { kind, nth, firstCode: first.code, findings, problems }
  } finally {
    await inst.close()
  }
}

/** Runs tasks with at most `concurrency` at once, in order of the list. */
export async function inLanes<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        results[i] = await task(items[i]!)
      }
    }),
  )
  return results
}

/** The matrix counts of one scenario, as printed in the test output. */
export function summarise(scenario: string, requests: number, outcomes: readonly CaseOutcome[]): string {
  const rows = FAULT_KINDS.filter((kind) => outcomes.some((o) => o.kind === kind)).map((kind) => {
    const of = outcomes.filter((o) => o.kind === kind)
    const absorbed = of.filter((o) => o.firstCode === EXIT_CODES.ok).length
    const converged = of.filter((o) => o.findings.length === 0 && o.problems.length === 0).length
    const duplicates = of.reduce((n, o) => n + o.findings.filter((f) => f.kind === 'duplicate').length, 0)
    const orphans = of.reduce((n, o) => n + o.findings.filter((f) => f.kind === 'orphan').length, 0)
    return `  ${kind.padEnd(15)} ${String(of.length).padStart(5)} ${String(absorbed).padStart(9)} ${String(converged).padStart(10)} ${String(duplicates).padStart(11)} ${String(orphans).padStart(8)}`
  })
  const total = (pick: (o: CaseOutcome) => number) => outcomes.reduce((n, o) => n + pick(o), 0)
  return [
    `failure matrix: ${scenario} (${requests} requests × ${new Set(outcomes.map((o) => o.kind)).size} fault kinds)`,
    `  ${'kind'.padEnd(15)} ${'cases'.padStart(5)} ${'absorbed'.padStart(9)} ${'converged'.padStart(10)} ${'duplicates'.padStart(11)} ${'orphans'.padStart(8)}`,
    ...rows,
    `  ${'all'.padEnd(15)} ${String(outcomes.length).padStart(5)} ${String(total((o) => (o.firstCode === EXIT_CODES.ok ? 1 : 0))).padStart(9)} ${String(total((o) => (o.findings.length === 0 && o.problems.length === 0 ? 1 : 0))).padStart(10)} ${String(total((o) => o.findings.filter((f) => f.kind === 'duplicate').length)).padStart(11)} ${String(total((o) => o.findings.filter((f) => f.kind === 'orphan').length)).padStart(8)}`,
  ].join('\n')
}

/** The built Kandji app package (the emulator's copy of apps/servicenow-app's build). */
export async function appPackage(): Promise<string> {
  return (await loadKandjiApp()).zip
}

/** Requests the command makes without faults: the fewest of two clean runs (polls may add one). */
async function cleanRequests(scenario: Scenario): Promise<number> {
  const counts: number[] = []
  for (let i = 0; i < 2; i++) {
    const inst = await scenario.start()
    try {
      inst.emulator.resetCounters()
      const clean = await inst.cli(scenario.argv(inst))
      expect(clean.code, describeRun('clean run', clean)).toBe(EXIT_CODES.ok)
      counts.push(inst.emulator.counters.requests)
      expect(scenario.converged(inst), 'a clean run converges').toEqual([])
    } finally {
      await inst.close()
    }
  }
  return Math.min(...counts)
}

/** Lanes per file: the runs are mostly CPU (emulator and CLI in one process); a second lane fills the timeouts' waits. */
const LANES = 2

/** The whole matrix of one scenario: a test per fault kind over every request index, and the counts printed. */
export function describeMatrix(scenario: Scenario, kinds: readonly FaultKindName[] = FAULT_KINDS): void {
  describe(`failure matrix: ${scenario.name}`, () => {
    let requests = 0
    const outcomes: CaseOutcome[] = []
    beforeAll(async () => {
      requests = await cleanRequests(scenario)
    }, 120_000)
    afterAll(() => {
      console.log(summarise(scenario.name, requests, outcomes))
    })

    for (const kind of kinds) {
      it(`${kind} at each request: the run absorbs it or says what happened, the re-run converges (no duplicates, no orphans), the next run writes nothing`, async () => {
        const indexes = Array.from({ length: requests }, (_, i) => i + 1)
        const results = await inLanes(indexes, LANES, (nth) => runCase(scenario, kind, nth))
        outcomes.push(...results)
        const bad = results.filter((o) => o.findings.length > 0 || o.problems.length > 0)
        const report = bad.map((o) => `request ${o.nth} (first run exit ${o.firstCode}):\n  ${[...o.findings.map((f) => `${f.kind}: ${f.what}`), ...o.problems].join('\n  ')}`)
        expect(report, `${bad.length} of ${results.length} cases did not converge`).toEqual([])
        if (kind === 'status 503') expect(results.some((o) => o.firstCode !== EXIT_CODES.ok), 'a 503 that outlasts the retries fails some runs').toBe(true)
      }, 900_000)
    }
  })
}

/** An instance deployed once, saved as a state file (with its hand-off), for the scenarios that start deployed. */
export async function deployedTemplate(zip: string): Promise<{ start(): Promise<MatrixInstance> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kandji-matrix-template-'))
  const statePath = join(dir, 'state.json')
  const adminPassword = `Adm-${Math.random().toString(36).slice(2)}`
  const template = await startEmulator({ release: 'zurich', adminPassword, statePath, importTransformDelayMs: 5, updateMutexHoldMs: 50 })
  try {
    const handoffPath = join(dir, 'handoff.json')
    const deployed = await MatrixInstance.on(template, dir, adminPassword).cli(['deploy', '--yes', '--app-package', zip, '--credentials-out', handoffPath])
    expect(deployed.code, describeRun('deploy of the template', deployed)).toBe(EXIT_CODES.ok)
    await template.importsIdle()
    await template.saveState()
    let copies = 0
    return {
      async start() {
        const copy = join(dir, `state-${++copies}.json`)
        copyFileSync(statePath, copy)
        return MatrixInstance.start({ statePath: copy, adminPassword, handoffFrom: handoffPath })
      },
    }
  } finally {
    await template.close()
  }
}
