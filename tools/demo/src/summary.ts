// The customer-readable summary of a demo run: what was set up, the checks, what happened to the devices.
// Pure: takes the facts, returns lines. Short on purpose (the whole demo prints fewer than 40 lines).
import { PLATFORM_GRANTED_ROLES, type Platform } from '@kandji-sn/contract/constants'
import type { CheckResult } from '@kandji-sn/contract'
import type { ChangeKind } from '@kandji-sn/iru-simulator'
import { redact } from '@kandji-sn/servicenow-client'
import type { DemoResult } from './run-demo.ts'

const PLATFORM_LABEL: Record<Platform | 'other', string> = { Mac: 'Mac', iPhone: 'iPhone', iPad: 'iPad', AppleTV: 'Apple TV', other: 'other' }
const CHANGE_LABEL: Record<ChangeKind, [string, string]> = { os_update: ['OS update', 'OS updates'], rename: ['rename', 'renames'], new_user: ['new user', 'new users'] }

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(1, max - 3))}...`
}

function check(result: DemoResult, id: CheckResult['id']): CheckResult | undefined {
  return result.verification.checks.find((c) => c.id === id)
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** The service account's roles as the verify endpoint found them; snc_internal (granted by the platform) not counted. */
function roleLines(result: DemoResult): string[] {
  const data = check(result, 'service_account_roles')?.data ?? {}
  const direct = strings(data.direct).filter((r) => !(PLATFORM_GRANTED_ROLES as readonly string[]).includes(r))
  const inherited = strings(data.inherited)
  return [`${plural(direct.length, 'role')} granted directly: ${direct.join(', ') || 'none'}`, `+ ${inherited.length} inherited${inherited.length ? `: ${inherited.join(', ')}` : ''}`]
}

function oauthLine(result: DemoResult): string {
  const subject = result.verification.subject.oauth_client
  const client = check(result, 'oauth_client')
  const data = client?.data ?? {}
  const parts = [data.active === true ? 'active' : client?.status === 'pass' ? 'active' : 'see checks']
  const redirects = strings(data.redirect_urls)
  if (redirects.length) parts.push(`redirect ${redirects.join(', ')}`)
  parts.push('password grant (ROPC)')
  const scope = check(result, 'oauth_scope_restriction')
  if (scope?.data?.field_present === false) parts.push(`no scope restriction on ${result.release}`)
  else if (scope?.status === 'pass') parts.push('broadly scoped')
  else if (scope) parts.push(`scope restriction: ${scope.status}`)
  return `${subject}: ${parts.join(', ')}`
}

export interface SummaryOptions {
  /** Line width to fit long details into; default 110. */
  width?: number
}

/** The summary's lines; every secret the run knows is masked before a line is cut to width (so no prefix of one shows). */
export function renderSummary(result: DemoResult, options: SummaryOptions = {}): string[] {
  return summaryLines(result, options).map((line) => redact(line, result.secrets))
}

function summaryLines(result: DemoResult, options: SummaryOptions): string[] {
  const width = Math.max(70, options.width ?? 110)
  const fit = (head: string, text: string) => `${head}${truncate(redact(text, result.secrets), width - head.length)}`
  const v = result.verification
  const lines: string[] = []
  const account = check(result, 'service_account')
  lines.push('', 'What was set up')
  lines.push(`  app              Kandji (${v.app.scope}) ${v.app.version}`)
  lines.push(fit('  OAuth client     ', oauthLine(result)))
  lines.push(`  service account  ${v.subject.service_account}${account?.data?.web_service_access_only === true ? ' (web services only)' : ''}`)
  for (const line of roleLines(result)) lines.push(fit('                   ', line))
  lines.push(fit('  hand-off file    ', `${result.handoffPath} (mode 0600) for Iru Endpoint`))

  lines.push('', `Checks (deploy-integration verify): ${v.status.toUpperCase()}, ${v.summary.pass} pass, ${v.summary.warn} warn, ${v.summary.fail} fail`)
  const idWidth = Math.max(...v.checks.map((c) => c.id.length))
  for (const c of v.checks) {
    lines.push(fit(`  ${c.status.toUpperCase().padEnd(4)}  ${c.id.padEnd(idWidth)}  `, c.detail))
    const indent = `  ${''.padEnd(4)}  ${''.padEnd(idWidth)}  `
    // The rows in error are the malformed rows this demo sends on purpose; say so instead of the generic fix.
    if (c.id === 'import_errors' && c.status === 'warn' && result.push.malformed > 0) lines.push(`${indent}expected: the demo sends ${plural(result.push.malformed, 'malformed row')} on purpose (see Devices)`)
    else if (c.status !== 'pass' && c.fix) lines.push(fit(`${indent}fix: `, c.fix))
  }

  const p = result.push
  const outcome = p.bulkOutcome
  const landed = (outcome.byState.inserted ?? 0) + (outcome.byState.updated ?? 0)
  const rejected = (outcome.byState.error ?? 0) + (outcome.byState.rejected ?? 0)
  const c = p.changes.totals
  const kinds = Object.entries(p.changeKinds).map(([k, n]) => {
    const [one, many] = CHANGE_LABEL[k as ChangeKind]
    return `${n} ${n === 1 ? one : many}`
  })
  lines.push('', `Devices (simulated Iru Endpoint: OAuth password grant as ${v.subject.service_account}, Import Set API)`)
  lines.push(
    `  sent         ${plural(p.devices, 'device')} + ${plural(p.malformed, 'malformed row')} (insertMultiple, ${plural(p.bulk.importSets.length, 'batch', 'batches')}), then ${plural(c.sent, 'change')} one row at a time`,
  )
  lines.push(`  landed       ${landed} of ${outcome.rows} rows; ${c.updated + c.inserted} of ${plural(c.sent, 'change')} applied${kinds.length ? ` (${kinds.join(', ')})` : ''}`)
  if (rejected === 0) lines.push('  rejected     none')
  for (const [i, group] of outcome.errors.slice(0, 3).entries()) {
    lines.push(fit(i === 0 ? `  rejected     ${rejected} ${rejected === 1 ? 'row' : 'rows'}: ` : '               ', `${outcome.errors.length > 1 ? `${group.count} x ` : ''}${group.message}`))
  }
  const unapplied = c.rejected + c.failed + c.pending
  if (unapplied) lines.push(`  not applied  ${plural(unapplied, 'change')} (${[c.rejected && `${c.rejected} rejected`, c.failed && `${c.failed} failed`, c.pending && `${c.pending} pending`].filter(Boolean).join(', ')})`)
  const pending = outcome.byState.pending ?? 0
  if (pending) lines.push(`  pending      ${plural(pending, 'row')} still waiting for the transform`)
  const cmdb = result.cmdb
  const platforms = Object.entries(cmdb.byPlatform).map(([k, n]) => `${PLATFORM_LABEL[k as Platform | 'other']} ${n}`)
  lines.push(`  in the CMDB  ${plural(cmdb.computers, 'computer')} in cmdb_ci_computer for Kandji devices${platforms.length ? `: ${platforms.join(', ')}` : ''}`)
  if (cmdb.otherSource > 0) lines.push(`               ${cmdb.otherSource} of them found first by another source (their discovery source is not Kandji)`)
  lines.push(`               ${cmdb.assigned} with an assigned user (the others' e-mail matches no active ServiceNow user)`)
  if (cmdb.devicesOnSharedComputers > 0) {
    lines.push(`  note         ${cmdb.devicesOnSharedComputers} devices share a computer with another device of the same name: the CMDB`)
    lines.push('               identifies hardware by serial number, then by name (IRE Hardware rule); unique names avoid it')
  }
  return lines
}
