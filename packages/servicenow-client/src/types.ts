// Public surface of the client. The CLI, the simulator and the tests code against these types.

/** How the client authenticates. Secrets live only here and are never logged or put into errors. */
export type AuthConfig =
  | { type: 'basic'; user: string; password: string }
  /** OAuth resource-owner password grant (ROPC), as Iru Endpoint uses it; refreshes before expiry. */
  | { type: 'password'; clientId: string; clientSecret: string; user: string; password: string }
  | { type: 'client_credentials'; clientId: string; clientSecret: string }
  | { type: 'bearer'; token: string }
  | { type: 'none' }
  /** A REST API key, sent in the x-sn-apikey header (plugin com.glide.tokenbased_auth). REST APIs only: see AppApi. */
  | { type: 'apikey'; key: string }

export interface RetryOptions {
  /** Total attempts including the first; default 4. */
  maxAttempts?: number
  /** First backoff delay; doubled each attempt, with full jitter; default 250 ms. */
  baseDelayMs?: number
  /** Cap for one delay (also caps Retry-After); default 8000 ms. */
  maxDelayMs?: number
}

export interface RequestEvent {
  method: string
  /** Path without the query string. */
  path: string
  status: number | undefined
  durationMs: number
  attempt: number
  /** Set when the attempt failed without a response (reset, timeout, DNS, TLS). */
  errorKind?: ServiceNowErrorKind
}

export interface ClientOptions {
  /** Origin only, e.g. `https://acme.service-now.com` or `http://127.0.0.1:4100` (use the contract's parseInstanceUrl). */
  instance: string
  /** The largest answer body read, in bytes (default 32 MiB, transport.ts MAX_RESPONSE_BYTES); a larger one fails as invalid_response. */
  maxResponseBytes?: number
  auth: AuthConfig
  retry?: RetryOptions
  /** Per-attempt timeout; default 30 000 ms. */
  timeoutMs?: number
  /**
   * How long the app upload waits for its answer (a synchronous install answers once done; never re-sent). Default
   * 300 000 ms as now-sdk (sdk-api connector.js uploadScopedAppPackage), or timeoutMs when that is longer.
   */
  installTimeoutMs?: number
  /** Called after every attempt: counts and timings for benchmarks and tests. */
  onRequest?: (event: RequestEvent) => void
  /** Debug log sink; lines never contain secrets (passwords, client secrets, tokens, cookies). */
  logger?: (line: string) => void
  userAgent?: string
  /** Injected for tests; default globalThis.fetch. */
  fetch?: typeof fetch
  /** Injected for tests (retry delays); default setTimeout-based. */
  sleep?: (ms: number) => Promise<void>
}

/** A Table API record with reference links excluded: every value is a string (reference = sys_id). */
export type TableRecord = Record<string, string>

export interface ListOptions {
  /** Encoded query; build it with `query()` so values are escaped. */
  query?: string
  fields?: readonly string[]
  /** Stop after this many records (all pages). Default: everything. */
  limit?: number
  offset?: number
  /** Records per request; default 1000. */
  pageSize?: number
  displayValue?: boolean | 'all'
}

export interface WriteOptions {
  /**
   * sysparm_input_display_value=true: needed to set encrypted fields such as sys_user.user_password. It applies to
   * every field of the request: a choice or reference is then read as its display value (a label, a name), so write
   * those in a separate request without it.
   */
  inputDisplayValue?: boolean
  fields?: readonly string[]
}

export interface Page {
  records: TableRecord[]
  /** X-Total-Count, when the instance sent it. */
  totalCount: number | undefined
  /** Offset of the next page from the `Link` header, or undefined at the end. */
  nextOffset: number | undefined
}

export interface TableApi {
  /** GET /api/now/table/{table}/{sys_id}; undefined when the record does not exist (404). */
  get(table: string, sysId: string, options?: Pick<ListOptions, 'fields' | 'displayValue'>): Promise<TableRecord | undefined>
  /** Follows pagination to the end (or `limit`). */
  list(table: string, options?: ListOptions): Promise<TableRecord[]>
  /** One page, for callers that stream. */
  page(table: string, options?: ListOptions): Promise<Page>
  /** The number of matching records (X-Total-Count of a 1-record page). */
  count(table: string, query?: string): Promise<number>
  /**
   * The single record matching `query`, or undefined. More than one match throws an AmbiguousMatchError that
   * names the records: writes by natural key must never guess.
   */
  findOne(table: string, query: string, options?: Pick<ListOptions, 'fields'>): Promise<TableRecord | undefined>
  create(table: string, data: Record<string, unknown>, options?: WriteOptions): Promise<TableRecord>
  patch(table: string, sysId: string, data: Record<string, unknown>, options?: WriteOptions): Promise<TableRecord>
  /** Resolves true when deleted, false when it was already gone (404). */
  delete(table: string, sysId: string): Promise<boolean>
}

export interface TokenResponse {
  access_token: string
  refresh_token?: string
  token_type: string
  expires_in: number
  scope?: string
}

export type GrantRequest =
  | { grant_type: 'password'; client_id: string; client_secret: string; username: string; password: string }
  | { grant_type: 'refresh_token'; client_id: string; client_secret: string; refresh_token: string }
  | { grant_type: 'client_credentials'; client_id: string; client_secret: string }

export interface OAuthApi {
  /** One raw POST to /oauth_token.do (form-encoded). A refusal throws ServiceNowError kind 'auth'. */
  requestToken(grant: GrantRequest): Promise<TokenResponse>
}

/** One transform outcome of the Import Set API. */
export interface ImportRowResult {
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

export interface ImportResult {
  import_set: string
  staging_table: string
  result: ImportRowResult[]
}

export interface InsertMultipleResult {
  import_set_id: string
  multi_import_set_id: string
  /** How many rows this request carried. */
  rows: number
}

export interface ImportSetApi {
  /** POST /api/now/import/{table}: one row, transformed synchronously. */
  insert(table: string, row: Record<string, string>): Promise<ImportResult>
  /** POST /api/now/import/{table}/insertMultiple, split into requests of at most `batchSize` rows (default 200). */
  insertMultiple(table: string, rows: ReadonlyArray<Record<string, string>>, options?: { batchSize?: number }): Promise<InsertMultipleResult[]>
}

export interface ScriptedRestApi {
  /** GET a scripted REST path (e.g. the contract's verifyPath); returns the unwrapped `result`. */
  get<T = unknown>(path: string, query?: Record<string, string>): Promise<T>
  post<T = unknown>(path: string, body?: unknown, query?: Record<string, string>): Promise<T>
}

/** CI/CD progress, statuses as the platform reports them ("0".."4"). */
export interface Progress {
  id: string
  status: 'pending' | 'running' | 'successful' | 'failed' | 'canceled'
  statusCode: string
  statusLabel: string
  statusMessage: string
  statusDetail: string
  percentComplete: number
  error: string
  rollbackVersion?: string
}

export interface UploadResult {
  /** The install's execution tracker; undefined when the instance answered without one (see waitForUpgradeHistory). */
  trackerId: string | undefined
  rollbackContext?: string
  /** sys_ids of the scope's sys_upgrade_history rows read before the upload: the install's own row is a new one. */
  upgradeHistoryBefore: string[]
}

/** What a finished uninstall left to say: the platform's accepted partial outcomes, as now-sdk reports them. */
export interface UninstallResult {
  progress: Progress
  warnings: string[]
}

export interface AppApi {
  /**
   * Uploads an app package zip as `now-sdk install` does: UI session (angular.do login + X-UserToken), then
   * multipart POST /sn_appclient_upload_processor.do. Requires basic credentials (or a bearer/OAuth session).
   */
  uploadPackage(zip: Uint8Array, app: { scopeId: string; scope: string; version: string; loadDemo?: boolean; storeApp?: boolean }): Promise<UploadResult>
  /** POST /api/sn_cicd/app_repo/install. */
  installFromRepo(app: { scope?: string; sysId?: string; version?: string }): Promise<{ progressId: string; rollbackVersion?: string }>
  /**
   * Uninstalls an app as `now-sdk` does (sdk-api connector.js uninstallApplication): with the UI session, POST
   * /xmlhttp.do form `sysparm_processor=com.snc.apps.AppsAjaxProcessor`, first `sysparm_function=changeApplication`
   * `sysparm_value=<scopeId>`, then `sysparm_function=deleteApplication` (a custom app; `uninstallApplication` for a
   * Store app) with `sysparm_sys_id=<scopeId>`, `sysparm_fluent_app=true`, `sysparm_delete_all=true`, each with
   * `sysparm_ck`. The XML answer `<xml answer="<progress id>"/>` is returned as progressId (poll with waitForProgress).
   */
  uninstall(app: { scopeId: string; storeApp?: boolean }): Promise<{ progressId: string }>
  getProgress(id: string): Promise<Progress>
  /**
   * An install, upgrade or uninstall of the app still pending or running (sys_execution_tracker state 0/1 whose source
   * is the app's sys_id or whose name names the scope), so a re-run waits on it instead of starting another; undefined
   * when none.
   */
  findRunningInstall(app: { scope: string; scopeId?: string }): Promise<string | undefined>
  /**
   * Opens the UI session (as uploadPackage does) and says which security model the instance answered with:
   * 'user-token' (get_user's 401 carried x-usertoken-response) or 'legacy' (get_user answered 200 without one;
   * sdk-cli UISession.js parseUserToken).
   */
  uiSecurityModel(): Promise<'user-token' | 'legacy'>
  /**
   * For an upload answered without a tracker: polls sys_upgrade_history `to_version=<scope>` until a finished row
   * that was not there before the upload appears, as now-sdk does (sdk-api orchestrator.js install()).
   */
  waitForUpgradeHistory(scope: string, before: readonly string[], options?: { intervalMs?: number; timeoutMs?: number }): Promise<void>
  /**
   * Waits for an uninstall as now-sdk does (sdk-api orchestrator/uninstaller.js): finished at status 2 with 100 %, or
   * with a warning when the message says "Failed to completely delete application" or "The store application was
   * deactivated"; then until the Update-Mutex is released (sys_mutex); then the app's sys_scope must be gone (an
   * inactive one is a warning). Anything else throws ServiceNowError kind 'install_failed' (or 'timeout').
   */
  waitForUninstall(
    id: string,
    app: { scope: string; scopeId: string },
    options?: { onProgress?: (p: Progress) => void; intervalMs?: number; timeoutMs?: number; mutexTimeoutMs?: number },
  ): Promise<UninstallResult>
  /** Polls with backoff until successful, failed or canceled; failed/canceled throw ServiceNowError kind 'install_failed'. */
  waitForProgress(
    id: string,
    options?: { onProgress?: (p: Progress) => void; intervalMs?: number; timeoutMs?: number },
  ): Promise<Progress>
}

export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  headers?: Record<string, string>
}

export interface RawResponse<T = unknown> {
  status: number
  headers: Headers
  body: T
}

export interface ServiceNowClient {
  readonly instance: string
  readonly table: TableApi
  readonly oauth: OAuthApi
  readonly importSet: ImportSetApi
  readonly rest: ScriptedRestApi
  readonly app: AppApi
  /** Escape hatch with the same auth, retries, errors and redaction. Non-2xx throws ServiceNowError. */
  request<T = unknown>(request: RawRequest): Promise<RawResponse<T>>
}

export type ServiceNowErrorKind =
  | 'auth' // 401, or an OAuth grant refused
  | 'permission' // 403 (ACL, missing role)
  | 'scope_restricted' // 403 "Access to unscoped api is not allowed" (Zurich scope restriction, KB2731346)
  | 'not_found' // 404 (missing, or hidden by ACL)
  | 'bad_request' // 400, 405, 406, 409, 415 and other 4xx
  | 'rate_limited' // 429
  | 'server' // 5xx
  | 'hibernating' // an HTML page where JSON was expected (sleeping or waking developer instance)
  | 'login_redirect' // a redirect to the instance's own login page instead of an answer (a session it does not know, or SSO)
  | 'invalid_response' // JSON that does not have the expected shape
  | 'timeout'
  | 'network' // reset, refused
  | 'dns'
  | 'tls'
  | 'ambiguous' // findOne matched more than one record
  | 'install_failed'
