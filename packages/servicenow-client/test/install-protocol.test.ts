// The install protocol as instances answer it (audit items 9-18): null progress fields, running installs, the
// tracker-less upload, uninstall completion and the Update-Mutex, CI/CD refusal bodies, Link headers with commas,
// and the 400 "Invalid table".
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { harness, json, rejection, snError, startFake, type Fake, type Seen } from './fake-instance.ts'

let fake: Fake
beforeEach(async () => {
  fake = await startFake()
})
afterEach(() => fake.close())

const SCOPE = 'x_kandj_kandji'
const SCOPE_ID = '6b0f1ad4c3f24e9a8a1d2f3b4c5d6e7f'

function progress(status: unknown, extra: Record<string, unknown> = {}) {
  return { result: { links: { progress: { id: 'p1', url: 'x' } }, status, status_label: 'L', status_message: 'M', status_detail: '', error: '', percent_complete: 50, ...extra } }
}

describe('progress answers whose fields are null', () => {
  it.each([
    ['a first install (rollback_version null)', { rollback_version: null }],
    ['every text field null', { status_label: null, status_message: null, status_detail: null, error: null, rollback_version: null }],
    ['percent_complete null, links null', { percent_complete: null, links: null }],
  ])('%s is read, with empty texts and 0 %%', async (_name, extra) => {
    fake.handle((_req, res) => json(res, 200, progress('1', extra)))
    const p = await harness(fake).client.app.getProgress('p1')
    expect(p.status).toBe('running')
    expect(p.rollbackVersion).toBeUndefined()
    if ('status_message' in extra) expect([p.statusLabel, p.statusMessage, p.statusDetail, p.error]).toEqual(['', '', '', ''])
    if ('percent_complete' in extra) expect(p.percentComplete).toBe(0)
  })

  it('a null status is still pending', async () => {
    fake.handle((_req, res) => json(res, 200, progress(null)))
    expect((await harness(fake).client.app.getProgress('p1')).status).toBe('pending')
  })

  it('installFromRepo on a first install (rollback_version null) returns the progress id alone', async () => {
    fake.handle((_req, res) => json(res, 200, progress('0', { rollback_version: null, percent_complete: 0 })))
    expect(await harness(fake).client.app.installFromRepo({ scope: SCOPE })).toEqual({ progressId: 'p1' })
  })

  it.each([
    [{ percent_complete: 'half' }, 'result.percent_complete'],
    [{ rollback_version: 7 }, 'result.rollback_version'],
    [{ links: { progress: { id: 5 } } }, 'result.links.progress.id'],
  ])('a malformed field (%j) names it', async (extra, field) => {
    fake.handle((_req, res) => json(res, 200, progress('1', extra)))
    const error = await rejection(harness(fake).client.app.getProgress('p1'))
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain(field)
  })
})

describe('CI/CD refusals', () => {
  it('the reason in result.error / result.status_message reaches the message (sncicd-install-app)', async () => {
    fake.handle((_req, res) => json(res, 404, { result: { status: '3', status_label: 'Failed', status_message: 'Application not found', error: 'No version 9.9.9 of x_kandj_kandji has been published' } }))
    const error = await rejection(harness(fake).client.app.installFromRepo({ scope: SCOPE, version: '9.9.9' }))
    expect(error).toMatchObject({ kind: 'not_found', status: 404, snMessage: 'No version 9.9.9 of x_kandj_kandji has been published', snDetail: 'Application not found' })
    expect(error.message).toBe('POST /api/sn_cicd/app_repo/install failed: 404 No version 9.9.9 of x_kandj_kandji has been published: Application not found')
  })

  it('only status_message: that is the reason', async () => {
    fake.handle((_req, res) => json(res, 400, { result: { status_message: 'Either scope or sys_id is required', error: null } }))
    const error = await rejection(harness(fake).client.app.installFromRepo({ scope: SCOPE }))
    expect({ kind: error.kind, snMessage: error.snMessage, snDetail: error.snDetail }).toEqual({ kind: 'bad_request', snMessage: 'Either scope or sys_id is required', snDetail: undefined })
  })
})

describe('findRunningInstall', () => {
  it('asks sys_execution_tracker for a pending or running tracker of the app and returns its id', async () => {
    fake.handle((_req, res) => json(res, 200, { result: [{ sys_id: 'trk-9', name: `Install ${SCOPE} 1.2.0`, state: '1', source: SCOPE_ID }] }))
    expect(await harness(fake).client.app.findRunningInstall({ scope: SCOPE, scopeId: SCOPE_ID })).toBe('trk-9')
    const seen = fake.requests[0]!
    expect(seen.path).toBe('/api/now/table/sys_execution_tracker')
    expect(seen.query.get('sysparm_query')).toBe(`stateIN0,1^source=${SCOPE_ID}^ORnameLIKE${SCOPE}^ORDERBYDESCsys_created_on`)
  })

  it('rows that do not match (an instance that ignored a clause) are not taken: undefined', async () => {
    fake.handle((_req, res) => json(res, 200, { result: [{ sys_id: 'other', name: 'Plugin activation', state: '1', source: 'abc' }, { sys_id: 'done', name: `Install ${SCOPE}`, state: '2', source: SCOPE_ID }] }))
    expect(await harness(fake).client.app.findRunningInstall({ scope: SCOPE, scopeId: SCOPE_ID })).toBeUndefined()
  })

  it('refuses a missing scope before sending anything', async () => {
    await expect(harness(fake).client.app.findRunningInstall({ scope: '' })).rejects.toThrow('findRunningInstall needs app.scope')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('waitForUpgradeHistory (an upload answered without a tracker)', () => {
  it('polls until a finished row that was not there before the upload appears', async () => {
    const old = { sys_id: 'h-old', to_version: SCOPE, upgrade_finished: '2026-01-01 10:00:00' }
    const answers = [[old], [{ sys_id: 'h-new', to_version: SCOPE, upgrade_finished: '' }, old], [old, { sys_id: 'h-new', to_version: SCOPE, upgrade_finished: '2026-01-01 10:05:00' }]]
    fake.handle((_req, res) => json(res, 200, { result: answers.shift() ?? [] }))
    const { client, sleeps } = harness(fake)
    await client.app.waitForUpgradeHistory(SCOPE, ['h-old'], { intervalMs: 1000 })
    expect(fake.requests).toHaveLength(3)
    expect(sleeps).toEqual([1000, 1500])
    expect(fake.requests[0]!.query.get('sysparm_query')).toBe(`to_version=${SCOPE}^ORDERBYDESCupgrade_started`)
  })

  it('gives up at its timeout with a retryable timeout error naming sys_upgrade_history', async () => {
    fake.handle((_req, res) => json(res, 200, { result: [{ sys_id: 'h-old', to_version: SCOPE, upgrade_finished: 'x' }] }))
    const error = await rejection(harness(fake).client.app.waitForUpgradeHistory(SCOPE, ['h-old'], { intervalMs: 1000, timeoutMs: 3000 }))
    expect(error).toMatchObject({ kind: 'timeout', retryable: true })
    expect(error.message).toBe(`the upload was answered without an execution tracker, and no finished install of ${SCOPE} appeared in sys_upgrade_history within 3 s`)
  })
})

/** An instance during an uninstall: the progress answers in turn, the mutex reads in turn, then the scope. */
function uninstallInstance(opts: { progress: unknown[]; mutex: number[]; scope?: Record<string, string> }) {
  return (req: Seen, res: Parameters<typeof json>[0]) => {
    if (req.path === '/api/sn_cicd/progress/p1') return json(res, 200, opts.progress.length > 1 ? opts.progress.shift() : opts.progress[0])
    if (req.path === '/api/now/table/sys_mutex') {
      const held = opts.mutex.length > 1 ? opts.mutex.shift()! : (opts.mutex[0] ?? 0)
      return json(res, 200, { result: held ? [{ sys_id: 'm1' }] : [] }, { 'X-Total-Count': String(held) })
    }
    if (req.path === `/api/now/table/sys_scope/${SCOPE_ID}`) return opts.scope ? json(res, 200, { result: opts.scope }) : snError(res, 404, 'No Record found', null)
    snError(res, 404, 'not served', null)
  }
}

describe('waitForUninstall (sdk-api orchestrator/uninstaller.js)', () => {
  const app = { scope: SCOPE, scopeId: SCOPE_ID }

  it('status 2 below 100 % is not the end; then it waits for the Update-Mutex; the scope is gone: no warnings', async () => {
    fake.handle(uninstallInstance({ progress: [progress('2', { percent_complete: 90 }), progress('2', { percent_complete: 100, status_message: 'Deleted application and metadata' })], mutex: [1, 1, 0] }))
    const { client } = harness(fake)
    const result = await client.app.waitForUninstall('p1', app, { intervalMs: 1 })
    expect(result.warnings).toEqual([])
    expect(result.progress).toMatchObject({ status: 'successful', percentComplete: 100 })
    const paths = fake.requests.map((r) => r.path)
    expect(paths).toEqual(['/api/sn_cicd/progress/p1', '/api/sn_cicd/progress/p1', '/api/now/table/sys_mutex', '/api/now/table/sys_mutex', '/api/now/table/sys_mutex', `/api/now/table/sys_scope/${SCOPE_ID}`])
    expect(fake.requests[2]!.query.get('sysparm_query')).toBe('name=Update-Mutex^acquiredISNOTEMPTY')
  })

  it('status 3 "Failed to completely delete application" is finished with a warning', async () => {
    fake.handle(uninstallInstance({ progress: [progress('3', { status_message: `Failed to completely delete application ${SCOPE_ID}` })], mutex: [0] }))
    const result = await harness(fake).client.app.waitForUninstall('p1', app, { intervalMs: 1 })
    expect(result.warnings).toEqual([
      `the uninstall finished with "Failed to completely delete application ${SCOPE_ID}": the application and its metadata were deleted, some ACL-protected metadata may remain (delete it in the instance UI for a clean install)`,
    ])
  })

  it('"The store application was deactivated" with the scope left inactive: two warnings', async () => {
    fake.handle(uninstallInstance({ progress: [progress('2', { percent_complete: 100, status_message: 'The store application was deactivated' })], mutex: [0], scope: { sys_id: SCOPE_ID, active: 'false' } }))
    const result = await harness(fake).client.app.waitForUninstall('p1', app, { intervalMs: 1 })
    expect(result.warnings).toEqual([
      'The store application was deactivated',
      `the application record stays on the instance, inactive (sys_scope ${SCOPE_ID}): a Store app is deactivated rather than deleted; remove it in System Applications if it must go`,
    ])
  })

  it('any other failure throws install_failed; a scope still active after "success" too', async () => {
    fake.handle(uninstallInstance({ progress: [progress('3', { status_message: 'Uninstall aborted: dependency' })], mutex: [0] }))
    const failed = await rejection(harness(fake).client.app.waitForUninstall('p1', app, { intervalMs: 1 }))
    expect(failed.kind).toBe('install_failed')
    expect(failed.message).toBe('the uninstall (progress p1) failed: Uninstall aborted: dependency')
    fake.handle(uninstallInstance({ progress: [progress('2', { percent_complete: 100 })], mutex: [0], scope: { sys_id: SCOPE_ID, active: 'true' } }))
    const kept = await rejection(harness(fake).client.app.waitForUninstall('p1', app, { intervalMs: 1 }))
    expect(kept.kind).toBe('install_failed')
    expect(kept.message).toBe(`the uninstall (progress p1) finished, but the application ${SCOPE} (sys_scope ${SCOPE_ID}) is still there and active`)
  })

  it('a mutex never released is a retryable timeout after mutexTimeoutMs', async () => {
    fake.handle(uninstallInstance({ progress: [progress('2', { percent_complete: 100 })], mutex: [1] }))
    const error = await rejection(harness(fake).client.app.waitForUninstall('p1', app, { intervalMs: 1000, mutexTimeoutMs: 3000 }))
    expect(error).toMatchObject({ kind: 'timeout', retryable: true })
    expect(error.message).toBe("the uninstall finished, but the instance's Update-Mutex was not released within 3 s")
  })

  it('refuses a malformed scope id before sending anything', async () => {
    await expect(harness(fake).client.app.waitForUninstall('p1', { scope: SCOPE, scopeId: 'a b' })).rejects.toThrow('invalid scopeId "a b"')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('Table API answers', () => {
  it('follows rel="next" in a Link header whose URLs carry commas (sysparm_fields as an instance echoes it)', async () => {
    fake.handle((req, res) => {
      const offset = Number(req.query.get('sysparm_offset'))
      const url = (o: number) => `${fake.url}/api/now/table/sys_user?sysparm_fields=sys_id,name&sysparm_query=nameINa%2Cb%2Cc&sysparm_offset=${o}&sysparm_limit=2`
      const links = [`<${url(0)}>;rel="first"`, ...(offset === 0 ? [`<${url(2)}>;rel="next"`] : [`<${url(0)}>;rel="prev"`]), `<${url(2)}>;rel="last"`]
      const rows = offset === 0 ? [{ sys_id: '1', name: 'a' }, { sys_id: '2', name: 'b' }] : [{ sys_id: '3', name: 'c' }]
      return json(res, 200, { result: rows }, { Link: links.join(','), 'X-Total-Count': '3' })
    })
    const rows = await harness(fake).client.table.list('sys_user', { fields: ['sys_id', 'name'], pageSize: 2 })
    expect(rows.map((r) => r.sys_id)).toEqual(['1', '2', '3'])
  })

  it('a 400 "Invalid table" is a missing table (kind not_found), on list, count and get', async () => {
    fake.handle((_req, res) => snError(res, 400, 'Invalid table u_nope', null))
    const { client } = harness(fake)
    for (const call of [client.table.list('u_nope'), client.table.count('u_nope'), client.table.get('u_nope', 'abc')]) {
      const error = await rejection(call)
      expect({ kind: error.kind, status: error.status, snMessage: error.snMessage, hint: error.hint }).toEqual({
        kind: 'not_found',
        status: 400,
        snMessage: 'Invalid table u_nope',
        hint: 'the table u_nope does not exist on this instance: the plugin or app that defines it is not installed or not active',
      })
    }
  })

  it('another 400 stays a bad request', async () => {
    fake.handle((_req, res) => snError(res, 400, 'Invalid query', null))
    expect((await rejection(harness(fake).client.table.list('sys_user'))).kind).toBe('bad_request')
  })
})
