// Builders for results.json entries, so every benchmark reports timings and counts the same way.
import type { Comparison } from '../lib/interleave.ts'
import { checkTarget, type BenchmarkResult, type Side, type Target } from '../lib/result.ts'
import { ratio } from '../lib/stats.ts'

export function timeEntry(input: { name: string; title: string; comparison: Comparison; labels: [baseline: string, ours: string]; target?: Target; notes?: string[] }): BenchmarkResult {
  const { baseline, ours, rounds } = input.comparison
  const side = (label: string, a: Comparison['baseline']): Side => ({ label, value: a.time.median, min: a.time.min, max: a.time.max, spread: a.time.spread, samples: a.time.samples, counts: a.counts })
  const r = ratio(ours.time.median, baseline.time.median) ?? null
  return {
    name: input.name,
    title: input.title,
    unit: 'ms',
    kind: 'time',
    rounds,
    baseline: side(input.labels[0], baseline),
    ours: side(input.labels[1], ours),
    ratio: r,
    ...checkTarget(input.target, r, ours.time.median),
    ...(input.notes ? { notes: input.notes } : {}),
  }
}

export function countEntry(input: { name: string; title: string; unit: string; baseline: Side; ours: Side; rounds: number; target?: Target; unstable?: string[]; notes?: string[] }): BenchmarkResult {
  const r = ratio(input.ours.value, input.baseline.value) ?? null
  const notes = [...(input.notes ?? [])]
  if (input.unstable && input.unstable.length > 0) notes.push(`counts differed between rounds (${[...new Set(input.unstable)].join(', ')}): first round shown`)
  return {
    name: input.name,
    title: input.title,
    unit: input.unit,
    kind: 'count',
    rounds: input.rounds,
    baseline: input.baseline,
    ours: input.ours,
    ratio: r,
    ...checkTarget(input.target, r, input.ours.value),
    ...(notes.length > 0 ? { notes } : {}),
  }
}
