// App upload and uninstall as `now-sdk install` / `now-sdk install --reinstall` perform them
// (sdk-api connector.js uploadScopedAppPackage, appsAjaxProcessor; fluent-sdk-findings 4):
//   POST /sn_appclient_upload_processor.do?sysparm_track_fluent_install=true&sysparm_async_fluent_install=<bool>
//        &sysparm_fluent_scope_id=..&sysparm_fluent_scope_name=..&sysparm_fluent_app_version=..[&sysparm_request_type=custom_app]
//        multipart: upload_type=file, load_demo, sysparm_ck=<user token>, attachFile=<zip>
//        -> {"executionTracker": <id>, "rollbackContext": <id>}
//   POST /xmlhttp.do  sysparm_processor=com.snc.apps.AppsAjaxProcessor, sysparm_function=changeApplication |
//        deleteApplication | uninstallApplication, sysparm_sys_id, sysparm_ck -> <xml answer="<tracker id>"/>
import { authenticate } from '../auth/authenticate.ts'
import { parseCookies, SESSION_COOKIE, type UiSession } from '../auth/sessions.ts'
import { PlatformError } from '../db/errors.ts'
import { json, parseMultipart, type Reply, type RequestContext } from '../http.ts'
import type { SessionUser } from '../types.ts'

export const UPLOAD_PATH = /^\/sn_appclient_upload_processor\.do$/
export const XMLHTTP_PATH = /^\/xmlhttp\.do$/

const NOT_AUTHENTICATED = new PlatformError(401, 'User Not Authenticated', 'Required to provide Auth information')

/**
 * UI processors need the UI session: the JSESSIONID cookie, its X-UserToken, and sysparm_ck equal to that token.
 * ASSUMPTION: a non-admin gets 401 as well (now-sdk reports any 401 as "Insufficient permissions to install the app").
 */
function requireUiSession(ctx: RequestContext, sysparmCk: string | undefined): { user: SessionUser; session: UiSession } {
  const session = ctx.emu.sessions.get(parseCookies(ctx.headers.cookie)[SESSION_COOKIE])
  const user = session ? authenticate(ctx) : undefined
  if (!session || !user || user.via !== 'session') throw NOT_AUTHENTICATED
  // The legacy security model has no user token: an empty or absent sysparm_ck passes (switch uiSessionSecurity).
  const legacy = ctx.emu.switches.uiSessionSecurity === 'legacy' && session.userToken === ''
  if (!legacy && sysparmCk !== session.userToken) throw new PlatformError(401, 'User Not Authenticated', 'The request has no valid sysparm_ck (session token)')
  if (!user.roles.has('admin')) throw new PlatformError(401, 'User Not Authorized', 'Installing applications requires the admin role')
  return { user, session }
}

export async function handleUpload(ctx: RequestContext): Promise<Reply> {
  ctx.route = 'POST /sn_appclient_upload_processor.do'
  const { apps, switches } = ctx.emu
  if (ctx.method !== 'POST') throw new PlatformError(405, 'Method not Supported', 'Use POST with a multipart/form-data body')
  if (ctx.contentType !== 'multipart/form-data') throw new PlatformError(400, 'Invalid upload', 'The body must be multipart/form-data with an attachFile part')
  const parts = parseMultipart(await ctx.body(), ctx.headers['content-type'] ?? '')
  const field = (name: string) => parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8')
  const { user } = requireUiSession(ctx, field('sysparm_ck'))
  const file = parts.find((p) => p.name === 'attachFile')
  if (!file || file.data.length === 0) throw new PlatformError(400, 'Invalid upload', 'The attachFile part with the application package zip is missing')
  const zip = new Uint8Array(file.data)
  const expectedScope = ctx.query('sysparm_fluent_scope_name')
  const expectedVersion = ctx.query('sysparm_fluent_app_version')
  const appClass = ctx.query('sysparm_request_type') === 'custom_app' ? 'sys_app' : 'sys_store_app'
  const asynchronous = ctx.query('sysparm_async_fluent_install') === 'true'
  const scopeId = ctx.query('sysparm_fluent_scope_id')
  const previous = expectedScope ? apps.installed.get(expectedScope)?.version : undefined
  const delayMs = asynchronous ? 0 : ctx.emu.uploadInstallDelayMs
  const withTracker = switches.uploadExecutionTracker === 'answered'
  const tracker = await apps.track(
    async () => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
      const pkg = await apps.read(zip)
      if (expectedScope && pkg.scope !== expectedScope) throw new Error(`The package is for scope ${pkg.scope}, the request names ${expectedScope}`)
      if (expectedVersion && pkg.version !== expectedVersion) throw new Error(`The package is version ${pkg.version}, the request names ${expectedVersion}`)
      await apps.publish(zip)
      const result = await apps.installNow({ pkg, appClass, user, runAfterInstall: switches.runFixScriptsOnInstall })
      return `Installed ${pkg.name} ${pkg.version} (${result.installed.records.length} records${result.skipped.length ? `, ${result.skipped.length} customer changes kept` : ''})`
    },
    {
      // Without a tracker in the answer nobody polls it: an asynchronous install then runs on its own.
      polls: asynchronous && withTracker ? switches.installPollsToComplete : 0,
      background: asynchronous && !withTracker,
      name: `Install ${expectedScope ?? 'application'}`,
      sourceTable: appClass,
      ...(previous ? { rollbackVersion: previous } : {}),
      ...(scopeId ? { sourceId: scopeId } : {}),
    },
  )
  // [U] the answer of an instance that does not track the install: JSON without executionTracker (the SDK then
  // polls sys_upgrade_history, sdk-api orchestrator.js install()).
  if (!withTracker) return json(200, { rollbackContext: tracker.rollbackContext })
  return json(200, { executionTracker: tracker.id, rollbackContext: tracker.rollbackContext })
}

function xmlAnswer(name: string, answer: string): Reply {
  return {
    status: 200,
    contentType: 'text/xml;charset=UTF-8',
    text: `<?xml version="1.0" encoding="UTF-8"?><xml sysparm_max="15" sysparm_name="${name}" sysparm_processor="com.snc.apps.AppsAjaxProcessor" answer="${answer}"/>`,
  }
}

export async function handleXmlHttp(ctx: RequestContext): Promise<Reply> {
  ctx.route = 'POST /xmlhttp.do'
  const { apps, switches } = ctx.emu
  if (ctx.method !== 'POST') throw new PlatformError(405, 'Method not Supported', 'Use POST')
  const form = await ctx.form()
  const { user } = requireUiSession(ctx, form.get('sysparm_ck') ?? undefined)
  if (form.get('sysparm_processor') !== 'com.snc.apps.AppsAjaxProcessor') throw new PlatformError(400, 'Unknown processor', 'Only com.snc.apps.AppsAjaxProcessor is emulated')
  const fn = form.get('sysparm_function') ?? ''
  if (fn === 'changeApplication') return xmlAnswer(fn, '')
  if (fn === 'deleteApplication' || fn === 'uninstallApplication') {
    const scopeId = form.get('sysparm_sys_id') ?? ''
    const outcome = switches.uninstallOutcome
    const tracker = await apps.track(
      async () => {
        if (outcome === 'deactivated') {
          if (!apps.deactivate(scopeId, user)) throw new Error(`Failed to completely delete application: no application with sys_id ${scopeId} is installed`)
          return 'The store application was deactivated'
        }
        if (!(await apps.uninstallNow(scopeId, user))) throw new Error(`Failed to completely delete application: no application with sys_id ${scopeId} is installed`)
        // The messages now-sdk accepts as a finished uninstall (sdk-api orchestrator/uninstaller.js monitorProgress).
        if (outcome === 'partially-deleted') throw new Error(`Failed to completely delete application ${scopeId}: some ACL protected metadata may remain`)
        return 'Deleted application and metadata'
      },
      { polls: switches.installPollsToComplete, name: `Uninstall ${scopeId}`, sourceId: scopeId },
    )
    return xmlAnswer(fn, tracker.id)
  }
  throw new PlatformError(400, 'Unknown function', `sysparm_function ${fn || '(none)'} is not emulated`)
}
