import type { Session } from './session.ts'
import type { InstancePlan } from './plan.ts'
import { applyApp, type AppApplyResult } from './steps/app.ts'
import { planAppProperties, readAppProperties } from './steps/app-properties.ts'
import { planDiscoverySource, readDiscoverySource, readFieldChoices, removedChoices, removedChoicesMessage, restoreRemovedChoices } from './steps/discovery-source.ts'
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

async function guardChoices(admin: Session['admin'], before: Awaited<ReturnType<typeof readFieldChoices>>, outcome: ApplyOutcome): Promise<void> {
  let removed: typeof before = []
  try {
    removed = await restoreRemovedChoices(admin, before)
    if (removed.length > 0) outcome.warnings.push(removedChoicesMessage(removed, true))
  } catch {
    const now = await readFieldChoices(admin).catch(() => [])
    outcome.warnings.push(removedChoicesMessage(removedChoices(before, now), false))
  }
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
      outcome.app = await applyApp(appChange, plan.app, apply)
    } catch (error) {
      // Even after a failed install: whatever it removed of the shared choice list comes back, and the user hears it.
      await guardChoices(admin, choicesBefore, outcome)
      for (const w of outcome.warnings) out.errorText(`warning: ${w}`)
      throw error
    }
    await guardChoices(admin, choicesBefore, outcome)
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
