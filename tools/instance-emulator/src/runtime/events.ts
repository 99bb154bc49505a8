// gs.eventQueue: an event is a sysevent row (name, instance = the record's sys_id, table, parm1, parm2, state
// 'ready') that the event processor later hands to the notifications and script actions registered for it
// (GlideSystem eventQueue, ServiceNowDocs api-reference/server-api-reference; build-workflows/system-events/
// c_EventRegistry.md: registration "lets other parts of the system, such as Email and SMS notifications and Script
// Actions, see the event"). The emulator does not process events: rows stay 'ready', for tests to read.
import type { Database } from '../db/database.ts'
import { columnsFrom, col } from '../db/dictionary.ts'
import { escapeQueryValue } from '../db/query.ts'
import { SYSTEM_COLUMNS } from '../db/platform-tables.ts'
import { glideDateTime } from '../db/database.ts'
import type { ExecutionContext } from './context.ts'

export const EVENT_TABLE = 'sysevent'
export const EVENT_REGISTRY_TABLE = 'sysevent_register'

/** What gs.eventQueue does with a name that has no sysevent_register row (switch unregisteredEvents). */
export type UnregisteredEvents = 'dropped' | 'queued'

export function ensureEventTables(db: Database): void {
  if (!db.tableExists(EVENT_TABLE)) {
    db.dictionary.define({
      name: EVENT_TABLE,
      label: 'Event',
      wsAccess: true,
      columns: columnsFrom({
        ...SYSTEM_COLUMNS,
        name: col.string('Name', 100),
        instance: col.string('Instance', 32),
        table: col.string('Table', 80),
        parm1: col.text('Parm1'),
        parm2: col.text('Parm2'),
        queue: col.string('Queue', 40),
        state: col.string('State', 40),
        process_on: col.dateTime('Process on'),
        user_id: col.string('User ID', 32),
        user_name: col.string('User name', 100),
      }),
    })
  }
  if (!db.tableExists(EVENT_REGISTRY_TABLE)) {
    db.dictionary.define({
      name: EVENT_REGISTRY_TABLE,
      label: 'Event Registration',
      wsAccess: true,
      columns: columnsFrom({
        ...SYSTEM_COLUMNS,
        event_name: col.string('Event name', 100),
        suffix: col.string('Suffix', 100),
        table: col.string('Table', 80),
        queue: col.string('Queue', 40),
        description: col.text('Description'),
        sys_scope: col.string('Application', 32),
      }),
    })
  }
}

interface RecordLike {
  getTableName?: () => unknown
  getUniqueValue?: () => unknown
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value)
}

/** Returns whether a row was queued. */
export function queueEvent(ctx: ExecutionContext, unregistered: UnregisteredEvents, name: unknown, record: unknown, parm1: unknown, parm2: unknown, queue: unknown): boolean {
  const db = ctx.db
  ensureEventTables(db)
  const eventName = text(name)
  if (eventName === '') throw new Error('gs.eventQueue: the event name is empty; pass the name registered in sysevent_register')
  const registered = db.query(EVENT_REGISTRY_TABLE, `event_name=${escapeQueryValue(eventName)}`, { limit: 1 }).length > 0
  if (!registered && unregistered === 'dropped') return false
  const gr = (record ?? {}) as RecordLike
  const table = typeof gr.getTableName === 'function' ? text(gr.getTableName()) : ''
  const instance = typeof gr.getUniqueValue === 'function' ? text(gr.getUniqueValue()) : ''
  db.insert(
    EVENT_TABLE,
    { name: eventName, instance, table, parm1: text(parm1), parm2: text(parm2), queue: text(queue), state: 'ready', process_on: glideDateTime(db.now()), user_id: ctx.user.sysId, user_name: ctx.user.userName },
    { user: ctx.user.userName },
  )
  return true
}
