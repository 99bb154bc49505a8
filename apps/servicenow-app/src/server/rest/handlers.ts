// The scripted REST API's behaviour, independent of RESTAPIRequest/RESTAPIResponse so it can be unit-tested.
import type { Platform } from '../platform/types.ts'
import { runSetup } from '../setup/discovery-source.ts'
import { verifyInstance } from '../verify/report.ts'
import { resolveSubject, type PersonError } from '../verify/subject.ts'

export interface HttpReply {
  status: number
  body: unknown
}

function problemReply(status: number, problem: PersonError): HttpReply {
  return { status, body: { error: problem } }
}

/** GET …/verify: 200 with the report (whatever its status); 400 when a parameter is unusable. */
export function handleVerify(platform: Platform, queryParams: unknown): HttpReply {
  const resolved = resolveSubject(queryParams, platform.property)
  if (!resolved.ok) return problemReply(400, resolved.problem)
  return { status: 200, body: verifyInstance(platform, resolved.subject) }
}

/**
 * POST …/repair: 200 with what changed; 409 when the instance's state stopped a repair (the body's failed
 * action says what to do).
 */
export function handleRepair(platform: Platform): HttpReply {
  const result = runSetup(platform)
  for (const action of result.actions) {
    const line = `Kandji repair: ${action.target}: ${action.action}: ${action.detail}`
    if (action.action === 'failed') platform.error(line)
    else platform.info(line)
  }
  return { status: result.actions.some((a) => a.action === 'failed') ? 409 : 200, body: result }
}

/** Turns an unexpected exception into a reply a person can act on, without a stack trace. */
export function unexpectedFailure(platform: Platform, route: string, err: unknown): HttpReply {
  const message = err instanceof Error ? err.message : String(err)
  platform.error(`Kandji ${route} failed: ${message}`)
  return problemReply(500, {
    error: `${route} failed on the instance: ${message}`,
    cause: 'an unexpected platform error (see the system log for the line starting "Kandji")',
    fix: 'retry; if it persists, reinstall the app and report the log line',
  })
}
