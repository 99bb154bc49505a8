// What a plan reads from the instance, by natural key. None of it depends on the preflight's answers, so a session
// that will plan starts these reads together with the preflight (session.ts) and the first plan takes them.
import type { ServiceNowClient, TableRecord } from '@kandji-sn/servicenow-client'
import type { DesiredState } from './steps/desired.ts'
import { readAppProperties } from './steps/app-properties.ts'
import { readDiscoverySource } from './steps/discovery-source.ts'
import { readOAuthClient } from './steps/oauth-client.ts'
import { readGrantRowsByUserName, readRoleIds } from './steps/role-grants.ts'
import { readServiceAccount } from './steps/service-account.ts'

export interface PlanInputs {
  account: TableRecord | undefined
  oauthClient: TableRecord | undefined
  roleIds: Record<string, string>
  properties: Record<string, TableRecord | undefined>
  choices: Awaited<ReturnType<typeof readDiscoverySource>>
  /** The service account's grant rows by its user name: not yet checked against the account's sys_id (grantsOf). */
  grantRows: TableRecord[]
}

/** All in one round: nothing here waits for another read. */
export async function readPlanInputs(admin: ServiceNowClient, desired: Pick<DesiredState, 'serviceAccount' | 'oauthClient'>): Promise<PlanInputs> {
  const [account, oauthClient, roleIds, properties, choices, grantRows] = await Promise.all([
    readServiceAccount(admin, desired.serviceAccount.userName),
    readOAuthClient(admin, desired.oauthClient.name),
    readRoleIds(admin),
    readAppProperties(admin),
    readDiscoverySource(admin),
    readGrantRowsByUserName(admin, desired.serviceAccount.userName),
  ])
  return { account, oauthClient, roleIds, properties, choices, grantRows }
}

/** Reads started early, taken once: a later plan (the one read again under the lock) reads afresh. */
export class Prefetch<T> {
  #pending: Promise<T> | undefined
  constructor(pending: Promise<T>) {
    // Awaited only if the run gets that far: a preflight that fails first must not leave an unhandled rejection.
    pending.catch(() => undefined)
    this.#pending = pending
  }
  take(): Promise<T> | undefined {
    const pending = this.#pending
    this.#pending = undefined
    return pending
  }
}
