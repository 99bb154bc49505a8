import { EXIT_CODES } from '@kandji-sn/contract/constants'
import type { CommandContext } from '../../context.ts'
import { knownCredentials } from '../../credentials.ts'
import { usageError } from '../../errors.ts'
import { renderSmoke, renderVerification } from '../../render/verification.ts'
import { openSession, smokeContextOf } from '../../session.ts'
import { smokeTest, type SmokeResult } from '../../steps/smoke-test.ts'
import { runVerification } from '../../steps/verification.ts'

export const summary = 'run the verification endpoint (and with --as-service-account the smoke test); exit 1 on a failed check'
export const flags = ['instance', 'admin-user', 'config', 'credentials-out', 'service-account', 'oauth-client', 'as-service-account', 'interactive-account', 'timeout'] as const

export async function run(ctx: CommandContext): Promise<number> {
  const { out } = ctx
  const session = await openSession(ctx)
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
  out.result({ command: 'verify', instance: desired.instance.url, status: report.status, smokeTest: smoke?.checks ?? null, verification: report })
  return report.status === 'fail' ? EXIT_CODES.verificationFailed : EXIT_CODES.ok
}
