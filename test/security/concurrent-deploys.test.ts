// Issue 19, concurrent runs: 2 and 4 `deploy` runs (and rotate racing a deploy) started together against one
// instance with latency, so their requests interleave; in process (the CLI's `run` with its own io) and as separate
// processes (the built bundle). After all runs end the instance holds exactly one of everything, the hand-off file is
// one run's values (the last writer's) and works, and every exit code tells the truth; a re-run converges.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { APP, DEPLOY_LOCK, ENV, EXIT_CODES, handoffSchema, PLATFORM_TABLES, type Handoff } from '@kandji-sn/contract'
import { defaultDeps, run } from '@kandji-sn/deploy-integration'
import { generateDevices, pushInventory } from '@kandji-sn/iru-simulator'
import { cliEnv, DEPLOY_INTEGRATION_BIN } from '@kandji-sn/demo'
import { loadKandjiApp, startEmulator, type Emulator, type EmulatorOptions } from '@kandji-sn/instance-emulator'
import { deployedState, MatrixInstance } from '../support/failure-matrix.ts'
import { connectInstance } from '../support/instance.ts'
import { eventually } from '../support/processes.ts'

interface RunResult {
  label: string
  code: number
  stdout: string
  stderr: string
  json: Record<string, unknown> | undefined
  /** Order in which the runs ended (0 first). */
  finished: number
}

type Mode = 'in-process' | 'processes'
type Command = 'deploy' | 'rotate'

interface Case {
  name: string
  mode: Mode
  start: 'fresh' | 'configured'
  commands: Command[]
  latency: Pick<EmulatorOptions, 'latencyMs' | 'latencyJitterMs'>
  /** The instance keeps sys_properties.name unique (switch; the docs are silent, the default is no). */
  uniqueNames?: boolean
}

const LATENCY = { latencyMs: 15 }
const JITTERED = { latencyMs: 5, latencyJitterMs: 20 }
const CASES: Case[] = [
  { name: '2 deploys, fresh instance, in process, 15 ms', mode: 'in-process', start: 'fresh', commands: ['deploy', 'deploy'], latency: LATENCY },
  { name: '4 deploys, fresh instance, in process, 5-25 ms jittered', mode: 'in-process', start: 'fresh', commands: ['deploy', 'deploy', 'deploy', 'deploy'], latency: JITTERED },
  { name: '2 deploys, configured instance, in process, 15 ms', mode: 'in-process', start: 'configured', commands: ['deploy', 'deploy'], latency: LATENCY },
  { name: '4 deploys, configured instance, in process, 5-25 ms jittered', mode: 'in-process', start: 'configured', commands: ['deploy', 'deploy', 'deploy', 'deploy'], latency: JITTERED },
  { name: 'rotate racing a deploy, configured instance, in process, 15 ms', mode: 'in-process', start: 'configured', commands: ['rotate', 'deploy'], latency: LATENCY },
  { name: '2 deploys, fresh instance, separate processes, 15 ms', mode: 'processes', start: 'fresh', commands: ['deploy', 'deploy'], latency: LATENCY },
  { name: '4 deploys, fresh instance, separate processes, 5-25 ms jittered', mode: 'processes', start: 'fresh', commands: ['deploy', 'deploy', 'deploy', 'deploy'], latency: JITTERED },
  { name: '2 deploys, configured instance, separate processes, 15 ms', mode: 'processes', start: 'configured', commands: ['deploy', 'deploy'], latency: LATENCY },
  // The other variant of the undocumented uniqueness of sys_properties.name: the lock's second create is refused.
  { name: '4 deploys, fresh instance, in process, 5-25 ms jittered, unique property names', mode: 'in-process', start: 'fresh', commands: ['deploy', 'deploy', 'deploy', 'deploy'], latency: JITTERED, uniqueNames: true },
  { name: '2 deploys, fresh instance, separate processes, 15 ms, unique property names', mode: 'processes', start: 'fresh', commands: ['deploy', 'deploy'], latency: LATENCY, uniqueNames: true },
]

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** One instance, one credentials folder shared by every run (as on one machine), and two ways to run the CLI. */
class Bed {
  private finishedCount = 0
  readonly handoffPath: string
  private constructor(
    readonly emulator: Emulator,
    readonly dir: string,
    readonly adminPassword: string,
    readonly zip: string,
  ) {
    this.handoffPath = join(dir, 'handoff.json')
  }

  static async start(latency: Case['latency'] = {}, uniqueNames = false): Promise<Bed> {
    const adminPassword = `Adm-${Math.random().toString(36).slice(2)}`
    // Jitter applies from the start; the base latency once the instance is set up (setLatency).
    const emulator = await startEmulator({
      release: 'zurich',
      adminPassword,
      importTransformDelayMs: 5,
      updateMutexHoldMs: 50,
      switches: { propertyNameUnique: uniqueNames },
      ...(latency.latencyJitterMs ? { latencyJitterMs: latency.latencyJitterMs } : {}),
    })
    return new Bed(emulator, mkdtempSync(join(tmpdir(), 'kandji-concurrent-')), adminPassword, (await loadKandjiApp()).zip)
  }

  argv(command: Command): string[] {
    const common = ['--yes', '--credentials-out', this.handoffPath, '--json', '--show-secrets']
    return command === 'deploy' ? ['deploy', '--app-package', this.zip, ...common] : ['rotate', ...common]
  }

  inProcess(command: Command, label: string): Promise<RunResult> {
    return this.run(this.argv(command), label)
  }

  async run(argv: string[], label = argv[0] ?? ''): Promise<RunResult> {
    const out = sink()
    const err = sink()
    const stdin = Object.assign(new PassThrough(), { isTTY: false })
    const env = { [ENV.instance]: this.emulator.url, [ENV.adminUser]: 'admin', [ENV.adminPassword]: this.adminPassword, NO_COLOR: '1' }
    const code = await run(argv, { stdout: out.stream, stderr: err.stream, stdin, env, cwd: this.dir }, { deps: await defaultDeps() })
    await new Promise((resolve) => setImmediate(resolve))
    const stdout = out.text()
    return { label, code, stdout, stderr: err.text(), json: parseJson(stdout), finished: this.finishedCount++ }
  }

  async inProcesses(commands: Command[]): Promise<RunResult[]> {
    const connected = await connectInstance({ instance: this.emulator.url, user: 'admin', password: this.adminPassword })
    try {
      return await Promise.all(
        commands.map(async (command, i) => {
          const r = await connected.cli(this.argv(command))
          return { label: `${command} #${i + 1}`, code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr, json: r.json, finished: this.finishedCount++ }
        }),
      )
    } finally {
      await connected.close()
    }
  }

  handoff(): Handoff {
    return handoffSchema.parse(JSON.parse(readFileSync(this.handoffPath, 'utf8')))
  }

  rows(table: string, query: string) {
    return this.emulator.db.tableExists(table) ? this.emulator.db.query(table, query) : []
  }

  async close(): Promise<void> {
    await this.emulator.close()
  }
}

const credentialsOf = (r: RunResult) => r.json?.credentials as Handoff | undefined
const wroteHandoff = (r: RunResult) => {
  if (r.json?.command === 'rotate') return r.code === EXIT_CODES.ok || /saved to/.test(r.stderr)
  return (r.json?.handoff as { written?: boolean } | null | undefined)?.written === true
}

/** Everything that must hold once every run has ended; each entry is a broken promise. */
async function invariants(bed: Bed, runs: RunResult[], installsBefore: number, fresh: boolean): Promise<string[]> {
  const problems: string[] = []
  problems.push(...deployedState(MatrixInstance.on(bed.emulator, bed.dir, bed.adminPassword)).map((f) => `${f.kind}: ${f.what}`))
  const installs = bed.rows(PLATFORM_TABLES.upgradeHistory, `to_version=${APP.scope}`).length
  const wantInstalls = installsBefore + (fresh ? 1 : 0)
  if (installs !== wantInstalls) problems.push(`${installs} upgrade-history rows for ${APP.scope} (want ${wantInstalls}: one per real install)`)
  const running = bed.rows(PLATFORM_TABLES.executionTracker, 'stateIN0,1')
  if (running.length > 0) problems.push(`${running.length} installs left running (sys_execution_tracker state 0/1)`)
  const locks = bed.rows(PLATFORM_TABLES.property, `name=${DEPLOY_LOCK.property}`)
  if (locks.length > 0) problems.push(`${locks.length} deploy locks left on the instance`)

  for (const r of runs) {
    if (r.code === EXIT_CODES.ok) {
      if (r.json?.command === 'deploy' && r.json.status !== 'ok') problems.push(`${r.label} exited 0 but reports status ${String(r.json?.status)}`)
      continue
    }
    if (r.code !== EXIT_CODES.instance) problems.push(`${r.label} exited ${r.code} (a run that lost the race exits ${EXIT_CODES.instance})`)
    if (!/^error: \S.*\ncause: \S.*\nfix: +\S.*$/m.test(r.stderr)) problems.push(`${r.label}: no error/cause/fix:\n${r.stderr.slice(-800)}`)
    if (/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr)) problems.push(`${r.label}: a stack trace`)
    // Losing the race is the only way to fail here, and the message says which run won (or what changed meanwhile).
    const lost = [
      new RegExp(`^error: another deploy-integration run holds the lock on ${bed.emulator.url}: (deploy|rotate) by admin \\(\\S+@\\S+, pid \\d+, run [0-9a-f-]{36}\\), since \\S+Z, until \\S+Z$`, 'm'),
      /^error: another run changed the credentials while this one tested them: /m,
      /^error: \S+ changed between the plan and the start of the changes: /m,
    ]
    if (!lost.some((re) => re.test(r.stderr))) problems.push(`${r.label} failed, and not by losing the race:\n${r.stderr.slice(-800)}`)
  }
  if (!runs.some((r) => r.code === EXIT_CODES.ok)) problems.push('no run succeeded: the first to take the instance must finish')

  if (!existsSync(bed.handoffPath)) return [...problems, 'no hand-off file']
  const handoff = bed.handoff()
  // The last run to write the file is the one whose values it holds, whole (never one run's password and another's secret).
  const writers = runs.filter((r) => wroteHandoff(r) && credentialsOf(r)).sort((a, b) => a.finished - b.finished)
  const last = writers.at(-1)
  if (fresh && !last) problems.push('no run says it wrote the hand-off file')
  if (last) {
    const creds = credentialsOf(last)!
    if (handoff.password !== creds.password || handoff.client_secret !== creds.client_secret || handoff.client_id !== creds.client_id) {
      problems.push(`the hand-off file is not ${last.label}'s (the last writer): password ${handoff.password === creds.password ? 'same' : 'differs'}, client secret ${handoff.client_secret === creds.client_secret ? 'same' : 'differs'}`)
    }
  }
  // A run that exited 0 after the last writer ended printed the credentials the instance has (the file's).
  for (const r of runs.filter((x) => x.code === EXIT_CODES.ok && credentialsOf(x) && x.finished > (last?.finished ?? -1))) {
    const c = credentialsOf(r)!
    if (c.password !== handoff.password || c.client_secret !== handoff.client_secret) problems.push(`${r.label} exited 0 with credentials that are not the hand-off file's`)
  }
  try {
    const devices = generateDevices({ count: 2, seed: `concurrent-${Math.random()}` })
    const report = await pushInventory({ handoff, devices, mode: 'bulk', poll: { timeoutMs: 0 } })
    if (report.totals.sent !== 2) problems.push(`the push with the hand-off file sent ${report.totals.sent} rows (want 2)`)
  } catch (error) {
    problems.push(`a push with the hand-off file fails: ${error instanceof Error ? error.message : String(error)}`)
  }
  await bed.emulator.importsIdle()
  return problems
}

const outcomes: Array<{ name: string; held: boolean }> = []

describe('security: concurrent runs against one instance converge', () => {
  afterAll(() => {
    console.log(`security: concurrent runs: ${outcomes.length} cases, invariants held in ${outcomes.filter((o) => o.held).length}/${outcomes.length}`)
  })

  for (const c of CASES) {
    it(`${c.name}: one of everything, the last writer's working hand-off, truthful exit codes, a converging re-run`, async () => {
      const bed = await Bed.start(c.latency, c.uniqueNames)
      let held = false
      try {
        if (c.start === 'configured') {
          const first = await bed.inProcess('deploy', 'setup deploy')
          expect(first.code, first.stderr).toBe(EXIT_CODES.ok)
          await bed.emulator.importsIdle()
        }
        const installsBefore = bed.rows(PLATFORM_TABLES.upgradeHistory, `to_version=${APP.scope}`).length
        bed.emulator.setLatency(c.latency.latencyMs ?? 0)
        const runs = c.mode === 'in-process' ? await Promise.all(c.commands.map((cmd, i) => bed.inProcess(cmd, `${cmd} #${i + 1}`))) : await bed.inProcesses(c.commands)
        bed.emulator.setLatency(0)
        const problems = await invariants(bed, runs, installsBefore, c.start === 'fresh')
        const summary = runs.map((r) => `${r.label}: exit ${r.code}${r.code === 0 ? '' : ` ${r.stderr.match(/^error: .*$/m)?.[0] ?? ''}`}`).join('\n')
        expect(problems, summary).toEqual([])

        // A re-run converges with exit 0 and finds nothing to change.
        const again = await bed.inProcess('deploy', 're-run')
        expect(again.code, again.stderr).toBe(EXIT_CODES.ok)
        expect(again.json?.changes, again.stdout).toBe(0)
        expect(bed.rows(PLATFORM_TABLES.property, `name=${DEPLOY_LOCK.property}`)).toEqual([])
        held = true
      } finally {
        outcomes.push({ name: c.name, held })
        await bed.close()
      }
    }, 300_000)
  }
})

/** A lock row as another run on another machine would have left it. */
function foreignLock(bed: Bed, expiresInMs: number, runId = '0f8e6a52-3c1d-4b7a-9e2f-5a6b7c8d9e0f') {
  const since = new Date(Date.now() - 60_000).toISOString()
  const owner = { user: 'alice', osUser: 'alice', host: 'build-7', pid: 4242, runId, command: 'deploy', since, expires: new Date(Date.now() + expiresInMs).toISOString() }
  bed.emulator.db.insert(PLATFORM_TABLES.property, { name: DEPLOY_LOCK.property, value: JSON.stringify(owner), type: 'string' })
  return owner
}

const heldText = (url: string, o: ReturnType<typeof foreignLock>) =>
  [
    `error: another deploy-integration run holds the lock on ${url}: deploy by alice (alice@build-7, pid 4242, run ${o.runId}), since ${o.since}, until ${o.expires}`,
    `cause: only one deploy, rotate or uninstall may change an instance at a time (the lock is the sys_properties row "${DEPLOY_LOCK.property}"); two at once would create the OAuth client, the account or the app twice`,
    `fix:   wait for that run to finish and run this again (an expired lock is taken over: at the latest after ${o.expires}); if that run is no longer running (its machine or process died), re-run with --force-unlock`,
  ].join('\n')

const lockRows = (bed: Bed) => bed.rows(PLATFORM_TABLES.property, `name=${DEPLOY_LOCK.property}`)
const writesOf = (bed: Bed) => {
  const { insert, update, delete: del } = bed.emulator.counters.db
  return { insert, update, delete: del }
}

describe('security: the instance lock', () => {
  it('a live lock of another run: deploy, rotate and uninstall exit 4 naming its holder and expiry, writing nothing; plan and verify take no lock and run', async () => {
    const bed = await Bed.start()
    try {
      expect((await bed.run(['plan'])).code).toBe(EXIT_CODES.ok) // the admin's first sign-in writes (snc_internal, last login): the platform's
      const fresh = foreignLock(bed, 10 * 60_000)
      bed.emulator.resetCounters()
      const deploy = await bed.inProcess('deploy', 'deploy')
      expect(deploy.code).toBe(EXIT_CODES.instance)
      expect(deploy.stderr).toContain(heldText(bed.emulator.url, fresh))
      expect(writesOf(bed)).toEqual({ insert: 0, update: 0, delete: 0 })
      expect(existsSync(bed.handoffPath)).toBe(false)
      expect(existsSync(`${bed.handoffPath}.pending`)).toBe(false)

      bed.emulator.db.delete(PLATFORM_TABLES.property, lockRows(bed)[0]!.sys_id!)
      expect((await bed.inProcess('deploy', 'setup')).code).toBe(EXIT_CODES.ok)
      const held = foreignLock(bed, 10 * 60_000)
      const handoffBefore = readFileSync(bed.handoffPath, 'utf8')
      bed.emulator.resetCounters()
      for (const argv of [bed.argv('deploy'), bed.argv('rotate'), ['uninstall', '--yes', '--app']]) {
        const r = await bed.run(argv)
        expect(r.code, `${argv[0]}: ${r.stderr}`).toBe(EXIT_CODES.instance)
        expect(r.stderr).toContain(heldText(bed.emulator.url, held))
      }
      expect(writesOf(bed)).toEqual({ insert: 0, update: 0, delete: 0 })
      expect(readFileSync(bed.handoffPath, 'utf8')).toBe(handoffBefore)
      for (const argv of [['plan'], ['verify', '--json']]) {
        const r = await bed.run(argv)
        expect(r.code, `${argv[0]}: ${r.stderr}`).toBe(EXIT_CODES.ok)
      }
      expect(writesOf(bed)).toEqual({ insert: 0, update: 0, delete: 0 })
      expect(lockRows(bed)).toHaveLength(1)
    } finally {
      await bed.close()
    }
  })

  it('an expired lock, and damaged lock rows (not JSON, no expiry, an unreadable date, empty), are taken over with a warning naming each', async () => {
    const bed = await Bed.start()
    try {
      const expired = foreignLock(bed, -1_000)
      const damaged = ['not json', '{"runId":"x"}', '{"runId":"x","expires":"someday"}', '', '[]']
      const ids = damaged.map((value) => bed.emulator.db.insert(PLATFORM_TABLES.property, { name: DEPLOY_LOCK.property, value, type: 'string' }).sys_id)
      const r = await bed.inProcess('deploy', 'deploy')
      expect(r.code, r.stderr).toBe(EXIT_CODES.ok)
      const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: removed '))
      expect(warnings.sort()).toEqual(
        [
          `warning: removed the lock of deploy by alice (alice@build-7, pid 4242, run ${expired.runId}), since ${expired.since}, until ${expired.expires} (expired)`,
          ...ids.map((id) => `warning: removed a damaged lock row ${id} (its value is not a lock's)`),
        ].sort(),
      )
      expect(lockRows(bed)).toEqual([])
      expect(deployedState(MatrixInstance.on(bed.emulator, bed.dir, bed.adminPassword))).toEqual([])
    } finally {
      await bed.close()
    }
  })

  it('--force-unlock removes a live lock, says whose, and the run converges', async () => {
    const bed = await Bed.start()
    try {
      const held = foreignLock(bed, 10 * 60_000)
      const r = await bed.run([...bed.argv('deploy'), '--force-unlock'])
      expect(r.code, r.stderr).toBe(EXIT_CODES.ok)
      expect(r.stderr).toContain(`warning: removed the lock of deploy by alice (alice@build-7, pid 4242, run ${held.runId}), since ${held.since}, until ${held.expires} (--force-unlock)`)
      expect(lockRows(bed)).toEqual([])
    } finally {
      await bed.close()
    }
  })

  it('a lost answer to the lock create is settled by the re-read: the run goes on, once, and leaves no lock', async () => {
    const bed = await Bed.start()
    try {
      bed.emulator.addFault({ kind: 'reset-after', method: 'POST', path: `/api/now/table/${PLATFORM_TABLES.property}`, nth: 1 })
      const r = await bed.inProcess('deploy', 'deploy')
      expect(r.code, r.stderr).toBe(EXIT_CODES.ok)
      expect(bed.emulator.counters.byRoute.fault).toBe(1)
      expect(lockRows(bed)).toEqual([])
      expect(deployedState(MatrixInstance.on(bed.emulator, bed.dir, bed.adminPassword))).toEqual([])
    } finally {
      await bed.close()
    }
  })

  it('a lock the run cannot remove fails it (exit 4) with the expiry and the fix; the re-run with --force-unlock converges', async () => {
    const bed = await Bed.start()
    try {
      bed.emulator.addFault({ kind: 'status', status: 503, method: 'DELETE', path: `/api/now/table/${PLATFORM_TABLES.property}/`, nth: 1, times: 8 })
      const r = await bed.inProcess('deploy', 'deploy')
      expect(r.code, r.stderr).toBe(EXIT_CODES.instance)
      const lock = JSON.parse(lockRows(bed)[0]!.value!) as { runId: string; expires: string }
      expect(r.stderr).toMatch(new RegExp(`^error: the run's changes are done, but its lock on ${bed.emulator.url} could not be removed: .+$`, 'm'))
      expect(r.stderr).toContain(`fix:   when the instance answers again, run the same command with --force-unlock (it removes this lock, ${lock.runId}), or wait until ${lock.expires}, when it expires and is taken over`)
      bed.emulator.clearFaults()
      const again = await bed.run([...bed.argv('deploy'), '--force-unlock'])
      expect(again.code, again.stderr).toBe(EXIT_CODES.ok)
      expect(lockRows(bed)).toEqual([])
    } finally {
      await bed.close()
    }
  })

  it('Ctrl-C during a deploy (the built CLI) removes the lock before the process ends by the signal; the re-run converges', async () => {
    const bed = await Bed.start({ latencyMs: 40 })
    try {
      bed.emulator.setLatency(40)
      const child = spawn(process.execPath, [DEPLOY_INTEGRATION_BIN, ...bed.argv('deploy')], { env: { ...cliEnv({ instance: bed.emulator.url, user: 'admin', password: bed.adminPassword }) }, cwd: bed.dir, stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })))
      expect(await eventually(() => lockRows(bed).length === 1, 60_000), stderr).toBe(true)
      child.kill('SIGINT')
      const end = await ended
      expect(end).toEqual({ code: null, signal: 'SIGINT' })
      expect(stderr).toContain('interrupted: removing the lock on the instance (Ctrl-C again to stop at once)')
      expect(lockRows(bed)).toEqual([])
      bed.emulator.setLatency(0)
      await bed.emulator.importsIdle()
      const again = await bed.inProcess('deploy', 're-run')
      expect(again.code, again.stderr).toBe(EXIT_CODES.ok)
      expect(deployedState(MatrixInstance.on(bed.emulator, bed.dir, bed.adminPassword))).toEqual([])
    } finally {
      await bed.close()
    }
  })
})
