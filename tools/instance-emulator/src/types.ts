// Public types of the emulator. Other workspaces code against these names: keep them stable.
import type { EmulatorProfile, ProbedSwitch } from '@kandji-sn/contract'
import type { Database } from './db/database.ts'
import type { EmulatorClock } from './scheduler/clock.ts'
import type { EmulatorJobs } from './scheduler/jobs.ts'

export type EmulatedRelease = 'xanadu' | 'yokohama' | 'zurich' | 'australia'
export const EMULATED_RELEASES: readonly EmulatedRelease[] = ['xanadu', 'yokohama', 'zurich', 'australia']

/** A row as the Table API shows it with sysparm_exclude_reference_link=true: every value a string. */
export type TableRecordRow = Record<string, string>

/** The authenticated caller of a request, with the role names it holds (direct and inherited). */
export interface SessionUser {
  sysId: string
  userName: string
  roles: ReadonlySet<string>
  /** How the caller authenticated. */
  via: 'basic' | 'bearer' | 'apikey' | 'session'
  /** sys_id of the oauth_entity when the caller used a bearer token. */
  oauthEntity?: string
}

/** One transform outcome, as the Import Set API lists it under `result` (facts 4.2). */
export interface ImportRowOutcome {
  transform_map?: string
  table?: string
  display_name?: string
  display_value?: string
  record_link?: string
  status: string
  sys_id?: string
  status_message?: string
  error_message?: string
}

/** The HTTP side of a scripted REST request, as sn_ws.RESTAPIRequest shows it to the operation's script. */
export interface ScriptedRestCall {
  method: string
  path: string
  pathParams: Record<string, string>
  query: Record<string, string | string[]>
  body: unknown
  headers: Record<string, string>
}

/** What a scripted REST operation answers. */
export interface ScriptedRestResult {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/**
 * Where part 2 plugs the app's shipped server code in. Each context also carries `db` (the emulator's store,
 * no ACLs) so a runtime can read and write records the way server-side GlideRecord does.
 */
export interface ScriptRuntime {
  /** Called for a request to a scripted REST path whose sys_ws_operation matched and whose ACLs passed. */
  scriptedRest(ctx: ScriptedRestCall & { operation: TableRecordRow; user: SessionUser; db: Database }): Promise<ScriptedRestResult>
  /** Called for each staging row inserted via the Import Set API; returns the transform outcome(s). */
  transformRow(ctx: {
    stagingTable: string
    row: TableRecordRow
    importSetId: string
    user: SessionUser
    db: Database
    /**
     * Called when the row's transform halts the rest of its import set (error = true in an onBefore script under
     * switch onBeforeError 'halt-import-set'); the caller then transforms no further row of the set.
     */
    onHalt?: (message: string) => void
    /**
     * One object per batch of rows (the rows one request loaded, transformed in one run): the runtime may reuse a
     * script context for the rows of one batch, never across batches. Without it, every row gets a fresh context.
     */
    batch?: object
  }): Promise<ImportRowOutcome[]>
  /**
   * Optional: transforms the rows of one batch synchronously, in order, handing each row's outcomes to `each`,
   * which answers whether to go on. A runtime offers it to put one time limit around the whole run (the Glide
   * runtime: script-guard.ts); without it the rows go through transformRow one by one.
   */
  transformBatch?(
    ctx: Omit<Parameters<ScriptRuntime['transformRow']>[0], 'row'>,
    rows: readonly TableRecordRow[],
    each: (row: TableRecordRow, outcomes: ImportRowOutcome[]) => boolean,
  ): void
  /** Called after an app install/upgrade (instances run the app's fix scripts on install). */
  /**
   * After an install or upgrade: runs the app's fix scripts, all of them on a first install, on an upgrade only
   * those the previous version did not have (`previousFixScripts`, sys_ids; t_RunFixScripts.md).
   */
  afterInstall(ctx: { scope: string; user: SessionUser; db: Database; previousFixScripts?: readonly string[] }): Promise<void>
}

/**
 * Behaviours marked [U] (unverified) in the platform facts, plus emulator pacing. Each is documented in README.md
 * ("Switches"); defaults are the emulator's best guess.
 */
export interface EmulatorSwitches {
  /** [U] facts 3.3: refuse the ROPC (password) grant for users with web_service_access_only=true. Default false. */
  ropcRefusedForWebServiceOnly: boolean
  /** Facts 2.2 (Explicit Roles): add snc_internal directly to sys_user_has_role at a user's first login. Default true. */
  addSncInternalOnFirstLogin: boolean
  /** [U] Value a new oauth_entity gets for scope_restriction_status on Zurich+ when the caller sets none. Default 'restricted'. */
  defaultScopeRestriction: string
  /** Table API version that the unversioned path /api/now/table behaves like (v1: 404 on an empty list). Default 'v2'. */
  unversionedTableApi: 'v1' | 'v2'
  /** [U] fluent-sdk-findings 6.4: the Import Set API requires ws_access=true on the staging table. Default true. */
  importSetRequiresWsAccess: boolean
  /**
   * Run the app's fix scripts (runtime.afterInstall) after an upload install (now-sdk install). Fix scripts are
   * documented to run on App Repo and Store installs (repository installs always run them here), not on an upload:
   * default false (audit item 6).
   */
  runFixScriptsOnInstall: boolean
  /** [U] a list GET on a table the caller may not read: 'filter' answers 200 with no rows, 'forbidden' a 403. Default 'filter'. */
  listReadDenied: 'filter' | 'forbidden'
  /** [U] an upgrade keeps app records the customer changed since the last install (the platform "skips" them). Default true. */
  upgradeKeepsCustomerChanges: boolean
  /** [U] dictionary-mandatory fields are enforced on Table API writes (a data policy would do it). Default false. */
  enforceMandatoryOnTableApi: boolean
  /** Progress polls an asynchronous install takes before it completes (pending -> running -> successful). Default 2. */
  installPollsToComplete: number
  /**
   * What an install does with a packaged sys_choice whose update name is a field's choice list
   * (sys_choice_<table>_<element>): 'replace' deletes the field's other choices and keeps only the package's (the
   * v3 loader, now-sdk choiceset-guide); 'skip' loads none of them when the field already has choices (an older
   * loader or a customised list, KB0657356); 'additive' adds them (the v4 format, Zurich P11+ / Australia P4+).
   * Default 'replace' (audit item 1).
   */
  choiceListLoader: 'replace' | 'skip' | 'additive'
  /**
   * Runtime access tracking of installed apps: 'enforcing' (an app installed on a target instance is set to
   * Enforcing, KB0717945: cross-scope operations need an allowed sys_scope_privilege), 'tracking' (each new
   * cross-scope operation is recorded as an allowed sys_scope_privilege, as on the development instance), 'none'.
   * Default 'enforcing' (audit item 2).
   */
  runtimeAccessTracking: 'enforcing' | 'tracking' | 'none'
  /**
   * A refused cross-scope operation also throws into the script ('throw': KB1641480, the message "is thrown and the
   * operation is blocked") or only returns nothing ('quiet': reads return no rows, writes null/false). Default 'throw'.
   */
  crossScopeRefusal: 'throw' | 'quiet'
  /**
   * Application access of the platform's own (global) tables for scripts of other scopes: 'read-only' (Can read
   * only, the documented default of application tables, c_DefaultRuntimeAccessPermissions.md; the docs are silent
   * on global tables such as sys_choice) or 'open' (Can create / update / delete too). Default 'read-only'.
   */
  globalTableAccess: 'read-only' | 'open'
  /**
   * What `error = true` in an onBefore transform script does: 'halt-import-set' stops the transform of the whole
   * import set, the rows after it stay pending (r_MapWithTransformationEventScripts.md: "will halt the entire
   * transformation for the current import set"); 'row' fails only that row (r_TransformationScriptVariables.md:
   * "aborts the current import action"). Default 'halt-import-set' (audit item 3).
   */
  onBeforeError: 'halt-import-set' | 'row'
  /**
   * [U] Whether the scripts of one import run share one script scope: 'import-run' (globals a script sets, and the
   * modules and Script Includes it loaded, are seen by the later rows of the same run, never by another request's
   * run; the documented transform variables are set afresh for every row) or 'row' (a fresh scope per row). The
   * docs are silent (r_TransformationScriptVariables.md, r_MapWithTransformationEventScripts.md). Default
   * 'import-run': README "Switches".
   */
  transformScriptScope: 'import-run' | 'row'
  /**
   * When insertMultiple rows are transformed: 'asynchronous' after the answer, in the background (c_ImportSetAPI.md:
   * "Transformation is asynchronous by default"), 'synchronous' before it. Default 'asynchronous' (audit item 4).
   */
  insertMultipleTransform: 'asynchronous' | 'synchronous'
  /** [U] the REST insertMultiple endpoint's plugin: 'active', or 'absent' (the endpoint is not there). Default 'active'. */
  insertMultiplePlugin: 'active' | 'absent'
  /**
   * SAM Pro (com.snc.samp): 'inactive' (the plugin is off and its table cmdb_sam_sw_install does not exist) or
   * 'active'. Default 'inactive' (audit item 5).
   */
  samPro: 'inactive' | 'active'
  /**
   * IRE's glide.identification_engine.skip_duplicates: true (the default property value) identifies the oldest of
   * several matching CIs and records a de-duplication task; false refuses with MULTIPLE_DUPLICATE_RECORDS.
   * Default true (audit item 7).
   */
  ireSkipDuplicates: boolean
  /**
   * Whether IRE writes discovery_source on an update: 'insert-only' (a CI another source created keeps that source;
   * audit item 7) or 'every-update' (ire.md: "IRE always updates CIs' last_discovered and discovery_source
   * attributes during payload processing"). The sources disagree; default 'insert-only', which hides Kandji's
   * devices from a count by discovery source.
   */
  ireDiscoverySource: 'insert-only' | 'every-update'
  /**
   * What IRE does when the CI it identified has another class than the payload item sends (c_CIReclassification.md):
   * 'refused-unless-flagged' (glide.class.upgrade/downgrade/switch.enabled = false: the item is refused and a
   * reclassification task opened, unless the item's classUpgrade/classDowngrade/classSwitch flag allows it),
   * 'automatic' (the base system: the properties are true, the CI is reclassified), or 'update-without'
   * (glide.identification_engine.update_without_*_enabled = true: the values are written, the class is kept, whatever
   * the payload's flags say). Default 'refused-unless-flagged', which hurts a sender that does not set the flags.
   */
  ireReclassification: 'refused-unless-flagged' | 'automatic' | 'update-without'
  /**
   * What gs.eventQueue does with an event name that has no sysevent_register row: 'dropped' (no sysevent row; the
   * harmful variant, as the docs say an event must be registered for notifications to see it but not what
   * happens to an unregistered one) or 'queued' (the row is written like any other). Default 'dropped'.
   */
  unregisteredEvents: 'dropped' | 'queued'
  /**
   * The Basic Authentication Restriction (audit item 19): 'new-instance' seeds it enforcing, so basic-auth API calls
   * of an account that is not web-service-only and lacks snc_basic_auth_api_access get a 401 (a zBoot instance);
   * 'upgraded' seeds it in tracking mode (nothing blocked). Default 'upgraded': see README.
   */
  basicAuthRestriction: 'new-instance' | 'upgraded'
  /** [U] whether a REST API key call binds a fresh UI session cookie to its user, as a bearer token does. Default false. */
  apiKeyBindsUiSession: boolean
  /**
   * How a CI/CD progress answer shows a text field with nothing in it (status_message, status_detail, error):
   * 'empty-string' (cicd-api.md's examples; now-sdk calls status_message.includes() on every uninstall poll,
   * sdk-api orchestrator/uninstaller.js, which a null would break) or 'null' (the audit, item 9: every field may be
   * null). Default 'empty-string'. rollback_version is null either way when there is none (cicd-api.md).
   */
  progressEmptyFields: 'null' | 'empty-string'
  /**
   * Whether the upload processor answers the install's execution tracker ('answered', the now-sdk install trace) or
   * a JSON body without one ('absent'): the SDK then polls sys_upgrade_history (sdk-api orchestrator.js install()).
   * Default 'answered'.
   */
  uploadExecutionTracker: 'answered' | 'absent'
  /**
   * The UI session's security model: 'user-token' (get_user's 401 hands out x-usertoken-response, processors check
   * sysparm_ck) or 'legacy' (get_user answers 200 with no token, processors accept an empty or absent sysparm_ck;
   * sdk-cli UISession.js parseUserToken: "empty string can proceed without user token in case of legacy security
   * model"). Default 'user-token'.
   */
  uiSessionSecurity: 'user-token' | 'legacy'
  /**
   * What an AppsAjaxProcessor uninstall ends in (sdk-api orchestrator/uninstaller.js monitorProgress): 'deleted'
   * (status 2, 100 %), 'partially-deleted' (status 3, "Failed to completely delete application …"; the app is gone
   * but ACL-protected metadata may remain) or 'deactivated' (status 2, "The store application was deactivated"; the
   * app stays, inactive). Default 'deleted'.
   */
  uninstallOutcome: 'deleted' | 'partially-deleted' | 'deactivated'
  /**
   * [U] A choice field written with sysparm_input_display_value=true takes the value whose label is the input
   * ("Treats input values as display values", Table API docs). A value that is no choice's label: 'label-only'
   * ignores it (the field keeps its default or previous value), 'label-or-value' stores it as given. The docs are
   * silent; default 'label-only'.
   */
  choiceInputDisplayValue: 'label-only' | 'label-or-value'
  /**
   * [U] Whether sys_properties.name is unique: an insert of a name another row has is refused (403). The docs say
   * fields are created without that constraint unless the dictionary's Unique box is set
   * (platform-administration/t_RequiringUniqueValuesForAField.md) and say nothing of sys_properties; default false
   * (duplicates are stored), which is what a create-then-check lock must survive.
   */
  propertyNameUnique: boolean
  /**
   * [U] Update set preview: when a remote update and a local customer update of one name collide. 'different-date'
   * ("If the name matches but there are different update date values, then there's a collision",
   * update-set-collisions.md); 'newer-local' ("A change in the update set is older than a change to the same object
   * on the local instance", t_PreviewARemoteUpdateSet.md).
   */
  updateSetCollision: 'different-date' | 'newer-local'
  /**
   * [U] Update set preview: the type of a "Missing Object" problem (a reference to a record neither the instance nor
   * the update set has). 'error' blocks the commit until it is resolved; 'warning' does not.
   */
  updateSetMissingReference: 'error' | 'warning'
}

/** What a fault predicate sees of a request: its method, path (no query string) and query parameters. */
export interface FaultRequest {
  method: string
  path: string
  query: URLSearchParams
}

/**
 * Faults that fire before the request is processed (the instance did nothing): `status`, `reset`, `timeout`, `html`,
 * `login-redirect`. Faults that fire after it was processed (the work is done, the answer is lost): `reset-after`,
 * `hang-after`, `slow`.
 */
export type FaultKind =
  | { kind: 'status'; status: number; body?: unknown; retryAfterSeconds?: number }
  | { kind: 'reset' }
  /** No answer at all; the connection stays open until the client gives up or the emulator stops. */
  | { kind: 'timeout' }
  /** A hibernating developer-instance HTML page (200, text/html). */
  | { kind: 'html' }
  /** 302 to the instance's login page (`/login.do`, or `location`): what a UI endpoint answers a session it does not know. */
  | { kind: 'login-redirect'; location?: string }
  /** Processed, then the connection is reset before any byte of the answer. */
  | { kind: 'reset-after' }
  /** Processed, then the status line, the headers and half the body are sent, and the rest never comes. */
  | { kind: 'hang-after' }
  /** Processed, then the whole answer is sent `delayMs` later (past the client's timeout, when that is shorter). */
  | { kind: 'slow'; delayMs: number }

export type FaultRule = {
  /** HTTP method to match (any when omitted). */
  method?: string
  /** A string matches the start of the path (query string excluded); a RegExp is tested against path + query. */
  path?: string | RegExp
  /** Matches when it returns true (after method and path). */
  when?: (request: FaultRequest) => boolean
  /** Fire on the nth matching request (1-based); default 1. */
  nth?: number
  /** How many times the rule fires once it started; default 1 when nth is set, otherwise unlimited. */
  times?: number
} & FaultKind

export interface EmulatorOptions {
  /** 0/undefined = random free port; the host is always 127.0.0.1. */
  port?: number
  /** Default 'zurich'; oauth_entity.scope_restriction_status exists only on zurich and later. */
  release?: EmulatedRelease
  /** Default 'admin'. */
  adminPassword?: string
  latencyMs?: number
  /** A random extra delay of 0..latencyJitterMs per request on top of latencyMs, so concurrent clients' requests interleave in varying orders. */
  latencyJitterMs?: number
  /** How long an asynchronous insertMultiple transform waits before it starts (pacing); default 100 ms. */
  importTransformDelayMs?: number
  /** How long a synchronous upload install (sysparm_async_fluent_install=false) takes before it answers; default 0 ms. */
  uploadInstallDelayMs?: number
  /**
   * How long the Update-Mutex (sys_mutex) stays held after an install or uninstall finished; default 1000 ms. An
   * install started while it is held queues behind it.
   */
  updateMutexHoldMs?: number
  /**
   * An emulator profile (what `deploy-integration probe` observed on a real instance): a path to its JSON file or
   * the parsed object, validated either way (ProfileError when it is not usable). Its observed switches set the
   * switches, `could-not-tell` keeps the default; `switches` wins over it. Its release, when emulated, is the
   * release unless `release` is given. README.md "Profiles".
   */
  profile?: string | EmulatorProfile
  /** Loaded when it exists; written atomically on close() and saveState(). */
  statePath?: string
  faults?: FaultRule[]
  switches?: Partial<EmulatorSwitches>
  /**
   * The `instance_name` system property, e.g. `dev12345` for a personal developer instance (what
   * `deploy-integration probe` checks before it writes). Not seeded when omitted.
   */
  instanceName?: string
  /** Default: the Glide runtime (src/runtime/), which executes installed apps' server code; `defaultRuntime` is the part-1 seam stub. */
  runtime?: ScriptRuntime
}

/** What a profile set, for the CLI's start line and for tests. */
export interface AppliedProfile {
  /** The file, or `the profile option` for a parsed object. */
  source: string
  /** The profile's release when the emulator emulates it (case-insensitive match of `instance.release`), else null. */
  release: EmulatedRelease | null
  /** The profile's `instance.release` as written. */
  profileRelease: string | null
  /** Switches the profile observed, with the value it set (explicit `switches` not subtracted). */
  observed: Partial<Record<ProbedSwitch, string | boolean>>
  /** Switches the profile could not tell: they keep the emulator's default. */
  couldNotTell: ProbedSwitch[]
  /** What the roles the profile observed contain (replacing the seed's containment of those roles). */
  roles: Record<string, string[]>
}

export interface EmulatorCounters {
  requests: number
  byRoute: Record<string, number>
  db: { select: number; insert: number; update: number; delete: number }
}

/** One row of sys_update_preview_problem as an update set preview writes it. */
export interface PreviewProblem {
  type: 'error' | 'warning'
  description: string
  /** sys_update_xml the problem is about ('' for the set as a whole). */
  remoteUpdate: string
  missingItemTable: string
  missingItem: string
}

export interface Emulator {
  url: string
  port: number
  release: string
  /** What `options.profile` set; undefined without one. */
  profile: AppliedProfile | undefined
  /** Direct access for tests (bypasses ACLs). */
  db: Database
  /** The instance's clock (every reader of the time goes through it): set(date), advance(ms), reset(). */
  clock: EmulatorClock
  /** The installed scheduled jobs (sysauto_script): run(nameOrSysId) now, or tick() to run every one that is due. */
  jobs: EmulatorJobs
  counters: EmulatorCounters
  resetCounters(): void
  /** Resolves once every background (asynchronous insertMultiple) transform queued so far has finished. */
  importsIdle(): Promise<void>
  /** Changes the per-request latency after start (ms >= 0), e.g. to configure an instance fast, then measure it over a slow link. */
  setLatency(ms: number): void
  /**
   * A bench control, not a platform behaviour: with false, the Import Set API loads staging rows and answers as
   * usual but runs no transform (rows stay pending), the baseline of the emulator's import throughput. Default true.
   */
  setTransforms(enabled: boolean): void
  addFault(rule: FaultRule): void
  clearFaults(): void
  /**
   * An update set import as an admin does it in the UI (not REST; README "Update sets"): upload = Retrieved Update
   * Sets > Import Update Set from XML (sys_upload.do), preview = Preview Update Set, commit = Commit Update Set.
   * The rows they write (sys_remote_update_set, sys_update_xml, sys_update_preview_problem) are read through the
   * Table API. Each throws UpdateSetError (what, cause, fix) where the UI refuses.
   */
  updateSets: {
    upload(xml: string): Promise<{ sysId: string }>
    preview(sysId: string): Promise<{ problems: PreviewProblem[] }>
    commit(sysId: string): Promise<{ applied: number; localUpdateSet: string }>
  }
  /** Installs a package zip (bytes) or a built dist/app directory with the same loader as the upload. */
  installApp(zipOrDir: Uint8Array | string): Promise<{ scope: string; version: string }>
  uninstallApp(scope: string): Promise<void>
  /**
   * Installs the vendor's Kandji Store app (sys_store_app, another sys_id than this project's build; src/install/
   * vendor-store-app.ts), as a customer who got it from the Store has it. Needs the built Kandji app.
   */
  installVendorStoreApp(options?: { version?: string }): Promise<{ scope: string; version: string; sysId: string }>
  /** Puts a package into the emulator's app repository so /api/sn_cicd/app_repo/install can install it. */
  publishApp(zipOrDir: Uint8Array | string): Promise<{ scope: string; version: string }>
  saveState(): Promise<void>
  close(): Promise<void>
}
