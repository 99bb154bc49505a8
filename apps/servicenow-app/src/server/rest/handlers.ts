// The scripted REST API's behaviour, independent of RESTAPIRequest/RESTAPIResponse so it can be unit-tested.
import type { Platform } from '../platform/types.ts'
import { runSetup } from '../setup/discovery-source.ts'
import { lookupImportStatus } from '../status/import-status.ts'
import { integrationStatus } from '../status/integration-status.ts'
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

const SYS_ID = /^[0-9a-f]{32}$/

/** GET …/import_sets/{sys_id}: 200 with the import set's outcome; 400 for a malformed id; 404 when it is not ours. */
export function handleImportStatus(platform: Platform, pathParams: unknown): HttpReply {
  const raw = (pathParams as { sys_id?: unknown } | undefined)?.sys_id
  const sysId = typeof raw === 'string' ? raw.trim().toLowerCase() : ''
  if (!SYS_ID.test(sysId)) {
    return problemReply(400, {
      error: `"${String(raw ?? '').slice(0, 64)}" is not an import set sys_id`,
      cause: 'the path must end with the 32-character hexadecimal import_set_id that insertMultiple answered with',
      fix: 'call GET …/import_sets/<import_set_id> with the id from the insertMultiple answer',
    })
  }
  const result = lookupImportStatus(platform, sysId)
  if (!result.found) {
    return problemReply(404, {
      error: `no import set ${sysId} of the Kandji staging tables exists`,
      cause: 'the id is not one an insertMultiple to a Kandji staging table answered with, or the import set was cleaned up (import sets are deleted on a schedule)',
      fix: 'use the import_set_id of a recent push; push the rows again if the set is gone',
    })
  }
  return { status: 200, body: result.status }
}

/** GET …/status: 200 with the integration's figures; sections the installed app cannot fill say so. */
export function handleStatus(platform: Platform): HttpReply {
  return { status: 200, body: integrationStatus(platform) }
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
