// The probe app's experiments: one install of v1 and one upgrade to v2 settle APP_SWITCHES (README "Switches" of
// tools/instance-emulator names what each decides). Each is settled by what the instance answers, never assumed.
import type { ProbedSwitch, ProbeEvidence, SwitchObservation } from '@kandji-sn/contract'
import { PLATFORM_TABLES, PROBE } from '@kandji-sn/contract/constants'
import { isServiceNowError, query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import type { ProbeContext } from '../types.ts'
import { abortable } from './abortable.ts'
import { answered, couldNotTell, describe, observed, ProbeStepError, refused } from './evidence.ts'
import { insertMultipleTransform, removeInsertMultipleSets } from './insert-multiple.ts'
import { findProbeApp, installProbeApp, removeProbeImportSets, uninstallProbeApp } from './lifecycle.ts'
import { FIX_MARKER, PROBE_APP, probeId, upgradeMarkerShipped } from './package.ts'
import { crossScopeBehaviour, removeProbePrivileges, SCOPE_SWITCHES } from './scope-experiment.ts'

export const APP_SWITCHES = [
  'uploadExecutionTracker',
  'runFixScriptsOnInstall',
  'enforceMandatoryOnTableApi',
  'importSetRequiresWsAccess',
  'choiceListLoader',
  'upgradeKeepsCustomerChanges',
  'insertMultipleTransform',
  'uninstallOutcome',
  ...SCOPE_SWITCHES,
] as const satisfies readonly ProbedSwitch[]
type AppSwitch = (typeof APP_SWITCHES)[number]
export type AppObservations = Partial<Record<AppSwitch, SwitchObservation>>

const CUSTOMER_VALUE = `${PROBE.namePrefix}customer_change`
const propertyId = (name: string) => probeId(`sys_properties:${name}`)

/** Runs the experiments in order; a failed step leaves the switches it would have settled "could not tell". */
export async function runAppExperiments(probeCtx: ProbeContext): Promise<AppObservations> {
  const { signal } = probeCtx
  const admin = abortable(probeCtx.admin, signal)
  const ctx: ProbeContext = { ...probeCtx, admin }
  const result: AppObservations = {}
  let blocked: string | undefined
  const step = async (switches: readonly AppSwitch[], body: () => Promise<void>) => {
    signal.throwIfAborted()
    if (blocked !== undefined) return
    try {
      await body()
    } catch (error) {
      if (signal.aborted) throw signal.reason
      const evidence = error instanceof ProbeStepError ? error.evidence : []
      for (const s of switches) result[s] ??= couldNotTell(describe(error instanceof ProbeStepError ? error.reason : error), evidence)
      if (error instanceof ProbeStepError && switches.includes('uploadExecutionTracker')) blocked = `the probe app could not be installed: ${error.message}`
    }
  }

  // A probe app an earlier, interrupted run left would make v1 an upgrade: remove it first.
  await step(APP_SWITCHES, () => removeProbeApp(admin))
  await step(APP_SWITCHES, async () => {
    const install = await installProbeApp(admin, 'v1')
    result.uploadExecutionTracker = observed(install.tracker ? 'answered' : 'absent', install.evidence)
  })
  await step(['runFixScriptsOnInstall'], async () => {
    result.runFixScriptsOnInstall = await fixScriptRan(admin)
  })
  await step(SCOPE_SWITCHES, async () => {
    Object.assign(result, await crossScopeBehaviour(ctx))
  })
  await step(['enforceMandatoryOnTableApi'], async () => {
    result.enforceMandatoryOnTableApi = await mandatoryEnforced(ctx)
  })
  await step(['importSetRequiresWsAccess'], async () => {
    result.importSetRequiresWsAccess = await importSetNeedsWsAccess(admin)
  })
  await step(['insertMultipleTransform'], async () => {
    try {
      result.insertMultipleTransform = await insertMultipleTransform(ctx)
    } finally {
      await removeInsertMultipleSets(admin)
    }
  })
  const changes: ProbeEvidence[] = []
  await step(['choiceListLoader', 'upgradeKeepsCustomerChanges'], async () => {
    changes.push(...(await changeAsCustomer(ctx)))
  })
  await step(['choiceListLoader', 'upgradeKeepsCustomerChanges'], async () => {
    const upgrade = await installProbeApp(admin, 'v2')
    const evidence = [...changes, ...upgrade.evidence]
    result.choiceListLoader = await settle(signal, CHOICE_READ, evidence, () => choicesAfterUpgrade(admin, evidence))
    result.upgradeKeepsCustomerChanges = await settle(signal, propertyRead(PROBE_APP.upgradeProperty), evidence, () => customerChangeAfterUpgrade(admin, evidence))
  })
  blocked = undefined
  await step(['uninstallOutcome'], async () => {
    result.uninstallOutcome = await uninstallOutcome(admin)
  })
  for (const s of APP_SWITCHES) result[s] ??= couldNotTell(blocked ?? 'the experiment that settles it did not run', [])
  return result
}

/** One read that settles a switch; when it fails, the switch could not be told, with the evidence so far. */
async function settle(signal: AbortSignal, request: string, evidence: ProbeEvidence[], read: () => Promise<SwitchObservation>): Promise<SwitchObservation> {
  try {
    return await read()
  } catch (error) {
    if (signal.aborted) throw signal.reason
    return couldNotTell(describe(error), [...evidence, refused(request, error)])
  }
}

const CHOICE_READ = `GET /api/now/table/${PLATFORM_TABLES.choice} (name=${PROBE_APP.itemTable}^element=${PROBE_APP.choiceField})`
const propertyRead = (name: string) => `GET /api/now/table/${PLATFORM_TABLES.property}/{sys_id of ${name}}`

/**
 * Uninstalls the probe app when it is installed (and active), then removes the choices left on its field (a
 * customer-style choice whose creation's answer was lost was never recorded); idempotent.
 */
export async function removeProbeApp(admin: ServiceNowClient): Promise<void> {
  const running = await admin.app.findRunningInstall({ scope: PROBE_APP.scope, scopeId: PROBE_APP.scopeId })
  if (running) await admin.app.waitForProgress(running)
  const app = await findProbeApp(admin)
  if (app?.active) await uninstallProbeApp(admin, app)
  if (await findProbeApp(admin)) return
  await removeProbePrivileges(admin)
  const choices = await admin.table.list(PLATFORM_TABLES.choice, { query: query().eq('name', PROBE_APP.itemTable).toString(), fields: ['sys_id', 'name'], limit: 50, pageSize: 50 })
  // Checked again here: an instance that ignored the query must not make the probe delete other fields' choices.
  for (const c of choices) if (c.name === PROBE_APP.itemTable && c.sys_id) await admin.table.delete(PLATFORM_TABLES.choice, c.sys_id)
}

async function propertyValue(admin: ServiceNowClient, name: string): Promise<{ value: string | undefined; evidence: ProbeEvidence }> {
  const request = propertyRead(name)
  const row = await admin.table.get(PLATFORM_TABLES.property, propertyId(name), { fields: ['name', 'value'] })
  const value = row?.name === name ? row.value : undefined
  return { value, evidence: value === undefined ? answered(request, 404, '{error: "No Record found"}') : answered(request, 200, `{result.value: "${value}"}`) }
}

async function fixScriptRan(admin: ServiceNowClient): Promise<SwitchObservation> {
  const { value, evidence } = await propertyValue(admin, PROBE_APP.fixMarkerProperty)
  if (value === FIX_MARKER.ran) return observed(true, [evidence])
  if (value === FIX_MARKER.shipped) return observed(false, [evidence])
  return couldNotTell(`the probe app's property ${PROBE_APP.fixMarkerProperty} is ${value === undefined ? 'missing' : `"${value}"`} after the install, neither the shipped nor the fix script's value`, [evidence])
}

async function mandatoryEnforced(ctx: ProbeContext): Promise<SwitchObservation> {
  const name = `${PROBE.namePrefix}mandatory`
  const request = `POST /api/now/table/${PROBE_APP.itemTable} ({name} without the mandatory ${PROBE_APP.mandatoryField})`
  let row
  try {
    row = await ctx.admin.table.create(PROBE_APP.itemTable, { name })
  } catch (error) {
    const said = isServiceNowError(error) ? `${error.snMessage ?? ''} ${error.snDetail ?? ''}` : ''
    if (isServiceNowError(error) && (error.status === 400 || error.status === 403) && /mandatory/i.test(said)) return observed(true, [refused(request, error)])
    return couldNotTell(`the insert was refused, but not for the mandatory field: ${describe(error)}`, [refused(request, error)])
  }
  if (row.sys_id) {
    ctx.created(PROBE_APP.itemTable, row.sys_id, name)
    await ctx.admin.table.delete(PROBE_APP.itemTable, row.sys_id)
  }
  return observed(false, [answered(request, 201, '{result.sys_id}')])
}

async function importSetNeedsWsAccess(admin: ServiceNowClient): Promise<SwitchObservation> {
  const request = `POST /api/now/import/${PROBE_APP.stagingTable} (one row; the staging table has ws_access=false)`
  try {
    const imported = await admin.importSet.insert(PROBE_APP.stagingTable, { name: `${PROBE.namePrefix}import` })
    return observed(false, [answered(request, 201, `{import_set, staging_table: "${imported.staging_table}", result: [${imported.result.length}]}`)])
  } catch (error) {
    if (isServiceNowError(error) && error.status === 403) return observed(true, [refused(request, error)])
    return couldNotTell(`the Import Set API answered neither a row nor a refusal: ${describe(error)}`, [refused(request, error)])
  } finally {
    await removeProbeImportSets(admin)
  }
}

/** What a customer does between two versions: adds a choice to the app's field and changes a record v1 shipped. */
async function changeAsCustomer(ctx: ProbeContext): Promise<ProbeEvidence[]> {
  const { admin } = ctx
  const choiceRequest = `POST /api/now/table/${PLATFORM_TABLES.choice} (${PROBE_APP.itemTable}.${PROBE_APP.choiceField} = ${PROBE_APP.customerChoice})`
  const choice = await admin.table.create(PLATFORM_TABLES.choice, { name: PROBE_APP.itemTable, element: PROBE_APP.choiceField, value: PROBE_APP.customerChoice, label: PROBE_APP.customerChoice, language: 'en' })
  if (choice.sys_id) ctx.created(PLATFORM_TABLES.choice, choice.sys_id, PROBE_APP.customerChoice)
  const propertyRequest = `PATCH /api/now/table/${PLATFORM_TABLES.property}/{sys_id of ${PROBE_APP.upgradeProperty}} ({value})`
  await admin.table.patch(PLATFORM_TABLES.property, propertyId(PROBE_APP.upgradeProperty), { value: CUSTOMER_VALUE })
  return [answered(choiceRequest, 201, '{result.sys_id}'), answered(propertyRequest, 200, '{result.value}')]
}

async function choicesAfterUpgrade(admin: ServiceNowClient, evidence: ProbeEvidence[]): Promise<SwitchObservation> {
  const rows = await admin.table.list(PLATFORM_TABLES.choice, {
    query: query().eq('name', PROBE_APP.itemTable).eq('element', PROBE_APP.choiceField).toString(),
    fields: ['name', 'element', 'value'],
  })
  const values = new Set(rows.filter((r) => r.name === PROBE_APP.itemTable && r.element === PROBE_APP.choiceField).map((r) => r.value))
  const seen = [...values].sort()
  const all = [...evidence, answered(CHOICE_READ, 200, `{result: [value: ${seen.join(', ') || '(none)'}]}`)]
  const has = (v: string) => values.has(v)
  const known = values.size === [PROBE_APP.choiceV1, PROBE_APP.choiceV2, PROBE_APP.customerChoice].filter(has).length
  if (known && has(PROBE_APP.choiceV1)) {
    if (has(PROBE_APP.choiceV2) && !has(PROBE_APP.customerChoice)) return observed('replace', all)
    if (!has(PROBE_APP.choiceV2) && has(PROBE_APP.customerChoice)) return observed('skip', all)
    if (has(PROBE_APP.choiceV2) && has(PROBE_APP.customerChoice)) return observed('additive', all)
  }
  return couldNotTell(`after the upgrade the field's choices are ${seen.join(', ') || '(none)'}, which matches no loader variant (replace: v1+v2, skip: v1+customer, additive: all three)`, all)
}

async function customerChangeAfterUpgrade(admin: ServiceNowClient, evidence: ProbeEvidence[]): Promise<SwitchObservation> {
  const { value, evidence: read } = await propertyValue(admin, PROBE_APP.upgradeProperty)
  if (value === CUSTOMER_VALUE) return observed(true, [...evidence, read])
  if (value === upgradeMarkerShipped(PROBE_APP.versions.v2)) return observed(false, [...evidence, read])
  return couldNotTell(`after the upgrade ${PROBE_APP.upgradeProperty} is ${value === undefined ? 'missing' : `"${value}"`}, neither the customer's nor v2's value`, [...evidence, read])
}

async function uninstallOutcome(admin: ServiceNowClient): Promise<SwitchObservation> {
  const app = await findProbeApp(admin)
  if (!app) return couldNotTell('the probe app is not installed, so there was nothing to uninstall', [])
  const done = await uninstallProbeApp(admin, app)
  const after = await findProbeApp(admin)
  const evidence = [...done.evidence, answered(`GET /api/now/table/${PLATFORM_TABLES.scope} (scope=${PROBE_APP.scope})`, 200, after ? `{result: [active: ${after.active}]}` : '{result: []}')]
  const p = done.progress
  if (!after && p.status === 'successful' && done.warnings.length === 0) return observed('deleted', evidence)
  if (!after && p.status === 'failed' && p.statusMessage.includes('Failed to completely delete application')) return observed('partially-deleted', evidence)
  if (after && !after.active && p.status === 'successful' && p.statusMessage.includes('The store application was deactivated')) return observed('deactivated', evidence)
  return couldNotTell(`the uninstall ended with status ${p.statusCode} "${p.statusMessage}" and the application ${after ? `still there (active ${after.active})` : 'gone'}, which matches no known outcome`, evidence)
}
