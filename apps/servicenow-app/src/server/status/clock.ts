// Arithmetic on Glide's stored UTC date-times ('yyyy-MM-dd HH:mm:ss'), which compare as strings in encoded queries.

const GLIDE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/

/** Milliseconds since the epoch; undefined when the value is not a Glide date-time. */
export function glideMillis(value: string): number | undefined {
  const m = GLIDE_TIME.exec(value)
  if (!m) return undefined
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((n) => Number.parseInt(n ?? '', 10)) as [number, number, number, number, number, number]
  return Date.UTC(y, mo - 1, d, h, mi, s)
}

export function glideTime(millis: number): string {
  const d = new Date(millis)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

/** `now` minus `seconds`, in Glide's form. */
export function secondsBefore(now: string, seconds: number): string {
  return glideTime((glideMillis(now) ?? 0) - seconds * 1000)
}
