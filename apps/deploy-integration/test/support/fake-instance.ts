// An in-memory stand-in for a ServiceNow instance behind the client API (packages/servicenow-client types.ts), for
// fast command tests. The emulator tests (test/emulator.test.ts) check the same behaviour over HTTP.
import { randomBytes } from 'node:crypto'
import { APP, DISCOVERY_SOURCE, PLATFORM_TABLES, repairPath, SERVICE_ACCOUNT_ROLES, statusPath, TABLES, verifyPath, type CheckStatus } from '@kandji-sn/contract/constants'
import { ServiceNowError, type ClientOptions, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import type { Deps } from '../../src/deps.ts'

type Row = Record<string, string>

const CONTAINS: Record<string, string[]> = { import_transformer: ['import_set_loader'], rest_api_explorer: ['api_analytics_read'], cmdb_read: [] }

export interface FakeOptions {
  release?: 'yokohama' | 'zurich'
  adminPassword?: string
  appInstalled?: boolean
  /** The verify endpoint's overall check status; undefined = 501 "not emulated". */
  verifyStatus?: CheckStatus
  /** The verify endpoint's detail and fix texts (default "checked" and "run repair"). */
  verifyTexts?: { detail: string; fix: string }
  /** The instance refuses ROPC for web-service-only users (facts 3.3 [U]). */
  refuseRopcForWebServiceOnly?: boolean
  /** The import status of a bulk load never says done (a stopped import scheduler). */
  importNeverDone?: boolean
  /** What GET …/status answers (the `result`); a function may throw a ServiceNowError; undefined = 501 "not emulated". */
  statusReply?: () => unknown
  /** Fails a request: called before each one with its method, path and the user making it; an error is thrown. */
  fault?: (request: { method: string; path: string; user: string }) => ServiceNowError | undefined
}

function id(): string {
  return randomBytes(16).toString('hex')
}

function snError(kind: ServiceNowError['kind'], status: number | undefined, method: string, path: string, message: string): ServiceNowError {
  return new ServiceNowError({ kind, status, method, path, message, hint: message })
}

/** The reference fields the CLI dot-walks (`user.user_name`, `role.name`): table.field -> the table it points to. */
const REFERENCES: Record<string, string> = { 'sys_user_has_role.user': PLATFORM_TABLES.user, 'sys_user_has_role.role': PLATFORM_TABLES.role }

/** Evaluates the subset of encoded queries the CLI sends: `a=b`, `aINx,y`, joined by `^`; `value` reads a (dot-walked) field. */
function matches(row: Row, q: string | undefined, value: (row: Row, field: string) => string = (r, f) => r[f] ?? ''): boolean {
  if (!q) return true
  return q.split(/\^(?!\^)/).every((cond) => {
    const inMatch = /^([a-z0-9_.]+)IN(.*)$/.exec(cond)
    if (inMatch) return inMatch[2]!.split(',').includes(value(row, inMatch[1]!))
    const eq = /^([a-z0-9_.]+)=(.*)$/.exec(cond)
    if (eq) return value(row, eq[1]!) === eq[2]!.replaceAll('^^', '^')
    throw new Error(`fake instance: unsupported condition ${cond}`)
  })
}

export class FakeInstance {
  readonly tables = new Map<string, Row[]>()
  readonly writes = { insert: 0, update: 0, delete: 0 }
  readonly url = 'https://fake.service-now.com'
  readonly options: FakeOptions
  /** Milliseconds the CLI asked to pause (the pauses themselves are instant). */
  slept = 0
  private readonly tokens = new Map<string, string>() // token -> user_name
  /** Plain passwords and secrets, as the instance would store them hashed/encrypted. */
  private readonly passwords = new Map<string, string>()
  private readonly secrets = new Map<string, string>() // client_id -> secret

  constructor(options: FakeOptions = {}) {
    this.options = { release: 'zurich', adminPassword: 'admin', appInstalled: true, ...options }
    const roles = ['admin', 'itil', 'snc_internal', 'import_set_loader', 'api_analytics_read', ...SERVICE_ACCOUNT_ROLES]
    for (const name of roles) this.rows(PLATFORM_TABLES.role).push({ sys_id: `role-${name}`, name })
    this.rows(PLATFORM_TABLES.user).push({ sys_id: 'u-admin', user_name: 'admin', active: 'true' })
    this.passwords.set('admin', this.options.adminPassword!)
    this.rows(PLATFORM_TABLES.userRole).push({ sys_id: id(), user: 'u-admin', role: 'role-admin', inherited: 'false' })
    this.rows(PLATFORM_TABLES.property).push({ sys_id: id(), name: 'glide.buildtag', value: `glide-${this.options.release}-07-01-2025__patch4` })
    if (this.options.release === 'zurich') this.rows('sys_dictionary').push({ sys_id: id(), name: PLATFORM_TABLES.oauthEntity, element: 'scope_restriction_status' })
    if (this.options.appInstalled) this.installApp('1.0.0')
  }

  rows(table: string): Row[] {
    let rows = this.tables.get(table)
    if (!rows) this.tables.set(table, (rows = []))
    return rows
  }

  installApp(version: string): void {
    this.rows(PLATFORM_TABLES.scope).push({ sys_id: APP.scopeId, scope: APP.scope, name: APP.name, version, active: 'true' })
    this.rows(PLATFORM_TABLES.app).push({ sys_id: APP.scopeId, scope: APP.scope, version, active: 'true' })
    this.rows(PLATFORM_TABLES.choice).push({ sys_id: id(), name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value: DISCOVERY_SOURCE.value, language: 'en', inactive: 'false' })
  }

  /** Whether a user holds a role, directly or inherited. */
  hasRole(userName: string, roleName: string): boolean {
    const user = this.rows(PLATFORM_TABLES.user).find((u) => u.user_name === userName)
    const role = this.rows(PLATFORM_TABLES.role).find((r) => r.name === roleName)
    return !!user && !!role && this.rows(PLATFORM_TABLES.userRole).some((g) => g.user === user.sys_id && g.role === role.sys_id)
  }

  passwordOf(userName: string): string | undefined {
    return this.passwords.get(userName)
  }

  /** Authenticates, applies the fault option, and tells the client's onRequest as the transport would. */
  private checkAuth(options: ClientOptions, method: string, path: string): string {
    let user: string
    try {
      user = this.authenticate(options, method, path)
    } catch (error) {
      options.onRequest?.({ method, path, status: 401, durationMs: 0, attempt: 1 })
      throw error
    }
    const fault = this.options.fault?.({ method, path, user })
    if (fault) {
      options.onRequest?.({ method, path, status: fault.status, durationMs: 0, attempt: 1, ...(fault.status === undefined ? { errorKind: fault.kind } : {}) })
      throw fault
    }
    options.onRequest?.({ method, path, status: 200, durationMs: 0, attempt: 1 })
    return user
  }

  private authenticate(options: ClientOptions, method: string, path: string): string {
    const auth = options.auth
    if (auth.type === 'basic') {
      if (this.passwords.get(auth.user) !== auth.password) throw snError('auth', 401, method, path, 'User Not Authenticated')
      return auth.user
    }
    if (auth.type === 'bearer') {
      const user = this.tokens.get(auth.token)
      if (!user) throw snError('auth', 401, method, path, 'invalid token')
      return user
    }
    throw snError('auth', 401, method, path, 'no credentials')
  }

  private write(kind: keyof FakeInstance['writes']): void {
    this.writes[kind]++
  }

  private afterCreate(table: string, row: Row): void {
    if (table === PLATFORM_TABLES.userRole && row.inherited !== 'true') {
      const roleName = this.rows(PLATFORM_TABLES.role).find((r) => r.sys_id === row.role)?.name ?? ''
      for (const contained of CONTAINS[roleName] ?? []) {
        this.rows(table).push({ sys_id: id(), user: row.user!, role: `role-${contained}`, inherited: 'true', granted_by: row.sys_id! })
      }
    }
    if (table === PLATFORM_TABLES.oauthEntity) row.client_id = row.client_id ?? id()
  }

  client(options: ClientOptions): ServiceNowClient {
    const fake = this
    const tablePath = (t: string) => `/api/now/table/${t}`
    const read = (table: string, q: string | undefined, method = 'GET') => {
      const user = fake.checkAuth(options, method, tablePath(table))
      if (user !== 'admin' && table !== PLATFORM_TABLES.computer) throw snError('permission', 403, method, tablePath(table), 'Insufficient rights')
      return fake.rows(table).filter((r) => matches(r, q, (row, field) => walk(table, row, field)))
    }
    // A dot-walked field through a reference the fake knows, as the Table API answers it ('' when it leads nowhere).
    const walk = (table: string, row: Row, field: string): string => {
      const [head, rest] = [field.split('.')[0]!, field.split('.').slice(1).join('.')]
      if (!rest) return row[field] ?? ''
      const target = REFERENCES[`${table}.${head}`]
      const next = target ? fake.rows(target).find((r) => r.sys_id === row[head]) : undefined
      return next ? (next[rest] ?? '') : ''
    }
    const project = (row: Row, fields?: readonly string[], table = ''): TableRecord => {
      if (!fields) return { ...row, ...(row.user_password ? { user_password: '' } : {}) }
      return Object.fromEntries(fields.map((f) => [f, walk(table, row, f)]))
    }
    const storeSecret = (table: string, row: Row) => {
      if (table === PLATFORM_TABLES.user && row.user_password !== undefined) {
        fake.passwords.set(row.user_name!, row.user_password)
        row.user_password = '(hashed)'
      }
      if (table === PLATFORM_TABLES.oauthEntity && row.client_secret !== undefined) {
        fake.secrets.set(row.client_id!, row.client_secret)
        row.client_secret = '(encrypted)'
      }
    }
    return {
      instance: fake.url,
      table: {
        async get(table, sysId, o) {
          const row = read(table, `sys_id=${sysId}`)[0]
          return row ? project(row, o?.fields) : undefined
        },
        async list(table, o) {
          const rows = read(table, o?.query).slice(0, o?.limit)
          return rows.map((r) => project(r, o?.fields, table))
        },
        async page(table, o) {
          const records = read(table, o?.query).map((r) => project(r, o?.fields, table))
          return { records, totalCount: records.length, nextOffset: undefined }
        },
        async count(table, q) {
          return read(table, q).length
        },
        async findOne(table, q, o) {
          const rows = read(table, q)
          if (rows.length > 1) throw new ServiceNowError({ kind: 'ambiguous', method: 'GET', path: tablePath(table), message: `${rows.length} records match`, hint: 'remove duplicates', records: rows.map((r) => r.sys_id!) })
          return rows[0] ? project(rows[0], o?.fields) : undefined
        },
        async create(table, data) {
          fake.checkAuth(options, 'POST', tablePath(table))
          const row: Row = { sys_id: id(), ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)])) }
          fake.afterCreate(table, row)
          storeSecret(table, row)
          fake.rows(table).push(row)
          fake.write('insert')
          return project(row)
        },
        async patch(table, sysId, data) {
          fake.checkAuth(options, 'PATCH', tablePath(table))
          const row = fake.rows(table).find((r) => r.sys_id === sysId)
          if (!row) throw snError('not_found', 404, 'PATCH', `${tablePath(table)}/${sysId}`, 'No Record found')
          const update: Row = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)]))
          if (table === PLATFORM_TABLES.oauthEntity) update.client_id = row.client_id!
          if (table === PLATFORM_TABLES.user) update.user_name = row.user_name!
          storeSecret(table, update)
          Object.assign(row, update)
          fake.write('update')
          return project(row)
        },
        async delete(table, sysId) {
          fake.checkAuth(options, 'DELETE', tablePath(table))
          const rows = fake.rows(table)
          const index = rows.findIndex((r) => r.sys_id === sysId)
          if (index < 0) return false
          rows.splice(index, 1)
          if (table === PLATFORM_TABLES.userRole) {
            for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.granted_by === sysId) rows.splice(i, 1)
          }
          fake.write('delete')
          return true
        },
      },
      oauth: {
        async requestToken(grant) {
          const client = fake.rows(PLATFORM_TABLES.oauthEntity).find((c) => c.client_id === grant.client_id)
          const refuse = () => snError('auth', 401, 'POST', '/oauth_token.do', 'access_denied')
          if (!client || client.active !== 'true' || fake.secrets.get(grant.client_id) !== grant.client_secret) throw refuse()
          let userName: string
          if (grant.grant_type === 'password') {
            const user = fake.rows(PLATFORM_TABLES.user).find((u) => u.user_name === grant.username)
            if (!user || user.active !== 'true' || user.locked_out === 'true' || fake.passwords.get(grant.username) !== grant.password) throw refuse()
            if (fake.options.refuseRopcForWebServiceOnly && user.web_service_access_only === 'true') throw refuse()
            userName = grant.username
          } else if (grant.grant_type === 'refresh_token') {
            const owner = fake.tokens.get(grant.refresh_token)
            if (!owner) throw refuse()
            userName = owner
          } else throw refuse()
          const access = `at-${id()}`
          const refresh = `rt-${id()}`
          fake.tokens.set(access, userName)
          fake.tokens.set(refresh, userName)
          return { access_token: access, refresh_token: grant.grant_type === 'password' ? refresh : undefined, token_type: 'Bearer', expires_in: 1800 } as never
        },
      },
      importSet: {
        async insert(table, row) {
          const user = fake.checkAuth(options, 'POST', `/api/now/import/${table}`)
          if (user !== 'admin' && !fake.hasRole(user, 'import_transformer')) throw snError('permission', 403, 'POST', `/api/now/import/${table}`, 'Insufficient rights')
          fake.rows(table).push({ sys_id: id(), ...row })
          fake.write('insert')
          return { import_set: 'ISET0001', staging_table: table, result: [{ status: 'ignored' }] }
        },
        async insertMultiple(table, records) {
          const user = fake.checkAuth(options, 'POST', `/api/now/import/${table}/insertMultiple`)
          if (user !== 'admin' && !fake.hasRole(user, 'import_transformer')) throw snError('permission', 403, 'POST', `/api/now/import/${table}/insertMultiple`, 'Insufficient rights')
          const set = id()
          fake.rows(PLATFORM_TABLES.importSet).push({ sys_id: set, number: `ISET${set.slice(0, 4)}` })
          for (const row of records) fake.rows(table).push({ sys_id: id(), sys_import_set: set, ...row })
          fake.write('insert')
          return [{ import_set_id: set, multi_import_set_id: id(), rows: records.length }]
        },
      },
      rest: {
        async get<T>(path: string): Promise<T> {
          fake.checkAuth(options, 'GET', path)
          const importStatus = /\/import_sets\/([0-9a-f]+)$/.exec(path)
          if (importStatus) {
            // The app's import status of a set: done at once, each row ignored (the probe is recognised).
            const rows = fake.rows(TABLES.deviceImport).filter((r) => r.sys_import_set === importStatus[1])
            return {
              import_set: { sys_id: importStatus[1], number: 'ISET0002', table: TABLES.deviceImport, state: 'processed', mode: 'asynchronous' },
              run: fake.options.importNeverDone ? null : { state: 'complete', total: rows.length, inserts: 0, updates: 0, ignored: rows.length, skipped: 0, errors: 0 },
              done: !fake.options.importNeverDone,
              counts: { pending: 0, inserted: 0, updated: 0, ignored: rows.length, rejected: 0, skipped: 0, error: 0 },
              rows: rows.map((r, row) => ({ row, state: 'ignored', comment: 'Deploy probe row', device_id: r.device_id ?? '', serial_number: '' })),
              truncated: false,
            } as T
          }
          if (path === statusPath && fake.options.statusReply) return fake.options.statusReply() as T
          if (path !== verifyPath || fake.options.verifyStatus === undefined) throw snError('server', 501, 'GET', path, 'not emulated')
          const status = fake.options.verifyStatus
          return {
            status,
            generated_at: '2026-11-29 08:00:00',
            app: { scope: APP.scope, version: '1.0.0' },
            subject: { service_account: 'kandji_rest_api_user', oauth_client: 'kandji_oauth_api' },
            summary: { pass: status === 'pass' ? 1 : 0, warn: status === 'warn' ? 1 : 0, fail: status === 'fail' ? 1 : 0 },
            checks: [{ id: 'discovery_source', status, title: 'Discovery source', detail: fake.options.verifyTexts?.detail ?? 'checked', ...(status === 'pass' ? {} : { fix: fake.options.verifyTexts?.fix ?? 'run repair' }) }],
          } as T
        },
        async post<T>(path: string): Promise<T> {
          fake.checkAuth(options, 'POST', path)
          if (path !== repairPath) throw snError('not_found', 404, 'POST', path, 'no such path')
          fake.rows(PLATFORM_TABLES.choice).push({ sys_id: id(), name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value: DISCOVERY_SOURCE.value, language: 'en', inactive: 'false' })
          fake.write('insert')
          return { changed: true, actions: [{ target: 'sys_choice', action: 'created', detail: 'Kandji' }] } as T
        },
      },
      app: {
        async uploadPackage(_zip, app) {
          fake.checkAuth(options, 'POST', '/sn_appclient_upload_processor.do')
          fake.rows(PLATFORM_TABLES.scope).splice(0)
          fake.rows(PLATFORM_TABLES.app).splice(0)
          fake.installApp(app.version)
          fake.write('insert')
          return { trackerId: 'trk1', rollbackContext: 'rb1', upgradeHistoryBefore: [] }
        },
        async installFromRepo(app) {
          fake.installApp(app.version ?? '1.0.0')
          fake.write('insert')
          return { progressId: 'p1' }
        },
        async uninstall() {
          fake.rows(PLATFORM_TABLES.scope).splice(0)
          fake.rows(PLATFORM_TABLES.app).splice(0)
          fake.write('delete')
          return { progressId: 'p2' }
        },
        async getProgress(progressId) {
          return { id: progressId, status: 'successful', statusCode: '2', statusLabel: 'Successful', statusMessage: '', statusDetail: '', percentComplete: 100, error: '' }
        },
        async waitForProgress(progressId, o) {
          const p = { id: progressId, status: 'successful' as const, statusCode: '2', statusLabel: 'Successful', statusMessage: 'done', statusDetail: '', percentComplete: 100, error: '', rollbackVersion: '0.9.0' }
          o?.onProgress?.(p)
          return p
        },
        async findRunningInstall() {
          return undefined
        },
        async waitForUpgradeHistory() {},
        async uiSecurityModel() {
          return 'user-token' as const
        },
        async waitForUninstall(progressId, _app, o) {
          fake.checkAuth(options, 'GET', `/api/now/table/${PLATFORM_TABLES.mutex}`)
          const p = { id: progressId, status: 'successful' as const, statusCode: '2', statusLabel: 'Successful', statusMessage: 'Deleted application and metadata', statusDetail: '', percentComplete: 100, error: '' }
          o?.onProgress?.(p)
          return { progress: p, warnings: [] }
        },
      },
      async request() {
        throw new Error('fake instance: raw requests are not used by the CLI')
      },
    }
  }

  deps(packageVersion = '1.0.0', packagePath = '/tmp/kandji.zip'): Deps {
    return {
      createClient: (options) => this.client(options),
      findBuiltPackage: async () => ({ zip: packagePath }),
      readAppPackage: async () => ({ scope: APP.scope, scopeId: APP.scopeId, name: APP.name, version: packageVersion }),
      sleep: async (ms) => {
        this.slept += ms
      },
    }
  }
}
