// OAuth access and refresh tokens (opaque), with lifespans from the oauth_entity record.
import { randomBytes } from 'node:crypto'

export interface TokenRecord {
  token: string
  kind: 'access' | 'refresh'
  userSysId: string
  entitySysId: string
  /** Epoch milliseconds. */
  expiresAt: number
}

export class TokenStore {
  readonly #tokens = new Map<string, TokenRecord>()
  constructor(private readonly clock: () => Date) {}

  issue(kind: TokenRecord['kind'], userSysId: string, entitySysId: string, lifespanSeconds: number): TokenRecord {
    const record: TokenRecord = {
      token: randomBytes(32).toString('base64url'),
      kind,
      userSysId,
      entitySysId,
      expiresAt: this.clock().getTime() + lifespanSeconds * 1000,
    }
    this.#tokens.set(record.token, record)
    return record
  }

  /** A live token of that kind, or undefined when unknown or expired. */
  find(token: string, kind: TokenRecord['kind']): TokenRecord | undefined {
    const record = this.#tokens.get(token)
    if (!record || record.kind !== kind) return undefined
    if (record.expiresAt <= this.clock().getTime()) {
      this.#tokens.delete(token)
      return undefined
    }
    return record
  }

  /** "Access requests made within the expiration time of the access token always return the current access token" (facts 3.3). */
  current(kind: TokenRecord['kind'], userSysId: string, entitySysId: string): TokenRecord | undefined {
    const now = this.clock().getTime()
    for (const record of this.#tokens.values()) {
      if (record.kind === kind && record.userSysId === userSysId && record.entitySysId === entitySysId && record.expiresAt > now) return record
    }
    return undefined
  }

  /** Seconds until the token expires, as expires_in reports it (a fresh 1800 s token reports 1799). */
  expiresIn(record: TokenRecord): number {
    return Math.max(0, Math.ceil((record.expiresAt - this.clock().getTime()) / 1000) - 1)
  }

  revokeEntity(entitySysId: string): void {
    for (const [token, record] of this.#tokens) if (record.entitySysId === entitySysId) this.#tokens.delete(token)
  }

  export(): TokenRecord[] {
    return [...this.#tokens.values()]
  }

  import(records: readonly TokenRecord[]): void {
    for (const r of records) this.#tokens.set(r.token, { ...r })
  }
}
