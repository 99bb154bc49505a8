// Runs a baseline and our way in the same process, round after round, alternating which goes first, so that a
// slow phase of the machine (another job on the 2 cores, a GC, a warming JIT) lands on both sides alike.
import { summarize, type Summary } from './stats.ts'

/** One measured run: its wall time and the deterministic counts it produced (requests, DB operations, ...). */
export interface Sample {
  ms: number
  counts: Record<string, number>
}

export interface Arm {
  /** Wall time over the rounds. */
  time: Summary
  /** Counts of the first measured round (they are expected to be the same in every round). */
  counts: Record<string, number>
  /** Count names whose value differed between rounds (an honest flag, not an error). */
  unstableCounts: string[]
}

export interface Comparison {
  rounds: number
  baseline: Arm
  ours: Arm
}

export interface InterleaveOptions {
  rounds: number
  /** Unmeasured rounds first (module loading, JIT, caches), default 1. */
  warmup?: number
  baseline: (round: number) => Promise<Sample>
  ours: (round: number) => Promise<Sample>
  onRound?: (round: number, baseline: Sample, ours: Sample) => void
}

export async function interleave(options: InterleaveOptions): Promise<Comparison> {
  const warmup = options.warmup ?? 1
  const baseline: Sample[] = []
  const ours: Sample[] = []
  for (let i = 0; i < warmup + options.rounds; i++) {
    const ourTurnFirst = i % 2 === 1
    let b: Sample
    let o: Sample
    if (ourTurnFirst) {
      o = await options.ours(i)
      b = await options.baseline(i)
    } else {
      b = await options.baseline(i)
      o = await options.ours(i)
    }
    if (i < warmup) continue
    baseline.push(b)
    ours.push(o)
    options.onRound?.(i - warmup, b, o)
  }
  return { rounds: options.rounds, baseline: arm(baseline), ours: arm(ours) }
}

export function arm(samples: readonly Sample[]): Arm {
  if (samples.length === 0) throw new RangeError('no samples')
  const first = samples[0]!.counts
  const unstableCounts = Object.keys(first).filter((k) => samples.some((s) => s.counts[k] !== first[k]))
  return { time: summarize(samples.map((s) => s.ms)), counts: { ...first }, unstableCounts }
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await work()
  return { ms: performance.now() - started, value }
}
