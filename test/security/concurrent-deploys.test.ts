// Issue 19, concurrent runs: 2 and 4 `deploy` runs (and rotate racing a deploy) started together against one
// instance with latency, so their requests interleave; in process (the CLI's `run` with its own io) and as separate
// processes (the built bundle). After all runs end the instance holds exactly one of everything, the hand-off file is
// one run's values (the last writer's) and works, and every exit code tells the truth; a re-run converges.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { APP, DEPLOY_LOCK, ENV, EXIT_CODES, handoffSchema, PLATFORM_TABLES, type Handoff } from '@kandji-sn/contract'
import { defaultDeps, run } from '@kandji-sn/deploy-integration'
import { generateDevices, pushInventory } from '@kandji-sn/iru-simulator'
import { loadKandjiApp, startEmulator, type Emulator, type EmulatorOptions } from '@kandji-sn/instance-emulator'
import { deployedState, MatrixInstance } from '../support/failure-matrix.ts'
import { connectInstance } from '../support/instance.ts'

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

  static async start(latency: Case['latency']): Promise<Bed> {
    const adminPassword = `Adm-${Math.random().toString(36).slice(2)}`
    // Jitter applies from the start; the base latency once the instance is set up (setLatency).
    const emulator = await startEmulator({ release: 'zurich', adminPassword, importTransformDelayMs: 5, updateMutexHoldMs: 50, ...(latency.latencyJitterMs ? { latencyJitterMs: latency.latencyJitterMs } : {}) })
    return new Bed(emulator, mkdtempSync(join(tmpdir(), 'kandji-concurrent-')), adminPassword, (await loadKandjiApp()).zip)
  }

  argv(command: Command): string[] {
    const common = ['--yes', '--credentials-out', this.handoffPath, '--json', '--show-secrets']
    return command === 'deploy' ? ['deploy', '--app-package', this.zip, ...common] : ['rotate', ...common]
  }

  async inProcess(command: Command, label: string): Promise<RunResult> {
    const out = sink()
    const err = sink()
    const stdin = Object.assign(new PassThrough(), { isTTY: false })
    const env = { [ENV.instance]: this.emulator.url, [ENV.adminUser]: 'admin', [ENV.adminPassword]: this.adminPassword, NO_COLOR: '1' }
    const code = await run(this.argv(command), { stdout: out.stream, stderr: err.stream, stdin, env, cwd: this.dir }, { deps: await defaultDeps() })
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
      const bed = await Bed.start(c.latency)
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
