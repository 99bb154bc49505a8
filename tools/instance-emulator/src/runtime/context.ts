// What every Glide object needs to know about the script that is running: the store, the caller and the scope.
import type { Database } from '../db/database.ts'
import type { SessionUser } from '../types.ts'
import type { UnregisteredEvents } from './events.ts'

export type TableOperation = 'read' | 'write' | 'create' | 'delete'

export interface ExecutionContext {
  db: Database
  /** The user the script runs as (the REST caller, the importing user, the installer for fix scripts). */
  user: SessionUser
  /** Scope name of the running script ('global' or an app scope such as x_kandj_kandji). */
  scope: string
  /** Table ACL decision for the user (GlideRecordSecure, canRead/canWrite/...). */
  canAccess(table: string, operation: TableOperation): boolean
  /**
   * Cross-scope access (runtime access tracking and the table's application access, cross-scope.ts): false, with
   * the platform's message in the system log, when the script's scope may not do this on another scope's table.
   */
  scopeAllows(table: string, operation: TableOperation): boolean
  /** Longest a synchronous script may run (default SCRIPT_TIMEOUT_MS). */
  timeoutMs?: number
  /** IRE's settings (switches ireSkipDuplicates, ireDiscoverySource); defaults: true, 'insert-only'. */
  ire?: IreSettings
  /** What gs.eventQueue does with an unregistered event (switch unregisteredEvents); default 'dropped'. */
  unregisteredEvents?: UnregisteredEvents
}

export interface IreSettings {
  /** glide.identification_engine.skip_duplicates */
  skipDuplicates: boolean
  /** whether a matched CI's discovery_source is overwritten ('every-update', ire.md) or kept ('insert-only') */
  discoverySource: 'insert-only' | 'every-update'
  /** switch ireReclassification; default 'refused-unless-flagged' */
  reclassification?: 'refused-unless-flagged' | 'automatic' | 'update-without'
}
