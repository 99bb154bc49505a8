import { EXIT_CODES } from '@kandji-sn/contract/constants'
import type { VerificationReport } from '@kandji-sn/contract'
import type { ServiceNowClient } from '@kandji-sn/servicenow-client'
import { applyPlan } from '../../apply.ts'
import { confirm } from '../../confirm.ts'
import type { CommandContext } from '../../context.ts'
import { knownCredentials, PENDING_SOURCE, pendingSecretsFor, sameHandoff, toHandoff } from '../../credentials.ts'
import { CliError, toCliError } from '../../errors.ts'
import { pendingSecretsPath, removePendingSecrets, writeHandoff, writePendingSecrets } from '../../handoff.ts'
import { buildPlan, changesOf, stillPlanned } from '../../plan.ts'
import { planToJson, renderFacts, renderPlan } from '../../render/plan.ts'
import { renderSmoke, renderVerification } from '../../render/verification.ts'
import { lockSession, raceOnCredentials, refuseWhileLocked, startLockRead, type LockRow } from '../../lock.ts'
import { releaseInstanceLock } from '../../lock-release.ts'
import { Prefetch, readPlanInputs } from '../../plan-inputs.ts'
import { openSession, smokeContextOf } from '../../session.ts'
import { readOAuthClient } from '../../steps/oauth-client.ts'
import { smokeTest, type SmokeResult } from '../../steps/smoke-test.ts'
import { readInstalledApp } from '../../steps/preflight.ts'
import { runVerification } from '../../steps/verification.ts'

export const summary = 'set up the integration: app, OAuth client, service account, roles, properties, smoke test, verification'
export const flags = [
  'instance', 'admin-user', 'config', 'credentials-out', 'service-account', 'oauth-client', 'app-source', 'app-package', 'app-version',
  'secret-source', 'timeout', 'interactive-account', 'prune-roles', 'replace-store-app', 'no-verify', 'force-unlock', 'yes', 'show-secrets',
] as const

/** A failed apply leaves the secrets it set in the pending file: the message says where, so nothing is left unnamed. */
function namingPendingFile(error: CliError, path: string): CliError {
  const fix = `${error.fix} (the secrets this run generated are kept in ${path}, mode 0600, until a run hands them off and removes it)`
  return new CliError(error.exitCode, error.message, error.causeText, fix, { cause: error.cause ?? error })
}

export async function run(ctx: CommandContext): Promise<number> {
  const { out, flags: f } = ctx
  // With a hand-off file for this instance the run is likely in sync: its lock check is then read with the plan
  // (one round, not two). A first deploy takes the lock instead, so it does not read it early for nothing.
  const early: { locks?: Promise<LockRow[]> } = {}
  const onSignedIn = (admin: ServiceNowClient, local: { handoff: unknown }) => void (local.handoff && (early.locks = startLockRead(admin)))
  const session = await openSession(ctx, { app: true, writesCredentials: true, onSignedIn })
  const desired = session.config.desired
  let plan = await buildPlan(session)
  renderFacts(out, session.facts)
  renderPlan(out, plan.steps)
  if (plan.blockers[0]) throw plan.blockers[0]
  let count = changesOf(plan).length
  out.line()

  let outcome
  const unlocked = count === 0
  if (unlocked) {
    // Nothing to change, so no lock to take (an in-sync deploy writes nothing); but "in sync" is no answer while another run is changing the instance.
    await refuseWhileLocked(session, { force: ctx.flags['force-unlock'] === true, ...(early.locks ? { read: early.locks } : {}) })
    out.line(out.style('in sync: nothing to change', 'green'))
  } else {
    await confirm(ctx, `Apply ${count} change${count === 1 ? '' : 's'} to ${desired.instance.url}?`)
    // Changes are made under the instance lock, from a plan read under it: another run may have made some meanwhile.
    await lockSession(session, 'deploy')
    // The plan's reads do not depend on the app's record: both go out at once.
    session.planInputs = new Prefetch(readPlanInputs(session.admin, desired))
    session.facts.app = await readInstalledApp(session.admin)
    const confirmed = plan
    plan = await buildPlan(session)
    if (plan.blockers[0]) throw plan.blockers[0]
    count = stillPlanned(confirmed.steps, plan.steps, desired.instance.url)
  }
  if (count > 0) {
    // The instance keeps these secrets only hashed or encrypted: saved before the first write that sets them, so a
    // failure before the hand-off file is written does not leave records whose secrets nobody knows.
    const pending = session.config.credentialsOut ? pendingSecretsFor(session, plan) : undefined
    if (pending) await writePendingSecrets(session.config.credentialsOut!, pending)
    out.line(out.style('applying', 'bold'))
    try {
      outcome = await applyPlan(session, plan)
    } catch (error) {
      if (!pending) throw error
      throw namingPendingFile(toCliError(error, { answeredBefore: ctx.requests.answered, ...(ctx.requests.adminSignIn ? { adminSignIn: ctx.requests.adminSignIn } : {}), ...(ctx.configInput?.adminEnv ? { adminEnv: ctx.configInput.adminEnv } : {}) }), pendingSecretsPath(session.config.credentialsOut!))
    }
  }
  // The app step changed what is installed: what follows (smoke test, verify) goes by what is there now.
  // ...read together with the OAuth client's record (its client_id), unless nothing was written (the plan's read holds).
  const [installedNow, oauthClient] = await Promise.all([
    outcome?.app ? readInstalledApp(session.admin) : undefined,
    count === 0 && plan.oauthClient ? plan.oauthClient : readOAuthClient(session.admin, desired.oauthClient.name),
  ])
  if (outcome?.app) session.facts.app = installedNow
  const roleSummary = outcome?.roleSummary ?? plan.steps.find((s) => s.step === 'role-grants')?.notes[0]
  if (roleSummary) out.line(`roles: ${roleSummary}`)
  if (outcome?.app) {
    const { rollbackVersion, rollbackContext } = outcome.app
    out.line(`app: ${rollbackVersion ? `rollback version ${rollbackVersion}` : 'first install (undo: `deploy-integration uninstall --app`)'}${rollbackContext ? `, rollback context ${rollbackContext}` : ''}`)
  }

  const known = await knownCredentials(session, {
    ...(plan.newPassword ? { password: plan.newPassword } : {}),
    ...(plan.newClientSecret ? { clientSecret: plan.newClientSecret } : {}),
  }, oauthClient ? { oauthClient } : {})
  let smoke: SmokeResult | undefined
  const warnings: string[] = [...(outcome?.warnings ?? [])]
  // Saved before the smoke test: new credentials exist only here once set, and a failed test must not lose them.
  let handoffWritten = false
  const outPath = session.config.credentialsOut
  if (known.credentials && outPath) {
    const handoff = toHandoff(session, known.credentials)
    if (!sameHandoff(session.handoff, handoff)) {
      await writeHandoff(outPath, handoff)
      handoffWritten = true
    }
    await removePendingSecrets(outPath)
    out.line(`hand-off for Iru Endpoint: ${outPath} (mode 0600)${handoffWritten ? '' : ', unchanged'}`)
  } else if (known.credentials && !outPath && (plan.newPassword || plan.newClientSecret) && !(out.json && f['show-secrets'])) {
    warnings.push('new credentials were set but not saved: pass --credentials-out FILE (or --json --show-secrets); otherwise run `deploy-integration rotate --credentials-out FILE` to issue them again')
  }
  const verifySubject = { serviceAccount: desired.serviceAccount.userName, oauthClient: desired.oauthClient.name }
  // Nothing changed, so the smoke test writes nothing the verification reads: both go out together (nothing awaited
  // in between, so in one round). Its report is taken after the smoke test's: a failed smoke test is the run's error.
  const verifying = !f['no-verify'] && count === 0 ? runVerification(session.admin, session.facts, verifySubject) : undefined
  verifying?.catch(() => undefined)
  if (known.credentials) {
    try {
      smoke = await smokeTest(smokeContextOf(session), known.credentials, {
        webServiceOnly: desired.serviceAccount.webServiceOnly,
        stagingWrite: count > 0,
        ourApp: session.facts.app?.ownBuild === true,
      })
    } catch (error) {
      const refused = error instanceof CliError && error.exitCode === EXIT_CODES.auth
      if (refused && known.sources.clientSecret === 'read back from the instance') {
        throw new CliError(
          EXIT_CODES.auth,
          `the client secret read back from the instance for "${desired.oauthClient.name}" does not work: ${error.message}`,
          'with --secret-source instance the secret is read through the Table API, and whether an instance returns it decrypted is unverified (it may return the encrypted value)',
          `re-run with --secret-source generate after \`deploy-integration rotate --client-secret --credentials-out FILE\`, or copy the secret from System OAuth > Application Registry into the hand-off file`,
          { cause: error },
        )
      }
      const fromFile = [known.sources.password, known.sources.clientSecret].some((source) => source === 'the hand-off file' || source === PENDING_SOURCE)
      if (fromFile && refused) {
        const race = await raceOnCredentials(session)
        if (race) throw race
        // The instance's 401 is opaque: a stale file and a refused web-service-only account look the same (facts 3.3).
        const wsOnly = desired.serviceAccount.webServiceOnly
        throw new CliError(
          error.exitCode,
          `${error.message}, using the credentials from ${session.config.credentialsOut}`,
          `the hand-off file is stale (the password or secret was changed on the instance since it was written)${wsOnly ? ', or this release refuses the password grant for Web-service-only accounts' : ''}`,
          `run \`deploy-integration rotate --credentials-out ${session.config.credentialsOut}\` to issue new ones${wsOnly ? '; if the grant is still refused, re-run deploy with --interactive-account' : ''}`,
          { cause: error },
        )
      }
      throw error
    }
    renderSmoke(out, smoke)
  } else {
    warnings.push(`smoke test skipped: ${known.missing.join('; ')}. Run \`deploy-integration rotate --credentials-out FILE\` to issue new credentials and test them`)
  }

  for (const w of warnings) out.errorText(`warning: ${w}`)

  let report: VerificationReport | undefined
  if (!f['no-verify']) {
    report = await (verifying ?? runVerification(session.admin, session.facts, verifySubject))
    renderVerification(out, report)
  }
  const failed = report?.status === 'fail'
  await releaseInstanceLock(ctx)
  // Without the lock, what this run tested may have changed under it: a run holding the lock now is changing it.
  if (unlocked) await refuseWhileLocked(session)
  out.result(
    {
      command: 'deploy',
      instance: desired.instance.url,
      tenant: desired.instance.tenant,
      status: failed ? 'verification_failed' : 'ok',
      changes: count,
      steps: planToJson(plan.steps),
      applied: outcome?.applied ?? [],
      app: { installed: session.facts.app?.version ?? null, rollbackVersion: outcome?.app?.rollbackVersion ?? null, rollbackContext: outcome?.app?.rollbackContext ?? null },
      roles: roleSummary ?? null,
      smokeTest: smoke?.checks ?? null,
      verification: report ?? null,
      handoff: outPath && known.credentials ? { path: outPath, written: handoffWritten } : null,
      warnings,
      ...(f['show-secrets'] && known.credentials ? { credentials: toHandoff(session, known.credentials) } : {}),
    },
    f['show-secrets'] === true,
  )
  return failed ? EXIT_CODES.verificationFailed : EXIT_CODES.ok
}
