import { IMPORT_ROW_STATES, STATUS_REPORT, TABLES, USER_MATCH_OUTCOMES, type StatusWindow } from '@kandji-sn/contract/constants'
import type { IntegrationStatus } from '@kandji-sn/contract'
import type { Output } from './output.ts'
import { formatTable, indented } from './table.ts'

const TABLE_LABELS: Record<string, string> = { [TABLES.deviceImport]: 'devices', [TABLES.appImport]: 'applications' }
const WINDOWS = Object.keys(STATUS_REPORT.windows) as StatusWindow[]

const AGE_UNITS: ReadonlyArray<readonly [string, number]> = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]]

/** 45s, 10m, 5h 3m, 3d 2h: the largest unit and the next one when it is not zero. */
export function formatAge(seconds: number): string {
  const rest = Math.max(0, Math.floor(seconds))
  const i = AGE_UNITS.findIndex(([, size]) => rest >= size)
  const first = AGE_UNITS[i]
  if (!first) return '0s'
  const n = Math.floor(rest / first[1])
  const next = AGE_UNITS[i + 1]
  const m = next ? Math.floor((rest - n * first[1]) / next[1]) : 0
  return next && m > 0 ? `${n}${first[0]} ${m}${next[0]}` : `${n}${first[0]}`
}

/** The last push in a phrase: "2026-01-10 11:50:00 UTC (10m ago, devices)" or "never". */
export function lastPushText(status: IntegrationStatus): string {
  const { at, age_seconds: age, table } = status.last_push
  if (at === null || age === null) return 'never (no staging row on the instance)'
  return `${at} UTC (${formatAge(age)} ago, ${TABLE_LABELS[table ?? ''] ?? table})`
}

/** The newest health run in a word: "degraded (service_account)", "healthy", "none yet", "unavailable". */
export function healthText(status: IntegrationStatus): string {
  if (!status.health.available) return 'unavailable'
  const run = status.health.runs[0]
  if (!run) return 'no run yet'
  return run.failing_checks.length > 0 ? `${run.status} (${run.failing_checks.join(', ')})` : run.status
}

function counts(entries: ReadonlyArray<readonly [string, number]>): string {
  return entries.map(([k, n]) => `${k} ${n}`).join(', ')
}

export function renderStatus(out: Output, status: IntegrationStatus): void {
  const table = (header: readonly string[], rows: ReadonlyArray<readonly string[]>, wrap: readonly number[]) =>
    out.lines(formatTable(header, rows, indented(out.width, wrap)).map((l) => `  ${l}`))
  out.line()
  out.line(out.style(`integration status at ${status.generated_at} UTC (instance time)`, 'bold'))
  out.line(`  last push: ${lastPushText(status)}`)
  out.line(`  health: ${healthText(status)}`)

  out.line()
  out.line('staging rows by state')
  table(
    ['TABLE', 'WINDOW', ...IMPORT_ROW_STATES.map((s) => s.toUpperCase())],
    status.imports.flatMap((i) => WINDOWS.map((w) => [TABLE_LABELS[i.table] ?? i.table, `last ${w}`, ...IMPORT_ROW_STATES.map((s) => String(i.windows[w][s]))])),
    [],
  )

  out.line()
  const e = status.errors
  if (e.rows === 0) out.line('errors: none in the last week')
  else {
    const grouped = e.sampled < e.rows ? ` (the newest ${e.sampled} grouped)` : ''
    const shown = e.messages.length < e.distinct ? `, the newest ${e.messages.length} shown` : ''
    out.line(`errors in the last week: ${e.rows} row${e.rows === 1 ? '' : 's'}${grouped}, ${e.distinct} distinct message${e.distinct === 1 ? '' : 's'}${shown}`)
    table(
      ['COUNT', 'LAST SEEN (UTC)', 'TABLE', 'STATE', 'MESSAGE'],
      e.messages.map((m) => [String(m.count), m.last_seen, TABLE_LABELS[m.table] ?? m.table, m.state, m.message]),
      [4],
    )
  }

  out.line()
  const other = status.cis.other_source > 0 ? `, ${status.cis.other_source} created first by another discovery source` : ''
  out.line(`CIs: ${status.cis.total} linked to Kandji devices${other}`)
  const classes = Object.entries(status.cis.by_class)
  if (classes.length > 0) table(['CLASS', 'CIS'], classes.map(([cls, n]) => [cls, String(n)]), [])
  const seen = status.last_seen
  out.line(
    seen.available
      ? `  last pushed: ${counts([['within a day', seen.within_day], ['1-7 days', seen.within_week], ['7-30 days', seen.within_month], ['older', seen.older], ['never', seen.never]])}`
      : `  last pushed: unavailable (${seen.reason})`,
  )
  const device = (name: string, s: IntegrationStatus['devices']['retired']) => (s.available ? `${name} ${s.count}` : `${name} unavailable`)
  out.line(`  devices: ${[device('retired', status.devices.retired), device('missing', status.devices.missing), device('removed', status.devices.removed)].join(', ')}`)
  const u = status.users
  out.line(u.available ? `  users: ${counts([...USER_MATCH_OUTCOMES.map((o) => [o.replace('_', ' '), u[o]] as const), ['not matched yet', u.unknown]])}` : `  users: unavailable (${u.reason})`)

  out.line()
  const h = status.health
  if (!h.available) out.line(`health runs: unavailable (${h.reason})`)
  else if (h.runs.length === 0) out.line('health runs: none yet')
  else {
    out.line(`health runs (newest ${h.runs.length})`)
    table(['TIME (UTC)', 'STATUS', 'FAILING CHECKS', 'SUMMARY'], h.runs.map((r) => [r.at, r.status, r.failing_checks.join(', ') || '-', r.summary]), [2, 3])
  }
}
