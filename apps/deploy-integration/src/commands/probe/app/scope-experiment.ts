// The cross-scope experiment (issue 20): after the v1 install the admin calls the probe app's scripted REST API
// (package.ts SCOPE_PROBE), whose script, in the probe app's scope, (a) reads the caller's sys_user row with no
// privilege for sys_user and (b) creates a kandji_probe_ choice in sys_choice with a shipped, allowed create
// privilege. Then the Table API shows whether (a) left a privilege behind. Runtime access tracking
// (c_RuntimeAccessTracking.md): Enforcing refuses (a) and records nothing allowed, Tracking allows it and records an
// allowed privilege, None allows it and records nothing. Only the table's application access decides (b)
// (KB0727180). A refusal throws or returns nothing (KB1641480).
import type { ProbedSwitch, ProbeEvidence, SwitchObservation } from '@kandji-sn/contract'
import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { isServiceNowError, query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import type { ProbeContext } from '../types.ts'
import { answered, couldNotTell, describe, observed, ProbeStepError, refused } from './evidence.ts'
import { PROBE_APP, SCOPE_PROBE } from './package.ts'

export const SCOPE_SWITCHES = ['runtimeAccessTracking', 'crossScopeRefusal', 'globalTableAccess'] as const satisfies readonly ProbedSwitch[]
type ScopeSwitch = (typeof SCOPE_SWITCHES)[number]
export type ScopeObservations = Record<ScopeSwitch, SwitchObservation>

interface Attempt {
  thrown: boolean
  message?: string
}
interface ScriptAnswer {
  read: Attempt & { found: boolean }
  create: Attempt & { sysId: string | null }
}

const CALL = `POST ${SCOPE_PROBE.basePath}${SCOPE_PROBE.relativePath} (as admin: the probe app's script reads ${SCOPE_PROBE.readTable} without a privilege, creates ${SCOPE_PROBE.choiceValue} in ${SCOPE_PROBE.createTable} with one)`
const PRIVILEGE_READ = `GET /api/now/table/${PLATFORM_TABLES.scopePrivilege} (source_scope=${PROBE_APP.scope}^target_name=${SCOPE_PROBE.readTable})`
const SECURITY_RESTRICTED = /security restricted|cross[- ]scope/i

const isAttempt = (v: unknown): v is Attempt => !!v && typeof v === 'object' && typeof (v as Attempt).thrown === 'boolean' && ((v as Attempt).message === undefined || typeof (v as Attempt).message === 'string')

function parseAnswer(body: unknown): ScriptAnswer | undefined {
  const a = body as Partial<ScriptAnswer> | undefined
  if (!a || typeof a !== 'object' || !isAttempt(a.read) || !isAttempt(a.create)) return undefined
  if (typeof a.read.found !== 'boolean') return undefined
  if (a.create.sysId !== null && typeof a.create.sysId !== 'string') return undefined
  return a as ScriptAnswer
}

const attemptShape = (a: Attempt, rest: string) => `{thrown: ${a.thrown}${a.message === undefined ? '' : `, message: ${JSON.stringify(a.message)}`}, ${rest}}`
const answerShape = (a: ScriptAnswer) => `{result: {read: ${attemptShape(a.read, `found: ${a.read.found}`)}, create: ${attemptShape(a.create, `sysId: ${a.create.sysId ? 'a sys_id' : 'null'}`)}}}`

/** Runs the experiment; the choice it may create is recorded at once and removed before it returns. */
export async function crossScopeBehaviour(ctx: ProbeContext): Promise<ScopeObservations> {
  const { admin } = ctx
  let body: unknown
  try {
    body = await admin.rest.post(`${SCOPE_PROBE.basePath}${SCOPE_PROBE.relativePath}`, {})
  } catch (error) {
    throw new ProbeStepError(error, [refused(CALL, error)])
  }
  const answer = parseAnswer(body)
  if (!answer) {
    const evidence = [answered(CALL, 200, `{result: ${body && typeof body === 'object' ? `{${Object.keys(body).sort().join(', ')}}` : typeof body}}`)]
    return all(couldNotTell('the probe app API answered, but not with the read and create outcomes its script reports', evidence))
  }
  const call = answered(CALL, 200, answerShape(answer))
  const created = answer.create.sysId
  if (created) ctx.created(PLATFORM_TABLES.choice, created, SCOPE_PROBE.choiceValue)
  const privileges = await privilegeRows(admin, SCOPE_PROBE.readTable)
  const statuses = privileges.map((r) => r.status ?? '').sort()
  const evidence = [call, answered(PRIVILEGE_READ, 200, `{result: [${statuses.map((s) => `status: ${s || '(empty)'}`).join(', ')}]}`)]
  const observations = {
    runtimeAccessTracking: tracking(answer, statuses, evidence),
    crossScopeRefusal: refusal(answer, evidence),
    globalTableAccess: tableAccess(answer, evidence),
  }
  try {
    // A leftover allowed read would let a later run's read through under Enforcing too: removed right away.
    for (const r of privileges) if (r.sys_id) await admin.table.delete(PLATFORM_TABLES.scopePrivilege, r.sys_id)
    if (created) await admin.table.delete(PLATFORM_TABLES.choice, created)
  } catch (error) {
    if (ctx.signal.aborted) throw error
    // What was seen stands; the probe's clean-up removes both again (removeProbePrivileges, the recorded choice) and
    // reports what it cannot.
  }
  return observations
}

const all = (o: SwitchObservation): ScopeObservations => ({ runtimeAccessTracking: o, crossScopeRefusal: o, globalTableAccess: o })

/** The probe app's privilege rows (for one table, or all), each checked: a query the instance ignored deletes nothing else. */
export async function privilegeRows(admin: ServiceNowClient, table?: string): Promise<Record<string, string>[]> {
  let q = query().eq('source_scope', PROBE_APP.scopeId)
  if (table !== undefined) q = q.eq('target_name', table)
  let rows: Record<string, string>[]
  try {
    rows = await admin.table.list(PLATFORM_TABLES.scopePrivilege, { query: q.toString(), fields: ['sys_id', 'source_scope', 'target_name', 'operation', 'status'], limit: 50, pageSize: 50 })
  } catch (error) {
    if (isServiceNowError(error) && error.status === 404) return []
    throw error
  }
  return rows.filter((r) => r.source_scope === PROBE_APP.scopeId && (table === undefined || r.target_name === table))
}

/** Whether an attempt was refused: thrown (with the platform's message) or quietly (nothing done). */
type Refusal = 'thrown' | 'quiet' | 'allowed' | 'unexplained'
function readRefusal(a: ScriptAnswer['read']): Refusal {
  if (a.thrown) return SECURITY_RESTRICTED.test(a.message ?? '') ? 'thrown' : 'unexplained'
  return a.found ? 'allowed' : 'quiet'
}
function createRefusal(a: ScriptAnswer['create']): Refusal {
  if (a.thrown) return SECURITY_RESTRICTED.test(a.message ?? '') ? 'thrown' : 'unexplained'
  return a.sysId ? 'allowed' : 'quiet'
}

function tracking(answer: ScriptAnswer, statuses: string[], evidence: ProbeEvidence[]): SwitchObservation {
  const read = readRefusal(answer.read)
  const allowedRecorded = statuses.includes('allowed')
  if (read === 'unexplained') return couldNotTell(`reading ${SCOPE_PROBE.readTable} threw something other than a cross-scope refusal: ${answer.read.message ?? ''}`, evidence)
  if (read === 'allowed') return observed(allowedRecorded ? 'tracking' : 'none', evidence)
  if (!allowedRecorded) return observed('enforcing', evidence)
  return couldNotTell(`reading ${SCOPE_PROBE.readTable} was refused, yet an allowed privilege for it was recorded, which no tracking mode explains`, evidence)
}

function refusal(answer: ScriptAnswer, evidence: ProbeEvidence[]): SwitchObservation {
  const seen = new Set([readRefusal(answer.read), createRefusal(answer.create)].filter((r) => r === 'thrown' || r === 'quiet'))
  if (seen.size === 1) return observed(seen.has('thrown') ? 'throw' : 'quiet', evidence)
  if (seen.size === 2) return couldNotTell('one refused operation threw and the other returned nothing', evidence)
  return couldNotTell('the instance refused neither operation (runtime access tracking let the read through and the table let the create through), so there was no refusal to see', evidence)
}

function tableAccess(answer: ScriptAnswer, evidence: ProbeEvidence[]): SwitchObservation {
  const create = createRefusal(answer.create)
  if (create === 'allowed') return observed('open', evidence)
  if (create === 'thrown' || create === 'quiet') return observed('read-only', evidence)
  return couldNotTell(`creating a choice in ${SCOPE_PROBE.createTable} threw something other than a cross-scope refusal: ${answer.create.message ?? ''}`, evidence)
}

/**
 * Removes the probe app's privileges an uninstall left (Tracking records them as the app runs): a leftover allowed
 * read would let the next run's read through under Enforcing too.
 */
export async function removeProbePrivileges(admin: ServiceNowClient): Promise<void> {
  for (const r of await privilegeRows(admin)) if (r.sys_id) await admin.table.delete(PLATFORM_TABLES.scopePrivilege, r.sys_id)
}
