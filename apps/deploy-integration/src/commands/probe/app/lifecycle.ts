// Installing, upgrading and removing the probe app the way deploy does (steps/app.ts): an upload as `now-sdk install`
// sends it, followed through its execution tracker or, without one, sys_upgrade_history (sdk-api orchestrator.js
// install()); the uninstall through AppsAjaxProcessor and its progress (sdk-api orchestrator/uninstaller.js).
import type { ProbeEvidence } from '@kandji-sn/contract'
import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient, type UninstallResult } from '@kandji-sn/servicenow-client'
import { answered, ProbeStepError, refused } from './evidence.ts'
import { PROBE_APP, probeAppZip } from './package.ts'

const UPLOAD = 'POST /sn_appclient_upload_processor.do'

export interface InstallOutcome {
  /** Whether the upload answered with an execution tracker. */
  tracker: boolean
  evidence: ProbeEvidence[]
}

/** Uploads one version and waits until it is installed. A refused or lost upload throws (it is never re-sent). */
export async function installProbeApp(admin: ServiceNowClient, version: keyof typeof PROBE_APP.versions): Promise<InstallOutcome> {
  const number = PROBE_APP.versions[version]
  const request = `${UPLOAD} (${PROBE_APP.scope} ${number}, sysparm_async_fluent_install=false, sysparm_request_type=custom_app)`
  let upload
  try {
    upload = await admin.app.uploadPackage(probeAppZip(version), { scope: PROBE_APP.scope, scopeId: PROBE_APP.scopeId, version: number })
  } catch (error) {
    throw new ProbeStepError(error, [refused(request, error)])
  }
  // The client returns only a 200, or a 400 that carries a tracker (as now-sdk reads it, connector.js).
  const shape = upload.trackerId ? '{executionTracker, rollbackContext}' : `{${upload.rollbackContext ? 'rollbackContext' : ''}} without executionTracker`
  const evidence = [answered(request, 200, shape)]
  const waitRequest = upload.trackerId
    ? 'GET /api/sn_cicd/progress/{executionTracker}'
    : `GET /api/now/table/${PLATFORM_TABLES.upgradeHistory} (to_version=${PROBE_APP.scope}^ORDERBYDESCupgrade_started)`
  try {
    if (upload.trackerId) {
      const done = await admin.app.waitForProgress(upload.trackerId)
      evidence.push(answered(waitRequest, 200, `{result.status: "${done.statusCode}", percent_complete: ${done.percentComplete}}`))
    } else {
      await admin.app.waitForUpgradeHistory(PROBE_APP.scope, upload.upgradeHistoryBefore)
      evidence.push(answered(waitRequest, 200, '{result: [a new row with upgrade_finished]}'))
    }
  } catch (error) {
    throw new ProbeStepError(error, [...evidence, refused(waitRequest, error)])
  }
  return { tracker: !!upload.trackerId, evidence }
}

export interface ProbeAppRecord {
  sysId: string
  table: string
  active: boolean
  version: string
}

/** The probe app's application record, found by scope (sys_app, or sys_store_app for one an instance made so). */
export async function findProbeApp(admin: ServiceNowClient): Promise<ProbeAppRecord | undefined> {
  const rows = await admin.table.list(PLATFORM_TABLES.scope, {
    query: query().eq('scope', PROBE_APP.scope).toString(),
    fields: ['sys_id', 'scope', 'sys_class_name', 'active', 'version'],
    limit: 5,
    pageSize: 5,
  })
  // Checked again here: an instance that ignored the query must not make the probe uninstall another application.
  const row = rows.find((r) => r.scope === PROBE_APP.scope)
  if (!row?.sys_id) return undefined
  return { sysId: row.sys_id, table: row.sys_class_name || PLATFORM_TABLES.app, active: row.active !== 'false' && row.active !== '0', version: row.version ?? '' }
}

export interface UninstallOutcome extends UninstallResult {
  evidence: ProbeEvidence[]
}

/** Uninstalls the probe app (sys_id sysId) with its data and waits for the instance to finish. */
export async function uninstallProbeApp(admin: ServiceNowClient, app: ProbeAppRecord): Promise<UninstallOutcome> {
  const storeApp = app.table === PLATFORM_TABLES.storeApp
  const request = `POST /xmlhttp.do (AppsAjaxProcessor ${storeApp ? 'uninstallApplication' : 'deleteApplication'} ${PROBE_APP.scope}, sysparm_delete_all=true)`
  let progressId
  try {
    ;({ progressId } = await admin.app.uninstall({ scopeId: app.sysId, ...(storeApp ? { storeApp: true } : {}) }))
  } catch (error) {
    throw new ProbeStepError(error, [refused(request, error)])
  }
  const evidence = [answered(request, 200, '<xml answer="{progress id}"/>')]
  let result
  try {
    result = await admin.app.waitForUninstall(progressId, { scope: PROBE_APP.scope, scopeId: app.sysId })
  } catch (error) {
    throw new ProbeStepError(error, [...evidence, refused('GET /api/sn_cicd/progress/{progress id}', error)])
  }
  const p = result.progress
  evidence.push(answered('GET /api/sn_cicd/progress/{progress id}', 200, `{result.status: "${p.statusCode}", percent_complete: ${p.percentComplete}, status_message: ${JSON.stringify(p.statusMessage)}}`))
  return { ...result, evidence }
}

/** Removes the import sets the Import Set experiment made: listed by staging table, each checked and deleted by sys_id. */
export async function removeProbeImportSets(admin: ServiceNowClient): Promise<void> {
  const sets = await admin.table.list(PLATFORM_TABLES.importSet, { query: query().eq('table_name', PROBE_APP.stagingTable).toString(), fields: ['sys_id', 'table_name'], limit: 50, pageSize: 50 })
  for (const set of sets) {
    if (set.table_name !== PROBE_APP.stagingTable || !set.sys_id) continue
    const runs = await admin.table.list(PLATFORM_TABLES.importSetRun, { query: query().eq('set', set.sys_id).toString(), fields: ['sys_id', 'set'], limit: 50, pageSize: 50 })
    for (const run of runs) if (run.set === set.sys_id && run.sys_id) await admin.table.delete(PLATFORM_TABLES.importSetRun, run.sys_id)
    await admin.table.delete(PLATFORM_TABLES.importSet, set.sys_id)
  }
}
