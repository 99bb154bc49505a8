// Median and spread of a handful of timings. With 3-10 rounds a mean is pulled around by one slow round (a GC, another
// process on the 2 cores), so the bench reports the median and the full range instead.

export interface Summary {
  median: number
  min: number
  max: number
  /** (max - min) / median, as a fraction: how much the rounds disagreed. */
  spread: number
  samples: number[]
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function summarize(values: readonly number[]): Summary {
  const med = median(values)
  const min = Math.min(...values)
  const max = Math.max(...values)
  return { median: round(med), min: round(min), max: round(max), spread: med === 0 ? 0 : round((max - min) / med, 3), samples: values.map((v) => round(v)) }
}

/** ours / baseline; undefined when the baseline is 0 (no meaningful ratio). */
export function ratio(ours: number, baseline: number): number | undefined {
  if (baseline === 0) return ours === 0 ? 1 : undefined
  return round(ours / baseline, 3)
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
