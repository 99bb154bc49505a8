import { readFile } from 'node:fs/promises'
import { APP } from '@kandji-sn/contract/constants'
import type { Progress as SnProgress, ServiceNowClient } from '@kandji-sn/servicenow-client'
import { CliError, isServiceNowErrorLike } from '../errors.ts'
import { EXIT_CODES, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { readInstalledApp, type InstalledApp } from './preflight.ts'
import type { AppChange, ApplyContext, StepPlan } from './types.ts'

/** What the built package says about itself (read from the zip with @kandji-sn/app-package). */
export interface AppPackageInfo {
  path: string
  scope: string
  scopeId: string
  version: string
}

export interface AppDesired {
  source: 'package' | 'repo' | 'store'
  package?: AppPackageInfo
  /** Version for source repo; undefined = the latest published. */
  version?: string
  /** Uninstall another application that holds the scope (the vendor's Store app) and install this one. */
  replaceStoreApp?: boolean
}

/** -1, 0, 1 for dotted numeric versions; non-numeric parts compare as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.')
  const pb = b.split('.')
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0'
    const y = pb[i] ?? '0'
    const nx = Number(x)
    const ny = Number(y)
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? Math.sign(nx - ny) : x.localeCompare(y)
    if (c !== 0) return c
  }
  return 0
}

const object = `app ${APP.scope}`

/** The app that holds the scope, in words: `the vendor's Store app "Kandji" 3.2.0 (sys_store_app <sys_id>)`. */
export function describeInstalled(app: InstalledApp): string {
  const owner = app.ownBuild ? `this project's app` : app.storeApp ? `the vendor's Store app` : 'another application'
  return `${owner} "${app.name}" ${app.version || '(unknown version)'} (${app.storeApp ? 'sys_store_app' : 'sys_app'} ${app.sysId})`
}

/**
 * Another application holds the scope: an upload or repository install of this project's app would be refused (a
 * scope names one application), and replacing it removes its tables with every row in them.
 */
function scopeHeldBy(current: InstalledApp, source: 'package' | 'repo'): CliError {
  return new CliError(
    EXIT_CODES.usage,
    `the scope ${APP.scope} already belongs to ${describeInstalled(current)}, not to this project's app (${APP.scopeId})`,
    `the instance runs the vendor's ${APP.name} app from the ServiceNow Store; --app-source ${source} would install a different application for the same scope, which the instance refuses, and replacing the vendor's app removes its tables and every row in them`,
    `to keep the vendor's app, run deploy with --app-source store (it sets up the OAuth client, service account, roles and discovery source for it, and verify runs its checks from the CLI); to replace it with this project's app, re-run with --replace-store-app`,
  )
}

/**
 * The app record's class cannot change by an install: the SDK refuses it the same way (sdk-api orchestrator.js
 * install(): "Attempting to install … but there is already a … record for this scope present on the instance").
 */
function classMismatch(current: InstalledApp): CliError {
  return new CliError(
    EXIT_CODES.usage,
    `Attempting to install a store app record but there is already a sys_app record for this scope present on the instance (${APP.scope} ${current.version})`,
    `the app was installed by an upload (deploy --app-source package, or now-sdk install) as a custom application; the app repository installs it as a Store application`,
    `keep --app-source package for this instance, or remove the app first (\`deploy-integration uninstall --app\`, which removes its data) and deploy again with --app-source repo`,
  )
}

export function planApp(current: InstalledApp | undefined, desired: AppDesired): StepPlan & { blocker?: CliError } {
  const plan: StepPlan & { blocker?: CliError } = { step: 'app', object, changes: [], notes: [], warnings: [] }
  if (current) plan.notes.push(`installed: ${describeInstalled(current)}${current.active ? '' : ', INACTIVE'}`)
  const change = (action: AppChange['action'], version: string | undefined, reason: string): AppChange => ({
    step: 'app',
    action,
    key: `sys_scope scope=${APP.scope}`,
    fields: [{ field: 'version', from: current?.version, to: version ?? '(latest in the app repository)' }],
    source: desired.source,
    version,
    fromVersion: current?.version,
    reason,
    ...(current?.storeApp ? { storeApp: true } : {}),
  })
  const foreign = current && !current.ownBuild ? current : undefined

  switch (desired.source) {
    case 'store':
      if (!current) {
        plan.blocker = new CliError(
          EXIT_CODES.usage,
          `the ${APP.name} app (${APP.scope}) is not installed and --app-source is store`,
          'with --app-source store the app must be installed from the ServiceNow Store before deploy',
          `install "${APP.name}" from the Store (System Applications > All Available Applications), or use --app-source package`,
        )
      } else if (foreign) {
        plan.notes.push(`configured as it is: it has none of this project's REST endpoints, so verify runs the checks from the CLI through the Table API`)
      }
      return plan
    case 'repo':
      if (foreign) {
        if (desired.replaceStoreApp) plan.changes.push({ ...change('replace', desired.version, `--replace-store-app: uninstall ${describeInstalled(foreign)}, then install from the app repository`), storeApp: false })
        else plan.blocker = scopeHeldBy(foreign, 'repo')
        return plan
      }
      if (!current) plan.changes.push(change('install', desired.version, 'not installed'))
      else if (desired.version && current.version !== desired.version) {
        if (!current.storeApp) plan.blocker = classMismatch(current)
        else plan.changes.push(change('upgrade', desired.version, `installed ${current.version}, wanted ${desired.version}`))
      }
      return plan
    case 'package': {
      const pkg = desired.package
      if (!pkg) throw new Error('internal: app source package without a package')
      if (pkg.scope !== APP.scope) {
        plan.blocker = new CliError(
          EXIT_CODES.usage,
          `the package ${pkg.path} is for scope ${pkg.scope}, not ${APP.scope}`,
          'a package from another app was given (--app-package or appPackage in the config)',
          'point --app-package at the Kandji app zip (apps/servicenow-app/target/*.zip)',
        )
        return plan
      }
      if (foreign) {
        if (desired.replaceStoreApp) plan.changes.push({ ...change('replace', pkg.version, `--replace-store-app: uninstall ${describeInstalled(foreign)}, then install the package`), storeApp: false })
        else plan.blocker = scopeHeldBy(foreign, 'package')
        return plan
      }
      if (!current) plan.changes.push(change('install', pkg.version, 'not installed'))
      else if (compareVersions(current.version, pkg.version) < 0) plan.changes.push(change('upgrade', pkg.version, `package ${pkg.version} is newer`))
      else if (compareVersions(current.version, pkg.version) > 0) plan.warnings.push(`the instance has ${current.version}, newer than the package ${pkg.version}: not downgrading`)
      if (current?.storeApp && plan.changes.length > 0) plan.notes.push('installed as a Store application: the upload keeps that class (now-sdk leaves out sysparm_request_type=custom_app for Store apps)')
      return plan
    }
  }
}

export interface AppApplyResult {
  version: string | undefined
  rollbackVersion: string | undefined
  /** The upload's rollback context (sys_id), for the instance's rollback UI. */
  rollbackContext?: string | undefined
}

/**
 * Installs or upgrades the app and waits for the platform to finish, showing progress. An install of the app that
 * an earlier run started and that is still running is waited on instead of starting another; if it brought the
 * wanted version, nothing more is sent.
 */
export async function applyApp(change: AppChange, desired: AppDesired, ctx: ApplyContext): Promise<AppApplyResult> {
  const { admin, out } = ctx
  const progress = out.progress(`${change.action === 'upgrade' ? 'upgrading' : 'installing'} ${APP.scope}`)
  const onProgress = (p: SnProgress) => progress.update(`${p.percentComplete}% ${p.statusMessage || p.statusLabel}`.trim())
  try {
    const running = await admin.app.findRunningInstall({ scope: APP.scope, scopeId: desired.package?.scopeId ?? APP.scopeId })
    if (running) {
      progress.update(`an install of ${APP.scope} started earlier is still running (${PLATFORM_TABLES.executionTracker} ${running}): waiting for it`)
      const done = await admin.app.waitForProgress(running, { onProgress })
      const now = await readInstalledApp(admin)
      const wanted = change.version
      if (now && (wanted === undefined || now.version === wanted)) {
        progress.done(`done by the install already running (version ${now.version})`)
        return { version: now.version, rollbackVersion: done.rollbackVersion ?? change.fromVersion }
      }
    }
    let trackerId: string | undefined
    let rollback: string | undefined
    if (change.source === 'package') {
      const pkg = desired.package
      if (!pkg) throw new Error('internal: app source package without a package')
      progress.update(`uploading ${pkg.path}`)
      const zip = new Uint8Array(await readFile(pkg.path))
      const upload = await admin.app.uploadPackage(zip, { scopeId: pkg.scopeId, scope: pkg.scope, version: pkg.version, ...(change.storeApp ? { storeApp: true } : {}) })
      rollback = upload.rollbackContext
      if (!upload.trackerId) {
        // An instance that answers without a tracker: follow sys_upgrade_history as now-sdk does.
        progress.update(`waiting for ${PLATFORM_TABLES.upgradeHistory} to show the install`)
        await admin.app.waitForUpgradeHistory(pkg.scope, upload.upgradeHistoryBefore)
      }
      trackerId = upload.trackerId
    } else {
      const started = await admin.app.installFromRepo({ scope: APP.scope, ...(change.version ? { version: change.version } : {}) })
      trackerId = started.progressId
      rollback = started.rollbackVersion
    }
    const done = trackerId ? await admin.app.waitForProgress(trackerId, { onProgress }) : undefined
    // The upload answers a rollback *context* (a sys_id), the CI/CD API a rollback *version*; a first install has
    // no version to go back to (undo = uninstall).
    const rollbackVersion = done?.rollbackVersion ?? (change.source === 'repo' ? rollback : undefined) ?? change.fromVersion
    const rollbackContext = change.source === 'package' ? rollback : undefined
    progress.done(`done${rollbackVersion ? ` (rollback version ${rollbackVersion})` : ' (first install: undo with `uninstall --app`)'}`)
    return { version: change.version, rollbackVersion, rollbackContext }
  } catch (error) {
    progress.done('failed')
    throw waitedTooLong(error, 'the install', 'running deploy again waits for an install still running instead of starting another') ?? error
  }
}

/**
 * A wait of the client that ran out (progress, sys_upgrade_history, the Update-Mutex): the instance did answer, it is
 * still busy, so the per-request --timeout is not the fix. Network timeouts (they carry their cause) stay as they are.
 */
function waitedTooLong(error: unknown, what: string, again: string): CliError | undefined {
  if (!isServiceNowErrorLike(error) || error.kind !== 'timeout' || error.cause !== undefined) return undefined
  return new CliError(
    EXIT_CODES.instance,
    error.message,
    `${what} is still running on the instance, or stopped without saying so`,
    `${error.hint ?? 'check the instance'}; ${again}`,
    { cause: error },
  )
}

/**
 * Uninstalls the app and returns only once the instance is done with it, as now-sdk does (sdk-api
 * orchestrator/uninstaller.js): finished at 100 %, the Update-Mutex released (so a deploy right after does not queue
 * behind it), the application record gone. The platform's partial outcomes come back as warnings.
 */
export async function uninstallApp(admin: ServiceNowClient, app: InstalledApp, ctx: Pick<ApplyContext, 'out'>): Promise<string[]> {
  const progress = ctx.out.progress(`uninstalling ${APP.scope}`)
  const onProgress = (p: SnProgress) => progress.update(`${p.percentComplete}% ${p.statusMessage || p.statusLabel}`.trim())
  try {
    // An uninstall an earlier run started (its answers lost, or the run stopped) still runs on the instance, holding
    // the Update-Mutex: a second one would queue behind it. Wait for it; if it removed the app, nothing more is sent.
    const running = await admin.app.findRunningInstall({ scope: APP.scope, scopeId: app.sysId })
    if (running) {
      progress.update(`an operation on ${APP.scope} started earlier is still running (${PLATFORM_TABLES.executionTracker} ${running}): waiting for it`)
      await admin.app.waitForProgress(running, { onProgress })
      if (!(await readInstalledApp(admin))) {
        progress.done('done by the uninstall already running')
        return []
      }
    }
    const { progressId } = await admin.app.uninstall({ scopeId: app.sysId, storeApp: app.storeApp })
    const { warnings } = await admin.app.waitForUninstall(progressId, { scope: APP.scope, scopeId: app.sysId }, { onProgress })
    progress.done(warnings.length > 0 ? 'done, with warnings' : 'done')
    return warnings
  } catch (error) {
    progress.done('failed')
    throw waitedTooLong(error, 'the uninstall', 'once the instance is done, run `uninstall --app` again to check nothing is left') ?? error
  }
}
