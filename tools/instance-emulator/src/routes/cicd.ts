// CI/CD API (SN docs "CICD API", facts 4.3): install from the app repository, and progress of any tracked
// operation (also the upload's executionTracker).
import { requireUser } from '../auth/authenticate.ts'
import { PlatformError } from '../db/errors.ts'
import { json, type Reply, type RequestContext } from '../http.ts'
import { STATUS_LABELS, type Tracker } from '../install/app-manager.ts'
import type { SessionUser } from '../types.ts'

export const REPO_INSTALL_PATH = /^\/api\/sn_cicd\/app_repo\/install\/?$/
export const PROGRESS_PATH = /^\/api\/sn_cicd\/progress\/([^/]+)\/?$/

const CICD_ROLE = 'sn_cicd.sys_ci_automation'

function requireCicdUser(ctx: RequestContext): SessionUser {
  const user = requireUser(ctx)
  if (!user.roles.has('admin') && !user.roles.has(CICD_ROLE)) {
    // 403: the caller "isn't an admin or doesn't have the sn_cicd.sys_ci_automation role" (CICD API docs).
    throw new PlatformError(403, 'User Not Authorized', `The CI/CD API requires the admin or ${CICD_ROLE} role`)
  }
  return user
}

export function progressBody(ctx: RequestContext, tracker: Tracker): { result: Record<string, unknown> } {
  const base = ctx.emu.baseUrl()
  const text = (value: string) => (value === '' && ctx.emu.switches.progressEmptyFields === 'null' ? null : value)
  return {
    result: {
      links: {
        progress: { id: tracker.id, url: `${base}/api/sn_cicd/progress/${tracker.id}` },
        ...(tracker.sourceId ? { source: { id: tracker.sourceId, url: `${base}/api/now/table/sys_app/${tracker.sourceId}` } } : {}),
      },
      status: tracker.status,
      status_label: STATUS_LABELS[tracker.status] ?? 'Unknown',
      status_message: text(tracker.message),
      status_detail: text(tracker.detail),
      error: text(tracker.error),
      percent_complete: tracker.percent,
      // "If available, the previously installed version. If not available, null." (cicd-api.md, app_repo/install)
      rollback_version: tracker.rollbackVersion === '' ? null : tracker.rollbackVersion,
    },
  }
}

/**
 * A CI/CD refusal: the reason in `result.error` / `result.status_message`, where ServiceNow's own pipeline action
 * reads it (sncicd-install-app src/App.ts: `result.error || result.status_message`), not in the Table API's
 * {error:{message,detail}} envelope. [U] for 404, whose text the action replaces with its own.
 */
function cicdRefusal(status: number, message: string, detail: string): Reply {
  return json(status, { result: { status: '3', status_label: 'Failed', status_message: message, status_detail: '', error: detail, percent_complete: 0 } })
}

export async function handleRepoInstall(ctx: RequestContext): Promise<Reply> {
  ctx.route = 'POST /api/sn_cicd/app_repo/install'
  if (ctx.method !== 'POST') throw new PlatformError(405, 'Method not Supported', 'Use POST')
  const { apps, switches } = ctx.emu
  const user = requireCicdUser(ctx)
  const scope = ctx.query('scope')
  const sysId = ctx.query('sys_id')
  const version = ctx.query('version') || undefined
  if (!scope && !sysId) return cicdRefusal(400, 'Invalid request', 'Either scope or sys_id is required')
  const key = (scope ?? sysId) as string
  const found = apps.fromRepository(key, version)
  if (!found) {
    // "the application must first be published to the repository" (CICD API docs).
    return cicdRefusal(404, 'Application not found', `No version ${version ?? '(latest)'} of ${key} has been published to the application repository`)
  }
  const scopeId = apps.repository.get(key)?.get(found.version)?.scopeId ?? (sysId || undefined)
  const previous = apps.installed.get(key)?.version ?? [...apps.installed.values()].find((a) => a.scopeId === key)?.version
  const tracker = await apps.track(
    async () => {
      const pkg = await apps.read(found.source)
      await apps.installNow({ pkg, appClass: 'sys_store_app', user, runAfterInstall: true })
      return `Installed ${pkg.name} ${pkg.version} from the application repository`
    },
    {
      polls: switches.installPollsToComplete,
      name: `Install ${key} ${found.version}`,
      sourceTable: 'sys_store_app',
      ...(scopeId ? { sourceId: scopeId } : {}),
      ...(previous ? { rollbackVersion: previous } : {}),
    },
  )
  return json(200, progressBody(ctx, tracker))
}

export async function handleProgress(ctx: RequestContext, match: RegExpExecArray): Promise<Reply> {
  ctx.route = 'GET /api/sn_cicd/progress/{id}'
  if (ctx.method !== 'GET') throw new PlatformError(405, 'Method not Supported', 'Use GET')
  requireCicdUser(ctx)
  const tracker = await ctx.emu.apps.poll(decodeURIComponent(match[1] as string))
  if (!tracker) throw new PlatformError(404, 'No Record found', `No progress record with id ${match[1]}`)
  return json(200, progressBody(ctx, tracker))
}
