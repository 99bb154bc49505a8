// 1. A first deploy on a fresh instance over a slow link: our deploy (independent steps in parallel) against the same
//    deploy with every request made to wait for the previous answer (steps strictly one after another).
// 2. A re-deploy on the instance our deploy just configured, against that first deploy: requests, rounds and writes.
// 3. Both against their critical path (critical-path.ts): the dependent round trips the code cannot overlap.
import { criticalPath } from '../lib/critical-path.ts'
import { BenchError } from '../lib/errors.ts'
import { arm, interleave, timed, type Sample } from '../lib/interleave.ts'
import { deploy, dbOps, start, writeCount } from '../lib/instance.ts'
import { progress } from '../lib/log.ts'
import { checkTarget, type BenchmarkResult } from '../lib/result.ts'
import { ratio } from '../lib/stats.ts'
import { countEntry, timeEntry } from './entries.ts'

export interface DeployBenchOptions {
  rounds: number
  latencyMs: number
  /** A second, slower link (an ocean between CLI and instance) for the critical-path ratio; its rounds. */
  slowLatencyMs: number
  slowRounds: number
}

/** Our deploy's wall time over its critical path × latency: 1.0 would be the limit of the code as written. */
const CRITICAL_PATH_TARGET = { op: '<=', value: 1.3 } as const
/** A re-deploy on a configured instance (issue 18): checked in few dependent rounds and few requests. */
const REDEPLOY_ROUNDS_TARGET = { op: '<=', value: 3, on: 'ours' } as const
const REDEPLOY_REQUESTS_TARGET = { op: '<=', value: 12, on: 'ours' } as const

async function firstDeploy(latencyMs: number, serial: boolean, after?: (sample: Sample, handoffPath: string, emulator: Awaited<ReturnType<typeof start>>) => Promise<void>): Promise<Sample> {
  const emulator = await start({ latencyMs })
  try {
    const { ms, value } = await timed(() => deploy(emulator, { serial }))
    const sample: Sample = {
      ms,
      counts: { requests: emulator.counters.requests, writes: writeCount(emulator), dbOps: dbOps(emulator), maxInFlight: value.maxInFlight, criticalPath: criticalPath(value.spans).length },
    }
    if (after) await after(sample, value.handoffPath, emulator)
    return sample
  } finally {
    await emulator.close()
  }
}

export async function deployBenchmarks(options: DeployBenchOptions): Promise<BenchmarkResult[]> {
  const redeploys: Sample[] = []
  const warmup = 1
  const comparison = await interleave({
    rounds: options.rounds,
    warmup,
    baseline: () => firstDeploy(options.latencyMs, true),
    ours: (round) =>
      firstDeploy(options.latencyMs, false, async (_first, handoffPath, emulator) => {
        emulator.resetCounters()
        const { ms, value } = await timed(() => deploy(emulator, { handoffPath }))
        if (round >= warmup) redeploys.push({ ms, counts: { requests: emulator.counters.requests, writes: writeCount(emulator), dbOps: dbOps(emulator), rounds: criticalPath(value.spans).length } })
      }),
    onRound: (i, b, o) => progress(`  deploy round ${i + 1}/${options.rounds}: one after another ${Math.round(b.ms)} ms, parallel ${Math.round(o.ms)} ms`),
  })
  // Our deploy alone over the slow link (no baseline to interleave: its yardstick is its own critical path).
  const slow: Sample[] = []
  for (let i = 0; i < options.slowRounds; i++) {
    const sample = await firstDeploy(options.slowLatencyMs, false)
    slow.push(sample)
    progress(`  deploy at ${options.slowLatencyMs} ms round ${i + 1}/${options.slowRounds}: ${Math.round(sample.ms)} ms, critical path ${sample.counts.criticalPath} requests`)
  }
  const slowArm = arm(slow)
  const { baseline, ours } = comparison
  if (baseline.counts.maxInFlight !== 1) {
    throw new BenchError(
      `the sequential baseline had ${baseline.counts.maxInFlight} requests in flight at once`,
      'a request bypassed the queue in bench/lib/instance.ts (bufferedFetch), e.g. the CLI created a client without deps.createClient',
      'route the new client through Deps.createClient, or queue it in the bench',
    )
  }
  const redeploy = arm(redeploys)
  const vsCriticalPath = (latencyMs: number, a: typeof ours): BenchmarkResult => {
    const path = a.counts.criticalPath!
    const limit = path * latencyMs
    const r = ratio(a.time.median, limit) ?? null
    return {
      name: `deploy.fresh.vsCriticalPath.${latencyMs}ms`,
      title: `first deploy, ${latencyMs} ms latency per request: wall time against its critical path (${path} dependent requests) × latency`,
      unit: 'ms',
      kind: 'time',
      rounds: a.time.samples.length,
      baseline: { label: `critical path × latency (${path} × ${latencyMs} ms)`, value: limit, counts: { criticalPath: path } },
      ours: { label: 'our deploy', value: a.time.median, min: a.time.min, max: a.time.max, spread: a.time.spread, samples: a.time.samples, counts: a.counts },
      ratio: r,
      ...checkTarget(CRITICAL_PATH_TARGET, r, a.time.median),
      ...(a.unstableCounts.includes('criticalPath') ? { notes: ['the critical path differed between rounds: first round shown'] } : {}),
    }
  }
  const lat = `${options.latencyMs} ms latency per request`
  const sequential = 'every request waits for the previous answer'
  const parallel = 'our deploy (independent steps in parallel)'
  const results: BenchmarkResult[] = [
    timeEntry({
      name: 'deploy.fresh.wall',
      title: `first deploy on a fresh instance, ${lat}: wall time`,
      comparison,
      labels: [sequential, parallel],
      target: { op: '<', value: 1 },
      notes: [`requests in flight at once: baseline at most ${baseline.counts.maxInFlight}, ours at most ${ours.counts.maxInFlight}`],
    }),
    countEntry({
      name: 'deploy.fresh.requests',
      title: 'first deploy: HTTP requests (parallelism must not add any)',
      unit: 'requests',
      baseline: { label: sequential, value: baseline.counts.requests!, counts: baseline.counts },
      ours: { label: parallel, value: ours.counts.requests!, counts: ours.counts },
      target: { op: '==', value: 1 },
      rounds: comparison.rounds,
      unstable: [...baseline.unstableCounts, ...ours.unstableCounts].filter((k) => k === 'requests'),
    }),
    countEntry({
      name: 'deploy.fresh.criticalPath',
      title: `first deploy, ${lat}: critical path (longest chain of requests each sent after the previous one's answer) vs requests sent`,
      unit: 'round trips',
      baseline: { label: 'requests sent (all on the path when one after another)', value: ours.counts.requests!, counts: ours.counts },
      ours: { label: 'our critical path', value: ours.counts.criticalPath!, counts: ours.counts },
      rounds: comparison.rounds,
      unstable: ours.unstableCounts.filter((k) => k === 'criticalPath'),
      notes: [`at ${options.slowLatencyMs} ms: ${slowArm.counts.criticalPath} round trips`],
    }),
    vsCriticalPath(options.latencyMs, ours),
    vsCriticalPath(options.slowLatencyMs, slowArm),
    countEntry({
      name: 'redeploy.writes',
      title: 're-deploy on a configured instance vs first deploy: DB writes (insert+update+delete)',
      unit: 'db writes',
      baseline: { label: 'first deploy', value: ours.counts.writes!, counts: ours.counts },
      ours: { label: 're-deploy', value: redeploy.counts.writes!, counts: redeploy.counts },
      target: { op: '==', value: 0, on: 'ours' },
      rounds: comparison.rounds,
      unstable: redeploy.unstableCounts.filter((k) => k === 'writes'),
    }),
    countEntry({
      name: 'redeploy.requests',
      title: 're-deploy vs first deploy: HTTP requests',
      unit: 'requests',
      baseline: { label: 'first deploy', value: ours.counts.requests!, counts: ours.counts },
      ours: { label: 're-deploy', value: redeploy.counts.requests!, counts: redeploy.counts },
      target: REDEPLOY_REQUESTS_TARGET,
      rounds: comparison.rounds,
      unstable: redeploy.unstableCounts.filter((k) => k === 'requests'),
    }),
    countEntry({
      name: 'redeploy.rounds',
      title: 're-deploy vs first deploy: dependent rounds (critical path in requests)',
      unit: 'rounds',
      baseline: { label: 'first deploy', value: ours.counts.criticalPath!, counts: ours.counts },
      ours: { label: 're-deploy', value: redeploy.counts.rounds!, counts: redeploy.counts },
      target: REDEPLOY_ROUNDS_TARGET,
      rounds: comparison.rounds,
      unstable: redeploy.unstableCounts.filter((k) => k === 'rounds'),
    }),
    {
      name: 'redeploy.wall',
      title: `re-deploy vs first deploy, ${lat}: wall time`,
      unit: 'ms',
      kind: 'time',
      rounds: comparison.rounds,
      baseline: { label: 'first deploy (parallel)', value: ours.time.median, min: ours.time.min, max: ours.time.max, spread: ours.time.spread, samples: ours.time.samples },
      ours: { label: 're-deploy', value: redeploy.time.median, min: redeploy.time.min, max: redeploy.time.max, spread: redeploy.time.spread, samples: redeploy.time.samples },
      ratio: ratio(redeploy.time.median, ours.time.median) ?? null,
    },
  ]
  return results
}
