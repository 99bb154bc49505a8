// A row's comment names its device ("Row has no serial_number (device_id 60ea…)"): left out, rows with the same cause
// share one message. The same rule as tools/demo's groupKey (inventory.ts), which the app cannot import.

const ID_IN_PARENS = /\s*\((?:[a-z_ ]*?\s)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\)/gi
const BARE_ID = /\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b/gi

export function messageKey(comment: string): string {
  return comment.replace(ID_IN_PARENS, '').replace(BARE_ID, '<id>').replace(/\s+/g, ' ').trim() || '(no message)'
}
