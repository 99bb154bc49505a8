// App install and uninstall: the package upload `now-sdk install` performs, the CI/CD app repository install, the
// AppsAjaxProcessor uninstall, and progress polling. Request shapes: @servicenow/sdk 4.9 sdk-api/dist/connector.js
// (uploadScopedAppPackage, appsAjaxProcessor, getProgress) and shared/reference/now-sdk-install-trace/.
import type { AppApi, AuthConfig, Progress, UploadResult } from './types.ts'
import { isServiceNowError, ServiceNowError } from './errors.ts'
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

export interface AppApiDeps {
  transport: Transport
  auth: AuthConfig
  credentials: () => Credentials | undefined
  sleep: (ms: number) => Promise<void>
}

export function createAppApi({ transport, auth, credentials, sleep }: AppApiDeps): AppApi {
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
    const response = await transport.send({ method: 'GET', path, credentials: credentials(), retry: 'idempotent', expect: 'json' })
    const body = response.body as { result?: unknown } | undefined
    const parsed = progressResultSchema.safeParse(body?.result)
    if (!parsed.success) throw invalid('GET', path, response.status, `result.${describeIssue(parsed.error)}`)
    return toProgress(id, parsed.data)
  }

  return {
    /**
     * Not repeated after it may have reached the instance: a second upload would start a second install. On a
     * retryable error, look at sys_execution_tracker / the app's version before uploading again.
     */
    async uploadPackage(zip, app): Promise<UploadResult> {
      if (!(zip instanceof Uint8Array) || zip.byteLength === 0) throw new TypeError('uploadPackage needs the app package zip as a non-empty Uint8Array')
      for (const key of ['scopeId', 'scope', 'version'] as const) {
        if (typeof app?.[key] !== 'string' || app[key] === '') throw new TypeError(`uploadPackage needs app.${key}`)
      }
      const { credentials: sessionCredentials, userToken } = await uiSession()
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
          retry: 'create',
          expect: 'json',
          // The SDK reads the tracker from a 400 with JSON too (connector.js uploadScopedAppPackage).
          acceptStatus: [400],
        })
      } catch (error) {
        if (isServiceNowError(error) && error.kind === 'auth') {
          session = undefined
          error.hint = 'the upload was refused: installing an app needs the admin role (or sn_cicd.sys_ci_automation) and an interactive session; check the account and log in once in a browser'
        }
        throw error
      }
      const parsed = uploadResponseSchema.safeParse(response.body)
      if (!parsed.success) {
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
        throw invalid('POST', UPLOAD_PATH, response.status, describeIssue(parsed.error))
      }
      const result: UploadResult = { trackerId: parsed.data.executionTracker }
      if (parsed.data.rollbackContext) result.rollbackContext = parsed.data.rollbackContext
      return result
    },

    async installFromRepo(app) {
      if (!app?.scope && !app?.sysId) throw new TypeError('installFromRepo needs the app scope or sys_id')
      const response = await transport.send({
        method: 'POST',
        path: REPO_INSTALL_PATH,
        query: { scope: app.scope, sys_id: app.sysId, version: app.version },
        credentials: credentials(),
        retry: 'create',
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
          // changeApplication only switches the session's current app; deleteApplication starts the uninstall.
          retry: params.sysparm_function === 'changeApplication' ? 'idempotent' : 'create',
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
      const interval = options.intervalMs ?? 1000
      const timeoutMs = options.timeoutMs ?? 30 * 60_000
      if (!Number.isInteger(interval) || interval < 0) throw new TypeError(`intervalMs must be a non-negative integer, got ${interval}`)
      const started = Date.now()
      let waited = 0
      let delay = interval
      for (;;) {
        const progress = await getProgress(id)
        options.onProgress?.(progress)
        if (progress.status === 'successful') return progress
        if (progress.status === 'failed' || progress.status === 'canceled') throw installFailed(id, progress)
        // Time spent is the larger of the clock and the sum of waits, so an injected instant sleep still ends.
        if (Math.max(Date.now() - started, waited) >= timeoutMs) {
          throw new ServiceNowError({
            kind: 'timeout',
            message: `the install (progress ${id}) did not finish within ${Math.round(timeoutMs / 1000)} s: ${progress.percentComplete}% ${progress.statusMessage}`.trim(),
            hint: `it may still be running: open sys_execution_tracker.do?sys_id=${id} on the instance, or wait and check again`,
            method: 'GET',
            path: `${PROGRESS_PATH}/${id}`,
            retryable: true,
          })
        }
        await sleep(delay)
        waited += delay
        // Back off gently: the platform's own client polls every second; long installs need no more than every 10 s.
        delay = Math.min(Math.max(delay * 1.5, interval), Math.max(interval, 10_000))
      }
    },
  }
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

function installFailed(id: string, p: Progress): ServiceNowError {
  const what = [p.statusMessage, p.error].filter(Boolean).join(': ')
  const rollback = p.rollbackVersion ? `; the instance can roll back to version ${p.rollbackVersion}` : ''
  return new ServiceNowError({
    kind: 'install_failed',
    message: `the install (progress ${id}) ${p.status === 'canceled' ? 'was canceled' : 'failed'}${what ? `: ${what}` : ''}`,
    hint: `see the execution tracker sys_execution_tracker.do?sys_id=${id} and the instance system log for the cause${rollback}`,
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
