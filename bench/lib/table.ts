// The compact table `npm run bench` prints: one line per figure, baseline and ours side by side, then the ratio.
import type { BenchmarkResult, Side } from './result.ts'

function number(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US')
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : String(value)
}

export function formatSide(side: Side, result: BenchmarkResult): string {
  if (result.kind === 'time') return `${number(side.value)} ms [${number(side.min ?? side.value)}–${number(side.max ?? side.value)}]`
  return `${number(side.value)} ${result.unit}`
}

function formatRatio(ratio: number | null): string {
  if (ratio === null) return 'n/a'
  return ratio >= 10 || ratio === 0 ? `${number(ratio)}x` : `${ratio.toFixed(ratio < 0.1 ? 3 : 2)}x`
}

export function renderTable(results: readonly BenchmarkResult[]): string {
  const header = ['benchmark', 'baseline', 'ours', 'ratio', 'target', 'met']
  const rows = results.map((r) => [r.name, formatSide(r.baseline, r), formatSide(r.ours, r), formatRatio(r.ratio), r.target ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO'])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** Under the table: what each row compares, so the numbers read without the docs at hand. */
export function renderLegend(results: readonly BenchmarkResult[]): string {
  return results
    .map((r) => `${r.name}: ${r.title}. baseline = ${r.baseline.label}; ours = ${r.ours.label}${r.kind === 'time' ? `; median of ${r.rounds} round${r.rounds === 1 ? '' : 's'} [min–max]` : ''}${r.notes ? ` (${r.notes.join('; ')})` : ''}`)
    .join('\n')
}
