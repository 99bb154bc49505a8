// `npm run bench`: performance as ratios against a baseline measured side by side in the same run. Writes
// bench/results.json and prints a table. What each figure means and why each baseline is fair: docs/benchmarks.md.
import { writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { cliStartupBenchmarks } from './benchmarks/cli-startup.ts'
import { deployBenchmarks } from './benchmarks/deploy.ts'
import { deviceImportBenchmarks, importThroughputBenchmarks } from './benchmarks/device-import.ts'
import { deviceCostBenchmarks } from './benchmarks/device-cost.ts'
import { fleetBenchmarks } from './benchmarks/fleet.ts'
import { verifyBenchmarks } from './benchmarks/verify.ts'
import { BenchError } from './lib/errors.ts'
import { cleanup, repoRoot } from './lib/instance.ts'
import { progress } from './lib/log.ts'
import type { BenchmarkResult, Results } from './lib/result.ts'
import { renderLegend, renderTable } from './lib/table.ts'

const USAGE = `usage: npm run bench [-- [--quick] [--only LIST] [--json]]

  --quick        fewer rounds (a smoke run of every benchmark, about a third of the time)
  --only LIST    run only these benchmarks: deploy (1 and 2), import (3), verify (4), cli (5), fleet (6)
  --json         print results.json to stdout instead of the table
Writes bench/results.json. See docs/benchmarks.md.`

const GROUPS = ['deploy', 'import', 'verify', 'cli', 'fleet'] as const
type Group = (typeof GROUPS)[number]

interface Plan {
  quick: boolean
  groups: Group[]
  json: boolean
}

function parsePlan(argv: string[]): Plan | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean' }, only: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  })
  if (values.help) return 'help'
  const groups = values.only === undefined ? [...GROUPS] : values.only.split(',').map((g) => g.trim()).filter(Boolean)
  const unknown = groups.filter((g) => !(GROUPS as readonly string[]).includes(g))
  if (unknown.length > 0 || groups.length === 0) {
    throw new BenchError(`unknown benchmark "${unknown[0] ?? values.only}" in --only`, `the benchmarks are ${GROUPS.join(', ')}`, `pass e.g. --only ${GROUPS[0]},${GROUPS[2]}`)
  }
  return { quick: values.quick === true, groups: groups as Group[], json: values.json === true }
}

/** Rounds per benchmark. Full: about 2-3 minutes on 2 cores, most of it the 1 000-device imports. */
function settings(quick: boolean) {
  return {
    deploy: { rounds: quick ? 1 : 5, latencyMs: 20, slowLatencyMs: 150, slowRounds: quick ? 1 : 2 },
    import: { rounds: quick ? 1 : 3, warmup: 0, devices: 1000, latencyMs: 0, baselineConcurrency: 1 },
    verify: { rounds: quick ? 5 : 20, sizes: [10, 1000, 10_000] },
    cli: { rounds: quick ? 3 : 8 },
    // 100 instances at concurrency 1 are about 100 sequential deploys: minutes, once per run.
    fleet: { instances: quick ? 32 : 100, latencyMs: 50, concurrency: 16 },
  }
}

async function runGroup(group: Group, s: ReturnType<typeof settings>): Promise<BenchmarkResult[]> {
  switch (group) {
    case 'deploy':
      return deployBenchmarks(s.deploy)
    case 'import':
      return [...(await deviceImportBenchmarks(s.import)), ...(await importThroughputBenchmarks(s.import)), ...(await deviceCostBenchmarks({ devices: s.import.devices }))]
    case 'verify':
      return verifyBenchmarks(s.verify)
    case 'cli':
      return cliStartupBenchmarks(s.cli)
    case 'fleet':
      return fleetBenchmarks(s.fleet)
  }
}

function describe(error: unknown): string {
  if (error instanceof BenchError) return error.format()
  const message = error instanceof Error ? error.message : String(error)
  if (/^error: .*\ncause: .*\nfix: /.test(message)) return message // already error/cause/fix (e.g. the app is not built)
  return `error: ${message.split('\n')[0]}\ncause: an unexpected failure inside the benchmark (set BENCH_DEBUG=1 for the stack)\nfix:   run the failing workspace's tests, then the bench again`
}

async function main(): Promise<number> {
  let plan: Plan | 'help'
  try {
    plan = parsePlan(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${error instanceof BenchError ? error.format() : `error: ${(error as Error).message}\ncause: an unknown flag or a flag without its value\nfix:   see \`npm run bench -- --help\``}\n`)
    return 2
  }
  if (plan === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const s = settings(plan.quick)
  const started = performance.now()
  const benchmarks: BenchmarkResult[] = []
  const skipped: Results['skipped'] = []
  for (const group of plan.groups) {
    progress(`${group}…`)
    try {
      benchmarks.push(...(await runGroup(group, s)))
    } catch (error) {
      if (process.env.BENCH_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`)
      process.stderr.write(`${describe(error)}\n`)
      skipped.push({ name: group, reason: error instanceof Error ? error.message : String(error) })
    }
  }
  const results: Results = {
    machine: { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', platform: `${process.platform}-${process.arch}`, loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) },
    date: new Date().toISOString(),
    mode: plan.quick ? 'quick' : 'full',
    durationMs: Math.round(performance.now() - started),
    benchmarks,
    skipped,
  }
  const file = join(repoRoot, 'bench', 'results.json')
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  if (plan.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
  } else {
    const { machine } = results
    process.stdout.write(`\n${renderTable(benchmarks)}\n\n${renderLegend(benchmarks)}\n\n`)
    process.stdout.write(`node ${machine.node}, ${machine.cpus} cpus (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}; ${results.mode} run in ${Math.round(results.durationMs / 1000)} s; written to bench/results.json\n`)
  }
  const load = results.machine.loadAverage[0] ?? 0
  if (load > results.machine.cpus) {
    progress(`note: the machine was busy (load ${load} on ${results.machine.cpus} cpus): absolute times are inflated and spread wider; the ratios, measured side by side, hold better`)
  }
  const missed = benchmarks.filter((b) => b.met === false).map((b) => b.name)
  if (missed.length > 0) progress(`targets missed: ${missed.join(', ')}`)
  // A missed target is a finding, not a crash: the exit code says only whether every benchmark ran.
  return skipped.length > 0 ? 1 : 0
}

try {
  process.exitCode = await main()
} finally {
  cleanup()
}
