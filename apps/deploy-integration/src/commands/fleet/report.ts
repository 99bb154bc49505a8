// The fleet report: the JSON (contract fleetReportSchema, also DIR/state.json) and its Markdown form for a CI job
// summary ($GITHUB_STEP_SUMMARY): a table of instances, totals, the slowest instances.
import { formatAge } from '../../render/status.ts'
import { EXIT_CODES, type ExitCode } from '@kandji-sn/contract/constants'
import { FLEET_REPORT_SCHEMA_ID, fleetTotals, type FleetCommand, type FleetInstanceReport, type FleetReport } from '@kandji-sn/contract'

export interface ReportMeta {
  command: FleetCommand
  fleetHash: string
  fleetSize: number
  appVersion: string | null
  shards: FleetReport['shards']
  startedAt: string
}

/** The exit code an instance contributes: unfinished ones count as an instance error (they did not converge). */
export function entryExitCode(entry: FleetInstanceReport): ExitCode {
  return entry.exitCode ?? EXIT_CODES.instance
}

export function buildReport(meta: ReportMeta, instances: readonly FleetInstanceReport[], exitCode: ExitCode, now = new Date()): FleetReport {
  return { schema: FLEET_REPORT_SCHEMA_ID, ...meta, updatedAt: now.toISOString(), exitCode, totals: fleetTotals(instances), instances: [...instances] }
}

export const SLOWEST = 5

export function slowest(instances: readonly FleetInstanceReport[], n = SLOWEST): FleetInstanceReport[] {
  return instances.filter((i) => i.timing !== null && !i.carriedOver).sort((a, b) => b.timing!.ms - a.timing!.ms || a.instance.localeCompare(b.instance)).slice(0, n)
}

/** A table cell: one line, no "|" that would end the cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim() || '–'
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

export function statusText(entry: FleetInstanceReport): string {
  if (entry.status === 'ok') return entry.carriedOver ? 'ok (earlier run)' : 'ok'
  if (entry.status === 'drifted') return `drifted (exit ${entry.exitCode})`
  if (entry.status === 'failed') return `failed (exit ${entry.exitCode})`
  return entry.status === 'interrupted' ? 'interrupted' : 'not run'
}

/** An entry's last push and health, as the fleet table and report.md show them. */
export function pushCells(entry: FleetInstanceReport): [string, string] {
  const push = entry.push
  if (!push) return ['unknown', 'status unavailable']
  const age = push.lastPushAgeSeconds === null || push.lastPushAt === null ? 'never' : `${formatAge(push.lastPushAgeSeconds)} ago (${push.lastPushAt} UTC)`
  return [age, push.health]
}

export function markdownReport(report: FleetReport): string {
  const t = report.totals
  const shards = report.shards.length > 0 ? ` (shard${report.shards.length === 1 ? '' : 's'} ${report.shards.map((s) => `${s.index}/${s.total}`).join(', ')})` : ''
  const lines = [
    `## deploy-integration fleet ${report.command}${shards}: exit ${report.exitCode}`,
    '',
    `**${t.instances} instance${t.instances === 1 ? '' : 's'}**: ${t.ok} ok, ${t.drifted} drifted, ${t.failed} failed, ${t.interrupted} interrupted, ${t.pending} not run` +
      (report.appVersion ? ` · app ${report.appVersion}` : '') +
      ` · fleet file ${report.fleetHash.slice(0, 12)} (${report.fleetSize} instances in all)`,
    '',
    '| Instance | Status | Changes | Failing checks | Drift | Error | Fix |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (const i of report.instances) {
    const failing = i.checks.filter((c) => c.status === 'fail').map((c) => c.id)
    lines.push(
      `| ${[i.instance, statusText(i), i.changes === null ? '' : String(i.changes), failing.join(', '), i.drift.map((d) => d.kind).join(', '), i.error?.message ?? '', i.error?.fix ?? ''].map(cell).join(' | ')} |`,
    )
  }
  const pushed = report.instances.filter((i) => i.push !== undefined)
  if (pushed.length > 0) {
    lines.push('', '### Push status', '', '| Instance | Last push | Health |', '| --- | --- | --- |')
    for (const i of pushed) lines.push(`| ${[i.instance, ...pushCells(i)].map(cell).join(' | ')} |`)
  }
  const slow = slowest(report.instances)
  if (slow.length > 0) {
    lines.push('', `### Slowest ${slow.length === 1 ? 'instance' : `${slow.length} instances`}`, '', '| Instance | Time |', '| --- | --- |')
    for (const i of slow) lines.push(`| ${cell(i.instance)} | ${seconds(i.timing!.ms)} |`)
  }
  return `${lines.join('\n')}\n`
}
