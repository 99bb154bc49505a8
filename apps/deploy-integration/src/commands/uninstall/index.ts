import { APP, APP_PROPERTIES, DISCOVERY_SOURCE, EXIT_CODES, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import { confirm } from '../../confirm.ts'
import { stillPlanned } from '../../plan.ts'
import type { CommandContext } from '../../context.ts'
import { planToJson, renderPlan } from '../../render/plan.ts'
import { lockSession, refuseWhileLocked } from '../../lock.ts'
import { releaseInstanceLock } from '../../lock-release.ts'
import { openSession, type Session } from '../../session.ts'
import { readInstalledApp } from '../../steps/preflight.ts'
import { describeInstalled, uninstallApp } from '../../steps/app.ts'
import { readAppProperties } from '../../steps/app-properties.ts'
import { countKandjiCis, inContractLanguage, readDiscoverySource } from '../../steps/discovery-source.ts'
import { readOAuthClient } from '../../steps/oauth-client.ts'
import { readGrants } from '../../steps/role-grants.ts'
import { readServiceAccount } from '../../steps/service-account.ts'
import { applyTableChange, type StepPlan, type TableChange } from '../../steps/types.ts'

export const summary = 'remove what deploy created: service account and its roles, OAuth client, properties (the app, and the discovery source no CI names, with --app)'
export const flags = ['instance', 'admin-user', 'config', 'service-account', 'oauth-client', 'app', 'timeout', 'force-unlock', 'yes'] as const

const del = (step: TableChange['step'], table: string, key: string, sysId: string, field?: { field: string; from: string }): TableChange => ({
  step,
  action: 'delete',
  table,
  key,
  sysId,
  fields: field ? [{ ...field, to: undefined }] : [],
})

/**
 * With --app, the Kandji discovery source goes too, by sys_id and after the app is gone, unless CIs still name it
 * (IRE and the CMDB's "Discovery source" show it on every such CI): then it stays and the plan says so. Only the row
 * deploy creates is removed (contract language and label); a translation or a relabelled row is the customer's.
 */
async function planChoiceRemoval(admin: ServiceNowClient): Promise<StepPlan> {
  const [rows, cis] = await Promise.all([readDiscoverySource(admin), countKandjiCis(admin)])
  const step: StepPlan = { step: 'discovery-source', object: `discovery source "${DISCOVERY_SOURCE.value}"`, changes: [], notes: [], warnings: [] }
  if (rows.length === 0) return step
  if (cis > 0) {
    step.notes.push(`kept: ${cis} CI${cis === 1 ? '' : 's'} still name${cis === 1 ? 's' : ''} it as discovery source; remove the choice by hand once they are retired`)
    return step
  }
  const ours = rows.filter((r) => inContractLanguage(r) && r.label === DISCOVERY_SOURCE.label)
  for (const row of ours) if (row.sys_id) step.changes.push(del('discovery-source', PLATFORM_TABLES.choice, `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}^language=${row.language ?? ''}`, row.sys_id))
  if (ours.length < rows.length) step.notes.push(`kept ${rows.length - ours.length} translated or relabelled row${rows.length - ours.length === 1 ? '' : 's'} of the choice: not deploy's`)
  return step
}

/** Plans the removal by natural key, so a second uninstall finds nothing and does nothing. */
async function planUninstall(session: Session): Promise<{ steps: StepPlan[]; appStep: StepPlan; account: TableRecord | undefined }> {
  const { admin, config, facts, ctx } = session
  const desired = config.desired
  const [account, client, properties] = await Promise.all([
    readServiceAccount(admin, desired.serviceAccount.userName),
    readOAuthClient(admin, desired.oauthClient.name),
    readAppProperties(admin),
  ])
  const grants = account?.sys_id ? await readGrants(admin, account.sys_id) : []
  const steps: StepPlan[] = [
    {
      step: 'role-grants',
      object: `roles of "${desired.serviceAccount.userName}"`,
      changes: grants.filter((g) => !g.inherited).map((g) => del('role-grants', PLATFORM_TABLES.userRole, `user=${desired.serviceAccount.userName}^role=${g.roleName}`, g.sysId, { field: 'role', from: g.roleName })),
      notes: grants.some((g) => g.inherited) ? [`${grants.filter((g) => g.inherited).length} inherited rows go with them`] : [],
      warnings: [],
    },
    { step: 'service-account', object: `service account "${desired.serviceAccount.userName}"`, changes: account?.sys_id ? [del('service-account', PLATFORM_TABLES.user, `user_name=${desired.serviceAccount.userName}`, account.sys_id)] : [], notes: [], warnings: [] },
    { step: 'oauth-client', object: `OAuth client "${desired.oauthClient.name}"`, changes: client?.sys_id ? [del('oauth-client', PLATFORM_TABLES.oauthEntity, `name=${desired.oauthClient.name}`, client.sys_id)] : [], notes: [], warnings: [] },
    {
      step: 'app-properties',
      object: 'app properties',
      changes: Object.values(APP_PROPERTIES).flatMap((name) => {
        const r = properties[name]
        return r?.sys_id ? [del('app-properties', PLATFORM_TABLES.property, `name=${name}`, r.sys_id, { field: 'value', from: r.value ?? '' })] : []
      }),
      notes: [],
      warnings: [],
    },
  ]
  // The vendor's app stays (deploy did not install it), and IRE needs the choice for it as long as it does.
  if (ctx.flags.app && facts.app?.ownBuild !== false) steps.push(await planChoiceRemoval(admin))
  const appStep: StepPlan = { step: 'app', object: `app ${APP.scope}`, changes: [], notes: [], warnings: [] }
  if (ctx.flags.app && facts.app && !facts.app.ownBuild) {
    appStep.notes.push(`kept: ${describeInstalled(facts.app)} was not installed by deploy; remove it from System Applications > All Available Applications if you mean to`)
  } else if (ctx.flags.app && facts.app) {
    appStep.changes.push({ step: 'app', action: 'uninstall', key: `sys_scope scope=${APP.scope}`, fields: [{ field: 'version', from: facts.app.version, to: undefined }], source: facts.app.storeApp ? 'store' : 'package', version: undefined, fromVersion: facts.app.version })
  } else if (facts.app) {
    appStep.notes.push(`the app stays installed (${facts.app.version}); pass --app to remove it too`)
  }
  steps.push(appStep)
  return { steps, appStep, account }
}

const countOf = (steps: StepPlan[]) => steps.reduce((n, s) => n + s.changes.length, 0)

export async function run(ctx: CommandContext): Promise<number> {
  const { out } = ctx
  const session = await openSession(ctx)
  const { admin, config } = session
  const desired = config.desired
  const first = await planUninstall(session)
  renderPlan(out, first.steps)
  let count = countOf(first.steps)
  out.line()
  let planned = first
  const removed: string[] = []
  const warnings: string[] = []
  if (count === 0) {
    await refuseWhileLocked(session, { force: ctx.flags['force-unlock'] === true })
    out.line(out.style('nothing to remove', 'green'))
  } else {
    await confirm(ctx, `Remove ${count} object${count === 1 ? '' : 's'} from ${desired.instance.url}?`)
    // Removed under the instance lock, by a plan read under it (another run may have changed the instance meanwhile).
    await lockSession(session, 'uninstall')
    session.facts.app = await readInstalledApp(admin)
    planned = await planUninstall(session)
    count = stillPlanned(first.steps, planned.steps, desired.instance.url)
  }
  const { steps, appStep, account } = planned
  const facts = session.facts
  if (count > 0) {
    const apply = { admin, out, state: {} }
    const remove = async (change: TableChange) => {
      await applyTableChange(change, apply)
      removed.push(`${change.table} ${change.key}`)
      out.line(`  ${out.style('removed', 'red')} ${change.table} ${change.key}`)
    }
    for (const step of steps) {
      for (const change of step.changes) {
        if (change.table === undefined || change.step === 'discovery-source') continue // the app and the choice: below
        await remove(change)
      }
    }
    if (account?.sys_id) {
      // Role Management V2 removes inherited rows with their direct grant; anything still there would be orphaned.
      // Each row is checked to be the account's before it goes: an instance that ignored the clause lists every grant.
      const left = await admin.table.list(PLATFORM_TABLES.userRole, { query: query().eq('user', account.sys_id).toString(), fields: ['sys_id', 'user'] })
      for (const row of left) if (row.sys_id && row.user === account.sys_id) await admin.table.delete(PLATFORM_TABLES.userRole, row.sys_id)
    }
    if (appStep.changes.length > 0 && facts.app) {
      warnings.push(...(await uninstallApp(admin, facts.app, { out })))
      removed.push(`app ${APP.scope}`)
    }
    // The choice goes only once the app is gone: were the uninstall to fail, IRE would still need it.
    for (const change of steps.find((s) => s.step === 'discovery-source')?.changes ?? []) if (change.table !== undefined) await remove(change)
  }
  for (const w of warnings) out.errorText(`warning: ${w}`)
  await releaseInstanceLock(ctx)
  out.result({ command: 'uninstall', instance: desired.instance.url, removed, warnings, steps: planToJson(steps) })
  return EXIT_CODES.ok
}
