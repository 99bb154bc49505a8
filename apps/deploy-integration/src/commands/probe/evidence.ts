// One request of an experiment and what it tells: the status and the answer's shape, never a value beyond names
// (the contract's probeEvidenceSchema). Secrets never reach it: the request line carries names only, and the
// instance's messages come through the client, which redacts them.
import type { ProbeEvidence } from '@kandji-sn/contract'
import { isServiceNowError, redact, type RawRequest, type ServiceNowClient, type ServiceNowError } from '@kandji-sn/servicenow-client'

export interface Answer {
  status: number
  body: unknown
  /** The instance's error message (error.message) of a 4xx answer. */
  message?: string
  /** Its error.detail. */
  detail?: string
}

/** `GET /api/now/table/sys_user?sysparm_limit=1`: the request as a line, secret-looking parameters masked. */
export function requestLine(request: Pick<RawRequest, 'method' | 'path' | 'query'>, note?: string): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) params.set(k, String(v))
  const query = params.size > 0 ? `?${decodeURIComponent(params.toString())}` : ''
  return redact(`${request.method} ${request.path}${query}${note ? ` (${note})` : ''}`, [])
}

/** The shape of a Table API answer: `200 {result: [2 records]}`, `200 {result: {name, value}}`. */
export function shapeOf(status: number, body: unknown): string {
  const result = (body as { result?: unknown } | undefined)?.result
  if (Array.isArray(result)) return `${status} {result: [${result.length} record${result.length === 1 ? '' : 's'}]}`
  if (result && typeof result === 'object') return `${status} {result: {${Object.keys(result).sort().join(', ')}}}`
  if (body && typeof body === 'object') return `${status} {${Object.keys(body).sort().join(', ')}}`
  return `${status}`
}

export function errorShape(error: ServiceNowError): string {
  return `${error.status ?? 'no answer'} {error.message: ${JSON.stringify(error.snMessage ?? '')}}`
}

/** A 4xx other than 429 is an answer the experiment reads; anything else (network, 5xx, 429) ends the experiment. */
function isAnswer(error: unknown): error is ServiceNowError & { status: number } {
  return isServiceNowError(error) && error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429
}

/** Sends one raw request and returns the answer, also when it is a refusal, with its evidence line. */
export async function send(client: ServiceNowClient, request: RawRequest, note?: string): Promise<{ answer: Answer; evidence: ProbeEvidence }> {
  const line = requestLine(request, note)
  try {
    const response = await client.request(request)
    return { answer: { status: response.status, body: response.body }, evidence: { request: line, status: response.status, answer: shapeOf(response.status, response.body) } }
  } catch (error) {
    if (!isAnswer(error)) throw error
    return {
      answer: { status: error.status, body: undefined, message: error.snMessage ?? '', detail: error.snDetail ?? '' },
      evidence: { request: line, status: error.status, answer: errorShape(error) },
    }
  }
}

/** The records of a Table API list answer (an empty list when it had none). */
export function recordsOf(answer: Answer): Record<string, unknown>[] {
  const result = (answer.body as { result?: unknown } | undefined)?.result
  return Array.isArray(result) ? (result as Record<string, unknown>[]) : []
}

/** Stops an experiment at its next step once Ctrl-C was pressed. */
export function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new ProbeInterrupted()
}

export class ProbeInterrupted extends Error {
  override name = 'ProbeInterrupted'
  constructor() {
    super('interrupted')
  }
}
