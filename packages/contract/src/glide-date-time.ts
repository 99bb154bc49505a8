/** ServiceNow's stored date-time form, UTC: 'YYYY-MM-DD HH:mm:ss' (GlideDateTime.getValue(); encoded queries compare in it). */
export function toGlideDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ')
}
