// User lookup and credential checks shared by basic auth, the OAuth grants and the UI login.
import type { Database } from '../db/database.ts'
import { glideDateTime } from '../db/database.ts'
import { grantRole, userRoleNames } from '../db/roles.ts'
import type { EmulatorSwitches, SessionUser, TableRecordRow } from '../types.ts'

export type CredentialFailure = 'unknown_user' | 'bad_password' | 'inactive' | 'locked_out'

export function findUser(db: Database, userName: string): TableRecordRow | undefined {
  if (!userName) return undefined
  for (const { row } of db.scan('sys_user')) if ((row.user_name ?? '').toLowerCase() === userName.toLowerCase()) return row
  return undefined
}

/** The instance verifies the user is active, not locked out, and the password matches (facts 3.3). */
export function checkCredentials(db: Database, userName: string, password: string): { user: TableRecordRow } | { failure: CredentialFailure } {
  const user = findUser(db, userName)
  if (!user) return { failure: 'unknown_user' }
  if (!db.checkPassword('sys_user', user.sys_id as string, 'user_password', password)) return { failure: 'bad_password' }
  return usable(user)
}

export function usable(user: TableRecordRow): { user: TableRecordRow } | { failure: CredentialFailure } {
  if (user.active === 'false') return { failure: 'inactive' }
  if (user.locked_out === 'true') return { failure: 'locked_out' }
  return { user }
}

/**
 * A successful login. At a user's first login the Explicit Roles plugin adds snc_internal directly to
 * sys_user_has_role unless the user is external (facts 2.2); only the first login writes, so request counters
 * are not disturbed by every basic-auth call.
 */
export function recordLogin(db: Database, user: TableRecordRow, switches: Pick<EmulatorSwitches, 'addSncInternalOnFirstLogin'>): void {
  if (user.last_login_time) return
  const sysId = user.sys_id as string
  if (switches.addSncInternalOnFirstLogin) {
    const roles = userRoleNames(db, sysId)
    if (!roles.has('snc_internal') && !roles.has('snc_external')) grantRole(db, sysId, 'snc_internal')
  }
  db.update('sys_user', sysId, { last_login_time: glideDateTime(db.now()) }, { user: user.user_name ?? 'system' })
}

export function sessionUser(db: Database, user: TableRecordRow, via: SessionUser['via'], oauthEntity?: string): SessionUser {
  return {
    sysId: user.sys_id as string,
    userName: user.user_name ?? '',
    roles: userRoleNames(db, user.sys_id as string),
    via,
    ...(oauthEntity ? { oauthEntity } : {}),
  }
}
