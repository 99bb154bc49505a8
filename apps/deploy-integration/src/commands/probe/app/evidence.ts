// Evidence of one request of the probe app's experiments: the request line and the answer's shape, never a value
// beyond names (contract probeEvidenceSchema). ServiceNowError messages are already redacted by the transport.
import type { ProbeEvidence, SwitchObservation } from '@kandji-sn/contract'
import { isServiceNowError } from '@kandji-sn/servicenow-client'

export function answered(request: string, status: number, answer: string): ProbeEvidence {
  return { request, status, answer: `${status} ${answer}` }
}

/** The evidence of a request that was refused or got no answer. */
export function refused(request: string, error: unknown): ProbeEvidence {
  if (isServiceNowError(error)) {
    const said = [error.snMessage, error.snDetail].filter(Boolean).map((s) => JSON.stringify(s))
    const status = error.status ?? null
    const answer = status === null ? `no answer (${error.kind})` : `${status} {error: ${said.join(', ') || error.kind}}`
    const at = `${error.method} ${error.path}`
    // The call may have failed at a request of its own (the UI session an upload opens first): say which.
    return { request: error.path && !request.startsWith(at) ? `${request}; failed at ${at}` : request, status, answer }
  }
  return { request, status: null, answer: `no answer (${error instanceof Error ? error.message : String(error)})` }
}

export function observed(value: string | boolean, evidence: ProbeEvidence[]): SwitchObservation {
  return { outcome: 'observed', value, evidence }
}

export function couldNotTell(reason: string, evidence: ProbeEvidence[]): SwitchObservation {
  return { outcome: 'could-not-tell', reason, evidence }
}

/** One line for a reason: what failed, and the client's hint when there is one. */
export function describe(error: unknown): string {
  if (isServiceNowError(error)) return `${error.message}${error.hint ? ` (${error.hint})` : ''}`
  return error instanceof Error ? error.message : String(error)
}

/** A step of an experiment failed; `evidence` holds its requests up to and with the failed one. */
export class ProbeStepError extends Error {
  override name = 'ProbeStepError'
  constructor(
    readonly reason: unknown,
    readonly evidence: ProbeEvidence[],
  ) {
    super(describe(reason), { cause: reason })
  }
}
