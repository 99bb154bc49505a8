// gs.log/info/warn/error/debug and the transform `log` object write rows the way an instance does: syslog for
// script logging (source = the calling scope), import_log for transform logging. Both are real inserts, so they
// show in the operation counters like on an instance.
import type { Database } from '../db/database.ts'
import { columnsFrom, col } from '../db/dictionary.ts'
import { SYSTEM_COLUMNS } from '../db/platform-tables.ts'

/** syslog.level values (0 Information, 1 Warning, 2 Error); debug is stored as -1. */
export const LOG_LEVELS = { debug: '-1', info: '0', warn: '1', error: '2' } as const
export type LogLevel = keyof typeof LOG_LEVELS

export const SYSLOG_TABLE = 'syslog'
export const IMPORT_LOG_TABLE = 'import_log'

/** Adds the log tables to the dictionary when the store does not have them yet. */
export function ensureLogTables(db: Database): void {
  if (!db.tableExists(SYSLOG_TABLE)) {
    db.dictionary.define({
      name: SYSLOG_TABLE,
      label: 'System Log',
      wsAccess: true,
      columns: columnsFrom({ ...SYSTEM_COLUMNS, level: col.integer('Level', '0'), message: col.text('Message'), source: col.string('Source', 100) }),
    })
  }
  if (!db.tableExists(IMPORT_LOG_TABLE)) {
    db.dictionary.define({
      name: IMPORT_LOG_TABLE,
      label: 'Import Log',
      wsAccess: true,
      columns: columnsFrom({
        ...SYSTEM_COLUMNS,
        level: col.integer('Level', '0'),
        message: col.text('Message'),
        source: col.string('Source', 100),
        import_set: col.reference('Import set', 'sys_import_set'),
      }),
    })
  }
}

export function writeSyslog(db: Database, level: LogLevel, message: string, source: string, user: string): void {
  ensureLogTables(db)
  db.insert(SYSLOG_TABLE, { level: LOG_LEVELS[level], message, source }, { user })
}

export function writeImportLog(db: Database, level: LogLevel, message: string, source: string, importSetId: string, user: string): void {
  ensureLogTables(db)
  db.insert(IMPORT_LOG_TABLE, { level: LOG_LEVELS[level], message, source, import_set: importSetId }, { user })
}

/** Scoped gs.info('a {0} b {1}', x, y) substitution. */
export function formatMessage(message: unknown, params: readonly unknown[]): string {
  const text = message === undefined || message === null ? String(message) : String(message)
  if (params.length === 0) return text
  return text.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const i = Number(index)
    return i < params.length ? String(params[i]) : whole
  })
}
