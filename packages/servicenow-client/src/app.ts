// App install and uninstall: the package upload `now-sdk install` performs, the CI/CD app repository install, the
// AppsAjaxProcessor uninstall, and progress polling. Request shapes: @servicenow/sdk 4.9 sdk-api/dist/connector.js
// (uploadScopedAppPackage, appsAjaxProcessor, getProgress) and shared/reference/now-sdk-install-trace/.
import { PLATFORM_TABLES, UPDATE_MUTEX } from '@kandji-sn/contract/constants'
import type { AppApi, AuthConfig, Progress, TableApi, UninstallResult, UploadResult } from './types.ts'
import { isServiceNowError, ServiceNowError } from './errors.ts'
import { query } from './query.ts'
import { describeIssue, progressResultSchema, uploadResponseSchema } from './schemas.ts'
import { openUiSession, type UiSession } from './session.ts'
import { invalid } from './table.ts'
import type { Credentials, Transport } from './transport.ts'

export const UPLOAD_PATH = '/sn_appclient_upload_processor.do'
export const REPO_INSTALL_PATH = '/api/sn_cicd/app_repo/install'
export const PROGRESS_PATH = '/api/sn_cicd/progress'
export const XMLHTTP_PATH = '/xmlhttp.do'

/** CI/CD progress statuses (SN docs, CICD API: "0" Pending … "4" Canceled). */
const STATUS: Record<string, Progress['status']> = { '0': 'pending', '1': 'running', '2': 'successful', '3': 'failed', '4': 'canceled' }
/** now-sdk's upload timeout (sdk-api connector.js uploadScopedAppPackage: `options.timeoutMs ?? 300000`). */
export const DEFAULT_INSTALL_TIMEOUT_MS = 300_000
/** How long now-sdk waits for the Update-Mutex after an uninstall (uninstaller.js monitorMutexRelease: 30 polls, 1 s apart). */
const MUTEX_WAIT_MS = 30_000
/** Progress messages now-sdk accepts as a finished uninstall (uninstaller.js monitorProgress). */
const UNINSTALL_FINISHED = ['Failed to completely delete application', 'The store application was deactivated'] as const

export interface AppApiDeps {
  transport: Transport
  auth: AuthConfig
  credentials: () => Credentials | undefined
  sleep: (ms: number) => Promise<void>
  /** Reads sys_execution_tracker, sys_upgrade_history, sys_mutex and sys_scope. */
  table: TableApi
  /** The upload's timeout (ClientOptions.installTimeoutMs). */
  installTimeoutMs?: number
}

export function createAppApi({ transport, auth, credentials, sleep, table, installTimeoutMs }: AppApiDeps): AppApi {
  const uploadTimeoutMs = positiveTimeout(installTimeoutMs) ?? Math.max(DEFAULT_INSTALL_TIMEOUT_MS, transport.timeoutMs)
  let session: Promise<UiSession> | undefined
  const uiSession = () => {
    session ??= openUiSession(transport, auth, credentials()).catch((error: unknown) => {
      session = undefined
      throw error
    })
    return session
  }

  async function getProgress(id: string): Promise<Progress> {
    const path = `${PROGRESS_PATH}/${checkId(id, 'progress id')}`
    const response = await transport.send({ method: 'GET', path, credentials: credentials(), call: 'read', expect: 'json' })
    const body = response.body as { result?: unknown } | undefined
    const parsed = progressResultSchema.safeParse(body?.result)
    if (!parsed.success) throw invalid('GET', path, response.status, `result.${describeIssue(parsed.error)}`)
    return toProgress(id, parsed.data)
  }

  /** The scope's newest sys_upgrade_history rows, as now-sdk reads them (connector.js appUpgradeStatus), newest first. */
  const upgradeHistory = (scope: string) =>
    table.list(PLATFORM_TABLES.upgradeHistory, {
      query: query().eq('to_version', scope).orderByDesc('upgrade_started').toString(),
      fields: ['sys_id', 'to_version', 'upgrade_finished'],
      // Rows started in the same second have no defined order: look at a few, not only the first.
      limit: 20,
      pageSize: 20,
    })

  /** Polls with backoff until `check` says finished; `timeout` builds the error when the time runs out. */
  async function poll(check: () => Promise<boolean>, options: { intervalMs?: number; timeoutMs: number }, timeout: () => ServiceNowError): Promise<void> {
    const interval = options.intervalMs ?? 1000
    if (!Number.isInteger(interval) || interval < 0) throw new TypeError(`intervalMs must be a non-negative integer, got ${interval}`)
    const started = Date.now()
    let waited = 0
    let delay = interval
    for (;;) {
      if (await check()) return
      // Time spent is the larger of the clock and the sum of waits, so an injected instant sleep still ends.
      if (Math.max(Date.now() - started, waited) >= options.timeoutMs) throw timeout()
      await sleep(delay)
      waited += delay
      // Back off gently: the platform's own client polls every second; long installs need no more than every 10 s.
      delay = Math.min(Math.max(delay * 1.5, interval), Math.max(interval, 10_000))
    }
  }

  return {
    /**
     * Not repeated after it may have reached the instance: a second upload would start a second install. On a
     * retryable error, look for the running install (findRunningInstall) or the app's version before uploading again.
     * Waits up to installTimeoutMs (default 300 s, as now-sdk) for the answer, whatever the per-request timeout.
     */
    async uploadPackage(zip, app): Promise<UploadResult> {
      if (!(zip instanceof Uint8Array) || zip.byteLength === 0) throw new TypeError('uploadPackage needs the app package zip as a non-empty Uint8Array')
      for (const key of ['scopeId', 'scope', 'version'] as const) {
        if (typeof app?.[key] !== 'string' || app[key] === '') throw new TypeError(`uploadPackage needs app.${key}`)
      }
      const { credentials: sessionCredentials, userToken } = await uiSession()
      // Read before the upload, as now-sdk does: an answer without a tracker is followed through a new history row.
      const upgradeHistoryBefore = (await upgradeHistory(app.scope)).map((row) => row.sys_id ?? '')
      const form = new FormData()
      form.append('upload_type', 'file')
      form.append('load_demo', String(app.loadDemo ?? false))
      form.append('sysparm_ck', userToken)
      form.append('attachFile', new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), `${app.scope}.zip`)
      let response
      try {
        response = await transport.send({
          method: 'POST',
          path: UPLOAD_PATH,
          query: {
            sysparm_track_fluent_install: 'true',
            sysparm_async_fluent_install: 'false',
            sysparm_fluent_scope_id: app.scopeId,
            sysparm_fluent_scope_name: app.scope,
            sysparm_fluent_app_version: app.version,
            // now-sdk leaves it out when the scope's app record is a sys_store_app (connector.js uploadScopedAppPackage).
            ...(app.storeApp ? {} : { sysparm_request_type: 'custom_app' }),
          },
          body: { type: 'multipart', value: form },
          credentials: sessionCredentials,
          call: 'uploadInstall',
          expect: 'json',
          // The SDK reads the tracker from a 400 with JSON too (connector.js uploadScopedAppPackage).
          acceptStatus: [400],
          timeoutMs: uploadTimeoutMs,
        })
      } catch (error) {
        if (isServiceNowError(error) && error.kind === 'auth') {
          session = undefined
          error.hint = 'the upload was refused: installing an app needs the admin role (or sn_cicd.sys_ci_automation) and an interactive session; check the account and log in once in a browser'
        }
        throw error
      }
      const parsed = uploadResponseSchema.safeParse(response.body ?? {})
      if (!parsed.success || (response.status === 400 && !parsed.data.executionTracker)) {
        if (response.status === 400) {
          throw new ServiceNowError({
            kind: 'bad_request',
            message: `POST ${UPLOAD_PATH} refused the app package (400)`,
            hint: 'the package was not accepted: check it was built by now-sdk build/pack for this scope and version, and that the instance release supports it',
            method: 'POST',
            path: UPLOAD_PATH,
            status: 400,
          })
        }
        throw invalid('POST', UPLOAD_PATH, response.status, parsed.error ? describeIssue(parsed.error) : 'unexpected shape')
      }
      const result: UploadResult = { trackerId: parsed.data.executionTracker || undefined, upgradeHistoryBefore }
      if (parsed.data.rollbackContext) result.rollbackContext = parsed.data.rollbackContext
      return result
    },

    async uiSecurityModel() {
      return (await uiSession()).userToken === '' ? 'legacy' : 'user-token'
    },

    async findRunningInstall(app) {
      if (typeof app?.scope !== 'string' || app.scope === '') throw new TypeError('findRunningInstall needs app.scope')
      const q = query().in('state', ['0', '1'])
      if (app.scopeId) q.eq('source', app.scopeId).or()
      const rows = await table.list(PLATFORM_TABLES.executionTracker, {
        query: q.like('name', app.scope).orderByDesc('sys_created_on').toString(),
        fields: ['sys_id', 'name', 'state', 'source'],
        limit: 10,
        pageSize: 10,
      })
      // Checked again here: an instance that ignored a clause must not make a re-run wait on someone else's job.
      const running = rows.find((r) => (r.state === '0' || r.state === '1') && ((app.scopeId && r.source === app.scopeId) || (r.name ?? '').includes(app.scope)))
      return running?.sys_id || undefined
    },

    async waitForUpgradeHistory(scope, before, options = {}) {
      if (typeof scope !== 'string' || scope === '') throw new TypeError('waitForUpgradeHistory needs the scope')
      const known = new Set(before)
      const timeoutMs = options.timeoutMs ?? 30 * 60_000
      await poll(
        async () => (await upgradeHistory(scope)).some((row) => row.to_version === scope && !!row.upgrade_finished && !known.has(row.sys_id ?? '')),
        { ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}), timeoutMs },
        () =>
          new ServiceNowError({
            kind: 'timeout',
            message: `the upload was answered without an execution tracker, and no finished install of ${scope} appeared in ${PLATFORM_TABLES.upgradeHistory} within ${Math.round(timeoutMs / 1000)} s`,
            hint: `it may still be running or have failed: check ${PLATFORM_TABLES.upgradeHistory}.do and the system log on the instance, then run again`,
            method: 'GET',
            path: `/api/now/table/${PLATFORM_TABLES.upgradeHistory}`,
            retryable: true,
          }),
      )
    },

    async waitForUninstall(id, app, options = {}): Promise<UninstallResult> {
      if (typeof app?.scope !== 'string' || app.scope === '') throw new TypeError('waitForUninstall needs app.scope')
      const scopeId = checkId(app.scopeId, 'scopeId')
      const timeoutMs = options.timeoutMs ?? 30 * 60_000
      const warnings: string[] = []
      let last: Progress | undefined
      await poll(
        async () => {
          const p = await getProgress(id)
          last = p
          options.onProgress?.(p)
          const accepted = UNINSTALL_FINISHED.find((m) => p.statusMessage.includes(m))
          // Success only at status 2 *and* 100 %: an earlier 2 is not the end (uninstaller.js monitorProgress).
          if (p.status === 'successful' && p.percentComplete === 100 && !accepted) return true
          if (accepted && (p.status === 'failed' || p.status === 'successful')) {
            warnings.push(
              p.status === 'failed'
                ? `the uninstall finished with "${p.statusMessage}": the application and its metadata were deleted, some ACL-protected metadata may remain (delete it in the instance UI for a clean install)`
                : p.statusMessage,
            )
            return true
          }
          if (p.status === 'failed' || p.status === 'canceled') throw installFailed(id, p, 'uninstall')
          return false
        },
        { ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}), timeoutMs },
        () => progressTimeout(id, last, timeoutMs, 'uninstall'),
      )
      const mutexTimeoutMs = options.mutexTimeoutMs ?? MUTEX_WAIT_MS
      await poll(
        async () => (await table.count(PLATFORM_TABLES.mutex, query().eq('name', UPDATE_MUTEX).isNotEmpty('acquired').toString())) === 0,
        { ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}), timeoutMs: mutexTimeoutMs },
        () =>
          new ServiceNowError({
            kind: 'timeout',
            message: `the uninstall finished, but the instance's ${UPDATE_MUTEX} was not released within ${Math.round(mutexTimeoutMs / 1000)} s`,
            hint: `another install or CI/CD operation may be running: wait until ${PLATFORM_TABLES.mutex}.do shows ${UPDATE_MUTEX} released, then run again`,
            method: 'GET',
            path: `/api/now/table/${PLATFORM_TABLES.mutex}`,
            retryable: true,
          }),
      )
      const scopeRow = await table.get(PLATFORM_TABLES.scope, scopeId, { fields: ['sys_id', 'active'] })
      if (scopeRow?.sys_id) {
        if (scopeRow.active === 'false' || scopeRow.active === '0') {
          warnings.push(`the application record stays on the instance, inactive (${PLATFORM_TABLES.scope} ${scopeId}): a Store app is deactivated rather than deleted; remove it in System Applications if it must go`)
        } else {
          throw new ServiceNowError({
            kind: 'install_failed',
            message: `the uninstall (progress ${id}) finished, but the application ${app.scope} (${PLATFORM_TABLES.scope} ${scopeId}) is still there and active`,
            hint: `see the execution tracker ${PLATFORM_TABLES.executionTracker}.do?sys_id=${id} and the system log; uninstall the app in System Applications > My Company Applications, then run again`,
            method: 'GET',
            path: `/api/now/table/${PLATFORM_TABLES.scope}/${scopeId}`,
            retryable: false,
          })
        }
      }
      return { progress: last as Progress, warnings }
    },

    async installFromRepo(app) {
      if (!app?.scope && !app?.sysId) throw new TypeError('installFromRepo needs the app scope or sys_id')
      const response = await transport.send({
        method: 'POST',
        path: REPO_INSTALL_PATH,
        query: { scope: app.scope, sys_id: app.sysId, version: app.version },
        credentials: credentials(),
        call: 'repoInstall',
        expect: 'json',
      })
      const body = response.body as { result?: unknown } | undefined
      const parsed = progressResultSchema.safeParse(body?.result)
      if (!parsed.success) throw invalid('POST', REPO_INSTALL_PATH, response.status, `result.${describeIssue(parsed.error)}`)
      const progressId = parsed.data.links?.progress?.id
      if (!progressId) throw invalid('POST', REPO_INSTALL_PATH, response.status, 'result.links.progress.id: expected string')
      return parsed.data.rollback_version ? { progressId, rollbackVersion: parsed.data.rollback_version } : { progressId }
    },

    async uninstall(app) {
      const scopeId = checkId(app?.scopeId, 'scopeId')
      const { credentials: sessionCredentials, userToken } = await uiSession()
      const ajax = async (params: Record<string, string>) => {
        const response = await transport.send({
          method: 'POST',
          path: XMLHTTP_PATH,
          body: { type: 'form', value: new URLSearchParams({ sysparm_processor: 'com.snc.apps.AppsAjaxProcessor', ...params, sysparm_ck: userToken }) },
          headers: { Accept: '*/*' },
          credentials: sessionCredentials,
          call: params.sysparm_function === 'changeApplication' ? 'switchApplication' : 'uninstallStart',
          expect: 'xml',
        })
        return String(response.body ?? '')
      }
      await ajax({ sysparm_function: 'changeApplication', sysparm_value: scopeId })
      const xml = await ajax({
        sysparm_function: app.storeApp ? 'uninstallApplication' : 'deleteApplication',
        sysparm_sys_id: scopeId,
        sysparm_fluent_app: 'true',
        sysparm_delete_all: 'true',
      })
      const progressId = xmlAnswer(xml)
      if (!progressId) throw invalid('POST', XMLHTTP_PATH, 200, 'xml.answer: expected the progress id (<xml answer="…"/>)')
      return { progressId }
    },

    getProgress,

    async waitForProgress(id, options = {}) {
      const timeoutMs = options.timeoutMs ?? 30 * 60_000
      let last: Progress | undefined
      await poll(
        async () => {
          const progress = await getProgress(id)
          last = progress
          options.onProgress?.(progress)
          if (progress.status === 'failed' || progress.status === 'canceled') throw installFailed(id, progress)
          return progress.status === 'successful'
        },
        { ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}), timeoutMs },
        () => progressTimeout(id, last, timeoutMs),
      )
      return last as Progress
    },
  }
}

function progressTimeout(id: string, progress: Progress | undefined, timeoutMs: number, what = 'install'): ServiceNowError {
  return new ServiceNowError({
    kind: 'timeout',
    message: `the ${what} (progress ${id}) did not finish within ${Math.round(timeoutMs / 1000)} s${progress ? `: ${progress.percentComplete}% ${progress.statusMessage}`.trimEnd() : ''}`,
    hint: `it may still be running: open ${PLATFORM_TABLES.executionTracker}.do?sys_id=${id} on the instance, or wait and check again`,
    method: 'GET',
    path: `${PROGRESS_PATH}/${id}`,
    retryable: true,
  })
}

function positiveTimeout(ms: number | undefined): number | undefined {
  if (ms === undefined) return undefined
  if (!Number.isInteger(ms) || ms < 1) throw new TypeError(`installTimeoutMs must be a positive integer, got ${ms}`)
  return ms
}

function toProgress(id: string, data: ReturnType<typeof progressResultSchema.parse>): Progress {
  const progress: Progress = {
    id,
    status: STATUS[data.status] ?? 'pending',
    statusCode: data.status,
    statusLabel: data.status_label,
    statusMessage: data.status_message,
    statusDetail: data.status_detail,
    percentComplete: data.percent_complete ?? 0,
    error: data.error,
  }
  if (data.rollback_version) progress.rollbackVersion = data.rollback_version
  return progress
}

function installFailed(id: string, p: Progress, operation = 'install'): ServiceNowError {
  const what = [...new Set([p.statusMessage, p.error].filter(Boolean))].join(': ')
  const rollback = p.rollbackVersion ? `; the instance can roll back to version ${p.rollbackVersion}` : ''
  return new ServiceNowError({
    kind: 'install_failed',
    message: `the ${operation} (progress ${id}) ${p.status === 'canceled' ? 'was canceled' : 'failed'}${what ? `: ${what}` : ''}`,
    hint: `see the execution tracker ${PLATFORM_TABLES.executionTracker}.do?sys_id=${id} and the instance system log for the cause${rollback}`,
    method: 'GET',
    path: `${PROGRESS_PATH}/${id}`,
    ...(p.statusMessage ? { snMessage: p.statusMessage } : {}),
    ...(p.statusDetail || p.error ? { snDetail: p.statusDetail || p.error } : {}),
    retryable: false,
  })
}

function xmlAnswer(xml: string): string | undefined {
  const match = /<xml\b[^>]*\banswer\s*=\s*"([^"]*)"/i.exec(xml) ?? /<xml\b[^>]*\banswer\s*=\s*'([^']*)'/i.exec(xml)
  const value = match?.[1]
    ?.replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
  return value ? value : undefined
}

function checkId(id: string | undefined, name: string): string {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(id)) throw new TypeError(`invalid ${name} ${JSON.stringify(id)}`)
  return id
}
