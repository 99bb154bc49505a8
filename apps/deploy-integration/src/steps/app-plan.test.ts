// planApp's blockers and reasons in full (what a person reads before anything is changed), and compareVersions on
// versions that are not all numbers.
import { describe, expect, it } from 'vitest'
import { APP, EXIT_CODES } from '@kandji-sn/contract/constants'
import { compareVersions, planApp } from './app.ts'
import type { InstalledApp } from './preflight.ts'
import type { AppChange, StepPlan } from './types.ts'

const vendor: InstalledApp = { sysId: 'v1', scope: APP.scope, name: 'Kandji', version: '3.2.0', storeApp: true, active: true, ownBuild: false }
const own: InstalledApp = { sysId: APP.scopeId, scope: APP.scope, name: APP.name, version: '1.3.0', storeApp: false, active: true, ownBuild: true }
const pkg = { path: '/tmp/kandji.zip', scope: APP.scope, scopeId: APP.scopeId, version: '1.3.0' }
/** The plan's changes as app changes (planApp makes no others). */
const appChanges = (plan: StepPlan) => plan.changes as AppChange[]
const VENDOR_TEXT = `the vendor's Store app "Kandji" 3.2.0 (sys_store_app v1)`

describe('compareVersions beyond plain numbers', () => {
  it('a text part against a number compares as text, never as NaN', () => {
    expect([compareVersions('1.a', '1.2'), compareVersions('1.2', '1.a')]).toEqual([1, -1])
  })
  it('a missing part counts as "0", also against text', () => {
    expect([compareVersions('1.!', '1'), compareVersions('1', '1.!')]).toEqual(['!'.localeCompare('0'), '0'.localeCompare('!')])
    expect(compareVersions('1.!', '1')).toBe(-1)
  })
})

describe('planApp: what blocks, in full', () => {
  it.each(['repo', 'package'] as const)("another application holds the scope (--app-source %s): a usage error that explains the choice", (source) => {
    const plan = planApp(vendor, source === 'package' ? { source, package: pkg } : { source })
    expect(plan.changes).toEqual([])
    const b = plan.blocker
    expect([b?.exitCode, b?.message, b?.causeText, b?.fix]).toEqual([
      EXIT_CODES.usage,
      `the scope ${APP.scope} already belongs to ${VENDOR_TEXT}, not to this project's app (${APP.scopeId})`,
      `the instance runs the vendor's ${APP.name} app from the ServiceNow Store; --app-source ${source} would install a different application for the same scope, which the instance refuses, and replacing the vendor's app removes its tables and every row in them`,
      "to keep the vendor's app, run deploy with --app-source store (it sets up the OAuth client, service account, roles and discovery source for it, and verify runs its checks from the CLI); to replace it with this project's app, re-run with --replace-store-app",
    ])
  })

  it('--replace-store-app: one replace change whose reason names what is uninstalled and where the app comes from', () => {
    const repo = planApp(vendor, { source: 'repo', version: '1.4.0', replaceStoreApp: true })
    expect(appChanges(repo).map((c) => [c.action, c.version, c.reason, c.storeApp])).toEqual([['replace', '1.4.0', `--replace-store-app: uninstall ${VENDOR_TEXT}, then install from the app repository`, false]])
    const fromPkg = planApp(vendor, { source: 'package', package: pkg, replaceStoreApp: true })
    expect(appChanges(fromPkg).map((c) => [c.action, c.version, c.reason, c.storeApp])).toEqual([['replace', '1.3.0', `--replace-store-app: uninstall ${VENDOR_TEXT}, then install the package`, false]])
    expect([repo.blocker, fromPkg.blocker]).toEqual([undefined, undefined])
  })

  it('a repository version over an uploaded (custom) app: the SDK\'s own refusal, with how to go on', () => {
    const b = planApp(own, { source: 'repo', version: '1.4.0' }).blocker
    expect([b?.exitCode, b?.message, b?.causeText, b?.fix]).toEqual([
      EXIT_CODES.usage,
      `Attempting to install a store app record but there is already a sys_app record for this scope present on the instance (${APP.scope} 1.3.0)`,
      'the app was installed by an upload (deploy --app-source package, or now-sdk install) as a custom application; the app repository installs it as a Store application',
      'keep --app-source package for this instance, or remove the app first (`deploy-integration uninstall --app`, which removes its data) and deploy again with --app-source repo',
    ])
  })

  it('--app-source store without the app installed', () => {
    const b = planApp(undefined, { source: 'store' }).blocker
    expect([b?.exitCode, b?.message, b?.causeText, b?.fix]).toEqual([
      EXIT_CODES.usage,
      `the ${APP.name} app (${APP.scope}) is not installed and --app-source is store`,
      'with --app-source store the app must be installed from the ServiceNow Store before deploy',
      `install "${APP.name}" from the Store (System Applications > All Available Applications), or use --app-source package`,
    ])
  })

  it("a package of another scope", () => {
    const b = planApp(undefined, { source: 'package', package: { ...pkg, scope: 'x_other_app' } }).blocker
    expect([b?.exitCode, b?.message, b?.causeText, b?.fix]).toEqual([
      EXIT_CODES.usage,
      `the package /tmp/kandji.zip is for scope x_other_app, not ${APP.scope}`,
      'a package from another app was given (--app-package or appPackage in the config)',
      'point --app-package at the Kandji app zip (apps/servicenow-app/target/*.zip)',
    ])
  })

  it('the Store-class note appears only when the package changes something', () => {
    const storeOwn = { ...own, storeApp: true }
    const note = 'installed as a Store application: the upload keeps that class (now-sdk leaves out sysparm_request_type=custom_app for Store apps)'
    expect(planApp(storeOwn, { source: 'package', package: pkg }).notes).toEqual([`installed: this project's app "${APP.name}" 1.3.0 (sys_store_app ${APP.scopeId})`])
    expect(planApp({ ...storeOwn, version: '1.2.0' }, { source: 'package', package: pkg }).notes).toEqual([`installed: this project's app "${APP.name}" 1.2.0 (sys_store_app ${APP.scopeId})`, note])
  })
})
