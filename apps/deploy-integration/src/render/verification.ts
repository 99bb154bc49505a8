import type { VerificationReport } from '@kandji-sn/contract'
import type { SmokeResult } from '../steps/smoke-test.ts'
import type { Output } from './output.ts'
import { formatTable, indented } from './table.ts'

export function renderVerification(out: Output, report: VerificationReport): void {
  out.line()
  out.line(out.style(`verification: ${report.status} (${report.summary.pass} pass, ${report.summary.warn} warn, ${report.summary.fail} fail; app ${report.app.version})`, report.status === 'fail' ? 'red' : report.status === 'warn' ? 'yellow' : 'green'))
  if (report.evaluated_by === 'client') out.line("  evaluated here through the Table API: the installed app has no verify endpoint (the vendor's Store app, or no app)")
  const rows = report.checks.map((c) => [c.status.toUpperCase(), c.id, c.detail, c.status === 'pass' ? '' : (c.fix ?? '')])
  out.lines(formatTable(['STATUS', 'CHECK', 'DETAIL', 'FIX'], rows, indented(out.width, [2, 3])).map((l) => `  ${l}`))
}

export function renderSmoke(out: Output, smoke: SmokeResult): void {
  out.line()
  out.line(out.style('smoke test as the service account', 'bold'))
  const mark = { pass: out.style('pass', 'green'), warn: out.style('warn', 'yellow'), skipped: out.style('skip', 'dim') }
  for (const c of smoke.checks) out.line(`  ${mark[c.status]} ${c.id}: ${c.detail}`)
}
