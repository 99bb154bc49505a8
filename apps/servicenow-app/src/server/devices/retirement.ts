// Stale device retirement (issue 16): a Kandji device that Iru Endpoint has not pushed for
// APP_SETTINGS.retireAfterDays days (0 = off, the default) is retired: its CI's install_status and
// operational_status become Retired (CI_LIFECYCLE), written through IRE like every other CI value of the app, and
// its MDM row says why (MDM_FIELDS.retiredReason). Nothing is deleted. The transform un-retires a device that is
// pushed again (device-transform.ts).
//
// Another source still reports the device when its CI's last_discovered is after the cutoff: Kandji's pushes write
// last_discovered as the device's last check-in, which is never later than the push itself, and the device was
// not pushed since the cutoff, so only another source (or IRE on its behalf: ire.md "IRE always updates CIs'
// last_discovered") can have put it there. Such devices are left alone and listed.
import { APP_SETTINGS, CI_LIFECYCLE, DISCOVERY_SOURCE, MDM_FIELDS, PLATFORM_TABLES, RETIREMENT_JOB, TABLES } from '../generated/contract.ts'
import type { Platform } from '../platform/types.ts'
import { parseBoolean, text } from '../import/values.ts'
import { interpretIreOutput } from '../import/device-mapping.ts'

export interface RetiredDevice {
  serialNumber: string
  ci: string
  lastPushed: string
}

export interface RetirementResult {
  /** false when retireAfterDays is 0 (off) */
  enabled: boolean
  dryRun: boolean
  days: number
  /** devices last pushed before this UTC time are stale */
  cutoff: string
  /** retired by this run (dry run: would be retired) */
  retired: RetiredDevice[]
  /** stale in Kandji but reported by another source, or whose CI could not be retired */
  leftAlone: Array<RetiredDevice & { reason: string }>
  /** set when the settings are unusable; nothing was changed */
  error?: string
}

/** Enough for any fleet in one run; a larger stale set is finished by the next run. */
export const RETIREMENT_BATCH = 1000

function settings(platform: Platform, dryRunArg?: boolean): { days: number; dryRun: boolean } | { error: string } {
  const rawDays = platform.property(APP_SETTINGS.retireAfterDays, '0').trim() || '0'
  const days = Number(rawDays)
  if (!/^\d+$/.test(rawDays) || !Number.isSafeInteger(days)) {
    return { error: `${APP_SETTINGS.retireAfterDays} is "${rawDays}", not a whole number of days; nothing was retired. Fix: set it to 0 (off) or a number of days such as 30.` }
  }
  if (dryRunArg !== undefined) return { days, dryRun: dryRunArg }
  const rawDry = platform.property(APP_SETTINGS.retireDryRun, 'false').trim() || 'false'
  const dryRun = parseBoolean(rawDry)
  if (dryRun === undefined) return { error: `${APP_SETTINGS.retireDryRun} is "${rawDry}", not true or false; nothing was retired. Fix: set it to true (list only) or false.` }
  return { days, dryRun }
}

interface Candidate extends RetiredDevice {
  mdmId: string
}

/**
 * The MDM rows last pushed before the cutoff and not retired yet. The instance ignores a condition on a field the
 * table lacks and would return every row (glide.invalid_query.returns_no_rows is false by default), so the fields
 * are checked first: undefined when they are missing.
 */
function staleRows(platform: Platform, cutoff: string): Candidate[] | undefined {
  const gr = platform.record(TABLES.mdm)
  if (!gr.isValidField(MDM_FIELDS.lastPushed) || !gr.isValidField(MDM_FIELDS.retiredReason)) return undefined
  gr.addQuery(MDM_FIELDS.lastPushed, '<', cutoff)
  gr.addNullQuery(MDM_FIELDS.retiredReason)
  gr.setLimit(RETIREMENT_BATCH)
  gr.query()
  const rows: Candidate[] = []
  while (gr.next()) {
    const ci = text(gr.getValue('ci'))
    if (ci) rows.push({ mdmId: gr.getUniqueValue(), serialNumber: text(gr.getValue('serial_number')), ci, lastPushed: text(gr.getValue(MDM_FIELDS.lastPushed)) })
  }
  return rows
}

/** The stale devices' CIs, one query: class and last_discovered by sys_id. */
function cisOf(platform: Platform, ids: string[]): Map<string, { className: string; lastDiscovered: string }> {
  const found = new Map<string, { className: string; lastDiscovered: string }>()
  if (ids.length === 0) return found
  const gr = platform.record(PLATFORM_TABLES.hardware)
  gr.addQuery('sys_id', 'IN', ids.join(','))
  gr.query()
  while (gr.next()) found.set(gr.getUniqueValue(), { className: text(gr.getValue('sys_class_name')), lastDiscovered: text(gr.getValue('last_discovered')) })
  return found
}

/** Retires the CI through IRE (identified by its serial number, its class sent so it keeps it); an error message or undefined. */
function retireCi(platform: Platform, serialNumber: string, className: string): string | undefined {
  const values = { serial_number: serialNumber, install_status: CI_LIFECYCLE.retiredInstallStatus, operational_status: CI_LIFECYCLE.retiredOperationalStatus }
  try {
    const answer = interpretIreOutput(platform.createOrUpdateCI(DISCOVERY_SOURCE.value, JSON.stringify({ items: [{ className, values }] })))
    return answer.ok ? undefined : answer.message
  } catch (err) {
    return `IRE failed: ${err instanceof Error ? err.message : String(err)}`
  }
}

function markRetired(platform: Platform, mdmId: string, reason: string): void {
  const gr = platform.record(TABLES.mdm)
  gr.addQuery('sys_id', mdmId)
  gr.setLimit(1)
  gr.query()
  if (!gr.next()) return
  gr.setValue(MDM_FIELDS.retiredReason, reason)
  gr.update()
}

/** One run: `dryRun` (a parameter, or the property when omitted) lists the devices and changes nothing. */
export function retireStaleDevices(platform: Platform, dryRunArg?: boolean): RetirementResult {
  const s = settings(platform, dryRunArg)
  if ('error' in s) {
    platform.error(`Kandji retirement: ${s.error}`)
    return { enabled: false, dryRun: true, days: 0, cutoff: '', retired: [], leftAlone: [], error: s.error }
  }
  const result: RetirementResult = { enabled: s.days > 0, dryRun: s.dryRun, days: s.days, cutoff: '', retired: [], leftAlone: [] }
  if (!result.enabled) return result
  result.cutoff = platform.daysAgoUtc(s.days)
  const stale = staleRows(platform, result.cutoff)
  if (!stale) {
    result.error = `${TABLES.mdm} has no ${MDM_FIELDS.lastPushed} or ${MDM_FIELDS.retiredReason} column, so stale devices cannot be told apart; nothing was retired. Fix: upgrade the app to the version that ships the retirement job.`
    platform.error(`Kandji retirement: ${result.error}`)
    return result
  }
  const cis = cisOf(platform, stale.map((r) => r.ci))
  const now = platform.nowUtc()
  for (const row of stale) {
    const device = { serialNumber: row.serialNumber, ci: row.ci, lastPushed: row.lastPushed }
    const ci = cis.get(row.ci)
    if (!ci) {
      result.leftAlone.push({ ...device, reason: `CI ${row.ci} no longer exists` })
      continue
    }
    if (ci.lastDiscovered !== '' && ci.lastDiscovered >= result.cutoff) {
      result.leftAlone.push({ ...device, reason: `another source reported it on ${ci.lastDiscovered} UTC (last_discovered), after Iru Endpoint's last push` })
      continue
    }
    if (s.dryRun) {
      result.retired.push(device)
      continue
    }
    const failed = retireCi(platform, row.serialNumber, ci.className)
    if (failed) {
      result.leftAlone.push({ ...device, reason: `not retired: ${failed}` })
      continue
    }
    markRetired(platform, row.mdmId, `${RETIREMENT_JOB.staleReason}not pushed by Iru Endpoint since ${row.lastPushed} UTC (more than ${s.days} days); retired ${now} UTC`)
    result.retired.push(device)
  }
  const verb = s.dryRun ? 'would retire' : 'retired'
  platform.info(`Kandji retirement: ${verb} ${result.retired.length} device(s) not pushed since ${result.cutoff} UTC; left ${result.leftAlone.length} alone`)
  for (const d of result.leftAlone) platform.warn(`Kandji retirement: serial ${d.serialNumber} left alone: ${d.reason}`)
  return result
}
