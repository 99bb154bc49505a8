import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import type { Handoff } from '@kandji-sn/contract'
import type { PendingSecrets } from './handoff.ts'
import type { InstancePlan } from './plan.ts'
import type { Session } from './session.ts'
import { readOAuthClient } from './steps/oauth-client.ts'
import type { IntegrationCredentials } from './steps/smoke-test.ts'

export interface KnownCredentials {
  credentials: IntegrationCredentials | undefined
  /** Where each secret came from, for the report (no values). */
  sources: { password: string; clientSecret: string }
  /** Why they are unknown, when they are. */
  missing: string[]
}

/** The source name of secrets an interrupted deploy set (handoff.ts, pending secrets). */
export const PENDING_SOURCE = 'the secrets an interrupted deploy saved'

/**
 * The credentials Iru Endpoint needs, as far as this run knows them: new ones set by this run, the config's, the
 * instance's (--secret-source instance), an interrupted deploy's (pending secrets) or the hand-off file's. Secrets
 * of records that existed before and are not in any of those stay unknown (they cannot be read back: `rotate`
 * issues new ones).
 */
export async function knownCredentials(session: Session, created: { password?: string; clientSecret?: string }): Promise<KnownCredentials> {
  const { admin, config, handoff, pending, ctx } = session
  const desired = config.desired
  const client = await readOAuthClient(admin, desired.oauthClient.name)
  const missing: string[] = []
  const clientId = client?.client_id
  if (!clientId) missing.push(`the OAuth client "${desired.oauthClient.name}" has no client_id yet`)

  let clientSecret: string | undefined = created.clientSecret
  let secretSource = 'set by this run'
  if (!clientSecret && desired.oauthClient.secretSource === 'instance' && client?.sys_id) {
    // [U] whether the Table API returns the decrypted secret to an admin (facts 3.1): the smoke test proves it.
    clientSecret = (await admin.table.get(PLATFORM_TABLES.oauthEntity, client.sys_id, { fields: ['client_secret'] }))?.client_secret || undefined
    secretSource = 'read back from the instance'
  }
  // An interrupted deploy's secrets come before the hand-off file's: they were generated for a record created after
  // the hand-off file was written (otherwise the record existed and no secret was generated for it).
  if (!clientSecret && client && pending?.oauth_client?.name === desired.oauthClient.name) {
    clientSecret = pending.oauth_client.client_secret
    secretSource = PENDING_SOURCE
  }
  if (!clientSecret && handoff && handoff.client_id === clientId) {
    clientSecret = handoff.client_secret
    secretSource = 'the hand-off file'
  }
  if (!clientSecret && desired.oauthClient.clientSecret) {
    clientSecret = desired.oauthClient.clientSecret
    secretSource = 'the config file'
  }
  if (!clientSecret) missing.push('the client secret of the existing OAuth client is not known here')

  let password: string | undefined = created.password
  let passwordSource = 'set by this run'
  if (!password && pending?.service_account?.username === desired.serviceAccount.userName) {
    password = pending.service_account.password
    passwordSource = PENDING_SOURCE
  }
  if (!password && handoff && handoff.username === desired.serviceAccount.userName) {
    password = handoff.password
    passwordSource = 'the hand-off file'
  }
  if (!password && desired.serviceAccount.password) {
    password = desired.serviceAccount.password
    passwordSource = 'the config file'
  }
  if (!password) missing.push('the password of the existing service account is not known here')
  ctx.out.addSecret(clientSecret)
  ctx.out.addSecret(password)

  const credentials = clientId && clientSecret && password ? { clientId, clientSecret, userName: desired.serviceAccount.userName, password } : undefined
  return { credentials, sources: { password: passwordSource, clientSecret: secretSource }, missing }
}

export function toHandoff(session: Session, creds: IntegrationCredentials): Handoff {
  const { instance } = session.config.desired
  return { instance: instance.url, tenant: instance.tenant, client_id: creds.clientId, client_secret: creds.clientSecret, username: creds.userName, password: creds.password }
}

export function sameHandoff(a: Handoff | undefined, b: Handoff): boolean {
  return a !== undefined && (Object.keys(b) as Array<keyof Handoff>).every((k) => a[k] === b[k])
}

/**
 * What to keep in the pending-secrets file before apply: the secrets this run generated for the records it creates,
 * plus an interrupted run's for records it does not create again. Undefined when this run generates none (the
 * file, if any, stays as it is). Secrets given in the config are not copied: the config already holds them.
 */
export function pendingSecretsFor(session: Session, plan: Pick<InstancePlan, 'newPassword' | 'newClientSecret'>): PendingSecrets | undefined {
  const { serviceAccount, oauthClient, instance } = session.config.desired
  const password = plan.newPassword !== undefined && plan.newPassword !== serviceAccount.password ? plan.newPassword : undefined
  const clientSecret = plan.newClientSecret !== undefined && plan.newClientSecret !== oauthClient.clientSecret ? plan.newClientSecret : undefined
  if (!password && !clientSecret) return undefined
  const earlier = session.pending
  const account = password ? { username: serviceAccount.userName, password } : earlier?.service_account?.username === serviceAccount.userName ? earlier.service_account : undefined
  const client = clientSecret ? { name: oauthClient.name, client_secret: clientSecret } : earlier?.oauth_client?.name === oauthClient.name ? earlier.oauth_client : undefined
  return { instance: instance.url, ...(account ? { service_account: account } : {}), ...(client ? { oauth_client: client } : {}) }
}
