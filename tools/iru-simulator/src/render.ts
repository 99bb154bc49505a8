// Human output. The CLI prints nothing else; --json prints the reports as they are.
import { OUTCOMES, type OutcomeCounts, type PushReport } from './report.ts'

const LABEL: Record<PushReport['kind'], string> = { devices: 'device rows', apps: 'app rows' }

export function renderReport(report: PushReport, title: string): string {
  const lines: string[] = []
  const how =
    report.mode === 'bulk'
      ? `insertMultiple, batches of up to ${report.batchSize}`
      : 'one synchronous insert per row'
  lines.push(`${title}: ${report.totals.sent} ${LABEL[report.kind]} -> ${report.table} (${how}) in ${seconds(report.durationMs)}`)
  lines.push(`  ${countsLine(report.totals)}`)
  const platforms = Object.entries(report.platforms)
  if (platforms.length > 1 || report.kind === 'devices') {
    for (const [platform, counts] of platforms) lines.push(`  ${platform.padEnd(8)} ${countsLine(counts)}`)
  }
  const malformed = Object.entries(report.malformed)
  if (malformed.length > 0) {
    lines.push('  malformed rows (sent on purpose):')
    for (const [defect, counts] of malformed) lines.push(`    ${defect.padEnd(17)} ${countsLine(counts)}`)
  }
  if (report.errors.length > 0) {
    lines.push('  errors:')
    for (const group of report.errors.slice(0, 10)) {
      lines.push(`    ${String(group.count).padStart(5)} x ${truncate(group.message, 140)}${group.examples.length ? `  (e.g. ${group.examples.join(', ')})` : ''}`)
    }
    if (report.errors.length > 10) lines.push(`    ... and ${report.errors.length - 10} more kinds of error (see --json)`)
  }
  if (report.messages.length > 0) {
    lines.push('  transform messages:')
    for (const group of report.messages.slice(0, 5)) lines.push(`    ${String(group.count).padStart(5)} x ${truncate(group.message, 140)}`)
  }
  if (report.results !== 'complete') lines.push(`  ${report.resultsNote ?? 'results pending'}`)
  if (report.importSets.length > 0) {
    const shown = report.importSets.slice(0, 5).join(', ')
    lines.push(`  import sets: ${shown}${report.importSets.length > 5 ? ` (+${report.importSets.length - 5})` : ''}`)
  }
  return lines.join('\n')
}

function countsLine(counts: OutcomeCounts): string {
  const parts = [`sent ${counts.sent}`]
  for (const outcome of OUTCOMES) if (counts[outcome] > 0) parts.push(`${outcome} ${counts[outcome]}`)
  return parts.join(', ')
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`
}
