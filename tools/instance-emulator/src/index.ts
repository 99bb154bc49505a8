// An offline ServiceNow instance for tests, demos and benchmarks. See README.md for what is emulated.
import { SessionStore } from './auth/sessions.ts'
import { TokenStore } from './auth/tokens.ts'
import { sessionUser } from './auth/users.ts'
import type { EmulatorContext } from './context.ts'
import { createDatabase, restoreDatabase } from './db/index.ts'
import { ADMIN_USER_NAME } from './db/seed.ts'
import { FaultInjector } from './faults.ts'
import { AppManager } from './install/app-manager.ts'
import { commitUpdateSet, previewUpdateSet, uploadUpdateSet } from './install/update-set-import.ts'
import { vendorStoreAppPackage } from './install/vendor-store-app.ts'
import { loadKandjiApp } from './kandji-app.ts'
import { loadProfile } from './profile.ts'
import { ImportJobs } from './routes/import-run.ts'
import { createGlideRuntime } from './runtime/index.ts'
import { writeSyslog } from './runtime/syslog.ts'
import { createClock } from './scheduler/clock.ts'
import { createJobs } from './scheduler/jobs.ts'
import { startServer } from './server.ts'
import { loadState, saveState, STATE_VERSION, type EmulatorState } from './state.ts'
import { DEFAULT_SWITCHES } from './switches.ts'
import { EMULATED_RELEASES, type Emulator, type EmulatorCounters, type EmulatorOptions, type SessionUser } from './types.ts'

export type {
  AppliedProfile,
  EmulatedRelease,
  Emulator,
  EmulatorCounters,
  EmulatorOptions,
  EmulatorSwitches,
  FaultRule,
  ImportRowOutcome,
  PreviewProblem,
  ScriptRuntime,
  SessionUser,
  TableRecordRow,
} from './types.ts'
export { EMULATED_RELEASES } from './types.ts'
export { createDatabase, restoreDatabase, Database, PlatformError, ERRORS, glideDateTime, newSysId, type CreateDatabaseOptions } from './db/index.ts'
export type { DatabaseState, WriteOptions, QueryOptions, BusinessRule } from './db/index.ts'
export { parseEncodedQuery, compileQuery, escapeQueryValue } from './db/query.ts'
export { Dictionary, type ColumnDef, type TableDef, type ColumnType } from './db/dictionary.ts'
export { userRoleNames, grantRole, recomputeInheritedRoles } from './db/roles.ts'
export { DEFAULT_SWITCHES } from './switches.ts'
export { ProfileError, loadProfile, parseProfile, readProfile, profileRelease, profileSwitches } from './profile.ts'
export { defaultRuntime, NOT_LOADED } from './default-runtime.ts'
export type { EmulatorClock } from './scheduler/clock.ts'
export type { EmulatorJobs } from './scheduler/jobs.ts'
export { createClock } from './scheduler/clock.ts'
export { EVENT_TABLE, EVENT_REGISTRY_TABLE, ensureEventTables, type JobRun, type UnregisteredEvents } from './runtime/index.ts'
export { createGlideRuntime, runFixScript, runScript, adminUser, NotEmulatedError, createOrUpdateCI, privilegesOf, SYSLOG_TABLE, IMPORT_LOG_TABLE } from './runtime/index.ts'
export type { GlideRuntime, GlideRuntimeOptions, FixScriptRun } from './runtime/index.ts'
export { OAUTH_DENIED } from './routes/oauth.ts'
export { API_KEY_HEADER, API_KEY_PLUGIN, provisionApiKey, restApiPath } from './auth/api-key.ts'
export { BASIC_AUTH_PROPERTIES, BASIC_AUTH_ROLE } from './auth/basic-auth-restriction.ts'
export { SCRIPTED_REST_DEFAULT_ACL, RELEASE_BUILDS, BASE_DISCOVERY_SOURCES } from './db/seed.ts'
export { BASE_ROLES, ROLE_CONTAINMENT } from './db/fixtures/role-containment.ts'
export { UpdateSetError, UPDATE_SET_TABLES } from './install/update-set-import.ts'
export { VENDOR_STORE_APP_ID, VENDOR_STORE_APP_VERSION } from './install/vendor-store-app.ts'
export { loadKandjiApp, KandjiAppNotBuiltError, KANDJI_APP_DIR, type KandjiApp } from './kandji-app.ts'

function validateOptions(options: EmulatorOptions): void {
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)) {
    throw new Error(`startEmulator: port must be an integer 0-65535, got ${options.port}`)
  }
  if (options.release !== undefined && !EMULATED_RELEASES.includes(options.release)) {
    throw new Error(`startEmulator: release must be one of ${EMULATED_RELEASES.join(', ')}, got ${options.release}`)
  }
  for (const name of ['latencyMs', 'latencyJitterMs'] as const) {
    const value = options[name]
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw new Error(`startEmulator: ${name} must be a number >= 0, got ${value}`)
  }
  for (const name of ['uploadInstallDelayMs', 'updateMutexHoldMs'] as const) {
    const value = options[name]
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw new Error(`startEmulator: ${name} must be a number >= 0, got ${value}`)
  }
}

export async function startEmulator(given: EmulatorOptions = {}): Promise<Emulator> {
  validateOptions(given)
  const profile = given.profile === undefined ? undefined : await loadProfile(given.profile)
  // The profile's release counts as asked for unless the release option is given (it wins).
  const options: EmulatorOptions = profile?.applied.release && given.release === undefined ? { ...given, release: profile.applied.release } : given
  const switches = { ...DEFAULT_SWITCHES, ...profile?.switches, ...options.switches }
  // The Glide runtime executes the installed apps' server code; pass defaultRuntime to test the seam without it.
  const runtime = options.runtime ?? createGlideRuntime({ runtimeAccessTracking: switches.runtimeAccessTracking, crossScopeRefusal: switches.crossScopeRefusal, onBeforeError: switches.onBeforeError, transformScriptScope: switches.transformScriptScope, ire: { skipDuplicates: switches.ireSkipDuplicates, discoverySource: switches.ireDiscoverySource, reclassification: switches.ireReclassification }, unregisteredEvents: switches.unregisteredEvents })
  const state = options.statePath ? await loadState(options.statePath) : undefined
  if (state && options !== given && state.db.release !== options.release) {
    throw new Error(
      `error: the state file ${options.statePath} holds a ${state.db.release} instance, not ${options.release} (the release of the profile ${profile?.applied.source})\ncause: a state file keeps the release it was created with\nfix:   use another state file, or give --release ${state.db.release} (it wins over the profile's release)`,
    )
  }
  if (state && options.release && state.db.release !== options.release) {
    throw new Error(
      `error: the state file ${options.statePath} holds a ${state.db.release} instance, not ${options.release}\ncause: a state file keeps the release it was created with\nfix:   drop --release (or the release option), or use another state file`,
    )
  }
  const clock = createClock()
  const db = state ? restoreDatabase(state.db, switches) : createDatabase({ release: options.release ?? 'zurich', adminPassword: options.adminPassword ?? 'admin', switches, ...(options.instanceName !== undefined ? { instanceName: options.instanceName } : {}), ...(profile ? { roleContainment: profile.applied.roles } : {}) })
  db.now = () => clock.now()
  const tokens = new TokenStore(() => db.now())
  if (state) tokens.import(state.tokens)
  const apps = new AppManager(db, runtime, switches, options.updateMutexHoldMs ?? 1000)
  if (state) apps.importState(state.apps)

  const imports = new ImportJobs(options.importTransformDelayMs ?? 100, (error) =>
    writeSyslog(db, 'error', `Background import transform failed: ${error instanceof Error ? error.message : String(error)}`, 'import', 'system'),
  )
  let baseUrl = ''
  const transforms = { enabled: true }
  const ctx: EmulatorContext = { db, release: db.release, switches, runtime, tokens, sessions: new SessionStore(), apps, imports, transforms, uploadInstallDelayMs: options.uploadInstallDelayMs ?? 0, baseUrl: () => baseUrl }
  const faults = new FaultInjector(options.faults)
  const byRoute: Record<string, number> = {}
  const counters: EmulatorCounters = {
    requests: 0,
    byRoute,
    // The store counts its own operations, so code that uses `db` directly (part 2's GlideRecord) is counted too.
    db: db.counters,
  }
  let latencyMs = options.latencyMs ?? 0
  const running = await startServer(ctx, { ...(options.port !== undefined ? { port: options.port } : {}), latencyMs: () => latencyMs + (options.latencyJitterMs ? Math.random() * options.latencyJitterMs : 0), faults, counters })
  baseUrl = `http://127.0.0.1:${running.port}`

  const installer = (): SessionUser => {
    const admin = db.findStored('sys_user', [...db.scan('sys_user')].find((u) => u.row.user_name === ADMIN_USER_NAME)?.row.sys_id ?? '')?.row
    return admin ? sessionUser(db, admin, 'session') : { sysId: '', userName: 'system', roles: new Set(['admin']), via: 'session' }
  }
  const exportState = (): EmulatorState => ({ version: STATE_VERSION, db: db.exportState(), tokens: tokens.export(), apps: apps.exportState() })
  let closed = false

  const emulator: Emulator = {
    url: baseUrl,
    port: running.port,
    release: db.release,
    profile: profile?.applied,
    db,
    clock,
    jobs: createJobs(db, runtime),
    counters,
    resetCounters() {
      counters.requests = 0
      for (const key of Object.keys(byRoute)) delete byRoute[key]
      db.counters.select = 0
      db.counters.insert = 0
      db.counters.update = 0
      db.counters.delete = 0
    },
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    updateSets: {
      upload: async (xml) => uploadUpdateSet(db, xml, installer()),
      preview: async (sysId) => previewUpdateSet(db, sysId, switches, installer()),
      commit: (sysId) => commitUpdateSet(db, apps, sysId, switches, installer()),
    },
    async installApp(zipOrDir) {
      const pkg = await apps.read(zipOrDir)
      await apps.installNow({ pkg, appClass: 'sys_app', user: installer(), runAfterInstall: switches.runFixScriptsOnInstall })
      return { scope: pkg.scope, version: pkg.version }
    },
    async installVendorStoreApp(vendor = {}) {
      const pkg = vendorStoreAppPackage(await apps.read((await loadKandjiApp()).bytes), vendor.version)
      await apps.installNow({ pkg, appClass: 'sys_store_app', user: installer(), runAfterInstall: false })
      return { scope: pkg.scope, version: pkg.version, sysId: pkg.scopeId }
    },
    async uninstallApp(scope) {
      if (!(await apps.uninstallNow(scope, installer()))) throw new Error(`uninstallApp: no application with scope ${scope} is installed`)
    },
    publishApp: (zipOrDir) => apps.publish(zipOrDir),
    async saveState() {
      if (!options.statePath) throw new Error('saveState: the emulator was started without statePath')
      await saveState(options.statePath, exportState())
    },
    importsIdle: () => imports.idle(),
    async close() {
      if (closed) return
      closed = true
      await running.close()
      await imports.idle()
      if (options.statePath) await saveState(options.statePath, exportState())
    },
    setTransforms(enabled: boolean) {
      if (typeof enabled !== 'boolean') throw new Error(`setTransforms: enabled must be true or false, got ${JSON.stringify(enabled)}`)
      transforms.enabled = enabled
    },
    setLatency(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`setLatency: latency must be a number >= 0, got ${ms}`)
      latencyMs = ms
    },
  }
  return emulator
}
