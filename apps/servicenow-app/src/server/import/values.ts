// Staging columns are strings (the Import Set API takes string name/value pairs only; facts 4.2). These parse
// them strictly: a value that does not parse is reported, never guessed.

export function text(value: string | null | undefined): string {
  return value === null || value === undefined ? '' : String(value).trim()
}

/** 'true'/'false' in the spellings inventory APIs use; undefined when empty or unrecognised. */
export function parseBoolean(value: string | null | undefined): boolean | undefined {
  const v = text(value).toLowerCase()
  if (['true', '1', 'yes', 'y', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'n', 'off'].includes(v)) return false
  return undefined
}

/**
 * ISO 8601 (what Kandji's API returns, e.g. 2024-05-01T10:20:30.123Z or with an offset) or Glide's
 * 'yyyy-MM-dd HH:mm:ss' (taken as UTC) to Glide's UTC 'yyyy-MM-dd HH:mm:ss'; undefined when it does not parse.
 */
export function parseDateTimeUtc(value: string | null | undefined): string | undefined {
  const v = text(value)
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v)
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((n) => Number.parseInt(n ?? '', 10)) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined
  let millis = Date.UTC(year, month - 1, day, hour, minute, second)
  const check = new Date(millis)
  // Rejects 2024-02-30 and the like, which Date.UTC would roll over.
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined
  const zone = m[8]
  if (zone && zone !== 'Z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)
    if (!zm) return undefined
    const offset = (Number.parseInt(zm[2] ?? '0', 10) * 60 + Number.parseInt(zm[3] ?? '0', 10)) * 60_000
    millis -= zm[1] === '+' ? offset : -offset
  }
  const d = new Date(millis)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

const UNIT_TO_GB: { [unit: string]: number } = { kb: 1 / 1024 / 1024, mb: 1 / 1024, gb: 1, tb: 1024 }

/** "16 GB", "512GB", "1 TB", "500.28 GB" or a bare number (taken as GB) to gigabytes; undefined otherwise. */
export function parseCapacityGb(value: string | null | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]b)?$/i.exec(text(value))
  if (!m) return undefined
  const amount = Number.parseFloat(m[1] ?? '')
  const factor = UNIT_TO_GB[(m[2] ?? 'gb').toLowerCase()]
  if (!Number.isFinite(amount) || factor === undefined) return undefined
  return Math.round(amount * factor * 100) / 100
}

/** A plausible e-mail address (one @, no spaces, a dot in the domain); used only to decide whether to look it up. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254
}
