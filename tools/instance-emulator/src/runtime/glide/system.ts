// gs (GlideSystem, scoped) and GlidePluginManager. Logging goes to syslog with the calling scope as source.
import { escapeQueryValue } from '../../db/query.ts'
import { glideDateTime, newSysId } from '../../db/database.ts'
import type { ExecutionContext } from '../context.ts'
import { strictApi } from '../errors.ts'
import { queueEvent } from '../events.ts'
import { formatMessage, writeSyslog, type LogLevel } from '../syslog.ts'

const DAY_MS = 86_400_000

function startOfUtcDay(ms: number): number {
  const d = new Date(ms)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
}

function createUser(ctx: ExecutionContext): object {
  const user = {
    getID: () => ctx.user.sysId,
    getName: () => ctx.user.userName,
    getUserName: () => ctx.user.userName,
    getDisplayName: () => {
      const row = ctx.db.get('sys_user', ctx.user.sysId)
      return row?.name || ctx.user.userName
    },
    getEmail: () => ctx.db.get('sys_user', ctx.user.sysId)?.email ?? '',
    getFirstName: () => ctx.db.get('sys_user', ctx.user.sysId)?.first_name ?? '',
    getLastName: () => ctx.db.get('sys_user', ctx.user.sysId)?.last_name ?? '',
    hasRole: (role: unknown) => hasRole(ctx, role),
    getRoles: () => [...ctx.user.roles],
  }
  return strictApi(user, 'GlideUser')
}

/** gs.hasRole: admin has every role (GlideSystem docs: "returns true for users with the admin role"). */
function hasRole(ctx: ExecutionContext, role: unknown): boolean {
  if (ctx.user.roles.has('admin')) return true
  return String(role ?? '')
    .split(',')
    .map((r) => r.trim())
    .some((r) => r !== '' && ctx.user.roles.has(r))
}

export function createGlideSystem(ctx: ExecutionContext): object {
  const now = () => ctx.db.now().getTime()
  const log = (level: LogLevel, message: unknown, params: unknown[]) =>
    writeSyslog(ctx.db, level, formatMessage(message, params), ctx.scope, ctx.user.userName)
  const gs = {
    getProperty(name: unknown, fallback?: unknown): unknown {
      const row = ctx.db.query('sys_properties', `name=${escapeQueryValue(String(name ?? ''))}`, { limit: 1 })[0]
      if (!row) return fallback === undefined ? null : fallback
      return row.value ?? ''
    },
    setProperty(name: unknown, value: unknown, description?: unknown): void {
      const key = String(name ?? '')
      const row = ctx.db.query('sys_properties', `name=${escapeQueryValue(key)}`, { limit: 1 })[0]
      const text = value === null || value === undefined ? '' : String(value)
      if (row) ctx.db.update('sys_properties', row.sys_id as string, { value: text }, { user: ctx.user.userName })
      else ctx.db.insert('sys_properties', { name: key, value: text, description: description === undefined ? '' : String(description), sys_scope: ctx.scope }, { user: ctx.user.userName })
    },
    hasRole: (role: unknown) => hasRole(ctx, role),
    getUser: () => createUser(ctx),
    getUserID: () => ctx.user.sysId,
    getUserName: () => ctx.user.userName,
    getUserDisplayName: () => ctx.db.get('sys_user', ctx.user.sysId)?.name || ctx.user.userName,
    getCurrentScopeName: () => ctx.scope,
    log: (message: unknown, source?: unknown) =>
      writeSyslog(ctx.db, 'info', formatMessage(message, []), source === undefined ? ctx.scope : String(source), ctx.user.userName),
    info: (message: unknown, ...params: unknown[]) => log('info', message, params),
    warn: (message: unknown, ...params: unknown[]) => log('warn', message, params),
    error: (message: unknown, ...params: unknown[]) => log('error', message, params),
    debug: (message: unknown, ...params: unknown[]) => log('debug', message, params),
    isDebugging: () => false,
    nowDateTime: () => glideDateTime(new Date(now())),
    nowNoTZ: () => glideDateTime(new Date(now())),
    now: () => glideDateTime(new Date(now())).slice(0, 10),
    daysAgo: (days: unknown) => glideDateTime(new Date(now() - Number(days) * DAY_MS)),
    daysAgoStart: (days: unknown) => glideDateTime(new Date(startOfUtcDay(now() - Number(days) * DAY_MS))),
    daysAgoEnd: (days: unknown) => glideDateTime(new Date(startOfUtcDay(now() - Number(days) * DAY_MS) + DAY_MS - 1000)),
    beginningOfToday: () => glideDateTime(new Date(startOfUtcDay(now()))),
    endOfToday: () => glideDateTime(new Date(startOfUtcDay(now()) + DAY_MS - 1000)),
    generateGUID: () => newSysId(),
    nil: (value: unknown) => value === null || value === undefined || String(value) === '',
    isInteractive: () => false,
    eventQueue(name: unknown, record: unknown, parm1?: unknown, parm2?: unknown, queue?: unknown): void {
      queueEvent(ctx, ctx.unregisteredEvents ?? 'dropped', name, record, parm1, parm2, queue)
    },
  }
  return strictApi(gs, 'gs')
}

export function isPluginActive(ctx: ExecutionContext, pluginId: unknown): boolean {
  const row = ctx.db.query('sys_plugins', `source=${escapeQueryValue(String(pluginId ?? ''))}`, { limit: 1 })[0]
  return row?.active === 'active'
}

export function createGlidePluginManager(ctx: ExecutionContext): unknown {
  function GlidePluginManager(this: unknown) {
    return strictApi({ isActive: (id: unknown) => isPluginActive(ctx, id) }, 'GlidePluginManager')
  }
  ;(GlidePluginManager as unknown as { isActive: (id: unknown) => boolean }).isActive = (id: unknown) => isPluginActive(ctx, id)
  return strictApi(GlidePluginManager, 'GlidePluginManager')
}
