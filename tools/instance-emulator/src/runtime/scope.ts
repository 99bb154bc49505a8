// The scope a record belongs to, by name (records carry sys_scope as the scope's sys_id).
import type { Database } from '../db/database.ts'
import type { TableRecordRow } from '../types.ts'

export function scopeNameOf(db: Database, record: TableRecordRow): string {
  const id = record.sys_scope ?? ''
  if (id === '' || id === 'global') return 'global'
  return db.get('sys_scope', id)?.scope || 'global'
}
