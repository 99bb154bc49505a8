// App installs, upgrades and uninstalls, the in-emulator app repository, and the execution trackers that
// /api/sn_cicd/progress/{id} reports (statuses "0".."4", facts 4.3).
import { readFile, stat } from 'node:fs/promises'
import { PLATFORM_TABLES, UPDATE_MUTEX } from '@kandji-sn/contract/constants'
import { AppPackageError, readAppPackage, readAppPackageFromZip, type AppPackage } from '@kandji-sn/app-package'
import type { Database } from '../db/database.ts'
import { glideDateTime, newSysId } from '../db/database.ts'
import type { EmulatorSwitches, ScriptRuntime, SessionUser } from '../types.ts'
import { applyAppPackage, InstallError, removeApp, type AppClass, type ApplyResult, type InstalledApp } from './loader.ts'
import { parsedZip } from './parsed-zip.ts'

export const TRACKER_STATUS = {
  pending: '0',
  running: '1',
  successful: '2',
  failed: '3',
  canceled: '4',
} as const
export const STATUS_LABELS: Record<string, string> = { '0': 'Pending', '1': 'Running', '2': 'Successful', '3': 'Failed', '4': 'Canceled' }

export interface Tracker {
  id: string
  rollbackContext: string
  status: string
  percent: number
  message: string
  detail: string
  error: string
  rollbackVersion: string
  /** Polls left before the job runs (asynchronous operations). */
  pollsLeft: number
  job?: () => Promise<string>
  /** sys_id of the application record the operation is about. */
  sourceId?: string
}

export interface RepositoryEntry {
  source: Uint8Array | string
  scopeId: string
}

export interface InstallRequest {
  pkg: AppPackage
  appClass: AppClass
  user: SessionUser
  /** Run runtime.afterInstall (fix scripts) after loading. */
  runAfterInstall: boolean
}

function describeFailure(error: unknown): { message: string; detail: string } {
  if (error instanceof AppPackageError) return { message: error.summary, detail: error.message }
  if (error instanceof InstallError) return { message: error.message, detail: error.detail }
  return { message: (error as Error).message ?? String(error), detail: '' }
}

export class AppManager {
  readonly installed = new Map<string, InstalledApp>()
  /** scope -> version -> the package (zip bytes or a dist/app directory path). */
  readonly repository = new Map<string, Map<string, RepositoryEntry>>()
  readonly #trackers = new Map<string, Tracker>()
  #mutexRowId: string | undefined
  readonly #mutex: { holder: string | undefined; heldUntil: number; timer: NodeJS.Timeout | undefined } = { holder: undefined, heldUntil: 0, timer: undefined }

  constructor(
    private readonly db: Database,
    private readonly runtime: ScriptRuntime,
    private readonly switches: EmulatorSwitches,
    private readonly mutexHoldMs = 1000,
  ) {}

  async read(zipOrDir: Uint8Array | string): Promise<AppPackage> {
    if (typeof zipOrDir !== 'string') return parsedZip(zipOrDir)
    return readAppPackage(zipOrDir)
  }

  /**
   * Refuses a package the platform would not load: files that are not readable XML, or an inventory that does not
   * match the files. (validateAppPackage's Kandji-specific rules are the product's concern, not the platform's.)
   */
  check(pkg: AppPackage): void {
    const problems = pkg.readProblems ?? []
    if (problems.length > 0) {
      throw new InstallError(`The package for ${pkg.scope || 'an unknown scope'} cannot be loaded: ${problems[0]?.message}`, problems.map((e) => `${e.path}: ${e.message}`).join('\n'))
    }
  }

  async publish(zipOrDir: Uint8Array | string): Promise<{ scope: string; version: string }> {
    const pkg = await this.read(zipOrDir)
    this.check(pkg)
    let versions = this.repository.get(pkg.scope)
    if (!versions) this.repository.set(pkg.scope, (versions = new Map<string, RepositoryEntry>()))
    const source = typeof zipOrDir === 'string' && (await stat(zipOrDir)).isFile() ? new Uint8Array(await readFile(zipOrDir)) : zipOrDir
    versions.set(pkg.version, { source, scopeId: pkg.scopeId })
    return { scope: pkg.scope, version: pkg.version }
  }

  /** The repository package for a scope (or scope sys_id) and version (the latest when omitted). */
  fromRepository(scopeOrId: string, version?: string): { source: Uint8Array | string; version: string } | undefined {
    for (const [scope, versions] of this.repository) {
      if (scope !== scopeOrId && ![...versions.values()].some((e) => e.scopeId === scopeOrId)) continue
      const wanted = version ?? [...versions.keys()].sort(compareVersions).at(-1)
      const entry = wanted === undefined ? undefined : versions.get(wanted)
      return entry && wanted !== undefined ? { source: entry.source, version: wanted } : undefined
    }
    return undefined
  }

  /** Loads the package now; throws InstallError / AppPackageError. */
  async installNow(request: InstallRequest): Promise<ApplyResult> {
    this.check(request.pkg)
    this.#refuseCollision(request.pkg)
    const previous = this.installed.get(request.pkg.scope)
    const result = applyAppPackage(this.db, request.pkg, {
      appClass: request.appClass,
      keepCustomerChanges: this.switches.upgradeKeepsCustomerChanges,
      user: request.user.userName,
      choiceListLoader: this.switches.choiceListLoader,
      ...(previous ? { previous } : {}),
    })
    this.installed.set(request.pkg.scope, result.installed)
    // "Fix scripts run at the first installation or [the update] after they have been added to an application.
    // However, previous fix scripts do not run on subsequent application updates" (t_RunFixScripts.md).
    const previousFixScripts = (previous?.records ?? []).filter((r) => r.table === 'sys_script_fix').map((r) => r.sysId)
    if (request.runAfterInstall) await this.runtime.afterInstall({ scope: request.pkg.scope, user: request.user, db: this.db, previousFixScripts })
    return result
  }

  /**
   * An update set commit of an application (src/install/update-set-import.ts): its records applied as they are, over
   * whatever the instance has (a commit keeps no customer change), without an upgrade history row or fix scripts
   * ([U] the docs say nothing of fix scripts in a committed update set: none run, the variant that hurts most).
   * The application is then the instance's like an installed one (it can be uninstalled).
   */
  async commitPackage(pkg: AppPackage, user: SessionUser): Promise<ApplyResult> {
    this.check(pkg)
    this.#refuseCollision(pkg)
    const previous = this.installed.get(pkg.scope)
    const result = applyAppPackage(this.db, pkg, {
      appClass: 'sys_app',
      keepCustomerChanges: false,
      user: user.userName,
      choiceListLoader: this.switches.choiceListLoader,
      recordHistory: false,
      ...(previous ? { previous } : {}),
    })
    this.installed.set(pkg.scope, result.installed)
    return result
  }

  /**
   * An application is its scope and its sys_id (the SDK looks it up by both, sdk-api connector.js getScopeInfo): a
   * package for a scope that another application (another sys_id, e.g. the vendor's Store app) holds is refused,
   * never loaded over it as an upgrade.
   */
  #refuseCollision(pkg: AppPackage): void {
    const holder = [...this.db.scan('sys_scope')].map((r) => r.row).find((r) => r.scope === pkg.scope && r.sys_id !== pkg.scopeId)
    if (!holder) return
    throw new InstallError(
      `The scope ${pkg.scope} already belongs to another application (${holder.sys_class_name || 'sys_scope'} ${holder.sys_id}, "${holder.name ?? ''}" ${holder.version ?? ''}); the package's application ${pkg.scopeId} cannot be installed`,
      'A scope names exactly one application on an instance. Uninstall the other application first, or configure it as it is.',
    )
  }

  async uninstallNow(scopeOrId: string, user: SessionUser): Promise<boolean> {
    const app = this.#findInstalled(scopeOrId)
    if (!app) return false
    removeApp(this.db, app, user.userName)
    this.installed.delete(app.scope)
    return true
  }

  /** A Store app's uninstall that only deactivates it: the records stay, the application is inactive. */
  deactivate(scopeOrId: string, user: SessionUser): boolean {
    const app = this.#findInstalled(scopeOrId)
    const scope = app ? this.db.findStored('sys_scope', app.scopeId) : undefined
    if (!app || !scope) return false
    this.db.update(scope.table, app.scopeId, { active: 'false' }, { user: user.userName })
    return true
  }

  #findInstalled(scopeOrId: string): InstalledApp | undefined {
    return this.installed.get(scopeOrId) ?? [...this.installed.values()].find((a) => a.scopeId === scopeOrId)
  }

  /**
   * Starts an operation reported by a tracker (a sys_execution_tracker row: state, percent, the app in `source`).
   * With `polls` 0 the job runs before this returns (a synchronous upload), with `background` just after it;
   * otherwise it runs when the tracker has been polled that many times. Every operation holds the Update-Mutex while
   * it runs and for `updateMutexHoldMs` after; one started while another holds it waits (cicd-api.md: operations
   * that need "the instance wide lock / mutex … will use a queue").
   */
  async track(
    job: () => Promise<string>,
    options: { polls: number; rollbackVersion?: string; sourceId?: string; sourceTable?: string; name: string; background?: boolean },
  ): Promise<Tracker> {
    const tracker: Tracker = {
      id: newSysId(),
      rollbackContext: newSysId(),
      status: TRACKER_STATUS.pending,
      percent: 0,
      message: '',
      detail: '',
      error: '',
      rollbackVersion: options.rollbackVersion ?? '',
      pollsLeft: options.polls,
      job,
      ...(options.sourceId ? { sourceId: options.sourceId } : {}),
    }
    this.#trackers.set(tracker.id, tracker)
    this.db.insert('sys_execution_tracker', { sys_id: tracker.id, name: options.name, state: '0', percent_complete: '0', source: options.sourceId ?? '', source_table: options.sourceTable ?? 'sys_app' })
    this.db.insert('sys_rollback_context', { sys_id: tracker.rollbackContext, name: options.name, state: 'open' })
    if (options.background) setTimeout(() => void this.#runQueued(tracker), 0)
    else if (options.polls <= 0) await this.#runQueued(tracker)
    return tracker
  }

  /** Waits for the Update-Mutex, then runs the job. */
  async #runQueued(tracker: Tracker): Promise<void> {
    while (!this.#mutexFreeFor(tracker.id)) await new Promise((resolve) => setTimeout(resolve, 20))
    this.#acquireMutex(tracker.id)
    await this.#run(tracker)
  }

  async #run(tracker: Tracker): Promise<void> {
    const job = tracker.job
    delete tracker.job
    if (!job) return
    tracker.status = TRACKER_STATUS.running
    this.#mirror(tracker)
    try {
      tracker.message = await job()
      tracker.status = TRACKER_STATUS.successful
      tracker.percent = 100
    } catch (error) {
      const { message, detail } = describeFailure(error)
      tracker.status = TRACKER_STATUS.failed
      tracker.message = message
      tracker.detail = detail
      tracker.error = message
    }
    this.#mirror(tracker)
    this.#releaseMutex(tracker.id)
  }

  #mirror(tracker: Tracker): void {
    this.db.update('sys_execution_tracker', tracker.id, {
      state: tracker.status,
      percent_complete: String(tracker.percent),
      message: tracker.message,
      detailed_message: tracker.detail,
    })
  }

  /** One poll: advances an asynchronous operation (pending -> running -> done) and returns its state. */
  async poll(id: string): Promise<Tracker | undefined> {
    const tracker = this.#trackers.get(id)
    if (!tracker) return undefined
    // Queued behind another operation's Update-Mutex: still pending.
    if (tracker.job && this.#mutexFreeFor(tracker.id)) {
      this.#acquireMutex(tracker.id)
      if (tracker.pollsLeft > 1) {
        tracker.pollsLeft--
        tracker.status = TRACKER_STATUS.running
        tracker.percent = Math.max(tracker.percent, 50)
        this.#mirror(tracker)
      } else {
        await this.#run(tracker)
      }
    }
    return tracker
  }

  #mutexFreeFor(id: string): boolean {
    if (this.#mutex.holder !== undefined) return this.#mutex.holder === id
    return Date.now() >= this.#mutex.heldUntil
  }

  #acquireMutex(id: string): void {
    if (this.#mutex.holder === id) return
    clearTimeout(this.#mutex.timer)
    this.#mutex.holder = id
    this.#writeMutex(glideDateTime(this.db.now()))
  }

  /** The mutex stays acquired for `mutexHoldMs` after the operation (sdk-api uninstaller.js waits up to 30 s for it). */
  #releaseMutex(id: string): void {
    if (this.#mutex.holder !== id) return
    this.#mutex.holder = undefined
    this.#mutex.heldUntil = Date.now() + this.mutexHoldMs
    const clear = () => {
      if (this.#mutex.holder === undefined) this.#writeMutex('')
    }
    if (this.mutexHoldMs <= 0) clear()
    else this.#mutex.timer = setTimeout(clear, this.mutexHoldMs).unref()
  }

  /**
   * The platform's own bookkeeping, set on the stored row: it is no client's write (the release fires later, in the
   * middle of whatever runs then, and must not count in emulator.counters).
   */
  #writeMutex(acquired: string): void {
    this.#mutexRowId ??= this.db.query(PLATFORM_TABLES.mutex, `name=${UPDATE_MUTEX}`, { limit: 1 })[0]?.sys_id
    if (!this.#mutexRowId) this.#mutexRowId = this.db.insert(PLATFORM_TABLES.mutex, { name: UPDATE_MUTEX, acquired: '', system_id: 'emulator:node1' }, { user: 'system' }).sys_id as string
    this.db.patchStored(PLATFORM_TABLES.mutex, this.#mutexRowId, { acquired })
  }

  exportState(): { installed: InstalledApp[]; repository: Array<{ scope: string; scopeId: string; version: string; zipBase64?: string; dir?: string }> } {
    const repository: Array<{ scope: string; scopeId: string; version: string; zipBase64?: string; dir?: string }> = []
    for (const [scope, versions] of this.repository) {
      for (const [version, { source, scopeId }] of versions) {
        repository.push(typeof source === 'string' ? { scope, scopeId, version, dir: source } : { scope, scopeId, version, zipBase64: Buffer.from(source).toString('base64') })
      }
    }
    return { installed: [...this.installed.values()], repository }
  }

  importState(state: ReturnType<AppManager['exportState']>): void {
    for (const app of state.installed) this.installed.set(app.scope, app)
    for (const entry of state.repository) {
      let versions = this.repository.get(entry.scope)
      if (!versions) this.repository.set(entry.scope, (versions = new Map<string, RepositoryEntry>()))
      const source = entry.dir ?? (entry.zipBase64 ? new Uint8Array(Buffer.from(entry.zipBase64, 'base64')) : undefined)
      if (source !== undefined) versions.set(entry.version, { source, scopeId: entry.scopeId })
    }
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0)
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
