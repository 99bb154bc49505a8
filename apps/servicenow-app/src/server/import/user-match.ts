// How a device's user becomes assigned_to (APP_SETTINGS.userMatch): by e-mail (the default, the behaviour before
// the setting), by user name, or not at all. The outcome is recorded on the MDM row (MDM_FIELDS.userMatch) so
// status counts unmatched users instead of dropping them silently.
import { APP_SETTINGS, PLATFORM_TABLES, USER_MATCH_MODES, USER_MATCH_OUTCOMES } from '../generated/contract.ts'
import type { Platform } from '../platform/types.ts'

export type UserMatchMode = (typeof USER_MATCH_MODES)[number]
export type UserMatchOutcome = (typeof USER_MATCH_OUTCOMES)[number]

export const DEFAULT_USER_MATCH: UserMatchMode = 'email'

export interface UserMatch {
  outcome: UserMatchOutcome
  sysId?: string
  /** why there is no user, for the row's notes */
  note?: string
}

/** The mode the property names; an unknown value falls back to the default, with a note saying so. */
export function parseUserMatchMode(raw: string): { mode: UserMatchMode; note?: string } {
  const value = raw.trim()
  if (value === '') return { mode: DEFAULT_USER_MATCH }
  if ((USER_MATCH_MODES as readonly string[]).includes(value)) return { mode: value as UserMatchMode }
  return { mode: DEFAULT_USER_MATCH, note: `${APP_SETTINGS.userMatch} "${value}" is not one of ${USER_MATCH_MODES.join(', ')}; matched by ${DEFAULT_USER_MATCH}. Fix the property` }
}

/**
 * The one active user whose e-mail or user name is the device's (assigned_to must name an existing user; facts 1.1).
 * `email` is the row's e-mail when it looks like one (device-mapping.ts warns about one that does not); `rawEmail`
 * tells "no e-mail" from "a malformed one".
 */
export function matchUser(platform: Platform, mode: UserMatchMode, row: { email?: string; rawEmail: string; userName: string }): UserMatch {
  if (mode === 'off') return { outcome: 'off' }
  if (mode === 'email' && row.email === undefined) return { outcome: row.rawEmail === '' ? 'no_user' : 'unmatched' }
  const value = mode === 'email' ? (row.email ?? '') : row.userName
  if (value === '') return { outcome: 'no_user' }
  const [field, label] = mode === 'email' ? ['email', 'e-mail'] : ['user_name', 'user name']
  const gr = platform.record(PLATFORM_TABLES.user)
  gr.addQuery(field, value)
  gr.addQuery('active', true)
  gr.setLimit(2)
  gr.query()
  const ids: string[] = []
  while (gr.next()) ids.push(gr.getUniqueValue())
  if (ids.length === 1) return { outcome: 'matched', sysId: ids[0] ?? '' }
  const note = ids.length === 0 ? `no active user has ${label} ${value}; assigned_to left empty` : `more than one active user has ${label} ${value}; assigned_to left empty`
  return { outcome: 'unmatched', note }
}
