// One instance's entry in the fleet report, from what its run returned. Only named fields are copied: a result's
// `credentials` (--show-secrets) or any other field never reaches a state file, a log or a report.
import { CHECK_IDS, CHECK_STATUSES, EXIT_CODES, type ExitCode } from '@kandji-sn/contract/constants'
import { driftEntrySchema, integrationStatusSchema, type FleetCommand, type FleetInstanceReport } from '@kandji-sn/contract'
import { healthText } from '../../render/status.ts'

export interface RunOutcome {
  instance: string
  tenant: string
  command: FleetCommand
  exitCode: ExitCode
  result: Record<string, unknown> | undefined
  start: number
  end: number
  /** Set by the fleet itself (deadline): replaces what the result says. */
  error?: FleetInstanceReport['error']
  log: string | null
  handoff: string | null
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

function checksOf(result: Record<string, unknown>): FleetInstanceReport['checks'] {
  const verification = result.verification
  if (!isRecord(verification) || !Array.isArray(verification.checks)) return []
  return verification.checks.flatMap((c: unknown) => {
    if (!isRecord(c) || !(CHECK_IDS as readonly unknown[]).includes(c.id) || !(CHECK_STATUSES as readonly unknown[]).includes(c.status)) return []
    const fix = str(c.fix)
    return [{ id: c.id as (typeof CHECK_IDS)[number], status: c.status as (typeof CHECK_STATUSES)[number], ...(fix && c.status !== 'pass' ? { fix } : {}) }]
  })
}

/** `verify --drift`'s `drift: [{ kind, detail }]`, when the command reports it; entries of an unknown kind are left out. */
function driftOf(result: Record<string, unknown>): FleetInstanceReport['drift'] {
  if (!Array.isArray(result.drift)) return []
  return result.drift.flatMap((d: unknown) => {
    const entry = driftEntrySchema.safeParse(d)
    return entry.success ? [entry.data] : []
  })
}

/** verify --with-status's figures, when the run reports them: null when the instance could not tell. */
function pushOf(result: Record<string, unknown>): Pick<FleetInstanceReport, 'push'> {
  if (!('integrationStatus' in result)) return {}
  const status = integrationStatusSchema.safeParse(result.integrationStatus)
  if (!status.success) return { push: null }
  return { push: { lastPushAt: status.data.last_push.at, lastPushAgeSeconds: status.data.last_push.age_seconds, health: healthText(status.data) } }
}

function errorOf(outcome: RunOutcome, checks: FleetInstanceReport['checks']): FleetInstanceReport['error'] {
  if (outcome.error !== undefined) return outcome.error
  if (outcome.exitCode === EXIT_CODES.ok || outcome.exitCode === EXIT_CODES.changesPending) return null
  const r = outcome.result
  if (r === undefined) return { message: `${outcome.command} exited ${outcome.exitCode} without a result`, cause: 'the run ended before it printed its JSON result', fix: `see the instance's log` }
  const message = str(r.error)
  if (message) return { message, cause: str(r.cause) ?? '', fix: str(r.fix) ?? '' }
  const failing = checks.filter((c) => c.status === 'fail')
  if (failing.length > 0) {
    return {
      message: `verification failed: ${failing.map((c) => c.id).join(', ')}`,
      cause: 'the instance does not match the desired state in these checks',
      fix: failing.map((c) => c.fix).filter((f): f is string => f !== undefined)[0] ?? 'run `deploy-integration fleet deploy` to converge it',
    }
  }
  return { message: `${outcome.command} exited ${outcome.exitCode}${str(r.status) ? ` (${r.status as string})` : ''}`, cause: '', fix: `see the instance's log` }
}

export function instanceRecord(outcome: RunOutcome): FleetInstanceReport {
  const result = outcome.result ?? {}
  const checks = checksOf(result)
  return {
    instance: outcome.instance,
    tenant: outcome.tenant,
    command: outcome.command,
    status: outcome.error !== undefined ? 'failed' : outcome.exitCode === EXIT_CODES.ok ? 'ok' : outcome.exitCode === EXIT_CODES.changesPending ? 'drifted' : 'failed',
    exitCode: outcome.exitCode,
    changes: typeof result.changes === 'number' && Number.isInteger(result.changes) && result.changes >= 0 ? result.changes : null,
    checks,
    drift: driftOf(result),
    timing: { start: new Date(outcome.start).toISOString(), end: new Date(outcome.end).toISOString(), ms: Math.max(0, Math.round(outcome.end - outcome.start)) },
    error: errorOf(outcome, checks),
    log: outcome.log,
    handoff: outcome.handoff,
    ...pushOf(result),
    carriedOver: false,
  }
}

/** An instance that has not ended: not started yet (pending) or cut off by a cancel (interrupted). */
export function unfinishedRecord(instance: string, tenant: string, command: FleetCommand, status: 'pending' | 'interrupted', start?: number): FleetInstanceReport {
  return {
    instance,
    tenant,
    command,
    status,
    exitCode: null,
    changes: null,
    checks: [],
    drift: [],
    timing: null,
    error:
      status === 'interrupted'
        ? { message: `interrupted while it ran${start !== undefined ? ` (started ${new Date(start).toISOString()})` : ''}`, cause: 'the fleet run was cancelled (Ctrl-C or a cancelled CI job); the instance may have been changed in part', fix: 're-run the same command with --resume: it runs this instance again' }
        : null,
    log: null,
    handoff: null,
    carriedOver: false,
  }
}
