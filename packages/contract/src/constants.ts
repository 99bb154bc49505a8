// The one place where the integration's names are spelled. No zod, no Node APIs: the ServiceNow app
// (Fluent files, and the generated server module) imports this file as well as the CLI and the emulator.

/** The scoped application. The scope string matches the vendor's table `x_kandj_kandji_mdm` (facts 1.2). */
export const APP = {
  scope: 'x_kandj_kandji',
  name: 'Kandji',
  /** sys_id of the sys_app / sys_scope record; fixed so installs and upgrades address the same app. */
  scopeId: '6b0f1ad4c3f24e9a8a1d2f3b4c5d6e7f',
  description: 'Kandji (Iru Endpoint) device inventory for the CMDB',
} as const

/** Roles the app defines. `admin` contains `viewer`. */
export const APP_ROLES = {
  admin: `${APP.scope}.admin`,
  viewer: `${APP.scope}.viewer`,
} as const

/** The roles the service account needs, exactly these three (vendor setup guide, "Add Required Roles"). */
export const SERVICE_ACCOUNT_ROLES = ['cmdb_read', 'import_transformer', 'rest_api_explorer'] as const
export type ServiceAccountRole = (typeof SERVICE_ACCOUNT_ROLES)[number]

/**
 * Roles that make an account far more powerful than the integration needs. Granting one of them to the
 * service account directly is reported as a warning by verify.
 */
export const PRIVILEGED_ROLES = ['admin', 'security_admin', 'user_admin', 'oauth_admin', 'import_admin', 'itil_admin'] as const

/** The vendor's "six roles in total: three added directly, three inherited". Which three is undocumented. */
export const EXPECTED_TOTAL_ROLE_COUNT = 6

export const SERVICE_ACCOUNT = {
  defaultUserName: 'kandji_rest_api_user',
  firstName: 'Kandji',
  lastName: 'Integration',
  /** Minimum length of a generated password; the generator mixes all four character classes. */
  generatedPasswordLength: 32,
} as const

/** The OAuth "API endpoint for external clients" (oauth_entity) that Iru Endpoint uses with the ROPC grant. */
export const OAUTH_CLIENT = {
  defaultName: 'kandji_oauth_api',
  redirectUrl: 'https://kandji.io',
  accessTokenLifespanSeconds: 1800,
  refreshTokenLifespanSeconds: 8_640_000,
  /** oauth_entity.type for an OAuth client. */
  type: 'client',
  /**
   * Stored value of `oauth_entity.scope_restriction_status` that the UI shows as "Broadly scoped".
   * ASSUMPTION (facts, open item 4): the value is not documented; `unrestricted` is the likeliest.
   * Change it here and everything (CLI, verify endpoint, emulator) follows.
   */
  broadlyScopedValue: 'unrestricted',
  /** Column that only exists on Zurich and later (and patched Yokohama). */
  scopeRestrictionField: 'scope_restriction_status',
} as const

/** The `Kandji` choice on cmdb_ci.discovery_source, required by IRE for data source 'Kandji'. */
export const DISCOVERY_SOURCE = {
  table: 'cmdb_ci',
  element: 'discovery_source',
  value: 'Kandji',
  label: 'Kandji',
  language: 'en',
  sequence: 100,
} as const

export const FIX_SCRIPT_NAME = 'kandji_fix_script'
/** Script Include holding the setup logic shared by the fix script and the repair endpoint. */
export const SETUP_SCRIPT_INCLUDE = 'KandjiSetup'

/** App properties that tell the verify endpoint which account and client to check. */
export const APP_PROPERTIES = {
  serviceAccount: `${APP.scope}.service_account`,
  oauthClient: `${APP.scope}.oauth_client`,
} as const

/**
 * The lock a writing command (deploy, rotate, uninstall) holds on an instance while it runs: one global
 * sys_properties row of this name whose value is the holder (user, host, pid, run id, command) and its expiry. Not in
 * the app's namespace: it exists before the app is installed and after it is removed. Whether the platform keeps
 * sys_properties.name unique is undocumented ("By default, fields are created without this constraint",
 * ServiceNowDocs platform-administration/t_RequiringUniqueValuesForAField.md), so the CLI creates, re-reads and holds
 * the lock only when its own row is the only live one.
 */
export const DEPLOY_LOCK = {
  property: 'kandji.deploy_integration.lock',
  description: 'Held by deploy-integration while it changes this instance (deploy, rotate, uninstall); removed when it ends. Value: the holder and its expiry.',
  /** Longer than the slowest run (the app upload's 300 s install timeout, as now-sdk, plus the rest). */
  ttlMinutes: 15,
} as const

/** Tables the app owns (staging tables extend sys_import_set_row). */
export const TABLES = {
  deviceImport: `${APP.scope}_device_import`,
  appImport: `${APP.scope}_app_import`,
  mdm: `${APP.scope}_mdm`,
  /** one row per application on a device, linked to its computer and to the SAM software installation IRE wrote */
  software: `${APP.scope}_software`,
} as const

/**
 * How an import row that cannot be used ends: ignored (never error = true, which the docs say may halt the whole
 * import set, audit item 3), with a comment that starts with this prefix, so verify and the pusher count it.
 */
export const IMPORT_REJECTED_PREFIX = 'Rejected: '

/**
 * The app's Rest Insert Multiples [sys_rest_insert_multiple] record per staging table: insertMultiple maps keys
 * by column label unless it says "Column name" (c_ImportSetAPI.md). The column names and the stored value are [U].
 */
export const REST_INSERT_MULTIPLE = {
  table: 'sys_rest_insert_multiple',
  sourceTableField: 'source_table',
  columnMappingField: 'column_mapping',
  columnNameValue: 'name',
  activeField: 'active',
} as const

/** Platform tables the integration writes or reads. */
export const PLATFORM_TABLES = {
  computer: 'cmdb_ci_computer',
  ci: 'cmdb_ci',
  softwareInstall: 'cmdb_sam_sw_install',
  user: 'sys_user',
  role: 'sys_user_role',
  userRole: 'sys_user_has_role',
  roleContains: 'sys_user_role_contains',
  choice: 'sys_choice',
  property: 'sys_properties',
  oauthEntity: 'oauth_entity',
  scope: 'sys_scope',
  app: 'sys_app',
  storeApp: 'sys_store_app',
  fixScript: 'sys_script_fix',
  scriptInclude: 'sys_script_include',
  transformMap: 'sys_transform_map',
  importSet: 'sys_import_set',
  importSetRow: 'sys_import_set_row',
  importSetRun: 'sys_import_set_run',
  /** the group an insertMultiple answer names (multi_import_set_id) */
  multiImportSet: 'sys_multi_import_set',
  dbObject: 'sys_db_object',
  /** an app's cross-scope privileges: source_scope, target_name (a table), operation, status allowed/requested/denied */
  scopePrivilege: 'sys_scope_privilege',
  upgradeHistory: 'sys_upgrade_history',
  /** plugins: `source` is the plugin id, `active` is 'active' or 'inactive' */
  plugins: 'sys_plugins',
  /** the base class the base system's Hardware Rule searches when IRE identifies a computer */
  hardware: 'cmdb_ci_hardware',
  /** one row per tracked operation (installs, uninstalls): state 0..4, the application in `source` */
  executionTracker: 'sys_execution_tracker',
  /** the instance-wide locks; installs and uninstalls hold UPDATE_MUTEX (sdk-api connector.js getUpdateMutex) */
  mutex: 'sys_mutex',
} as const

/** The sys_mutex row an install or uninstall holds; now-sdk waits for it after an uninstall (sdk-api uninstaller.js). */
export const UPDATE_MUTEX = 'Update-Mutex'

/**
 * Every operation the app's own scripts perform on a table of another scope (all are global tables), one
 * sys_scope_privilege (status allowed) each. An installed app runs under Enforcing runtime access tracking
 * (KB0717945), so an operation missing here is refused at runtime; an entry that no script uses is an over-request.
 * The app's cross-scope test (tracking mode in the emulator) keeps this list equal to what the scripts do.
 * Writes also depend on the table's own application access (KB0727180), which the app cannot ship.
 */
export const CROSS_SCOPE_PRIVILEGES = [
  { table: PLATFORM_TABLES.choice, operation: 'read', why: 'verify and repair look the Kandji discovery source up' },
  { table: PLATFORM_TABLES.choice, operation: 'create', why: 'repair and kandji_fix_script add the Kandji discovery source' },
  { table: PLATFORM_TABLES.choice, operation: 'write', why: 'repair and kandji_fix_script reactivate an inactive Kandji choice' },
  { table: PLATFORM_TABLES.user, operation: 'read', why: 'verify checks the service account; the device transform finds the assigned user by e-mail' },
  { table: PLATFORM_TABLES.userRole, operation: 'read', why: "verify lists the service account's roles" },
  { table: PLATFORM_TABLES.role, operation: 'read', why: "verify shows each granted role by name (the role reference's display value)" },
  { table: PLATFORM_TABLES.oauthEntity, operation: 'read', why: 'verify checks the OAuth client' },
  { table: PLATFORM_TABLES.scope, operation: 'read', why: 'verify reports the installed app and its version' },
  { table: PLATFORM_TABLES.fixScript, operation: 'read', why: 'verify checks kandji_fix_script is installed' },
  { table: PLATFORM_TABLES.dbObject, operation: 'read', why: 'verify checks the staging tables and their web-service access' },
  { table: PLATFORM_TABLES.transformMap, operation: 'read', why: 'verify checks the transform maps are active' },
  { table: PLATFORM_TABLES.hardware, operation: 'read', why: "the device transform checks IRE's answer and name collisions; the status endpoint counts Kandji CIs by class" },
  { table: PLATFORM_TABLES.computer, operation: 'read', why: 'the transforms check that IRE answered with a computer; the application transform finds it by serial number; verify counts Kandji devices by their computer\'s discovery source' },
  { table: PLATFORM_TABLES.importSet, operation: 'read', why: 'the import status endpoint reads the import set Iru Endpoint pushed' },
  { table: PLATFORM_TABLES.importSetRun, operation: 'read', why: 'the import status endpoint reads the transform run of that import set' },
  { table: REST_INSERT_MULTIPLE.table, operation: 'read', why: "verify checks the staging tables' insertMultiple column mapping" },
] as const

export const TRANSFORM_MAPS = {
  device: 'Kandji Device to CMDB',
  app: 'Kandji Application to Software Install',
} as const

/** The app's scripted REST API. */
export const REST_API = {
  name: 'Kandji Integration',
  serviceId: 'integration',
  basePath: `/api/${APP.scope}/integration`,
  routes: {
    verify: { name: 'verify', method: 'GET', path: '/verify' },
    repair: { name: 'repair', method: 'POST', path: '/repair' },
    /** the outcome of one import set the service account pushed: its transform run and each row's state */
    importStatus: { name: 'import_status', method: 'GET', path: '/import_sets/{sys_id}' },
    /** the integration's figures: last push, rows by state, errors, CIs by class and age, health runs (issue 16) */
    status: { name: 'status', method: 'GET', path: '/status' },
  },
} as const

export const verifyPath = `${REST_API.basePath}${REST_API.routes.verify.path}` as const
export const repairPath = `${REST_API.basePath}${REST_API.routes.repair.path}` as const
export const statusPath = `${REST_API.basePath}${REST_API.routes.status.path}` as const
/** GET path of the import status of one import set (its sys_id). */
export function importStatusPath(importSetSysId: string): string {
  return `${REST_API.basePath}/import_sets/${encodeURIComponent(importSetSysId)}`
}

/** A staging row's state as the import status endpoint reports it ('rejected': ignored with IMPORT_REJECTED_PREFIX). */
export const IMPORT_ROW_STATES = ['pending', 'inserted', 'updated', 'ignored', 'rejected', 'skipped', 'error'] as const
export type ImportRowState = (typeof IMPORT_ROW_STATES)[number]

/** The transform run states the import status endpoint reports; 'running' until the run ends (values [U]). */
export const IMPORT_RUN_FINAL_STATES = ['complete', 'complete_with_errors', 'cancelled', 'did_not_complete'] as const

/** Device platforms Kandji reports; all land in cmdb_ci_computer (vendor docs, facts 1.2). */
export const PLATFORMS = ['Mac', 'iPhone', 'iPad', 'AppleTV'] as const
export type Platform = (typeof PLATFORMS)[number]

/** Ids of the checks the verify endpoint reports, in report order. */
export const CHECK_IDS = [
  'app_installed',
  'discovery_source',
  'fix_script',
  'service_account',
  'service_account_roles',
  'oauth_client',
  'oauth_scope_restriction',
  'staging_tables',
  'transform_maps',
  'insert_multiple',
  'import_errors',
  'kandji_cis',
  'push_recency',
  'push_errors',
  'push_pending',
  'push_token_lifespan',
] as const
export type CheckId = (typeof CHECK_IDS)[number]

/**
 * How an instance differs from the desired state (`verify --drift`, fleet reports): one entry per difference, each with
 * one of these kinds. Nearly every kind is a change `plan` shows (deploy repairs it); `role-added` without
 * --prune-roles and `app-incomplete` are drift deploy leaves alone.
 */
export const DRIFT_KINDS = [
  /** The app is not installed (plan: install). */
  'app-missing',
  /** An older app version than the package or the wanted repository version (plan: upgrade). */
  'app-outdated',
  /** Another application (the vendor's Store app) holds the scope, and --replace-store-app is given (plan: replace). */
  'app-foreign',
  /** The installed app's own records are damaged (a fix script, staging table, transform map or IRE setting check fails) and no install or upgrade is planned. */
  'app-incomplete',
  'client-missing',
  'client-inactive',
  /** A setting of the OAuth client other than Active (redirect URL, token lifespans, scope restriction): one per field. */
  'client-changed',
  /** An interrupted deploy generated a client secret that may never have been set: deploy sets it again. */
  'client-secret-pending',
  'account-missing',
  'account-inactive',
  'account-locked',
  /** A setting of the service account other than Active and Locked out (password reset, web service access only). */
  'account-changed',
  /** A required role is not granted directly. */
  'role-missing',
  /** A direct role beyond the three (removed only with --prune-roles). */
  'role-added',
  'property-missing',
  'property-changed',
  'choice-missing',
  'choice-inactive',
] as const
export type DriftKind = (typeof DRIFT_KINDS)[number]

export const CHECK_STATUSES = ['pass', 'warn', 'fail'] as const
export type CheckStatus = (typeof CHECK_STATUSES)[number]

/** `deploy-integration probe`: the throw-away objects it creates on a developer instance all carry this prefix. */
export const PROBE = {
  namePrefix: 'kandji_probe_',
  /** Scope of the throw-away app the probe installs to observe the loader (fix scripts, choice lists, upgrades). */
  appScope: 'x_kandj_probe',
  /** Flag that lets the probe write to an instance that does not look like a personal developer instance. */
  confirmFlag: '--i-understand-this-writes',
  /**
   * What marks a personal developer instance (PDI): the developer site hands out instances named `dev<digits>`
   * (ServiceNowDocs application-development/get-dev-instance.md; [U] the naming is observed, not documented), which
   * is the host (`dev12345.service-now.com`) and the `instance_name` system property.
   */
  pdiNamePattern: '^dev\\d+$',
} as const

/** System properties the probe and preflight read (sys_properties.name). */
export const INSTANCE_PROPERTIES = {
  buildName: 'glide.buildname',
  buildTag: 'glide.buildtag',
  war: 'glide.war',
  /** The instance's name, e.g. `dev12345` for a PDI ([U] that it is the host's first label). */
  instanceName: 'instance_name',
  /** IRE's de-duplication switch, true when absent (ServiceNowDocs id-detect-dup-ci.md). */
  ireSkipDuplicates: 'glide.identification_engine.skip_duplicates',
} as const

/** Exit codes of `deploy-integration` (ARCHITECTURE.md, "Interfaces that scripts outside the code rely on"). */
export const EXIT_CODES = {
  ok: 0,
  verificationFailed: 1,
  usage: 2,
  auth: 3,
  instance: 4,
  /**
   * Only when asked (`plan --detailed-exitcode`, `verify --drift`): the instance differs from the desired state and
   * nothing else went wrong (as Terraform's `plan -detailed-exitcode` exits 2). Less severe than every error code.
   */
  changesPending: 5,
} as const
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES]

/**
 * Every exit code, least severe first: what a run over many instances (fleet) reports is the most severe of theirs.
 * Pending changes rank below every error, so one drifted instance never hides a failed one.
 */
export const EXIT_CODE_SEVERITY = [
  EXIT_CODES.ok,
  EXIT_CODES.changesPending,
  EXIT_CODES.verificationFailed,
  EXIT_CODES.usage,
  EXIT_CODES.auth,
  EXIT_CODES.instance,
] as const satisfies readonly ExitCode[]

/** Environment variables the CLI reads. */
export const ENV = {
  instance: 'SN_INSTANCE',
  adminUser: 'SN_ADMIN_USER',
  adminPassword: 'SN_ADMIN_PASSWORD',
  adminClientId: 'SN_ADMIN_CLIENT_ID',
  adminClientSecret: 'SN_ADMIN_CLIENT_SECRET',
  liveInstance: 'SN_LIVE_INSTANCE',
  liveAdminUser: 'SN_LIVE_ADMIN_USER',
  liveAdminPassword: 'SN_LIVE_ADMIN_PASSWORD',
  /** An OAuth access token (e.g. from an identity provider) the admin signs in with instead of a password. */
  adminToken: 'SN_ADMIN_TOKEN',
  /** A REST API key (x-sn-apikey) the admin signs in with instead of a password. */
  adminApiKey: 'SN_ADMIN_API_KEY',
} as const

/** Iru Endpoint asks for the tenant prefix only and assumes this domain (facts 1.4). */
export const INSTANCE_DOMAIN = 'service-now.com'

export const APP_SOURCES = ['package', 'repo', 'store'] as const
export type AppSource = (typeof APP_SOURCES)[number]

/** Release families in order; Zurich is the first with the OAuth scope restriction. */
export const RELEASES = ['washingtondc', 'xanadu', 'yokohama', 'zurich', 'australia'] as const
export type Release = (typeof RELEASES)[number]

/**
 * A staging row that proves the service account may write the device staging table without touching the CMDB:
 * the device transform recognises this device_id, ignores the row (status "ignored", no CI, no MDM row), and the
 * deployer deletes the staging row afterwards.
 */
export const IMPORT_PROBE = {
  field: 'device_id',
  value: 'kandji-deploy-probe',
} as const

/**
 * Roles the platform grants on its own and that do not count as "extra" direct roles of the service account:
 * the Explicit Roles plugin adds `snc_internal` DIRECTLY to sys_user_has_role at first login (facts 2.2).
 */
export const PLATFORM_GRANTED_ROLES = ['snc_internal'] as const

/** Plugin id of SAM Pro (Software Asset Management Professional); the app-inventory transform needs it. */
export const SAM_PRO_PLUGIN = 'com.snc.samp'

/**
 * Plugin id of the Insert Multiple Web Service (ServiceNowDocs learn-common-apps.md; r_InsertingMultipleRecords.md:
 * "To enable insertMultiple, activate the Insert Multiple Web Service plugin"). That the REST insertMultiple needs
 * it is [U]; verify reports it.
 */
export const INSERT_MULTIPLE_PLUGIN = 'com.glide.web_service_insert_multiple'

/**
 * Platform roles the app's ACLs grant to (issue 3): the service account's import role may create staging rows,
 * CMDB readers may read the MDM table.
 */
// A plain `as const` object: the ServiceNow SDK evaluates this file for the Fluent app and can follow neither
// `satisfies` nor a type annotation. That both values are in SERVICE_ACCOUNT_ROLES is asserted by the app's tests.
export const ACL_GRANTS = {
  stagingCreate: 'import_transformer',
  mdmRead: 'cmdb_read',
} as const

/** Query parameters of GET verify that override which service account and OAuth client it checks. */
export const VERIFY_QUERY_PARAMS = {
  serviceAccount: 'service_account',
  oauthClient: 'oauth_client',
} as const

/**
 * Signing the admin in without basic auth (audit item 19). Newly provisioned instances restrict basic-auth API calls
 * to web-service-only accounts and holders of `basicAuthRole` (ServiceNowDocs
 * platform-security/authentication/basic-auth-restriction.md; the properties: instance-security-hardening-settings/
 * sc-enable-basic-auth-restriction.md, sc-limit-basic-authentication-restriction-allowed-roles.md,
 * sc-limit-basic-auth-restriction-allowed-users.md). An API key travels in `apiKeyHeader` once `apiKeyPlugin` is
 * active (platform-security/authentication/configure-api-key.md, active-api-key-hmac.md).
 */
export const ADMIN_SIGN_IN = {
  basicAuthRole: 'snc_basic_auth_api_access',
  basicAuthProperties: {
    active: 'glide.authenticate.basic_auth.restriction.active',
    enforce: 'glide.authenticate.basic_auth.restriction.enforce',
    allowedRoles: 'glide.authenticate.basic_auth.allowed_roles',
    allowedUsers: 'glide.authenticate.basic_auth.allowed_users',
  },
  apiKeyHeader: 'x-sn-apikey',
  apiKeyPlugin: 'com.glide.tokenbased_auth',
  /**
   * The REST APIs (REST API PATH of an access policy) the admin's requests use: an API key needs an active access
   * policy with the API key profile on each (configure-api-key.md step 3). CI/CD only for --app-source repo|store.
   */
  apiKeyRestApis: ['now/table', `${APP.scope}/integration`, 'sn_cicd/app_repo', 'sn_cicd/progress'],
  /** The client-credentials grant's switch (facts 3.3). */
  clientCredentialsProperty: 'glide.oauth.inbound.client.credential.grant_type.enabled',
} as const

/**
 * The app's health monitor (issue 16): a scheduled job (sysauto_script `job`) records one row per run in `table`
 * and, when a run's status is worse than the previous run's, logs an error and queues `event`.
 */
export const HEALTH_RUN = {
  table: `${APP.scope}_health_run`,
  job: 'Kandji integration health monitor',
  event: `${APP.scope}.health.degraded`,
  fields: {
    status: 'status',
    /** the ids of the checks that did not pass, comma-separated, in CHECK_IDS order */
    failingChecks: 'failing_checks',
    /** the run's figures as JSON (push age, error rate, pending rows, account and client state) */
    figures: 'figures',
    summary: 'summary',
  },
} as const

export const HEALTH_STATUSES = ['healthy', 'degraded'] as const
export type HealthStatus = (typeof HEALTH_STATUSES)[number]

/**
 * Settings the app ships as its own sys_properties (admin-writable, viewer-readable). deploy does not manage them:
 * they are the customer's to tune. Defaults live in the app's properties.now.ts.
 */
export const APP_SETTINGS = {
  healthIntervalMinutes: `${APP.scope}.health.interval_minutes`,
  healthRetentionDays: `${APP.scope}.health.retention_days`,
  maxPushAgeHours: `${APP.scope}.health.max_push_age_hours`,
  errorRateRows: `${APP.scope}.health.error_rate_rows`,
  maxErrorRatePercent: `${APP.scope}.health.max_error_rate_percent`,
  maxPendingMinutes: `${APP.scope}.health.max_pending_minutes`,
  /** how often Iru Endpoint pushes; the OAuth client's refresh token must outlive it */
  pushIntervalHours: `${APP.scope}.push.interval_hours`,
  /** days without a push after which a Kandji device is retired; 0 = off */
  retireAfterDays: `${APP.scope}.retirement.stale_days`,
  retireDryRun: `${APP.scope}.retirement.dry_run`,
  /** JSON object: Kandji platform -> CMDB class */
  deviceClasses: `${APP.scope}.device_classes`,
  /** how a device's user is matched to sys_user: USER_MATCH_MODES */
  userMatch: `${APP.scope}.user_match`,
} as const

/** Columns of the app's MDM table (TABLES.mdm) that retirement, user matching and the status endpoint share. */
export const MDM_FIELDS = {
  /** when Iru Endpoint last pushed the device (set by the transform on every push): what "not seen" counts from */
  lastPushed: 'last_pushed',
  isMissing: 'is_missing',
  isRemoved: 'is_removed',
  /** why the device was retired (stale for N days, removed in Iru Endpoint); empty while active */
  retiredReason: 'retired_reason',
  /** the outcome of the last user match: USER_MATCH_OUTCOMES */
  userMatch: 'user_match',
} as const

export const USER_MATCH_MODES = ['email', 'user_name', 'off'] as const
export type UserMatchMode = (typeof USER_MATCH_MODES)[number]
export const USER_MATCH_OUTCOMES = ['matched', 'unmatched', 'no_user', 'off'] as const
export type UserMatchOutcome = (typeof USER_MATCH_OUTCOMES)[number]

/**
 * What the status endpoint reports (issue 16): the windows it counts staging rows over, the last-seen age buckets of
 * Kandji devices (upper bounds in days; older and never-pushed devices have their own buckets) and its list caps.
 */
export const STATUS_REPORT = {
  windows: { hour: 3_600, day: 86_400, week: 604_800 },
  lastSeenBuckets: { day: 1, week: 7, month: 30 },
  maxErrorMessages: 10,
  /** the newest rows in error or rejected that are read and grouped by message (row ids left out); counts are exact up to it */
  errorSampleRows: 500,
  maxHealthRuns: 5,
} as const
export type StatusWindow = keyof typeof STATUS_REPORT.windows

/**
 * Device classes and retirement (issue 16, "devices"). The CMDB classes a Kandji platform may be mapped to
 * (APP_SETTINGS.deviceClasses): Computer, Handheld Computing Device (extends Computer: TableUtils API,
 * getTableExtensions() of cmdb_ci_computer) and Media Player (a target class of ServiceNow's Workspace ONE UEM
 * connector, which files media players there). All are identified by the base system's Hardware Rule, the
 * condition for IRE to reclassify between them (c_CIReclassification.md).
 */
export const DEVICE_CLASSES = {
  computer: 'cmdb_ci_computer',
  handheld: 'cmdb_ci_handheld_computing',
  mediaPlayer: 'cmdb_ci_media_player',
} as const
export type DeviceClass = (typeof DEVICE_CLASSES)[keyof typeof DEVICE_CLASSES]

/** The documented alternative to the default mapping (every platform a computer, the vendor's behaviour). */
export const HANDHELD_DEVICE_CLASSES = { Mac: 'cmdb_ci_computer', iPhone: 'cmdb_ci_handheld_computing', iPad: 'cmdb_ci_handheld_computing', AppleTV: 'cmdb_ci_media_player' } as const

/**
 * The CMDB's life cycle values the app writes: install_status 7 = Retired, operational_status 6 = Retired, and the
 * Installed (1) / Operational (1) a pushed-again device returns to. cmdb-ci-lifecycle-mgmt.md names Retired as a
 * base-system operational state; [U] the numeric values are the base system's sys_choice rows of cmdb_ci.
 */
export const CI_LIFECYCLE = {
  retiredInstallStatus: '7',
  retiredOperationalStatus: '6',
  activeInstallStatus: '1',
  activeOperationalStatus: '1',
} as const

/** The script include the retirement job calls (one line), also callable from a test or a REST handler. */
export const DEVICES_SCRIPT_INCLUDE = 'KandjiDevices'
export const RETIREMENT_JOB = {
  name: 'Kandji stale device retirement',
  /** retired_reason prefixes, so status can tell the two apart */
  staleReason: 'Stale: ',
  removedReason: 'Removed in Iru Endpoint: ',
} as const

/**
 * Defaults of the health settings in APP_SETTINGS (the app ships them as properties.now.ts values; verify from the
 * Table API uses them where the installed app has no such property, e.g. the vendor's Store app). Each is a whole
 * number >= min; a property holding anything else is reported and the default used.
 */
export const HEALTH_SETTING_DEFAULTS = {
  healthIntervalMinutes: { value: 60, min: 1 },
  healthRetentionDays: { value: 30, min: 1 },
  maxPushAgeHours: { value: 48, min: 1 },
  errorRateRows: { value: 100, min: 1 },
  maxErrorRatePercent: { value: 10, min: 0 },
  maxPendingMinutes: { value: 60, min: 1 },
  pushIntervalHours: { value: 24, min: 1 },
} as const satisfies { [K in keyof typeof APP_SETTINGS]?: { value: number; min: number } }
export type HealthSetting = keyof typeof HEALTH_SETTING_DEFAULTS

/** The checks whose results a health run records as its figures (HEALTH_RUN.fields.figures). */
export const HEALTH_FIGURE_CHECKS = ['service_account', 'oauth_client', 'push_recency', 'push_errors', 'push_pending', 'push_token_lifespan'] as const satisfies readonly CheckId[]
/**
 * Checks whose warning also degrades a health run: verify warns when the service account must reset its password
 * (Iru Endpoint cannot sign in at its next push), and on push errors, stuck rows and a short refresh token lifespan
 * (verify only warns: failed rows from before a repair stay among the latest until the next push).
 */
export const HEALTH_DEGRADING_WARNINGS = ['service_account', 'push_errors', 'push_pending', 'push_token_lifespan'] as const satisfies readonly CheckId[]
