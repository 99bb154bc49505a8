// OAuth against /oauth_token.do and the token cache the client authenticates with.
import { ADMIN_SIGN_IN } from '@kandji-sn/contract/constants'
import type { AuthConfig, GrantRequest, OAuthApi, TokenResponse } from './types.ts'
import { isServiceNowError, ServiceNowError } from './errors.ts'
import { describeIssue, tokenResponseSchema } from './schemas.ts'
import type { Credentials, Transport } from './transport.ts'

export const TOKEN_PATH = '/oauth_token.do'

export function createOAuthApi(transport: Transport): OAuthApi {
  return {
    async requestToken(grant: GrantRequest): Promise<TokenResponse> {
      validateGrant(grant)
      transport.addSecret(grant.client_secret)
      if (grant.grant_type === 'password') transport.addSecret(grant.password)
      if (grant.grant_type === 'refresh_token') transport.addSecret(grant.refresh_token)
      // Form-encoded only: "A content-type of application/json results in an unspecified error" (SN docs, OAuth API
      // request parameters). The grant creates nothing durable, so it may be retried like a GET.
      let response
      try {
        response = await transport.send({
          method: 'POST',
          path: TOKEN_PATH,
          body: { type: 'form', value: new URLSearchParams(grant as unknown as Record<string, string>) },
          call: 'tokenGrant',
          expect: 'json',
        })
      } catch (error) {
        if (isServiceNowError(error) && (error.kind === 'auth' || error.kind === 'bad_request' || error.kind === 'permission')) {
          error.kind = 'auth'
          error.hint = grantHint(grant.grant_type)
        }
        throw error
      }
      const parsed = tokenResponseSchema.safeParse(response.body)
      if (!parsed.success) {
        throw new ServiceNowError({
          kind: 'invalid_response',
          message: `POST ${TOKEN_PATH} answered an unexpected token response: ${describeIssue(parsed.error)}`,
          hint: 'the instance (or a proxy) did not answer like ServiceNow OAuth: check the instance URL',
          method: 'POST',
          path: TOKEN_PATH,
          status: response.status,
        })
      }
      transport.addSecret(parsed.data.access_token)
      transport.addSecret(parsed.data.refresh_token)
      const token: TokenResponse = { access_token: parsed.data.access_token, token_type: parsed.data.token_type, expires_in: parsed.data.expires_in }
      if (parsed.data.refresh_token !== undefined) token.refresh_token = parsed.data.refresh_token
      if (parsed.data.scope !== undefined) token.scope = parsed.data.scope
      return token
    },
  }
}

function validateGrant(grant: GrantRequest): void {
  const required: Record<GrantRequest['grant_type'], string[]> = {
    password: ['client_id', 'client_secret', 'username', 'password'],
    refresh_token: ['client_id', 'client_secret', 'refresh_token'],
    client_credentials: ['client_id', 'client_secret'],
  }
  const fields = required[grant?.grant_type]
  if (!fields) throw new TypeError(`unsupported grant_type ${JSON.stringify(grant?.grant_type)}: use password, refresh_token or client_credentials`)
  for (const field of fields) {
    const value = (grant as unknown as Record<string, unknown>)[field]
    if (typeof value !== 'string' || value === '') throw new TypeError(`the ${grant.grant_type} grant needs a non-empty ${field}`)
  }
}

function grantHint(grantType: GrantRequest['grant_type']): string {
  const common = 'the OAuth client must be active (System OAuth > Application Registry) and the id and secret must match it; the instance system log has the exact reason'
  if (grantType === 'password') return `the token was refused: check the client id and secret and the user's name and password (user active, not locked out); ${common}`
  if (grantType === 'refresh_token') return `the refresh token was refused (expired or revoked): request a new token with the password grant; ${common}`
  return `the client-credentials token was refused: the grant must be enabled (${ADMIN_SIGN_IN.clientCredentialsProperty}=true) and the client needs an OAuth application user; ${common}`
}

type OAuthConfig = Extract<AuthConfig, { type: 'password' | 'client_credentials' }>

interface CachedToken {
  accessToken: string
  refreshToken?: string
  expiresAt: number
  refreshAt: number
}

/**
 * Bearer credentials from an OAuth grant. The token is cached and renewed shortly before it expires (with the refresh
 * token when the grant gave one, else a new grant); concurrent requests share one renewal. A 401 drops the cached
 * access token so the next attempt renews it once.
 */
export class OAuthCredentials implements Credentials {
  readonly mode = 'oauth' as const
  private token: CachedToken | undefined
  private renewing: Promise<string> | undefined

  constructor(
    private readonly config: OAuthConfig,
    private readonly oauth: OAuthApi,
    private readonly now: () => number = Date.now,
  ) {}

  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.accessToken()}` }
  }

  async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.accessToken
    this.renewing ??= this.renew().finally(() => {
      this.renewing = undefined
    })
    return this.renewing
  }

  invalidate(): boolean {
    if (!this.token) return false
    this.token = { ...this.token, refreshAt: 0 }
    return true
  }

  private async renew(): Promise<string> {
    const refreshToken = this.token?.refreshToken
    if (refreshToken) {
      try {
        return this.store(
          await this.oauth.requestToken({
            grant_type: 'refresh_token',
            client_id: this.config.clientId,
            client_secret: this.config.clientSecret,
            refresh_token: refreshToken,
          }),
          refreshToken,
        )
      } catch (error) {
        // An expired or revoked refresh token: fall back to a full grant. Anything else (network) is the caller's.
        if (!isServiceNowError(error) || error.kind !== 'auth') throw error
      }
    }
    return this.store(await this.oauth.requestToken(this.grant()), undefined)
  }

  private grant(): GrantRequest {
    const { clientId: client_id, clientSecret: client_secret } = this.config
    if (this.config.type === 'password') {
      return { grant_type: 'password', client_id, client_secret, username: this.config.user, password: this.config.password }
    }
    return { grant_type: 'client_credentials', client_id, client_secret }
  }

  private store(response: TokenResponse, previousRefresh: string | undefined): string {
    const lifespanMs = Math.max(0, response.expires_in * 1000)
    const issued = this.now()
    // Renew a minute early (or halfway through a short-lived token) so a request never carries an expired token.
    const margin = Math.min(60_000, lifespanMs / 2)
    const token: CachedToken = { accessToken: response.access_token, expiresAt: issued + lifespanMs, refreshAt: issued + lifespanMs - margin }
    // The refresh grant "returns only an access token" (SN docs): keep the refresh token we had.
    const refresh = response.refresh_token ?? previousRefresh
    if (refresh) token.refreshToken = refresh
    this.token = token
    return token.accessToken
  }
}

export class BasicCredentials implements Credentials {
  readonly mode = 'basic' as const
  private readonly header: string
  constructor(user: string, password: string, transport: Transport) {
    const encoded = Buffer.from(`${user}:${password}`).toString('base64')
    transport.addSecret(password)
    transport.addSecret(encoded)
    this.header = `Basic ${encoded}`
  }
  async headers(): Promise<Record<string, string>> {
    return { Authorization: this.header }
  }
}

/** A REST API key (plugin com.glide.tokenbased_auth): sent in the x-sn-apikey header (configure-api-key.md). */
export class ApiKeyCredentials implements Credentials {
  readonly mode = 'apikey' as const
  constructor(private readonly key: string, transport: Transport) {
    transport.addSecret(key)
  }
  async headers(): Promise<Record<string, string>> {
    return { [ADMIN_SIGN_IN.apiKeyHeader]: this.key }
  }
}

export class BearerCredentials implements Credentials {
  readonly mode = 'bearer' as const
  constructor(private readonly token: string, transport: Transport) {
    transport.addSecret(token)
  }
  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${this.token}` }
  }
}
