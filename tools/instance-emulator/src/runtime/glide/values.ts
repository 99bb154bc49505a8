// How script values become the strings the store holds (GlideRecord.setValue / addQuery coercion).

/** A value a script hands to setValue/addQuery, as the platform would store or compare it. */
export function toGlideString(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') {
    // GlideElement / GlideDateTime / GlideRecord (its sys_id) convert through their own getValue or toString.
    const v = value as { getUniqueValue?: () => unknown; getValue?: () => unknown; toString?: () => string }
    if (typeof v.getUniqueValue === 'function') return String(v.getUniqueValue() ?? '')
    if (typeof v.getValue === 'function') {
      const inner = v.getValue()
      return inner === null || inner === undefined ? '' : String(inner)
    }
  }
  return String(value)
}
