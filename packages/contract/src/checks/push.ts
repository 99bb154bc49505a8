// Push health: what Iru Endpoint sent, judged against the app's health settings (APP_SETTINGS). A freshly deployed
// instance that has never received a push passes push_recency ("no push yet"), as kandji_cis passes with no device:
// deploy ends with verify, and a fresh deploy must not fail for want of a sync that has not been started yet.
import { APP_SETTINGS, HEALTH_SETTING_DEFAULTS } from '../constants.ts'

type HealthSetting = keyof typeof HEALTH_SETTING_DEFAULTS
import type { PushSettings, PushSnapshot } from './snapshots.ts'

type PushSettingName = 'maxPushAgeHours' | 'errorRateRows' | 'maxErrorRatePercent' | 'maxPendingMinutes' | 'pushIntervalHours'
const PUSH_SETTINGS: readonly PushSettingName[] = ['maxPushAgeHours', 'errorRateRows', 'maxErrorRatePercent', 'maxPendingMinutes', 'pushIntervalHours']

/** A setting's value from its property's raw text: a whole number >= its minimum, else the default (reported). */
export function readSetting(name: HealthSetting, raw: string | null | undefined): { value: number; invalid?: string } {
  const { value: fallback, min } = HEALTH_SETTING_DEFAULTS[name]
  const text = raw === null || raw === undefined ? '' : String(raw).trim()
  // An empty or absent property means "not configured": the default, without a report.
  if (text === '') return { value: fallback }
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) return { value: fallback, invalid: text }
  return { value: Number(text) }
}

/** The push settings from a property reader (gs.getProperty in the instance, a Table API read in the CLI). */
export function readPushSettings(property: (name: string) => string | null | undefined): PushSettings {
  const settings = { invalid: [] } as unknown as PushSettings
  for (const name of PUSH_SETTINGS) {
    const read = readSetting(name, property(APP_SETTINGS[name]))
    settings[name] = read.value
    if (read.invalid !== undefined) settings.invalid.push({ property: APP_SETTINGS[name], value: read.invalid, used: read.value })
  }
  return settings
}

/** 'yyyy-MM-dd HH:mm:ss' (UTC) minus `ms`, in the same form; undefined for a malformed value. */
export function glideMinus(glideUtc: string, ms: number): string | undefined {
  const at = parseGlideUtc(glideUtc)
  return at === undefined ? undefined : new Date(at - ms).toISOString().slice(0, 19).replace('T', ' ')
}

export function parseGlideUtc(glideUtc: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(glideUtc.trim())
  if (!m) return undefined
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
}

/** The settings a check reads that hold invalid values, as a sentence to add to its detail ('' when none). */
export function invalidSettingsNote(settings: PushSettings, names: readonly PushSettingName[]): string {
  const wanted = new Set<string>(names.map((n) => APP_SETTINGS[n]))
  const bad = settings.invalid.filter((i) => wanted.has(i.property))
  return bad.map((i) => ` The property ${i.property} holds "${i.value}", not a whole number >= ${minOf(i.property)}; the default ${i.used} is used.`).join('')
}

function minOf(property: string): number {
  const name = PUSH_SETTINGS.find((n) => APP_SETTINGS[n] === property)
  return name ? HEALTH_SETTING_DEFAULTS[name].min : 0
}

export function hoursBetween(fromGlideUtc: string, toGlideUtc: string): number | undefined {
  const from = parseGlideUtc(fromGlideUtc)
  const to = parseGlideUtc(toGlideUtc)
  return from === undefined || to === undefined ? undefined : (to - from) / 3_600_000
}

