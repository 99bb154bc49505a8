// 3. Importing 1 000 devices as Iru Endpoint would: the simulator's default (insertMultiple batches of 200, keyed by
//    column name, transformed after the answer; then the app's import status per set until each run is done)
//    against one synchronous Import Set request per device (what a naive pusher does). Both arms push the same
//    seeded fleet into a freshly deployed instance.
import { generateDevices, pushInventory, readHandoff, type KandjiDevice, type PushReport } from '@kandji-sn/iru-simulator'
import { DISCOVERY_SOURCE, PLATFORM_TABLES, TABLES } from '@kandji-sn/contract/constants'
import type { Emulator } from '@kandji-sn/instance-emulator'
import { BenchError } from '../lib/errors.ts'
import { interleave, timed, type Sample } from '../lib/interleave.ts'
import { dbOps, deploy, start, writeCount } from '../lib/instance.ts'
import { progress } from '../lib/log.ts'
import { checkTarget, type BenchmarkResult } from '../lib/result.ts'
import { ratio, round, summarize } from '../lib/stats.ts'
import { countEntry, timeEntry } from './entries.ts'

export interface DeviceImportOptions {
  rounds: number
  devices: number
  latencyMs: number
  /** Parallel single-row requests of the baseline (1 = strictly one by one). */
  baselineConcurrency: number
  /** Unmeasured rounds first; 0 is fine after the deploy benchmark has loaded and warmed the same code. */
  warmup: number
}

const SEED = 'kandji-bench'

async function importOnce(devices: readonly KandjiDevice[], mode: 'bulk' | 'single', options: DeviceImportOptions): Promise<Sample> {
  const emulator = await start()
  try {
    const { handoffPath } = await deploy(emulator)
    const handoff = await readHandoff(handoffPath)
    emulator.setLatency(options.latencyMs)
    emulator.resetCounters()
    const { ms, value: report } = await timed(() =>
      pushInventory({ handoff, devices, mode, ...(mode === 'single' ? { concurrency: options.baselineConcurrency } : {}), poll: { timeoutMs: 10_000 } }),
    )
    const ops = dbOps(emulator)
    const requests = emulator.counters.requests
    const landed = assertLanded(emulator, report, devices.length, mode)
    return { ms, counts: { requests, dbOps: ops, writes: writeCount(emulator), dbOpsPerDevice: round(ops / devices.length, 2), ...landed } }
  } finally {
    await emulator.close()
  }
}

/**
 * A figure is only worth reporting when both arms did the same work: every row transformed. Read from the instance
 * itself (the bench's view, no ACLs), not from the simulator's report, so a report that claims too much cannot pass.
 */
function assertLanded(emulator: Emulator, report: PushReport, expected: number, mode: string): { transformed: number; cis: number } {
  const states: Record<string, number> = {}
  for (const row of emulator.db.query(TABLES.deviceImport)) states[String(row.sys_import_state)] = (states[String(row.sys_import_state)] ?? 0) + 1
  const transformed = (states.inserted ?? 0) + (states.updated ?? 0)
  if (transformed !== expected) {
    throw new BenchError(
      `the ${mode} import transformed ${transformed} of ${expected} devices (staging states ${JSON.stringify(states)})`,
      report.errors[0]?.message ?? report.resultsNote ?? 'the transform or the Import Set API refused rows',
      'run `npx vitest run --project instance-emulator` and `--project iru-simulator` to find the failing part',
    )
  }
  return { transformed, cis: emulator.db.query(PLATFORM_TABLES.computer, `discovery_source=${DISCOVERY_SOURCE.value}`).length }
}

/** Issue 18: devices per second through the Import Set API with the app's transform, at 0 ms added latency. */
const THROUGHPUT_TARGET = 2000
/** Issue 16: the transformed push at least half as fast as loading the same rows without a transform. */
const THROUGHPUT_RATIO_TARGET = 0.5

/**
 * One insertMultiple push of the fleet (the simulator's default batches), timed from the first request until the
 * emulator's background transforms are idle: with `transform` false the emulator loads the staging rows and runs
 * nothing (Emulator.setTransforms, a bench control). No polling and no pause between background runs, so the
 * figure is the emulator's own work.
 */
async function pushOnce(devices: readonly KandjiDevice[], transform: boolean): Promise<Sample & { cpuMs: number }> {
  const emulator = await start({ importTransformDelayMs: 0 })
  try {
    const { handoffPath } = await deploy(emulator)
    const handoff = await readHandoff(handoffPath)
    emulator.setLatency(0)
    emulator.setTransforms(transform)
    emulator.resetCounters()
    const cpu = process.cpuUsage()
    const { ms, value: report } = await timed(async () => {
      const pushed = await pushInventory({ handoff, devices, mode: 'bulk', poll: { timeoutMs: 0 } })
      await emulator.importsIdle()
      return pushed
    })
    const used = process.cpuUsage(cpu)
    const counts = { requests: emulator.counters.requests, dbOps: dbOps(emulator) }
    if (transform) assertLanded(emulator, report, devices.length, 'bulk (throughput)')
    else {
      const pending = emulator.db.count(TABLES.deviceImport, 'sys_import_state=pending')
      if (pending !== devices.length) {
        throw new BenchError(
          `the push without a transform left ${pending} of ${devices.length} staging rows pending`,
          report.errors[0]?.message ?? 'the Import Set API refused rows, or something transformed them',
          'run `npx vitest run --project instance-emulator` to find the failing part',
        )
      }
    }
    return { ms, counts, cpuMs: (used.user + used.system) / 1000 }
  } finally {
    await emulator.close()
  }
}

export async function importThroughputBenchmarks(options: Pick<DeviceImportOptions, 'rounds' | 'devices' | 'warmup'>): Promise<BenchmarkResult[]> {
  const devices = generateDevices({ count: options.devices, seed: SEED })
  const cpu = { baseline: [] as number[], ours: [] as number[] }
  const comparison = await interleave({
    rounds: options.rounds,
    warmup: options.warmup,
    baseline: async () => {
      const s = await pushOnce(devices, false)
      cpu.baseline.push(s.cpuMs)
      return s
    },
    ours: async () => {
      const s = await pushOnce(devices, true)
      cpu.ours.push(s.cpuMs)
      return s
    },
    onRound: (i, b, o) => progress(`  throughput round ${i + 1}/${options.rounds}: staging rows only ${Math.round(b.ms)} ms, with the app's transform ${Math.round(o.ms)} ms`),
  })
  const n = options.devices
  const perSecond = (ms: number) => round(n / (ms / 1000), 0)
  const side = (label: string, arm: typeof comparison.baseline, cpuMs: number[]) => {
    const rates = arm.time.samples.map(perSecond)
    return { label, value: perSecond(arm.time.median), min: Math.min(...rates), max: Math.max(...rates), samples: rates, counts: { ...arm.counts, wallMs: arm.time.median, cpuMs: round(summarize(cpuMs).median, 0) } }
  }
  const baseline = side('insertMultiple, transform switched off (bench control)', comparison.baseline, cpu.baseline.slice(-options.rounds))
  const ours = side("insertMultiple, the app's transform", comparison.ours, cpu.ours.slice(-options.rounds))
  const r = ratio(ours.value, baseline.value) ?? null
  const notes = [
    `median of ${options.rounds} round${options.rounds === 1 ? '' : 's'}, devices/s [${ours.min}–${ours.max}] with the transform, [${baseline.min}–${baseline.max}] without`,
    `process CPU per push: ${ours.counts.cpuMs} ms with the transform, ${baseline.counts.cpuMs} ms without (the push client runs in the same process)`,
  ]
  const entry = (name: string, title: string, target: Parameters<typeof checkTarget>[0]): BenchmarkResult => ({
    name,
    title,
    unit: 'devices/s',
    kind: 'count',
    rounds: options.rounds,
    baseline,
    ours,
    ratio: r,
    ...checkTarget(target, r, ours.value),
    notes,
  })
  return [
    entry('import.throughput', `import ${n} devices, no added latency: devices per second until every transform has run (issue 18)`, { op: '>=', value: THROUGHPUT_TARGET, on: 'ours' }),
    entry('import.throughputRatio', `import ${n} devices: with the transform against loading the rows only (issue 16)`, { op: '>=', value: THROUGHPUT_RATIO_TARGET }),
  ]
}

export async function deviceImportBenchmarks(options: DeviceImportOptions): Promise<BenchmarkResult[]> {
  const devices = generateDevices({ count: options.devices, seed: SEED })
  const comparison = await interleave({
    rounds: options.rounds,
    warmup: options.warmup,
    baseline: () => importOnce(devices, 'single', options),
    ours: () => importOnce(devices, 'bulk', options),
    onRound: (i, b, o) => progress(`  import round ${i + 1}/${options.rounds}: one request per device ${Math.round(b.ms)} ms, insertMultiple ${Math.round(o.ms)} ms`),
  })
  const { baseline, ours } = comparison
  const n = options.devices
  const single = `one request per device${options.baselineConcurrency > 1 ? ` (${options.baselineConcurrency} at a time)` : ''}`
  const bulk = 'insertMultiple, 200 per batch'
  const lat = options.latencyMs > 0 ? `, ${options.latencyMs} ms latency` : ', no added latency'
  const unstable = (key: string) => [...baseline.unstableCounts, ...ours.unstableCounts].filter((k) => k === key)
  return [
    timeEntry({ name: 'import.wall', title: `import ${n} devices${lat}: wall time`, comparison, labels: [single, bulk], target: { op: '<', value: 1 } }),
    countEntry({
      name: 'import.requests',
      title: `import ${n} devices: HTTP requests (token, pushes, outcome read-back)`,
      unit: 'requests',
      baseline: { label: single, value: baseline.counts.requests!, counts: baseline.counts },
      ours: { label: bulk, value: ours.counts.requests!, counts: ours.counts },
      rounds: comparison.rounds,
      unstable: unstable('requests'),
    }),
    countEntry({
      name: 'import.dbOpsPerDevice',
      title: `import ${n} devices: emulator DB operations per device`,
      unit: 'db ops/device',
      baseline: { label: single, value: baseline.counts.dbOpsPerDevice!, counts: baseline.counts },
      ours: { label: bulk, value: ours.counts.dbOpsPerDevice!, counts: ours.counts },
      rounds: comparison.rounds,
      unstable: unstable('dbOps'),
    }),
  ]
}
