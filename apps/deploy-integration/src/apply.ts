import type { Session } from './session.ts'
import type { InstancePlan } from './plan.ts'
import { applyApp, uninstallApp, type AppApplyResult } from './steps/app.ts'
import { planAppProperties, readAppProperties } from './steps/app-properties.ts'
import { APP, EXIT_CODES } from '@kandji-sn/contract/constants'
import type { TableRecord } from '@kandji-sn/servicenow-client'
import { CliError, isServiceNowErrorLike } from './errors.ts'
import { choiceGuardMessage, planDiscoverySource, readDiscoverySource, readFieldChoices, restoreRemovedChoices } from './steps/discovery-source.ts'
import { describeRoleCount, readGrants } from './steps/role-grants.ts'
import { applyTableChange, type ApplyContext, type StepId, type StepPlan, type TableChange } from './steps/types.ts'

export interface ApplyOutcome {
  applied: Array<{ step: StepId; action: string; key: string }>
  app: AppApplyResult | undefined
  userSysId: string | undefined
  roleSummary: string | undefined
  /** Things the user must know that did not stop the run (e.g. discovery-source choices an install removed). */
  warnings: string[]
}

/**
 * Checks the shared choice list after an install (restoreRemovedChoices) and says what happened. A choice that could
 * not be put back fails the deploy, after the install has succeeded; after a failed install the install's error is
 * the one thrown, and this only warns.
 */
async function guardChoices(admin: Session['admin'], before: TableRecord[], installError: unknown): Promise<{ warning?: string; failure?: CliError }> {
  // Settled: done, failed on the instance, or refused outright (a 4xx to the POST that starts it: nothing started).
  const refused = isServiceNowErrorLike(installError) && installError.method === 'POST' && installError.status !== undefined && installError.status >= 400 && installError.status < 500 && ![408, 429].includes(installError.status)
  const settled = installError === undefined || refused || (isServiceNowErrorLike(installError) && installError.kind === 'install_failed')
  const result = await restoreRemovedChoices(admin, before, APP.scopeId)
  const message = choiceGuardMessage(result, before, settled)
  if (!message) return {}
  if (result.kind === 'not_restored' && installError === undefined) {
    return { failure: new CliError(EXIT_CODES.instance, message, 'the Table API refused or lost the re-created choices', 'add the listed choices back by hand, then run deploy again') }
  }
  return { warning: message }
}

function tableChanges(steps: readonly StepPlan[], step: StepId): TableChange[] {
  return steps.filter((s) => s.step === step).flatMap((s) => s.changes.filter((c): c is TableChange => c.table !== undefined))
}

/**
 * Applies a plan in dependency order: app -> (OAuth client || service account) -> role grants ->
 * (app properties || discovery source). After an app install the app-owned objects and the discovery source are
 * planned again, since the install (or, on a repository install, its fix script) may have brought them.
 */
export async function applyPlan(session: Session, plan: InstancePlan): Promise<ApplyOutcome> {
  const { admin, ctx } = session
  const out = ctx.out
  const apply: ApplyContext = { admin, out, state: plan.account?.sys_id ? { userSysId: plan.account.sys_id } : {} }
  const outcome: ApplyOutcome = { applied: [], app: undefined, userSysId: plan.account?.sys_id, roleSummary: undefined, warnings: [] }
  const done = (c: { step: StepId; action: string; key: string; table?: string | undefined }) => {
    outcome.applied.push({ step: c.step, action: c.action, key: c.table ? `${c.table} ${c.key}` : c.key })
    out.line(`  ${out.style('done', 'green')} ${c.action} ${c.table ? `${c.table} ` : ''}${c.key}`)
  }
  let steps = plan.steps

  const appChange = steps.find((s) => s.step === 'app')?.changes[0]
  if (appChange && appChange.step === 'app' && 'source' in appChange) {
    const choicesBefore = await readFieldChoices(admin)
    try {
      // --replace-store-app: the application that holds the scope goes first (now-sdk install --reinstall does the same).
      if (appChange.action === 'replace' && session.facts.app) await uninstallApp(admin, session.facts.app, apply)
      outcome.app = await applyApp(appChange, plan.app, apply)
    } catch (error) {
      // Even after a failed install: whatever it removed of the shared choice list comes back, and the user hears it.
      const { warning } = await guardChoices(admin, choicesBefore, error)
      if (warning) out.errorText(`warning: ${warning}`)
      throw error
    }
    const { warning, failure } = await guardChoices(admin, choicesBefore, undefined)
    if (failure) throw failure
    if (warning) outcome.warnings.push(warning)
    done(appChange)
    const [properties, choices] = await Promise.all([readAppProperties(admin), readDiscoverySource(admin)])
    const desired = session.config.desired
    steps = steps.map((s) => {
      if (s.step === 'app-properties') return planAppProperties(properties, { serviceAccount: desired.serviceAccount.userName, oauthClient: desired.oauthClient.name })
      if (s.step === 'discovery-source') return planDiscoverySource(choices)
      return s
    })
  }

  const runAll = async (changes: TableChange[]) => {
    for (const change of changes) {
      const sysId = await applyTableChange(change, apply)
      if (change.step === 'service-account' && change.action === 'create') apply.state.userSysId = sysId
      done(change)
    }
  }
  await Promise.all([runAll(tableChanges(steps, 'oauth-client')), runAll(tableChanges(steps, 'service-account'))])
  await runAll(tableChanges(steps, 'role-grants'))
  await Promise.all([runAll(tableChanges(steps, 'app-properties')), runAll(tableChanges(steps, 'discovery-source'))])
  outcome.userSysId = apply.state.userSysId
  if (outcome.userSysId) outcome.roleSummary = describeRoleCount(await readGrants(admin, outcome.userSysId))
  return outcome
}
