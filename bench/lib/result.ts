// The shape of bench/results.json: one entry per figure, each a ratio of our way against a baseline measured in the
// same run. `baseline` and `ours` hold the figure itself plus the context a reader needs (time spread, counts).

export interface BenchmarkResult {
  /** Stable id, e.g. `deploy.fresh.wall`. */
  name: string
  /** What is compared, in words. */
  title: string
  /** Unit of `baseline.value` and `ours.value` (ms, requests, db ops, ...). */
  unit: string
  baseline: Side
  ours: Side
  /** ours.value / baseline.value (lower is better unless the target says otherwise); null when undefined. */
  ratio: number | null
  /** e.g. `<= 0.8`, `== 1`, `== 0 (ours)`. */
  target?: string
  met?: boolean
  /** Whether the figure is a count (deterministic) or a timing (median of rounds). */
  kind: 'time' | 'count'
  rounds: number
  notes?: string[]
}

export interface Side {
  /** What this side is, e.g. "steps one after another". */
  label: string
  value: number
  /** Timings only. */
  min?: number
  max?: number
  spread?: number
  samples?: number[]
  /** Other deterministic figures of this side (requests, writes, ...). */
  counts?: Record<string, number>
}

export interface Results {
  machine: { node: string; cpus: number; cpuModel: string; platform: string; loadAverage: number[] }
  date: string
  mode: 'full' | 'quick'
  durationMs: number
  benchmarks: BenchmarkResult[]
  /** Benchmarks that could not run, with the reason. */
  skipped: Array<{ name: string; reason: string }>
}

export type Target = { op: '<' | '<=' | '>=' | '=='; value: number; on?: 'ratio' | 'ours' }

export function checkTarget(target: Target | undefined, ratio: number | null, ours: number): { target?: string; met?: boolean } {
  if (!target) return {}
  const subject = target.on === 'ours' ? ours : ratio
  const text = `${target.on === 'ours' ? 'ours ' : ''}${target.op} ${target.value}`
  if (subject === null) return { target: text, met: false }
  const met = target.op === '<' ? subject < target.value : target.op === '<=' ? subject <= target.value : target.op === '>=' ? subject >= target.value : subject === target.value
  return { target: text, met }
}
