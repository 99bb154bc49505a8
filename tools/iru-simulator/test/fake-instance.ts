// A tiny scripted stand-in for a ServiceNow instance: just enough of /oauth_token.do, the Import Set API and the
// Kandji app's import status endpoint (GET …/import_sets/{sys_id}) to check the simulator's accounting. The real emulator lives in
// tools/instance-emulator; this fake has a fixed, readable transform so tests can predict every outcome.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { IMPORT_REJECTED_PREFIX, REST_API, type Handoff, type ImportStatus } from '@kandji-sn/contract'
import { DEVICE_STAGING_COLUMNS, APP_STAGING_COLUMNS } from '../src/staging-row.ts'

/** The credentials the fake accepts unless a test overrides one in FakeOptions. */
export const FAKE_CREDENTIALS = {
  client_id: 'client-id',
  client_secret: 'client-secret-value',
  username: 'kandji_rest_api_user',
  password: 'S3cret-Passw0rd!',
} as const

/** The hand-off file a deploy would have written for this fake: always FAKE_CREDENTIALS, whatever the fake accepts. */
export function fakeHandoff(fake: Pick<FakeInstance, 'url'>): Handoff {
  return { instance: fake.url, tenant: 'fake', ...FAKE_CREDENTIALS }
}

export interface FakeOptions {
  clientId?: string
  clientSecret?: string
  username?: string
  password?: string
  /** Import status GETs on an import set before its rows are transformed (async insertMultiple). Default 1. */
  pollsUntilTransformed?: number
  /** Never transform insertMultiple rows (a stuck scheduler). */
  neverTransform?: boolean
  /** Status for every import status GET (e.g. 403, 404). */
  statusReadStatus?: number
  /** The import status answer in a shape the app never writes. */
  statusMalformed?: boolean
  /** The transform run halts after this many rows of each set (error = true in onBefore on a real instance). */
  haltAfterRows?: number
  /** Number each set's rows from the end (no document promises sys_import_row follows the batch order). */
  reverseRowNumbers?: boolean
  /** insertMultiple call numbers (1-based) that fail with 500. */
  failInsertMultipleCalls?: number[]
  /** Status for every import POST (e.g. 403, 404). */
  importStatus?: number
}

export interface FakeInstance {
  url: string
  tokenRequests: Array<Record<string, string>>
  /** Keys of the first record of every insertMultiple body. */
  insertMultipleKeys: string[][]
  /** device_id of every record of every insertMultiple body, in order. */
  insertMultipleDeviceIds: string[][]
  insertMultipleCalls: number
  singleInserts: number
  statusReads: number
  close(): Promise<void>
}

interface StoredRow {
  sys_id: string
  sys_import_set: string
  sys_import_state: string
  sys_import_state_comment: string
  values: Record<string, string>
}

const labelToName = new Map<string, string>([...DEVICE_STAGING_COLUMNS, ...APP_STAGING_COLUMNS].map((c) => [c.label, c.name]))

export async function startFakeInstance(options: FakeOptions = {}): Promise<FakeInstance> {
  const creds = {
    client_id: options.clientId ?? FAKE_CREDENTIALS.client_id,
    client_secret: options.clientSecret ?? FAKE_CREDENTIALS.client_secret,
    username: options.username ?? FAKE_CREDENTIALS.username,
    password: options.password ?? FAKE_CREDENTIALS.password,
  }
  const rows: StoredRow[] = []
  const knownSerials = new Set<string>()
  const pollsLeft = new Map<string, number>()
  let counter = 0
  const nextId = (): string => (++counter).toString(16).padStart(32, 'a')
  const state: FakeInstance = {
    url: '',
    tokenRequests: [],
    insertMultipleKeys: [],
    insertMultipleDeviceIds: [],
    insertMultipleCalls: 0,
    singleInserts: 0,
    statusReads: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }

  /**
   * The fake transform: no serial -> rejected (ignored with the app's prefix); unparseable date -> error; known
   * serial -> updated; else inserted.
   */
  const transform = (values: Record<string, string>): { status: string; message: string } => {
    const serial = values.serial_number ?? ''
    if (serial === '') return { status: 'ignored', message: `${IMPORT_REJECTED_PREFIX}Serial number is empty: the row cannot be identified` }
    if (serial.length > 100) return { status: 'error', message: 'Serial number is longer than 100 characters' }
    for (const field of ['last_check_in', 'first_enrollment', 'last_enrollment']) {
      const v = values[field]
      if (v && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(v)) {
        return { status: 'error', message: `Invalid date in ${field}` }
      }
    }
    if (values.bundle_id !== undefined) return { status: 'inserted', message: '' }
    if (knownSerials.has(serial)) return { status: 'updated', message: '' }
    knownSerials.add(serial)
    return { status: 'inserted', message: '' }
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
  const snError = (res: ServerResponse, status: number, message: string, detail = ''): void =>
    send(res, status, { error: { message, detail }, status: 'failure' })

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => snError(res, 500, String(error)))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const body = await readBody(req)
    if (url.pathname === '/oauth_token.do' && req.method === 'POST') {
      const form = Object.fromEntries(new URLSearchParams(body))
      state.tokenRequests.push(form)
      const ok =
        form.grant_type === 'password' &&
        form.client_id === creds.client_id &&
        form.client_secret === creds.client_secret &&
        form.username === creds.username &&
        form.password === creds.password
      if (!ok) return send(res, 401, { error_description: 'access_denied', error: 'server_error' })
      return send(res, 200, { access_token: 'token-abc', refresh_token: 'refresh-abc', token_type: 'Bearer', expires_in: 1799, scope: 'useraccount' })
    }
    if (req.headers.authorization !== 'Bearer token-abc') return snError(res, 401, 'User Not Authenticated', 'Required to provide Auth information')

    const importMatch = /^\/api\/now\/import\/([a-z0-9_]+)(\/insertMultiple)?$/.exec(url.pathname)
    if (importMatch && req.method === 'POST') {
      const table = importMatch[1]!
      if (options.importStatus) return snError(res, options.importStatus, options.importStatus === 403 ? 'Operation Failed' : 'Invalid table', 'fake refusal')
      const payload = JSON.parse(body) as Record<string, unknown>
      if (importMatch[2]) {
        state.insertMultipleCalls++
        if (options.failInsertMultipleCalls?.includes(state.insertMultipleCalls)) return snError(res, 500, 'Internal server error', 'fake fault')
        const records = payload.records as Array<Record<string, string>>
        state.insertMultipleKeys.push(Object.keys(records[0] ?? {}))
        state.insertMultipleDeviceIds.push(records.map((r) => r.device_id ?? r['Device ID'] ?? ''))
        const importSet = nextId()
        for (const record of records) {
          const values = Object.fromEntries(Object.entries(record).map(([k, v]) => [labelToName.get(k) ?? k, v]))
          rows.push({ sys_id: nextId(), sys_import_set: importSet, sys_import_state: 'pending', sys_import_state_comment: '', values })
        }
        pollsLeft.set(importSet, options.pollsUntilTransformed ?? 1)
        return send(res, 201, { import_set_id: importSet, multi_import_set_id: nextId() })
      }
      state.singleInserts++
      const values = payload as Record<string, string>
      const outcome = transform(values)
      const importSet = `ISET${String(state.singleInserts).padStart(7, '0')}`
      return send(res, 201, {
        import_set: importSet,
        staging_table: table,
        result: [
          {
            transform_map: 'Kandji Device to CMDB',
            table: 'cmdb_ci_computer',
            status: outcome.status,
            sys_id: outcome.status === 'error' ? '' : nextId(),
            ...(outcome.status === 'error' ? { error_message: outcome.message } : { status_message: outcome.message || `IRE ${outcome.status} the CI` }),
          },
        ],
      })
    }

    const statusMatch = new RegExp(`^${REST_API.basePath}/import_sets/([0-9a-f]{32})$`).exec(url.pathname)
    if (statusMatch && req.method === 'GET') {
      state.statusReads++
      if (options.statusReadStatus) return snError(res, options.statusReadStatus, options.statusReadStatus === 403 ? 'User Not Authorized' : 'Not found', 'fake refusal')
      if (options.statusMalformed) return send(res, 200, { result: { done: 'yes' } })
      const importSet = statusMatch[1]!
      const setRows = rows.filter((r) => r.sys_import_set === importSet)
      const left = pollsLeft.get(importSet) ?? 0
      let done = false
      if (left > 0) pollsLeft.set(importSet, left - 1)
      else if (!options.neverTransform) {
        setRows.forEach((row, index) => {
          if (row.sys_import_state !== 'pending' || (options.haltAfterRows !== undefined && index >= options.haltAfterRows)) return
          const outcome = transform(row.values)
          row.sys_import_state = outcome.status
          row.sys_import_state_comment = outcome.message
        })
        done = true
      }
      const rejected = (r: StoredRow) => r.sys_import_state === 'ignored' && r.sys_import_state_comment.startsWith(IMPORT_REJECTED_PREFIX)
      const status: ImportStatus = {
        import_set: { sys_id: importSet, number: 'ISET0000001', table: 'x', state: done ? 'processed' : 'loaded', mode: 'asynchronous' },
        run: done ? { state: options.haltAfterRows === undefined ? 'complete' : 'complete_with_errors', total: setRows.length, inserts: 0, updates: 0, ignored: 0, skipped: 0, errors: 0 } : null,
        done,
        counts: { pending: 0, inserted: 0, updated: 0, ignored: 0, rejected: 0, skipped: 0, error: 0 },
        rows: setRows.map((r, index) => ({
          row: options.reverseRowNumbers ? setRows.length - 1 - index : index,
          state: (rejected(r) ? 'rejected' : r.sys_import_state) as ImportStatus['rows'][number]['state'],
          comment: r.sys_import_state_comment,
          device_id: r.values.device_id ?? '',
          serial_number: r.values.serial_number ?? '',
        })),
        truncated: false,
      }
      return send(res, 200, { result: status })
    }
    return snError(res, 400, `fake does not serve ${req.method} ${url.pathname}`)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
