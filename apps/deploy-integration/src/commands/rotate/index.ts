import { EXIT_CODES, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import type { TableRecord } from '@kandji-sn/servicenow-client'
import { confirm } from '../../confirm.ts'
import type { CommandContext } from '../../context.ts'
import { knownCredentials, toHandoff } from '../../credentials.ts'
import { CliError, usageError } from '../../errors.ts'
import { removePendingSecrets, writeHandoff } from '../../handoff.ts'
import { renderSmoke } from '../../render/verification.ts'
import { lockSession } from '../../lock.ts'
import { releaseInstanceLock } from '../../lock-release.ts'
import { openSession, smokeContextOf } from '../../session.ts'
import { readOAuthClient } from '../../steps/oauth-client.ts'
import { generateClientSecret, generatePassword } from '../../steps/secrets.ts'
import { readServiceAccount } from '../../steps/service-account.ts'
import { smokeTest } from '../../steps/smoke-test.ts'

export const summary = 'issue a new service-account password and/or client secret, test them, then retire the old ones'
export const flags = ['instance', 'admin-user', 'config', 'credentials-out', 'service-account', 'oauth-client', 'password', 'client-secret', 'interactive-account', 'timeout', 'force-unlock', 'yes', 'show-secrets'] as const

export async function run(ctx: CommandContext): Promise<number> {
  const { out, flags: f } = ctx
  const both = !f.password && !f['client-secret']
  const rotatePassword = both || f.password === true
  const rotateSecret = both || f['client-secret'] === true
  if (!f['credentials-out'] && !(f.json && f['show-secrets'])) {
    throw usageError('rotate needs somewhere to put the new credentials', 'without --credentials-out FILE (or --json --show-secrets) the new password/secret would be set and then lost', 'pass --credentials-out FILE')
  }
  const session = await openSession(ctx, { writesCredentials: true })
  const desired = session.config.desired
  const readBoth = () => Promise.all([readServiceAccount(session.admin, desired.serviceAccount.userName), readOAuthClient(session.admin, desired.oauthClient.name)])
  const nothingToRotate = (account: TableRecord | undefined) =>
    usageError(`nothing to rotate: the ${account ? `OAuth client "${desired.oauthClient.name}"` : `service account "${desired.serviceAccount.userName}"`} does not exist`, 'the integration is not deployed on this instance (or under other names)', 'run `deploy-integration deploy` first (it sets new credentials)')
  let [account, client] = await readBoth()
  if (!account?.sys_id || !client?.sys_id) throw nothingToRotate(account)
  const current = await knownCredentials(session, {})
  if (!rotatePassword && !current.credentials?.password) throw usageError('rotating only the client secret needs the current password to test the new secret', current.missing.join('; '), 'rotate both (no --password/--client-secret flag), or pass --credentials-out with the current hand-off file')
  if (!rotateSecret && !current.credentials?.clientSecret) throw usageError('rotating only the password needs the current client secret to test the new password', current.missing.join('; '), 'rotate both (no --password/--client-secret flag), or pass --credentials-out with the current hand-off file')

  const items = [rotatePassword ? `password of "${desired.serviceAccount.userName}"` : '', rotateSecret ? `client secret of "${desired.oauthClient.name}"` : ''].filter(Boolean)
  const what = items.join(' and ')
  out.line(`will set a new ${items.join(' and a new ')}; the old ${items.length > 1 ? 'ones stop' : 'one stops'} working at once`)
  await confirm(ctx, `Rotate the ${what} on ${desired.instance.url}?`)
  // Read again under the instance lock: another run may have replaced the account or the client meanwhile.
  await lockSession(session, 'rotate')
  ;[account, client] = await readBoth()
  if (!account?.sys_id || !client?.sys_id) throw nothingToRotate(account)

  const password = rotatePassword ? (generatePassword()) : (current.credentials?.password as string)
  const clientSecret = rotateSecret ? generateClientSecret() : (current.credentials?.clientSecret as string)
  out.addSecret(password)
  out.addSecret(clientSecret)
  if (rotatePassword) await session.admin.table.patch(PLATFORM_TABLES.user, account.sys_id, { user_password: password, password_needs_reset: 'false' }, { inputDisplayValue: true })
  if (rotateSecret) await session.admin.table.patch(PLATFORM_TABLES.oauthEntity, client.sys_id, { client_secret: clientSecret }, { inputDisplayValue: true })
  const creds = { clientId: client.client_id ?? '', clientSecret, userName: desired.serviceAccount.userName, password }
  // Saved before the test: the old values are already gone on the instance, so these are the only working ones.
  const outPath = session.config.credentialsOut
  if (outPath) {
    await writeHandoff(outPath, toHandoff(session, creds))
    // An interrupted deploy's secrets are superseded: left there, the next deploy would prefer them to these.
    await removePendingSecrets(outPath)
  }

  let smoke
  try {
    smoke = await smokeTest(smokeContextOf(session), creds, { webServiceOnly: desired.serviceAccount.webServiceOnly, stagingWrite: true, ourApp: session.facts.app?.ownBuild === true })
  } catch (error) {
    const e = error instanceof CliError ? error : undefined
    if (e) throw new CliError(e.exitCode, `the new credentials were set${outPath ? ` and saved to ${outPath}` : ''} but fail the smoke test: ${e.message}`, e.causeText, e.fix, { cause: error })
    throw error
  }
  renderSmoke(out, smoke)
  out.line(out.style(`retired: the old ${items.join(' and the old ')} (the new ${items.length > 1 ? 'ones pass' : 'one passes'} the smoke test)`, 'green'))
  if (outPath) out.line(`hand-off for Iru Endpoint: ${outPath} (mode 0600): update the connection in Iru Endpoint with it`)
  await releaseInstanceLock(ctx)
  out.result({ command: 'rotate', instance: desired.instance.url, rotated: { password: rotatePassword, clientSecret: rotateSecret }, smokeTest: smoke.checks, handoff: outPath ?? null, ...(f['show-secrets'] ? { credentials: toHandoff(session, creds) } : {}) }, f['show-secrets'] === true)
  return EXIT_CODES.ok
}
