// Injected faults, at the nth matching request, on a path pattern and/or by predicate. Before processing: a status
// (e.g. 429 with Retry-After), a connection reset, no answer, a hibernating instance's HTML page, a redirect to the
// login page. After processing (the work is done, the answer is lost): a reset, an answer that never finishes, an
// answer that comes too late.
import type { FaultKind, FaultRule } from './types.ts'

/** The kinds that let the instance do the work first: the client cannot tell whether it was done. */
export const FAULTS_AFTER_PROCESSING: ReadonlySet<FaultKind['kind']> = new Set(['reset-after', 'hang-after', 'slow'])

export function firesAfterProcessing(rule: FaultRule): boolean {
  return FAULTS_AFTER_PROCESSING.has(rule.kind)
}

interface ActiveRule {
  rule: FaultRule
  seen: number
  fired: number
}

export class FaultInjector {
  #rules: ActiveRule[] = []

  constructor(rules: readonly FaultRule[] = []) {
    for (const rule of rules) this.add(rule)
  }

  add(rule: FaultRule): void {
    if (rule.nth !== undefined && (!Number.isInteger(rule.nth) || rule.nth < 1)) throw new Error(`fault rule nth must be a positive integer, got ${rule.nth}`)
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) throw new Error(`fault rule times must be a positive integer, got ${rule.times}`)
    if (rule.kind === 'status' && (!Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)) throw new Error(`fault rule status must be an HTTP status, got ${rule.status}`)
    if (rule.kind === 'slow' && (!Number.isInteger(rule.delayMs) || rule.delayMs < 0)) throw new Error(`fault rule delayMs must be a non-negative integer, got ${rule.delayMs}`)
    if (rule.kind === 'login-redirect' && rule.location !== undefined && !rule.location.startsWith('/') && !/^https?:\/\//.test(rule.location)) {
      throw new Error(`fault rule location must be a path or an http(s) URL, got ${JSON.stringify(rule.location)}`)
    }
    this.#rules.push({ rule, seen: 0, fired: 0 })
  }

  clear(): void {
    this.#rules = []
  }

  /** Counts the request against every rule it matches; returns the first rule that fires. */
  match(method: string, path: string, pathAndQuery: string, query: URLSearchParams): FaultRule | undefined {
    let firing: FaultRule | undefined
    for (const active of this.#rules) {
      const { rule } = active
      if (rule.method && rule.method.toUpperCase() !== method) continue
      if (typeof rule.path === 'string' && !path.startsWith(rule.path)) continue
      if (rule.path instanceof RegExp && !rule.path.test(pathAndQuery)) continue
      if (rule.when && !rule.when({ method, path, query })) continue
      active.seen++
      const nth = rule.nth ?? 1
      const times = rule.times ?? (rule.nth !== undefined ? 1 : Number.POSITIVE_INFINITY)
      if (!firing && active.seen >= nth && active.fired < times) {
        active.fired++
        firing = rule
      }
    }
    return firing
  }
}

/** What an instance answers when the rate limit is exceeded (SN docs "Inbound REST API rate limiting", facts 4.1). */
export const RATE_LIMIT_BODY = {
  error: { message: 'Rate limit exceeded', detail: 'Rate limit of 100 requests per hour for Table API exceeded' },
  status: 'failure',
} as const

export function defaultFaultBody(status: number): unknown {
  if (status === 429) return RATE_LIMIT_BODY
  return { error: { message: `Injected fault: HTTP ${status}`, detail: 'This response was injected by the emulator (FaultRule)' }, status: 'failure' }
}

/** A developer instance that is asleep answers API calls with this page instead of JSON. */
export const HIBERNATING_PAGE = `<!DOCTYPE html>
<html><head><title>Instance Hibernating page</title></head>
<body><div class="instance-hibernating">
<h1>Your instance is hibernating</h1>
<p>Developer instances hibernate when they are not used. Sign in to the developer portal to wake it up.</p>
</div></body></html>
`

/** Where an instance sends a browser (or a client) that has no session: its login page. */
export const LOGIN_PAGE_PATH = '/login.do'
