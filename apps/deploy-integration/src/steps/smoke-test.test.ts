// The smoke test with hand-made clients: the grants, what it reports for each outcome, the bulk probe's waits and
// verdicts, and the clean-up of probe rows (its own, and those an interrupted run left) with what it may delete.
import { describe, expect, it } from 'vitest'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import { importStatusSchema } from '@kandji-sn/contract'
import { ServiceNowError, type ClientOptions, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import type { Deps } from '../deps.ts'
import { failure } from '../../test/support/cli-failure.ts'
import type { Output } from '../render/output.ts'
import { BULK_PROBE_WAIT_MS, smokeTest, type IntegrationCredentials, type SmokeContext } from './smoke-test.ts'

const STAGING = 'x_kandj_kandji_device_import'
const PROBE = 'kandji-deploy-probe'
const STATUS_PATH = '/api/x_kandj_kandji/integration/import_sets/bulk-set-1'
const creds: IntegrationCredentials = { clientId: 'cid', clientSecret: 'client-secret-value', userName: 'kandji.integration', password: 'pw-value' }

const snError = (kind: string, extra: Partial<ConstructorParameters<typeof ServiceNowError>[0]> = {}) =>
  new ServiceNowError({ kind, status: 400, method: 'POST', path: '/api/now/import/x/insertMultiple', message: 'm', hint: 'h', ...extra } as ConstructorParameters<typeof ServiceNowError>[0])

interface Scenario {
  tokens?: () => unknown
  refresh?: () => unknown
  tableRead?: () => unknown
  insert?: () => unknown
  insertMultiple?: () => unknown
  statuses?: unknown[]
  /** The admin's table.list answers, by table and query. */
  adminList?: (table: string, q: string) => TableRecord[]
}

const status = (done: boolean, rows: Array<{ state: string; comment?: string }>, run: { state: string } | null = null) => ({
  import_set: { sys_id: 'bulk-set-1', number: 'ISET0010002', table: STAGING, state: 'loaded', mode: 'asynchronous' },
  run: run ? { total: 1, inserts: 0, updates: 0, ignored: 0, skipped: 0, errors: 0, ...run } : null,
  done,
  counts: { pending: 0, inserted: 0, updated: 0, ignored: 0, rejected: 0, skipped: 0, error: 0 },
  rows: rows.map((r, i) => ({ row: i + 1, comment: '', device_id: PROBE, serial_number: '', ...r })),
  truncated: false,
})

function setUp(s: Scenario = {}, extra: Partial<SmokeContext> = {}) {
  const log: unknown[][] = []
  const clientOptions: ClientOptions[] = []
  const secrets: string[] = []
  const pauses: number[] = []
  const statuses = [...(s.statuses ?? [status(true, [{ state: 'ignored' }])])]
  const run = async (name: string, f: (() => unknown) | undefined, fallback: unknown, args: unknown[]) => {
    log.push([name, ...args])
    return f ? f() : fallback
  }
  const tokenClient = {
    oauth: {
      requestToken: async (body: { grant_type: string }) =>
        body.grant_type === 'password'
          ? run('password', s.tokens, { access_token: 'access-1', refresh_token: 'refresh-1', expires_in: 1799 }, [body])
          : run('refresh', s.refresh, { access_token: 'access-2', refresh_token: 'refresh-2', expires_in: 1799 }, [body]),
    },
  }
  const asAccount = {
    table: { list: async (...args: unknown[]) => run('read', s.tableRead, [], args) },
    importSet: {
      insert: async (...args: unknown[]) => run('insert', s.insert, { import_set: 'ISET0010001', staging_table: STAGING, result: [{ status: 'ignored' }] }, args),
      insertMultiple: async (...args: unknown[]) => run('insertMultiple', s.insertMultiple, [{ import_set_id: 'bulk-set-1' }], args),
    },
    rest: { get: async (path: string) => run('status', () => statuses.shift() ?? status(true, [{ state: 'ignored' }]), undefined, [path]) },
  }
  const admin = {
    table: {
      list: async (table: string, opts: { query: string; fields: string[]; limit?: number }) => {
        log.push(['admin.list', table, opts])
        return s.adminList ? s.adminList(table, opts.query) : []
      },
      delete: async (table: string, sysId: string) => void log.push(['admin.delete', table, sysId]),
    },
  } as unknown as ServiceNowClient
  const deps = {
    createClient: (options: ClientOptions) => {
      clientOptions.push(options)
      return (options.auth.type === 'none' ? tokenClient : asAccount) as unknown as ServiceNowClient
    },
  } as unknown as Deps
  const out = { addSecret: (s: string) => void secrets.push(s) } as unknown as Output
  const ctx: SmokeContext = { instance: 'https://x.service-now.com', admin, deps, out, sleep: async (ms) => void pauses.push(ms), ...extra }
  return { ctx, log, clientOptions, secrets, pauses }
}

const full = { webServiceOnly: false, stagingWrite: true }

describe('smokeTest: the grants and the read', () => {
  it('a full run: every check passes, with its detail, and every secret is registered before it could be printed', async () => {
    const { ctx, log, clientOptions, secrets } = setUp()
    const result = await smokeTest(ctx, creds, full)
    expect(result.checks).toEqual([
      { id: 'password_grant', status: 'pass', detail: 'token for kandji.integration (expires in 1799 s)' },
      { id: 'refresh_grant', status: 'pass', detail: 'a refresh token gives a new access token' },
      { id: 'table_read', status: 'pass', detail: 'kandji.integration can read cmdb_ci_computer' },
      { id: 'staging_write', status: 'pass', detail: `kandji.integration may write ${STAGING} (probe row ignored, then deleted)` },
      { id: 'bulk_import', status: 'pass', detail: `kandji.integration may bulk-load ${STAGING}: insertMultiple keyed by column name reached the transform, and the import status said so once the run was done (0 ms)` },
    ])
    expect(secrets).toEqual(['client-secret-value', 'pw-value', 'access-1', 'refresh-1', 'access-2'])
    expect(clientOptions).toEqual([
      { instance: 'https://x.service-now.com', auth: { type: 'none' } },
      { instance: 'https://x.service-now.com', auth: { type: 'bearer', token: 'access-2' } },
    ])
    expect(log.slice(0, 6)).toEqual([
      ['password', { grant_type: 'password', client_id: 'cid', client_secret: 'client-secret-value', username: 'kandji.integration', password: 'pw-value' }],
      ['refresh', { grant_type: 'refresh_token', client_id: 'cid', client_secret: 'client-secret-value', refresh_token: 'refresh-1' }],
      ['read', 'cmdb_ci_computer', { limit: 1, pageSize: 1, fields: ['sys_id'] }],
      ['insert', STAGING, { device_id: PROBE }],
      ['insertMultiple', STAGING, [{ device_id: PROBE }]],
      ['status', STATUS_PATH],
    ])
  })

  it('passes --timeout on and counts only the requests that were answered', async () => {
    const requests = { answered: 5 }
    const { ctx, clientOptions } = setUp({}, { timeoutMs: 4000, requests })
    await smokeTest(ctx, creds, full)
    expect(clientOptions.map((o) => [o.timeoutMs, typeof o.onRequest])).toEqual([
      [4000, 'function'],
      [4000, 'function'],
    ])
    const onRequest = clientOptions[0]?.onRequest as (e: { status: number | undefined }) => void
    onRequest({ status: 200 })
    onRequest({ status: undefined })
    onRequest({ status: 401 })
    expect(requests.answered).toBe(7)
  })

  it('a staging row the insert did not describe reads "accepted"', async () => {
    const { ctx } = setUp({ insert: () => ({ import_set: 'ISET1', result: [] }) })
    const result = await smokeTest(ctx, creds, full)
    expect(result.checks[3]?.detail).toBe(`kandji.integration may write ${STAGING} (probe row accepted, then deleted)`)
  })

  it('no refresh token: verification failed, with the lifespan as cause', async () => {
    const { ctx, log } = setUp({ tokens: () => ({ access_token: 'a', refresh_token: '', expires_in: 10 }) })
    const error = await failure(smokeTest(ctx, creds, full))
    expect([error.exitCode, error.message, error.causeText, error.fix]).toEqual([
      EXIT_CODES.verificationFailed,
      'the password grant returned no refresh token',
      "the OAuth client's refresh token lifespan is 0 or the grant was altered by a policy",
      're-run `deploy-integration deploy` to restore the client settings',
    ])
    expect(log.map((l) => l[0])).toEqual(['password'])
  })

  it('a refused refresh grant keeps the refusal\'s exit code and says which grant failed', async () => {
    const refusal = snError('auth', { status: 401, message: 'POST /oauth_token.do failed: 401' })
    const { ctx } = setUp({ refresh: () => Promise.reject(refusal) })
    const error = await failure(smokeTest(ctx, creds, full))
    expect(error.exitCode).toBe(EXIT_CODES.auth)
    expect(error.message.startsWith('the refresh grant failed for kandji.integration: ')).toBe(true)
    expect([error.causeText, error.fix, error.cause]).toEqual([
      'the refresh token lifespan is too short, or the client was changed between the two grants',
      're-run `deploy-integration deploy`; if it persists, `deploy-integration rotate`',
      refusal,
    ])
  })

  it.each([
    [
      true,
      'the instance refused the password grant for "kandji.integration" (Web service access only)',
      'ROPC requires "an interactive session" (ServiceNow docs, OAuth API request parameters); some releases refuse it for web-service-only users. A wrong client secret or password gives the same opaque 401',
      "re-run `deploy-integration deploy --interactive-account` (clears Web service access only), or `deploy-integration rotate` if the credentials may be stale; the instance's System Log > All shows the exact reason",
    ],
    [
      false,
      'the instance refused the password grant for "kandji.integration"',
      'the client secret or the password no longer match what the instance holds, or the account is locked out',
      "run `deploy-integration rotate --credentials-out FILE` to issue new ones; the instance's System Log > All shows the exact reason",
    ],
  ])('a 401 password grant (web service only: %s) explains the likely cause', async (webServiceOnly, message, cause, fix) => {
    const refusal = snError('auth', { status: 401 })
    const { ctx } = setUp({ tokens: () => Promise.reject(refusal) })
    const error = await failure(smokeTest(ctx, creds, { ...full, webServiceOnly }))
    expect([error.exitCode, error.message, error.causeText, error.fix, error.cause]).toEqual([EXIT_CODES.auth, message, cause, fix, refusal])
  })

  it('a password grant failing otherwise is reported as the client\'s error, not as a refused grant', async () => {
    const { ctx } = setUp({ tokens: () => Promise.reject(snError('server', { status: 500 })) })
    const error = await failure(smokeTest(ctx, creds, { ...full, webServiceOnly: true }))
    expect(error.exitCode).toBe(EXIT_CODES.instance)
    expect(error.message.includes('refused the password grant')).toBe(false)
    const plain = setUp({ tokens: () => Promise.reject(new Error('boom')) })
    expect((await failure(smokeTest(plain.ctx, creds, full))).message).toBe('unexpected failure: boom')
  })

  it('a refused table read names the service account', async () => {
    const { ctx } = setUp({ tableRead: () => Promise.reject(snError('permission', { status: 403, method: 'GET', path: '/api/now/table/cmdb_ci_computer' })) })
    const error = await failure(smokeTest(ctx, creds, full))
    expect(error.exitCode).toBe(EXIT_CODES.auth)
    expect(error.message.includes('kandji.integration')).toBe(true)
  })

  it('a refused staging write names the service account and probes nothing else', async () => {
    const { ctx, log } = setUp({ insert: () => Promise.reject(snError('permission', { status: 403 })) })
    const error = await failure(smokeTest(ctx, creds, full))
    expect(error.message.includes('kandji.integration')).toBe(true)
    expect(log.map((l) => l[0])).toEqual(['password', 'refresh', 'read', 'insert'])
  })
})

describe('smokeTest: when nothing is written', () => {
  it("another build's app: the write and the bulk probe are skipped, the staging table untouched", async () => {
    const { ctx, log } = setUp()
    const result = await smokeTest(ctx, creds, { ...full, ourApp: false })
    expect(result.checks.slice(3)).toEqual([
      { id: 'staging_write', status: 'skipped', detail: "not probed: the installed app is not this project's build; a probe row in its staging table would run its transform" },
      { id: 'bulk_import', status: 'skipped', detail: 'not probed: the installed app has no import status endpoint to follow a bulk push with' },
    ])
    expect(log.map((l) => l[0])).toEqual(['password', 'refresh', 'read'])
  })

  it.each([
    [0, ''],
    [1, '; removed 1 probe row an interrupted run left'],
    [2, '; removed 2 probe rows an interrupted run left'],
  ])('nothing changed, %i left-over probe rows: removed, and said so', async (n, said) => {
    const left = Array.from({ length: n }, (_, i) => ({ sys_id: `old-${i}`, device_id: PROBE }))
    const { ctx, log } = setUp({ adminList: (table, q) => (q === `device_id=${PROBE}` ? left : []) })
    const result = await smokeTest(ctx, creds, { ...full, stagingWrite: false })
    expect(result.checks.slice(3)).toEqual([
      { id: 'staging_write', status: 'skipped', detail: `nothing changed; run \`verify --as-service-account\` to repeat the write proof${said}` },
      { id: 'bulk_import', status: 'skipped', detail: 'nothing changed; `verify --as-service-account` repeats it' },
    ])
    expect(log.filter((l) => String(l[0]).startsWith('admin.'))).toEqual([
      ['admin.list', STAGING, { query: `device_id=${PROBE}`, fields: ['sys_id', 'sys_import_set', 'device_id'] }],
      ...left.map((r) => ['admin.delete', STAGING, r.sys_id]),
    ])
  })
})

describe('smokeTest: the bulk probe', () => {
  const bulk = async (s: Scenario) => {
    const set = setUp(s)
    const result = await smokeTest(set.ctx, creds, full)
    return { check: result.checks[4], ...set }
  }

  it('insertMultiple absent (the plugin is off): a warning with the status and the plugin to activate', async () => {
    const missing = snError('bad_request', { status: 400, snMessage: 'Requested URI does not represent any resource' })
    const { check, log } = await bulk({ insertMultiple: () => Promise.reject(missing) })
    expect(check).toEqual({
      id: 'bulk_import',
      status: 'warn',
      detail:
        "insertMultiple is not available on this instance (400); Iru Endpoint's bulk pushes will be refused. Activate the Insert Multiple Web Service plugin (com.glide.web_service_insert_multiple), then run `verify --as-service-account`",
    })
    expect(log.some((l) => l[0] === 'status')).toBe(false)
    const inMessage = await bulk({ insertMultiple: () => Promise.reject(snError('bad_request', { status: undefined, message: 'POST x: requested uri DOES NOT REPRESENT ANY RESOURCE' })) })
    expect(inMessage.check?.detail.startsWith('insertMultiple is not available on this instance (400);')).toBe(true)
  })

  it('any other refusal of insertMultiple fails the run, naming the service account', async () => {
    for (const refusal of [snError('bad_request', { snMessage: 'Invalid field' }), snError('permission', { status: 403, snMessage: 'does not represent any resource' })]) {
      const set = setUp({ insertMultiple: () => Promise.reject(refusal) })
      const error = await failure(smokeTest(set.ctx, creds, full))
      expect(error.cause).toBe(refusal)
      expect(error.message.includes('kandji.integration')).toBe(true)
    }
  })

  it('an answer without import_set_id: a warning, and no status read', async () => {
    const { check, log } = await bulk({ insertMultiple: () => [{}] })
    expect(check).toEqual({ id: 'bulk_import', status: 'warn', detail: 'insertMultiple answered without an import_set_id, so its outcome cannot be followed' })
    expect(log.some((l) => l[0] === 'status')).toBe(false)
    expect((await bulk({ insertMultiple: () => [] })).check?.status).toBe('warn')
  })

  it('waits 100, 200, 400 … ms (at most 2 s apart) until the run is done, and reports the time waited', async () => {
    const pending = status(false, [], { state: 'running' })
    const { check, pauses } = await bulk({ statuses: [pending, pending, pending, pending, pending, pending, status(true, [{ state: 'ignored' }])] })
    expect(pauses).toEqual([100, 200, 400, 800, 1600, 2000])
    expect(check?.detail.endsWith('once the run was done (5100 ms)')).toBe(true)
  })

  it(`gives up with a warning once ${BULK_PROBE_WAIT_MS} ms were waited, naming the run's state`, async () => {
    const forever = Array.from({ length: 40 }, () => status(false, [], { state: 'running' }))
    const { check, pauses } = await bulk({ statuses: forever })
    expect(pauses.reduce((a, b) => a + b, 0)).toBe(31_100)
    expect(pauses.slice(-2)).toEqual([2000, 2000])
    expect(check).toEqual({
      id: 'bulk_import',
      status: 'warn',
      detail: "the bulk probe was not transformed within 30 s (run running); the instance's import processing is slow or stopped. Check System Import Sets > Import Set Runs",
    })
    const notStarted = await bulk({ statuses: Array.from({ length: 40 }, () => status(false, [])) })
    expect(notStarted.check?.detail.startsWith('the bulk probe was not transformed within 30 s (run not started);')).toBe(true)
  })

  it.each([
    [[{ state: 'error', comment: 'no such column' }], 'the bulk probe row ended "error": no such column instead of being recognised and ignored'],
    [[{ state: 'inserted' }], 'the bulk probe row ended "inserted" instead of being recognised and ignored'],
    [[], 'the bulk probe row ended missing instead of being recognised and ignored'],
  ])('a row not ignored fails verification: %j', async (rows, message) => {
    const set = setUp({ statuses: [status(true, rows)] })
    const error = await failure(smokeTest(set.ctx, creds, full))
    expect([error.exitCode, error.message, error.causeText, error.fix]).toEqual([
      EXIT_CODES.verificationFailed,
      message,
      "insertMultiple did not map the probe's keys (column names) to the staging columns: the app's Rest Insert Multiples records are missing or changed",
      're-run `deploy-integration deploy` to reinstall the app; `verify` shows the insert_multiple check',
    ])
    // The probes are cleaned up although the check failed.
    expect(set.log.some((l) => l[0] === 'admin.list')).toBe(true)
  })

  it('an import status that is not the app\'s: an instance error pointing at the app version', async () => {
    const set = setUp({ statuses: [{ done: true }] })
    const error = await failure(smokeTest(set.ctx, creds, full))
    expect(error.exitCode).toBe(EXIT_CODES.instance)
    const first = importStatusSchema.safeParse({ done: true }).error?.issues[0]?.message
    expect(error.message).toBe(`the import status of the bulk probe is not what the Kandji app answers (${first})`)
    expect([error.causeText, error.fix]).toEqual(['the installed app is older than 1.2.0 or was changed', 're-run `deploy-integration deploy` to install the app from this release'])
  })

  it('a refused status read names the service account', async () => {
    const set = setUp({ statuses: [] })
    ;(set.ctx.deps.createClient({ instance: '', auth: { type: 'bearer', token: 't' } }) as unknown as { rest: { get: () => Promise<never> } }).rest.get = () => Promise.reject(snError('permission', { status: 403, method: 'GET', path: STATUS_PATH }))
    const error = await failure(smokeTest(set.ctx, creds, full))
    expect(error.exitCode).toBe(EXIT_CODES.auth)
    expect(error.message.includes('kandji.integration')).toBe(true)
  })
})

describe('smokeTest: removing the probes', () => {
  const run = async (adminList: Scenario['adminList'], s: Scenario = {}) => {
    const set = setUp({ ...s, adminList })
    await smokeTest(set.ctx, creds, full).catch(() => undefined)
    return set.log.filter((l) => String(l[0]).startsWith('admin.'))
  }

  it('deletes its one-row set only when it holds nothing else, the bulk set with its row, each set checked then deleted, sets before rows', async () => {
    const calls = await run((table, q) => {
      if (q === `device_id=${PROBE}`) return [{ sys_id: 'row-1', sys_import_set: 'set-a', device_id: PROBE }]
      if (table === 'sys_import_set' && q === 'number=ISET0010001') return [{ sys_id: 'set-a', number: 'ISET0010001' }]
      if (q === 'sys_import_set=bulk-set-1') return [{ sys_id: 'row-b', sys_import_set: 'bulk-set-1' }]
      if (q === 'sys_import_set=set-a') return [{ sys_id: 'row-1', sys_import_set: 'set-a' }]
      return []
    })
    expect(calls).toEqual([
      ['admin.list', STAGING, { query: `device_id=${PROBE}`, fields: ['sys_id', 'sys_import_set', 'device_id'] }],
      ['admin.list', STAGING, { query: 'sys_import_set=bulk-set-1', fields: ['sys_id', 'sys_import_set'], limit: 2 }],
      ['admin.list', 'sys_import_set', { query: 'number=ISET0010001', fields: ['sys_id', 'number'] }],
      ['admin.list', STAGING, { query: 'sys_import_set=set-a', fields: ['sys_id', 'sys_import_set'], limit: 2 }],
      ['admin.delete', 'sys_import_set', 'set-a'],
      ['admin.list', STAGING, { query: 'sys_import_set=bulk-set-1', fields: ['sys_id', 'sys_import_set'], limit: 2 }],
      ['admin.delete', 'sys_import_set', 'bulk-set-1'],
      ['admin.delete', STAGING, 'row-1'],
      ['admin.delete', STAGING, 'row-b'],
    ])
  })

  it('a shared set (the day\'s synchronous set with other rows) stays; only the probe row goes', async () => {
    const calls = await run((table, q) => {
      if (q === `device_id=${PROBE}`) return [{ sys_id: 'row-1', sys_import_set: 'set-a', device_id: PROBE }]
      if (table === 'sys_import_set') return [{ sys_id: 'set-a', number: 'ISET0010001' }]
      if (q === 'sys_import_set=set-a') return [{ sys_id: 'row-1', sys_import_set: 'set-a' }, { sys_id: 'iru-row', sys_import_set: 'set-a' }]
      return []
    })
    expect(calls.filter((c) => c[0] === 'admin.delete')).toEqual([['admin.delete', STAGING, 'row-1']])
  })

  it('a staging table that ignores the probe query (every row listed): only rows carrying the probe value are touched', async () => {
    const everything: TableRecord[] = [
      { sys_id: 'row-1', sys_import_set: 'set-a', device_id: PROBE },
      { sys_id: 'iru-1', sys_import_set: 'set-a', device_id: 'C02XYZ' },
      { sys_id: 'iru-2', sys_import_set: 'set-b' },
      { sys_import_set: 'set-c', device_id: PROBE },
    ]
    const calls = await run((table) => (table === STAGING ? everything : [{ sys_id: 'set-z', number: 'ISET-other' }]))
    // set-a's member list (the whole table) holds rows that are not ours, so no set is deleted; nor is set-z, whose number is not ours.
    expect(calls.filter((c) => c[0] === 'admin.delete')).toEqual([['admin.delete', STAGING, 'row-1']])
    expect(calls.find((c) => (c[2] as { query: string }).query === 'sys_import_set=set-a')).toEqual(['admin.list', STAGING, { query: 'sys_import_set=set-a', fields: ['sys_id', 'sys_import_set'], limit: 2 }])
  })

  it('of the import sets the probe\'s number names, only the one with that number (and a sys_id) is checked and deleted', async () => {
    const calls = await run((table, q) => {
      if (table === 'sys_import_set') return [{ sys_id: 'set-x', number: 'ISET-other' }, { number: 'ISET0010001' }, { sys_id: 'set-a', number: 'ISET0010001' }] as TableRecord[]
      if (q === 'sys_import_set=set-a') return []
      return []
    }, { insertMultiple: () => [{}] })
    expect(calls).toEqual([
      ['admin.list', STAGING, { query: `device_id=${PROBE}`, fields: ['sys_id', 'sys_import_set', 'device_id'] }],
      ['admin.list', 'sys_import_set', { query: 'number=ISET0010001', fields: ['sys_id', 'number'] }],
      ['admin.list', STAGING, { query: 'sys_import_set=set-a', fields: ['sys_id', 'sys_import_set'], limit: 1 }],
      ['admin.delete', 'sys_import_set', 'set-a'],
    ])
  })

  it('a member list holding a row of another set (an ignored query) keeps the set', async () => {
    const calls = await run((table, q) => {
      if (q === `device_id=${PROBE}`) return [{ sys_id: 'row-1', sys_import_set: 'set-a', device_id: PROBE }]
      if (q === 'sys_import_set=set-a') return [{ sys_id: 'row-1', sys_import_set: 'set-b' }]
      return []
    }, { insertMultiple: () => [{}] })
    expect(calls.filter((c) => c[0] === 'admin.delete')).toEqual([['admin.delete', STAGING, 'row-1']])
  })

  it('a bulk set holding two rows is not ours: neither it nor its rows are deleted', async () => {
    const calls = await run((_, q) =>
      q === 'sys_import_set=bulk-set-1' ? [{ sys_id: 'b1', sys_import_set: 'bulk-set-1' }, { sys_id: 'b2', sys_import_set: 'bulk-set-1' }] : [],
    )
    expect(calls.filter((c) => c[0] === 'admin.delete')).toEqual([])
  })

  it('a bulk set listed with rows of another set (an ignored query) is not trusted', async () => {
    const calls = await run((_, q) => (q === 'sys_import_set=bulk-set-1' ? [{ sys_id: 'x1', sys_import_set: 'other' }] : []))
    expect(calls.filter((c) => c[0] === 'admin.delete')).toEqual([])
  })

  it('the bulk row already found as a probe row is counted once', async () => {
    const calls = await run((_, q) => {
      if (q === `device_id=${PROBE}`) return [{ sys_id: 'row-b', sys_import_set: 'bulk-set-1', device_id: PROBE }]
      if (q === 'sys_import_set=bulk-set-1') return [{ sys_id: 'row-b', sys_import_set: 'bulk-set-1' }]
      return []
    })
    expect(calls.filter((c) => c[0] === 'admin.delete')).toEqual([
      ['admin.delete', 'sys_import_set', 'bulk-set-1'],
      ['admin.delete', STAGING, 'row-b'],
    ])
  })

  it('without a bulk set id no set lookup is made for it; an unnamed one-row set is not looked up', async () => {
    const calls = await run(() => [], { insertMultiple: () => [{}], insert: () => ({ result: [{ status: 'ignored' }] }) })
    expect(calls).toEqual([['admin.list', STAGING, { query: `device_id=${PROBE}`, fields: ['sys_id', 'sys_import_set', 'device_id'] }]])
  })
})
