import { EXIT_CODES } from '@kandji-sn/contract/constants'
import type { CommandContext } from '../../context.ts'
import { knownCredentials } from '../../credentials.ts'
import { driftOf } from '../../drift.ts'
import { formatError, usageError } from '../../errors.ts'
import type { FlagName } from '../../flags.ts'
import { buildPlan } from '../../plan.ts'
import { renderDrift } from '../../render/drift.ts'
import { renderSmoke, renderVerification } from '../../render/verification.ts'
import { openSession, smokeContextOf } from '../../session.ts'
import { smokeTest, type SmokeResult } from '../../steps/smoke-test.ts'
import { runVerification } from '../../steps/verification.ts'
import { integrationStatusPart } from './with-status.ts'

export const summary = 'run the verification endpoint (and with --as-service-account the smoke test); exit 1 on a failed check; with --drift name every difference from the desired state (exit 5)'
/** What --drift plans with, as plan does; without --drift they would be ignored, so they are refused. */
const DRIFT_ONLY_FLAGS = ['app-source', 'app-package', 'app-version', 'replace-store-app'] as const satisfies readonly FlagName[]
export const flags = ['instance', 'admin-user', 'config', 'credentials-out', 'service-account', 'oauth-client', 'as-service-account', 'interactive-account', 'timeout', 'drift', 'with-status', ...DRIFT_ONLY_FLAGS] as const

/**
 * The exit code, most important first: an error has already thrown (2, 3, 4, as without --drift); a failing check is 1;
 * with --drift, a plan blocker (the desired state cannot be planned on this instance) is 2, any drift 5; else 0.
 */
export function verifyExitCode(failed: boolean, drift: { blockers: number; entries: number } | undefined) {
  if (failed) return EXIT_CODES.verificationFailed
  if (drift?.blockers) return EXIT_CODES.usage
  if (drift?.entries) return EXIT_CODES.changesPending
  return EXIT_CODES.ok
}

export async function run(ctx: CommandContext): Promise<number> {
  const { out, flags: f } = ctx
  const unused = DRIFT_ONLY_FLAGS.find((name) => f[name] !== undefined)
  if (unused && !f.drift) throw usageError(`--${unused} works with verify only together with --drift`, 'verify alone checks the instance as it is; the desired state (app, roles) matters only to the drift list', `add --drift, or leave out --${unused}`)
  const session = await openSession(ctx, { app: f.drift === true })
  const desired = session.config.desired
  let smoke: SmokeResult | undefined
  if (ctx.flags['as-service-account']) {
    if (!session.config.credentialsOut || !session.handoff) {
      throw usageError('--as-service-account needs the hand-off file', 'the service account\'s password and client secret are only known from the file deploy/rotate wrote', 'pass --credentials-out FILE (the hand-off file), or run `deploy-integration rotate --credentials-out FILE` first')
    }
    const known = await knownCredentials(session, {})
    if (!known.credentials) throw usageError(`the hand-off file does not match the instance: ${known.missing.join('; ')}`, 'the OAuth client or account was recreated since the file was written', 'run `deploy-integration rotate --credentials-out FILE`')
    smoke = await smokeTest(smokeContextOf(session), known.credentials, { webServiceOnly: desired.serviceAccount.webServiceOnly, stagingWrite: true, ourApp: session.facts.app?.ownBuild === true })
    renderSmoke(out, smoke)
  }
  const report = await runVerification(session.admin, session.facts, { serviceAccount: desired.serviceAccount.userName, oauthClient: desired.oauthClient.name })
  renderVerification(out, report)
  const withStatus = f['with-status'] ? await integrationStatusPart(session) : {}
  if (!f.drift) {
    out.result({ command: 'verify', instance: desired.instance.url, status: report.status, smokeTest: smoke?.checks ?? null, verification: report, ...withStatus })
    return verifyExitCode(report.status === 'fail', undefined)
  }
  const plan = await buildPlan(session)
  const drift = driftOf(plan.steps, report.checks)
  renderDrift(out, drift)
  for (const blocker of plan.blockers) out.errorText(formatError(blocker, false))
  out.result({ command: 'verify', instance: desired.instance.url, status: report.status, smokeTest: smoke?.checks ?? null, verification: report, drift, blockers: plan.blockers.map((b) => b.message), ...withStatus })
  return verifyExitCode(report.status === 'fail', { blockers: plan.blockers.length, entries: drift.length })
}
