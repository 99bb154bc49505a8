// One HTTP exchange with an instance: auth headers, per-attempt timeout, retries with full-jitter backoff, error
// classification, the onRequest hook and the redacted debug log. Every API module goes through `send`.
import type { ClientOptions, RequestEvent, ServiceNowErrorKind } from './types.ts'
import { classifyNetworkError, classifyStatus, HIBERNATING_HINT, LOGIN_REDIRECT_HINT, ServiceNowError, type AuthMode } from './errors.ts'
import { CALLS, type CallName } from './calls.ts'
import { describeQuery, redact } from './redact.ts'
import { cicdRefusalSchema, errorEnvelopeSchema } from './schemas.ts'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type QueryParams = Record<string, string | number | boolean | undefined>

export type RequestBody =
  | { type: 'json'; value: unknown }
  | { type: 'form'; value: URLSearchParams }
  | { type: 'multipart'; value: FormData }

/** How a request authenticates: sends headers, and may be told that the instance refused them. */
export interface Credentials {
  readonly mode: AuthMode
  headers(): Promise<Record<string, string>>
  /** Called on 401. Returns true when fresh credentials are worth one more try (a cached OAuth token). */
  invalidate?(): boolean
  /** Sees every response's headers (a UI session keeps its cookies current). */
  observe?(headers: Headers): void
}

export interface TransportRequest {
  method: HttpMethod
  path: string
  query?: QueryParams
  body?: RequestBody
  headers?: Record<string, string>
  credentials?: Credentials
  /**
   * What the request does (calls.ts). A repeatable call is retried on 429, 502/503/504, resets and timeouts. One that
   * is not is retried only when it certainly never reached the server (429, connection refused, DNS not answering);
   * after a reset, a timeout or a 5xx the error is thrown with retryable=true and the call's way to recover in the
   * hint, so the caller looks before trying again instead of doing the work twice.
   */
  call: CallName
  /** How to read a successful body; `json` and `xml` treat an HTML page as a hibernating instance. */
  expect: 'json' | 'xml' | 'text'
  /** Statuses returned to the caller instead of thrown. */
  acceptStatus?: readonly number[]
  /** This request's timeout instead of the client's per-request one (the app upload waits for the install). */
  timeoutMs?: number
}

export interface TransportResponse {
  status: number
  headers: Headers
  body: unknown
}

/** Added to the hint of a call that may have been processed (apps/deploy-integration rewrites this wording for admins). */
export function mayHaveBeenProcessed(call: CallName): string {
  const how = CALLS[call]
  return `the request may have been processed: ${'recover' in how ? how.recover : 're-read before sending it again'}`
}
const RETRYABLE_STATUSES = new Set([502, 503, 504])
/** Statuses whose meaning does not depend on the body: an HTML 401 is still a 401. */
const STATUS_WINS_OVER_HTML = new Set([401, 403, 404, 429])

export class Transport {
  readonly origin: string
  private readonly host: string
  private readonly secrets = new Set<string>()
  private readonly fetchImpl: typeof fetch
  private readonly sleep: (ms: number) => Promise<void>
  private readonly maxAttempts: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  readonly timeoutMs: number
  private readonly maxBodyBytes: number

  constructor(private readonly options: ClientOptions, origin: string) {
    this.origin = origin
    this.host = new URL(origin).host
    this.fetchImpl = options.fetch ?? globalThis.fetch
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.maxAttempts = positiveInt(options.retry?.maxAttempts, 4, 'retry.maxAttempts')
    this.baseDelayMs = positiveInt(options.retry?.baseDelayMs, 250, 'retry.baseDelayMs', true)
    this.maxDelayMs = positiveInt(options.retry?.maxDelayMs, 8000, 'retry.maxDelayMs', true)
    this.timeoutMs = positiveInt(options.timeoutMs, 30_000, 'timeoutMs')
    this.maxBodyBytes = positiveInt(options.maxResponseBytes, MAX_RESPONSE_BYTES, 'maxResponseBytes')
  }

  /** Registers a value that must never appear in a log line or an error (passwords, tokens, cookies). */
  addSecret(value: string | undefined): void {
    if (value) this.secrets.add(value)
  }

  redact(text: string): string {
    return redact(text, [...this.secrets])
  }

  log(line: string): void {
    this.options.logger?.(this.redact(line))
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    const url = new URL(req.path, this.origin)
    if (url.origin !== this.origin) throw new TypeError(`path ${JSON.stringify(req.path)} leaves the instance`)
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) params.set(key, String(value))
    url.search = params.toString()
    const shown = `${req.method} ${url.pathname}${params.size > 0 ? `?${describeQuery(params)}` : ''}`
    const authMode: AuthMode = req.credentials?.mode ?? 'none'
    const repeatable = CALLS[req.call].repeatable

    let attempt = 0
    let refreshedCredentials = false
    for (;;) {
      attempt += 1
      const headers: Record<string, string> = {
        Accept: 'application/json',
        'User-Agent': this.options.userAgent ?? 'kandji-sn-client',
        ...contentType(req.body),
        ...req.headers,
        ...(await req.credentials?.headers()),
      }
      const started = performance.now()
      let response: Response
      let text: string
      try {
        response = await this.fetchImpl(url, {
          method: req.method,
          headers,
          body: encodeBody(req.body),
          // A hibernating developer instance redirects to a login page elsewhere; never follow credentials there.
          redirect: 'manual',
          signal: AbortSignal.timeout(req.timeoutMs ?? this.timeoutMs),
        })
        text = await readBody(response, this.maxBodyBytes)
      } catch (error) {
        if (error instanceof BodyTooLarge) throw this.tooLarge(req.method, url.pathname, error.status)
        const failure = classifyNetworkError(error, this.host)
        const durationMs = elapsed(started)
        this.emit({ method: req.method, path: url.pathname, status: undefined, durationMs, attempt, errorKind: failure.kind })
        this.log(`${shown} -> ${failure.code} (${durationMs} ms)`)
        const mayRepeat = failure.transient && (repeatable || failure.notSent)
        if (mayRepeat && attempt < this.maxAttempts) {
          await this.backoff(attempt, undefined)
          continue
        }
        const blocked = failure.transient && !mayRepeat
        throw new ServiceNowError({
          kind: failure.kind,
          message: this.redact(
            `${req.method} ${url.pathname} failed: ${failure.code}` +
              (blocked ? ' (not repeated: the request may have reached the instance)' : attempt > 1 ? ` after ${attempt} attempts` : ''),
          ),
          hint: blocked ? `${failure.hint}; ${mayHaveBeenProcessed(req.call)}` : failure.hint,
          method: req.method,
          path: url.pathname,
          retryable: failure.transient,
          mayHaveBeenProcessed: blocked,
          cause: error,
        })
      }

      const durationMs = elapsed(started)
      this.emit({ method: req.method, path: url.pathname, status: response.status, durationMs, attempt })
      this.log(`${shown} -> ${response.status} (${durationMs} ms)`)
      req.credentials?.observe?.(response.headers)

      const status = response.status
      const html = looksLikeHtml(response.headers, text)
      if ((status >= 200 && status < 300) || req.acceptStatus?.includes(status)) {
        if (html && req.expect !== 'text') throw this.hibernating(req.method, url.pathname, status)
        return { status, headers: response.headers, body: req.expect === 'json' ? this.parseJson(text, req.method, url.pathname, status) : text }
      }
      if (status >= 300 && status < 400) throw this.redirected(req.method, url.pathname, status, response.headers.get('location'))

      if (status === 401 && !refreshedCredentials && req.credentials?.invalidate?.()) {
        refreshedCredentials = true
        attempt -= 1 // a token refresh is not a failed attempt
        continue
      }

      const retryAfterSeconds = status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : undefined
      const error = this.statusError(req.method, url.pathname, status, text, html, authMode, retryAfterSeconds)
      if (attempt < this.maxAttempts) {
        if (status === 429) {
          // A 429 was refused before any work was done, so even a create may be sent again. A wait longer than the cap
          // (an hourly rule) is not worth blocking on: the caller gets the error and the hint says how long.
          const waitMs = retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000
          if (waitMs === undefined || waitMs <= this.maxDelayMs) {
            await this.backoff(attempt, waitMs)
            continue
          }
        } else if (RETRYABLE_STATUSES.has(status) && repeatable) {
          await this.backoff(attempt, undefined)
          continue
        }
      }
      if (!repeatable && status >= 500) {
        error.hint = `${error.hint}; ${mayHaveBeenProcessed(req.call)}`
        error.mayHaveBeenProcessed = true
      }
      throw error
    }
  }

  private emit(event: RequestEvent): void {
    this.options.onRequest?.(event)
  }

  private async backoff(attempt: number, fixedMs: number | undefined): Promise<void> {
    // Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in [0, min(cap, base * 2^n)).
    const ms = fixedMs ?? Math.floor(Math.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)))
    this.log(`  retry ${attempt + 1}/${this.maxAttempts} in ${ms} ms`)
    await this.sleep(ms)
  }

  private parseJson(text: string, method: string, path: string, status: number): unknown {
    if (text.trim() === '') return undefined
    try {
      return JSON.parse(text)
    } catch (cause) {
      throw new ServiceNowError({
        kind: 'invalid_response',
        message: `${method} ${path} answered ${status} with a body that is not JSON`,
        hint: 'the instance (or a proxy in front of it) sent something unexpected: check the URL points at the instance itself',
        method,
        path,
        status,
        cause,
      })
    }
  }

  private tooLarge(method: string, path: string, status: number): ServiceNowError {
    return new ServiceNowError({
      kind: 'invalid_response',
      message: `${method} ${path} answered ${status} with a body larger than ${megabytes(this.maxBodyBytes)}`,
      hint: `the answer was larger than ${megabytes(this.maxBodyBytes)} and was not read further (no ServiceNow answer this client asks for is that large): check the URL points at the instance itself, not a proxy or a file server`,
      method,
      path,
      status,
    })
  }

  /** A redirect is never followed: to the instance's own pages it is a sign-in it wants, elsewhere a sleeping developer instance. */
  private redirected(method: string, path: string, status: number, location: string | null): ServiceNowError {
    let target: URL | undefined
    try {
      target = location ? new URL(location, this.origin) : undefined
    } catch {
      target = undefined
    }
    if (target?.origin !== this.origin) return this.hibernating(method, path, status, location)
    return new ServiceNowError({
      kind: 'login_redirect',
      message: `${method} ${path} answered ${status} with a redirect to ${target.pathname} on the instance instead of JSON`,
      hint: LOGIN_REDIRECT_HINT,
      method,
      path,
      status,
      retryable: true,
    })
  }

  private hibernating(method: string, path: string, status: number, location?: string | null): ServiceNowError {
    let where = ''
    if (location) {
      try {
        where = ` to ${new URL(location, this.origin).host}`
      } catch {
        where = ''
      }
    }
    return new ServiceNowError({
      kind: 'hibernating',
      message: `${method} ${path} answered ${status} with ${location === undefined ? 'an HTML page' : `a redirect${where}`} instead of JSON`,
      hint: HIBERNATING_HINT,
      method,
      path,
      status,
      retryable: true,
    })
  }

  private statusError(
    method: string,
    path: string,
    status: number,
    text: string,
    html: boolean,
    authMode: AuthMode,
    retryAfterSeconds: number | undefined,
  ): ServiceNowError {
    const { snMessage, snDetail } = parseErrorBody(text)
    if (html && !STATUS_WINS_OVER_HTML.has(status)) return this.hibernating(method, path, status)
    const classified = classifyStatus({ status, method, path, snMessage, snDetail, authMode, retryAfterSeconds })
    const said = [snMessage, snDetail].filter(Boolean).join(': ')
    return new ServiceNowError({
      kind: classified.kind,
      message: this.redact(`${method} ${path} failed: ${status}${said ? ` ${said}` : ''}`),
      hint: classified.hint,
      method,
      path,
      status,
      ...(snMessage !== undefined ? { snMessage: this.redact(snMessage) } : {}),
      ...(snDetail !== undefined ? { snDetail: this.redact(snDetail) } : {}),
      retryable: classified.retryable,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    })
  }
}

/**
 * ServiceNow's `{"error":{"message","detail"},"status":"failure"}`, a CI/CD refusal's `{"result":{"error","status_message"}}`
 * (sncicd-install-app src/App.ts), or the OAuth `{"error","error_description"}`.
 */
export function parseErrorBody(text: string): { snMessage?: string; snDetail?: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return {}
  }
  const envelope = errorEnvelopeSchema.safeParse(json)
  if (envelope.success) {
    const out: { snMessage?: string; snDetail?: string } = {}
    if (envelope.data.error.message) out.snMessage = envelope.data.error.message
    if (envelope.data.error.detail) out.snDetail = envelope.data.error.detail
    return out
  }
  const cicd = cicdRefusalSchema.safeParse(json)
  if (cicd.success) {
    const { error, status_message: statusMessage, status_detail: statusDetail } = cicd.data.result
    const message = error || statusMessage
    if (message) {
      const detail = [error && statusMessage && statusMessage !== error ? statusMessage : undefined, statusDetail].filter(Boolean).join(': ')
      return detail ? { snMessage: message, snDetail: detail } : { snMessage: message }
    }
  }
  const oauth = json as { error?: unknown; error_description?: unknown }
  if (oauth && typeof oauth.error === 'string') {
    const out: { snMessage?: string; snDetail?: string } = { snMessage: oauth.error }
    if (typeof oauth.error_description === 'string') out.snDetail = oauth.error_description
    return out
  }
  return {}
}

/** The largest answer read: a Table API page of 1,000 full CMDB records is a few MiB. A larger one is refused, not buffered. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024

class BodyTooLarge extends Error {
  constructor(readonly status: number) {
    super('body too large')
  }
}

const megabytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`)

/** The body as text, reading no more than `limit` bytes (Content-Length says so first, else counted while reading). */
async function readBody(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined)
    throw new BodyTooLarge(response.status)
  }
  if (!response.body) return ''
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw new BodyTooLarge(response.status)
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(Buffer.concat(chunks, size)) // as Response.text(): UTF-8, a byte-order mark dropped
}

function contentType(body: RequestBody | undefined): Record<string, string> {
  if (!body) return {}
  if (body.type === 'json') return { 'Content-Type': 'application/json' }
  if (body.type === 'form') return { 'Content-Type': 'application/x-www-form-urlencoded' }
  return {} // fetch sets multipart/form-data with its boundary
}

function encodeBody(body: RequestBody | undefined): string | FormData | undefined {
  if (!body) return undefined
  if (body.type === 'json') return JSON.stringify(body.value)
  if (body.type === 'form') return body.value.toString()
  return body.value
}

function looksLikeHtml(headers: Headers, text: string): boolean {
  const type = headers.get('content-type') ?? ''
  if (type.includes('text/html')) return true
  if (type.includes('json')) return false
  return /^\s*<(!doctype html|html|head|body)\b/i.test(text)
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started)
}

function positiveInt(value: number | undefined, fallback: number, name: string, allowZero = false): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw new TypeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`)
  return value
}

export type { ServiceNowErrorKind }
