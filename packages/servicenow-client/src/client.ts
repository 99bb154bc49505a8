import type { AuthConfig, ClientOptions, RawRequest, RawResponse, ServiceNowClient } from './types.ts'
import { createAppApi } from './app.ts'
import { createImportSetApi } from './import-set.ts'
import { ApiKeyCredentials, BasicCredentials, BearerCredentials, createOAuthApi, OAuthCredentials } from './oauth.ts'
import { createScriptedRestApi } from './scripted-rest.ts'
import { createTableApi } from './table.ts'
import { Transport, type Credentials, type HttpMethod } from './transport.ts'

/**
 * A client for one instance. Every call authenticates with `options.auth`, retries what is safe to retry, throws
 * ServiceNowError for anything the instance or the network did, and never logs or reports a secret.
 *
 * Retries: GET, PATCH and DELETE are retried on 429 (honouring Retry-After up to the delay cap), 502/503/504, resets
 * and timeouts, with full-jitter exponential backoff. A POST that creates (table create, import set rows, app install,
 * scripted REST post) is NEVER repeated once it may have reached the instance (a reset or timeout after sending, a
 * 5xx): the error is thrown with `retryable: true`, and the caller re-reads by natural key (`table.findOne`) before
 * deciding to send it again. Only when the request certainly did not arrive (429, connection refused) is it resent.
 */
export function createClient(options: ClientOptions): ServiceNowClient {
  if (!options || typeof options !== 'object') throw new TypeError('createClient needs options: { instance, auth }')
  const origin = instanceOrigin(options.instance)
  const auth = checkAuth(options.auth)
  const transport = new Transport(options, origin)
  const oauth = createOAuthApi(transport)
  const credentials = makeCredentials(auth, transport, oauth)
  const current = () => credentials

  const table = createTableApi(transport, current)

  return {
    instance: origin,
    table,
    oauth,
    importSet: createImportSetApi(transport, current),
    rest: createScriptedRestApi(transport, current),
    app: createAppApi({
      transport,
      auth,
      credentials: current,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      table,
      ...(options.installTimeoutMs !== undefined ? { installTimeoutMs: options.installTimeoutMs } : {}),
    }),
    async request<T = unknown>(request: RawRequest): Promise<RawResponse<T>> {
      const method = request?.method as HttpMethod
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw new TypeError(`unsupported method ${JSON.stringify(request?.method)}`)
      if (typeof request.path !== 'string' || !request.path.startsWith('/') || request.path.includes('?') || request.path.includes('#')) {
        throw new TypeError(`request path must start with "/" and carry no query string (use query): ${JSON.stringify(request.path)}`)
      }
      const response = await transport.send({
        method,
        path: request.path,
        ...(request.query ? { query: request.query } : {}),
        ...(request.body === undefined ? {} : { body: { type: 'json' as const, value: request.body } }),
        ...(request.headers ? { headers: request.headers } : {}),
        credentials,
        call: method === 'POST' ? 'rawPost' : method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : 'update',
        expect: 'json',
      })
      return { status: response.status, headers: response.headers, body: response.body as T }
    },
  }
}

function makeCredentials(auth: AuthConfig, transport: Transport, oauth: ReturnType<typeof createOAuthApi>): Credentials | undefined {
  switch (auth.type) {
    case 'basic':
      return new BasicCredentials(auth.user, auth.password, transport)
    case 'bearer':
      return new BearerCredentials(auth.token, transport)
    case 'password':
      transport.addSecret(auth.password)
      transport.addSecret(auth.clientSecret)
      return new OAuthCredentials(auth, oauth)
    case 'client_credentials':
      transport.addSecret(auth.clientSecret)
      return new OAuthCredentials(auth, oauth)
    case 'none':
      return undefined
    case 'apikey':
      return new ApiKeyCredentials(auth.key, transport)
  }
}

function instanceOrigin(instance: string): string {
  let url: URL
  try {
    url = new URL(instance)
  } catch {
    throw new TypeError(`instance must be a URL such as https://acme.service-now.com (parse user input with the contract's parseInstanceUrl), got ${JSON.stringify(instance)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`instance must use https (or http for a local emulator), got ${url.protocol}`)
  if (url.username || url.password) throw new TypeError('instance must not contain credentials: pass them in auth')
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) throw new TypeError(`instance must be an origin only (no path, query or fragment): use ${url.origin}`)
  return url.origin
}

function checkAuth(auth: AuthConfig): AuthConfig {
  const required: Record<AuthConfig['type'], string[]> = {
    basic: ['user', 'password'],
    password: ['clientId', 'clientSecret', 'user', 'password'],
    client_credentials: ['clientId', 'clientSecret'],
    bearer: ['token'],
    none: [],
    apikey: ['key'],
  }
  const fields = auth && typeof auth === 'object' ? required[auth.type] : undefined
  if (!fields) throw new TypeError(`auth.type must be one of ${Object.keys(required).join(', ')}`)
  for (const field of fields) {
    const value = (auth as unknown as Record<string, unknown>)[field]
    if (typeof value !== 'string' || value === '') throw new TypeError(`auth (${auth.type}) needs a non-empty ${field}`)
  }
  // A header value: whitespace or a control character would be refused by fetch or split the header.
  const headerValue = auth.type === 'bearer' ? auth.token : auth.type === 'apikey' ? auth.key : undefined
  if (headerValue !== undefined && /[\s\x00-\x1f\x7f]/.test(headerValue)) throw new TypeError(`auth (${auth.type}) must not contain whitespace or control characters`)
  return auth
}
