import type { TableRecord } from '@kandji-sn/servicenow-client'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import { CliError } from './errors.ts'
import type { Session } from './session.ts'
import type { InstanceFacts } from './steps/preflight.ts'
import { resolveAppDesired } from './session.ts'
import { planApp, type AppDesired } from './steps/app.ts'
import { readPlanInputs } from './plan-inputs.ts'
import { planAppProperties } from './steps/app-properties.ts'
import { planDiscoverySource } from './steps/discovery-source.ts'
import { planOAuthClient } from './steps/oauth-client.ts'
import { grantsOf, planRoleGrants } from './steps/role-grants.ts'
import { generateClientSecret, generatePassword } from './steps/secrets.ts'
import { planServiceAccount } from './steps/service-account.ts'
import type { Change, StepPlan } from './steps/types.ts'

/** The plan for one instance: what each step would change, and the secrets a create would set (never rendered). */
export interface InstancePlan {
  steps: StepPlan[]
  blockers: CliError[]
  app: AppDesired
  account: TableRecord | undefined
  oauthClient: TableRecord | undefined
  /** Set on create: the generated (or configured) password and client secret. */
  newPassword: string | undefined
  newClientSecret: string | undefined
}

export function changesOf(plan: { steps: readonly StepPlan[] }): Change[] {
  return plan.steps.flatMap((s) => s.changes)
}

const changeKey = (c: Change) => `${c.step} ${c.action} ${c.table ?? ''} ${c.key}`

/**
 * The plan read again under the instance lock against the one the user confirmed: changes another run made meanwhile
 * drop out; a change that was not confirmed stops the run (exit 4) before anything is written. Returns the count.
 */
export function stillPlanned(confirmed: readonly StepPlan[], current: readonly StepPlan[], instance: string): number {
  const agreed = new Set(changesOf({ steps: confirmed }).map(changeKey))
  const now = changesOf({ steps: current })
  const unconfirmed = now.filter((c) => !agreed.has(changeKey(c)))
  if (unconfirmed.length > 0) {
    throw new CliError(
      EXIT_CODES.instance,
      `${instance} changed between the plan and the start of the changes: ${unconfirmed.map((c) => `${c.action} ${c.table ? `${c.table} ` : ''}${c.key}`).join(', ')} ${unconfirmed.length === 1 ? 'was' : 'were'} not in the plan`,
      'another run or a person changed the instance after this run read it (the plan is read again once this run holds the instance lock)',
      'run the command again to see the new plan',
    )
  }
  return now.length
}

/** Whether this project's app is in the scope once the app step has run (not when the vendor's app stays). */
export function ourAppAfterDeploy(app: InstanceFacts['app'], appPlan: StepPlan): boolean {
  return !app || app.ownBuild || appPlan.changes.some((c) => c.step === 'app' && c.action === 'replace')
}

/** Reads every object by its natural key and plans it; writes nothing. */
export async function buildPlan(session: Session): Promise<InstancePlan> {
  const { admin, facts, config, ctx } = session
  const desired = config.desired
  const appResolved = await resolveAppDesired(session)
  const appPlan = planApp(facts.app, appResolved.desired)
  if (appResolved.warning) appPlan.warnings.push(appResolved.warning)

  const { account, oauthClient, roleIds, properties, choices, grantRows } = await (session.planInputs?.take() ?? readPlanInputs(admin, desired))
  const grants = account?.sys_id ? await grantsOf(admin, grantRows, account.sys_id) : []

  const newPassword = account ? undefined : (desired.serviceAccount.password ?? generatePassword())
  const newClientSecret = oauthClient ? undefined : (desired.oauthClient.clientSecret ?? (desired.oauthClient.secretSource === 'generate' ? generateClientSecret() : undefined))
  ctx.out.addSecret(newPassword)
  ctx.out.addSecret(newClientSecret)

  const steps: StepPlan[] = [
    appPlan,
    planOAuthClient(oauthClient, {
      name: desired.oauthClient.name,
      scopeRestrictionColumn: facts.scopeRestrictionColumn,
      secretOnCreate: newClientSecret,
      pendingSecret: oauthClient && session.pending?.oauth_client?.name === desired.oauthClient.name ? session.pending.oauth_client.client_secret : undefined,
    }),
    planServiceAccount(account, {
      userName: desired.serviceAccount.userName,
      webServiceOnly: desired.serviceAccount.webServiceOnly,
      passwordOnCreate: newPassword ?? '',
      ...(desired.serviceAccount.email ? { email: desired.serviceAccount.email } : {}),
    }),
    planRoleGrants({ userSysId: account?.sys_id, grants, roleIds }, { userName: desired.serviceAccount.userName, pruneRoles: desired.pruneRoles }),
    planAppProperties(properties, { serviceAccount: desired.serviceAccount.userName, oauthClient: desired.oauthClient.name }, ourAppAfterDeploy(facts.app, appPlan)),
    planDiscoverySource(choices),
  ]
  return {
    steps,
    blockers: appPlan.blocker ? [appPlan.blocker] : [],
    app: appResolved.desired,
    account,
    oauthClient,
    newPassword,
    newClientSecret,
  }
}
