// 5. How long `deploy-integration --help` takes to start: the esbuild bundle (what bin/deploy-integration.mjs runs
//    once built) against the TypeScript source through tsx (what it falls back to before a build), and the same
//    bundle against `node -e 0`, the floor of starting Node at all (issue 18). Each run is a new Node process, as
//    when a person types the command.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BenchError } from '../lib/errors.ts'
import { interleave, timed, type Sample } from '../lib/interleave.ts'
import { repoRoot } from '../lib/instance.ts'
import { progress } from '../lib/log.ts'
import type { BenchmarkResult } from '../lib/result.ts'
import { timeEntry } from './entries.ts'

const run = promisify(execFile)
const cliDir = join(repoRoot, 'apps', 'deploy-integration')
const bundle = join(cliDir, 'dist', 'deploy-integration.mjs')
const source = join(cliDir, 'src', 'main.ts')

async function startOnce(args: string[]): Promise<Sample> {
  const { ms, value } = await timed(() => run(process.execPath, [...args, '--help'], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } }))
  if (!value.stdout.includes('usage: deploy-integration')) {
    throw new BenchError(`\`deploy-integration --help\` printed no usage (${args.join(' ')})`, 'the CLI entry changed or failed to load', 'run `node apps/deploy-integration/bin/deploy-integration.mjs --help` and fix what it prints')
  }
  return { ms, counts: { outputBytes: value.stdout.length } }
}

/** A Node process that does nothing: what any CLI on Node pays before its first line of code. */
async function nodeFloorOnce(): Promise<Sample> {
  const { ms } = await timed(() => run(process.execPath, ['-e', '0'], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } }))
  return { ms, counts: {} }
}

export async function cliStartupBenchmarks(options: { rounds: number }): Promise<BenchmarkResult[]> {
  if (!existsSync(bundle)) {
    throw new BenchError('the CLI bundle is missing (apps/deploy-integration/dist/deploy-integration.mjs)', 'the CLI has not been built', 'run `npm run bench` from the repository root (it builds first), or `npm run build -w apps/deploy-integration`')
  }
  // The first tsx run fills tsx's transform cache; the warm-up keeps that one-off cost out of the baseline.
  const comparison = await interleave({
    rounds: options.rounds,
    warmup: 1,
    baseline: () => startOnce(['--import', 'tsx', source]),
    ours: () => startOnce([bundle]),
  })
  const floor = await interleave({
    rounds: options.rounds,
    warmup: 1,
    baseline: nodeFloorOnce,
    ours: () => startOnce([bundle]),
  })
  progress(`  cli start-up: tsx ${Math.round(comparison.baseline.time.median)} ms, bundle ${Math.round(comparison.ours.time.median)} ms, node -e 0 ${Math.round(floor.baseline.time.median)} ms`)
  return [
    timeEntry({
      name: 'cli.startup',
      title: '`deploy-integration --help`: process start to exit',
      comparison,
      labels: ['TypeScript source through tsx', 'esbuild bundle'],
      target: { op: '<', value: 1 },
    }),
    timeEntry({
      name: 'cli.startup.floor',
      title: '`deploy-integration --help` against `node -e 0` (the floor of starting Node)',
      comparison: floor,
      labels: ['`node -e 0`', 'esbuild bundle, `--help`'],
      target: { op: '<=', value: 1.5 },
    }),
  ]
}
