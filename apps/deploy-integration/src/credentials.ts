import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import type { Handoff } from '@kandji-sn/contract'
import type { TableRecord } from '@kandji-sn/servicenow-client'
import type { PendingSecrets } from './handoff.ts'
import type { InstancePlan } from './plan.ts'
import type { Session } from './session.ts'
import { readOAuthClient } from './steps/oauth-client.ts'
import type { IntegrationCredentials } from './steps/smoke-test.ts'

/** The source name of secrets an interrupted deploy set (handoff.ts, pending secrets). */
export const PENDING_SOURCE = 'the secrets an interrupted deploy saved'

/** Where a secret came from: deploy words its advice by it when the smoke test refuses the credentials. */
export type SecretSource = 'set by this run' | 'read back from the instance' | typeof PENDING_SOURCE | 'the hand-off file' | 'the config file'

export interface KnownCredentials {
  credentials: IntegrationCredentials | undefined
  /** Where each secret came from, for the report (no values); undefined when it is not known. */
  sources: { password: SecretSource | undefined; clientSecret: SecretSource | undefined }
  /** Why they are unknown, when they are. */
  missing: string[]
}

/** The first candidate that has a value, in order of precedence. */
function firstKnown(candidates: ReadonlyArray<readonly [string | undefined, SecretSource]>): { value: string; source: SecretSource } | undefined {
  for (const [value, source] of candidates) if (value) return { value, source }
  return undefined
}

/**
 * The credentials Iru Endpoint needs, as far as this run knows them: new ones set by this run, the config's, the
 * instance's (--secret-source instance), an interrupted deploy's (pending secrets) or the hand-off file's. Secrets
 * of records that existed before and are not in any of those stay unknown (they cannot be read back: `rotate`
 * issues new ones).
 */
/** `oauthClient`: the client's record as a plan read it, when nothing was written since (one read fewer). */
export async function knownCredentials(session: Session, created: { password?: string; clientSecret?: string }, read: { oauthClient?: TableRecord } = {}): Promise<KnownCredentials> {
  const { admin, config, handoff, pending, ctx } = session
  const desired = config.desired
  const client = read.oauthClient ?? (await readOAuthClient(admin, desired.oauthClient.name))
  const missing: string[] = []
  const clientId = client?.client_id
  if (!clientId) missing.push(`the OAuth client "${desired.oauthClient.name}" has no client_id yet`)

  // [U] whether the Table API returns the decrypted secret to an admin (facts 3.1): the smoke test proves it.
  const readBack = !created.clientSecret && desired.oauthClient.secretSource === 'instance' && client?.sys_id
    ? (await admin.table.get(PLATFORM_TABLES.oauthEntity, client.sys_id, { fields: ['client_secret'] }))?.client_secret
    : undefined
  // An interrupted deploy's secrets come before the hand-off file's: they were generated for a record created after
  // the hand-off file was written (otherwise the record existed and no secret was generated for it).
  const secret = firstKnown([
    [created.clientSecret, 'set by this run'],
    [readBack, 'read back from the instance'],
    [client && pending?.oauth_client?.name === desired.oauthClient.name ? pending.oauth_client.client_secret : undefined, PENDING_SOURCE],
    [handoff && handoff.client_id === clientId ? handoff.client_secret : undefined, 'the hand-off file'],
    [desired.oauthClient.clientSecret, 'the config file'],
  ])
  if (!secret) missing.push('the client secret of the existing OAuth client is not known here')

  const password = firstKnown([
    [created.password, 'set by this run'],
    [pending?.service_account?.username === desired.serviceAccount.userName ? pending.service_account.password : undefined, PENDING_SOURCE],
    [handoff && handoff.username === desired.serviceAccount.userName ? handoff.password : undefined, 'the hand-off file'],
    [desired.serviceAccount.password, 'the config file'],
  ])
  if (!password) missing.push('the password of the existing service account is not known here')
  ctx.out.addSecret(secret?.value)
  ctx.out.addSecret(password?.value)

  const credentials = clientId && secret && password ? { clientId, clientSecret: secret.value, userName: desired.serviceAccount.userName, password: password.value } : undefined
  return { credentials, sources: { password: password?.source, clientSecret: secret?.source }, missing }
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
