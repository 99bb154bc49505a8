// 6. `fleet deploy` over many emulated instances with latency per request: concurrency 1 against concurrency 16
//    (wall time), and the fleet's peak memory at 16 against one deploy. The CLI runs as its own Node process (the
//    built bundle), so its maxRSS is its own and the emulators, in this process, do not count in it.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Emulator } from '@kandji-sn/instance-emulator'
import { loadKandjiApp } from '@kandji-sn/instance-emulator'
import { BenchError } from '../lib/errors.ts'
import { interleave, timed, type Sample } from '../lib/interleave.ts'
import { ADMIN, repoRoot, start, workDir } from '../lib/instance.ts'
import { progress } from '../lib/log.ts'
import type { BenchmarkResult } from '../lib/result.ts'
import { countEntry, timeEntry } from './entries.ts'

const execFileP = promisify(execFile)
const bundle = join(repoRoot, 'apps', 'deploy-integration', 'dist', 'deploy-integration.mjs')

export interface FleetBenchOptions {
  instances: number
  latencyMs: number
  concurrency: number
}

let runs = 0

/** The built CLI in a child process with `args`; returns its peak RSS (bytes) from process.resourceUsage(). */
async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ maxRssBytes: number; cpuMs: number; stderr: string }> {
  const id = ++runs
  const rssFile = join(workDir, `rss-${id}.txt`)
  const probe = join(workDir, `rss-probe-${id}.mjs`)
  // The bundle reads process.argv when imported (src/main.ts); the exit hook records the peak RSS (kB on Linux).
  writeFileSync(probe, `import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(rssFile)}, JSON.stringify({ maxRss: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime })) })\nprocess.argv = [process.argv[0], ${JSON.stringify(bundle)}, ...process.argv.slice(2)]\nawait import(${JSON.stringify(bundle)})\n`)
  try {
    const { stderr } = await execFileP(process.execPath, [probe, ...args], { cwd: workDir, env: { PATH: process.env.PATH, HOME: workDir, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 })
    const usage = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRss: number; cpuUs: number }
    return { maxRssBytes: usage.maxRss * 1024, cpuMs: usage.cpuUs / 1000, stderr }
  } catch (error) {
    const e = error as { code?: number; stderr?: string }
    const tail = (e.stderr ?? '').trim().split('\n').slice(-3).join(' / ')
    throw new BenchError(`deploy-integration ${args.slice(0, 2).join(' ')} exited ${e.code}: ${tail}`, 'the CLI, the emulator or the built app is broken or out of step (the bench measures only successful runs)', 'run `npx vitest run test/fleet-scale.test.ts` to find the failing part, then run the bench again')
  }
}

async function fleetRun(options: FleetBenchOptions, concurrency: number): Promise<Sample> {
  const emulators: Emulator[] = await Promise.all(Array.from({ length: options.instances }, () => start({ latencyMs: options.latencyMs })))
  try {
    const file = join(workDir, `fleet-${++runs}.json`)
    writeFileSync(file, JSON.stringify({ defaults: { appPackage: (await loadKandjiApp()).zip }, instances: emulators.map((e) => ({ instance: e.url })) }))
    const emulatorCpu = process.cpuUsage()
    const { ms, value } = await timed(() => cli(['fleet', 'deploy', '--yes', '--config', file, '--concurrency', String(concurrency), '--no-color'], { SN_ADMIN_USER: ADMIN.user, SN_ADMIN_PASSWORD: ADMIN.password }))
    const requests = emulators.reduce((n, e) => n + e.counters.requests, 0)
    const emulatorCpuMs = ((u) => (u.user + u.system) / 1000)(process.cpuUsage(emulatorCpu))
    // CPU time beside wall time: with 2 cores, a fleet whose CLI and emulators together need more CPU than the
    // wall time leaves is bound by the machine, not by the latency the concurrency hides.
    return { ms, counts: { requests, maxRssBytes: value.maxRssBytes, cliCpuMs: Math.round(value.cpuMs), emulatorCpuMs: Math.round(emulatorCpuMs) } }
  } finally {
    await Promise.all(emulators.map((e) => e.close()))
  }
}

async function singleDeploy(options: FleetBenchOptions): Promise<number> {
  const emulator = await start({ latencyMs: options.latencyMs })
  try {
    const { maxRssBytes } = await cli(['deploy', '--yes', '--no-color', '--app-package', (await loadKandjiApp()).zip, '--credentials-out', join(workDir, `single-${++runs}.json`)], { SN_INSTANCE: emulator.url, SN_ADMIN_USER: ADMIN.user, SN_ADMIN_PASSWORD: ADMIN.password })
    return maxRssBytes
  } finally {
    await emulator.close()
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

export async function fleetBenchmarks(options: FleetBenchOptions): Promise<BenchmarkResult[]> {
  if (!existsSync(bundle)) throw new BenchError('the CLI bundle is missing (apps/deploy-integration/dist/deploy-integration.mjs)', 'the CLI has not been built', 'run `npm run bench` from the repository root (it builds first)')
  const comparison = await interleave({
    rounds: 1,
    warmup: 0,
    baseline: () => fleetRun(options, 1),
    ours: () => fleetRun(options, options.concurrency),
    onRound: (_, b, o) => progress(`  fleet deploy of ${options.instances}: concurrency 1 ${Math.round(b.ms / 1000)} s, concurrency ${options.concurrency} ${Math.round(o.ms / 1000)} s`),
  })
  const single = await singleDeploy(options)
  const fleetRss = comparison.ours.counts.maxRssBytes!
  const mib = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10
  progress(`  peak RSS: one deploy ${mib(single)} MiB, fleet at ${options.concurrency} ${mib(fleetRss)} MiB`)
  return [
    timeEntry({
      name: 'fleet.speedup',
      title: `fleet deploy of ${options.instances} instances, ${options.latencyMs} ms latency per request: wall time, concurrency ${options.concurrency} vs 1 (target ≥ 12× faster)`,
      comparison,
      labels: ['concurrency 1', `concurrency ${options.concurrency}`],
      target: { op: '<=', value: 0.083 }, // at least 12x faster
      notes: [
        `requests: ${comparison.baseline.counts.requests} at concurrency 1, ${comparison.ours.counts.requests} at ${options.concurrency}`,
        `CPU at concurrency ${options.concurrency}: CLI ${seconds(comparison.ours.counts.cliCpuMs!)}, emulators ${seconds(comparison.ours.counts.emulatorCpuMs!)} (one thread each), wall ${seconds(comparison.ours.time.median)}`,
        'one round per arm (each arm is minutes long); the CLI is a child process, the emulators share this one',
      ],
    }),
    countEntry({
      name: 'fleet.memory',
      title: `peak RSS of the CLI: fleet deploy at concurrency ${options.concurrency} vs one deploy (target ≤ 3×)`,
      unit: 'MiB',
      baseline: { label: 'one deploy', value: mib(single) },
      ours: { label: `fleet, concurrency ${options.concurrency}`, value: mib(fleetRss) },
      rounds: 1,
      target: { op: '<=', value: 3 },
    }),
  ]
}
