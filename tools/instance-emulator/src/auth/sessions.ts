// UI sessions (JSESSIONID cookie + X-UserToken), as `now-sdk install` uses them (fluent-sdk-findings 5).
import { randomBytes } from 'node:crypto'

export interface UiSession {
  id: string
  /** The CSRF token the instance hands out as x-usertoken-response and expects as X-UserToken / sysparm_ck. */
  userToken: string
  /** Unset until a login or an authenticated API call binds the session to a user. */
  userSysId?: string
}

export const SESSION_COOKIE = 'JSESSIONID'

export class SessionStore {
  readonly #sessions = new Map<string, UiSession>()

  create(userSysId?: string): UiSession {
    const session: UiSession = {
      id: randomBytes(16).toString('hex').toUpperCase(),
      userToken: randomBytes(32).toString('hex'),
      ...(userSysId ? { userSysId } : {}),
    }
    this.#sessions.set(session.id, session)
    return session
  }

  get(id: string | undefined): UiSession | undefined {
    return id ? this.#sessions.get(id) : undefined
  }

  destroyForUser(userSysId: string): void {
    for (const [id, s] of this.#sessions) if (s.userSysId === userSysId) this.#sessions.delete(id)
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  return out
}

export function sessionCookies(session: UiSession): string[] {
  return [`${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=None`, 'glide_user_route=glide.emulator; Path=/; HttpOnly']
}
