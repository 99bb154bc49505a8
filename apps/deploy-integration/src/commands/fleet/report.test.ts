import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fleetReportSchema, type FleetInstanceReport } from '@kandji-sn/contract'
import { thrownBy as failure } from '../../../test/support/cli-failure.ts'
import { mergeStates, readShardStates } from './merge.ts'
import { fleetProgress } from './progress.ts'
import { instanceRecord, unfinishedRecord } from './record.ts'
import { buildReport, markdownReport, type ReportMeta } from './report.ts'
import { readState, resumeFrom, writeState } from './state.ts'

const meta: ReportMeta = { command: 'deploy', fleetHash: 'f'.repeat(64), fleetSize: 3, appVersion: '1.2.3', shards: [], startedAt: '2026-01-01T00:00:00.000Z' }

function outcome(instance: string, exitCode: 0 | 1 | 3 | 4 | 5, result: Record<string, unknown> | undefined, ms = 1000) {
  return instanceRecord({ instance, tenant: new URL(instance).hostname.split('.')[0]!, command: 'deploy', exitCode, result, start: 0, end: ms, log: null, handoff: null })
}

const ok = outcome('https://acme.service-now.com', 0, { changes: 2, verification: { checks: [{ id: 'app_installed', status: 'pass', fix: '' }] }, credentials: { password: 'Sup3r-Secret-Value-123' } }, 3000)
const auth = outcome('https://globex.service-now.com', 3, { error: 'the instance refused the admin sign-in (401)', cause: 'wrong password', fix: 'set GLOBEX_PASSWORD' }, 500)
const drift = outcome('https://initech.service-now.com', 1, { verification: { checks: [{ id: 'oauth_client', status: 'fail', fix: 'run fleet deploy' }] }, drift: [{ kind: 'client-inactive', detail: 'inactive' }, { nope: 1 }, { kind: 'client_changed', detail: 'an unknown kind' }] }, 2000)


describe('instance records', () => {
  it('copies the named fields only: never credentials', () => {
    expect(ok).toEqual({
      instance: 'https://acme.service-now.com',
      tenant: 'acme',
      command: 'deploy',
      status: 'ok',
      exitCode: 0,
      changes: 2,
      checks: [{ id: 'app_installed', status: 'pass' }],
      drift: [],
      timing: { start: '1970-01-01T00:00:00.000Z', end: '1970-01-01T00:00:03.000Z', ms: 3000 },
      error: null,
      log: null,
      handoff: null,
      carriedOver: false,
    })
    expect(JSON.stringify(ok)).not.toContain('Sup3r-Secret-Value-123')
  })

  it('takes the error with cause and fix from a failed run, and names the failing checks of a failed verification', () => {
    expect(auth.error).toEqual({ message: 'the instance refused the admin sign-in (401)', cause: 'wrong password', fix: 'set GLOBEX_PASSWORD' })
    expect(drift.error).toEqual({ message: 'verification failed: oauth_client', cause: 'the instance does not match the desired state in these checks', fix: 'run fleet deploy' })
    expect(drift.drift).toEqual([{ kind: 'client-inactive', detail: 'inactive' }])
  })

  it('records exit 5 (changes pending, drift) as drifted, with its drift and no error', () => {
    const drifted = outcome('https://umbrella.service-now.com', 5, { drift: [{ kind: 'role-added', detail: 'the account has admin' }], verification: { checks: [{ id: 'oauth_client', status: 'pass' }] } })
    expect([drifted.status, drifted.exitCode, drifted.error, drifted.drift]).toEqual(['drifted', 5, null, [{ kind: 'role-added', detail: 'the account has admin' }]])
    expect(buildReport(meta, [ok, drifted, auth], 3).totals).toEqual({ instances: 3, ok: 1, drifted: 1, failed: 1, interrupted: 0, pending: 0 })
  })

  it.each([
    ['no result at all', undefined],
    ['a changes count that is not a whole number', { changes: 'two' }],
    ['checks that are not a list', { verification: { checks: 'all' } }],
    ['a check with an unknown id', { verification: { checks: [{ id: 'nope', status: 'pass' }] } }],
    ['drift that is not a list', { drift: 'yes' }],
  ])('keeps a valid record from a malformed result: %s', (_, result) => {
    const rec = outcome('https://acme.service-now.com', 4, result as Record<string, unknown> | undefined)
    expect(fleetReportSchema.shape.instances.element.safeParse(rec).success).toBe(true)
    expect(rec.status).toBe('failed')
    expect(rec.changes).toBeNull()
    expect(rec.checks).toEqual([])
  })
})

describe('Markdown report', () => {
  it('has a row per instance with status, changes, failing checks, drift and fix; totals; the slowest', () => {
    const md = markdownReport(buildReport(meta, [ok, auth, drift, unfinishedRecord('https://hooli.service-now.com', 'hooli', 'deploy', 'pending')], 4))
    expect(md.split('\n')).toEqual([
      '## deploy-integration fleet deploy: exit 4',
      '',
      `**4 instances**: 1 ok, 0 drifted, 2 failed, 0 interrupted, 1 not run · app 1.2.3 · fleet file ${'f'.repeat(12)} (3 instances in all)`,
      '',
      '| Instance | Status | Changes | Failing checks | Drift | Error | Fix |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| https://acme.service-now.com | ok | 2 | – | – | – | – |',
      '| https://globex.service-now.com | failed (exit 3) | – | – | – | the instance refused the admin sign-in (401) | set GLOBEX_PASSWORD |',
      '| https://initech.service-now.com | failed (exit 1) | – | oauth_client | client-inactive | verification failed: oauth_client | run fleet deploy |',
      '| https://hooli.service-now.com | not run | – | – | – | – | – |',
      '',
      '### Slowest 3 instances',
      '',
      '| Instance | Time |',
      '| --- | --- |',
      '| https://acme.service-now.com | 3.0 s |',
      '| https://initech.service-now.com | 2.0 s |',
      '| https://globex.service-now.com | 0.5 s |',
      '',
    ])
  })

  it('keeps a "|" or a line break in a message inside its cell', () => {
    const odd = outcome('https://acme.service-now.com', 4, { error: 'a | b\nc', cause: '', fix: 'x' })
    expect(markdownReport(buildReport(meta, [odd], 4))).toContain('| a \\| b c | x |')
  })
})

describe('state and resume', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'fleet-state-'))

  it('writes state.json with mode 0600 and reads it back', async () => {
    const d = dir()
    const report = buildReport(meta, [ok, auth], 3)
    await writeState(d, report)
    expect(statSync(join(d, 'state.json')).mode & 0o777).toBe(0o600)
    expect(await readState(join(d, 'state.json'))).toEqual(report)
  })

  it.each([
    ['not JSON', '{"schema":', /is not JSON/],
    ['another shape', '{"instances": []}', /is not a fleet report: schema: /],
  ])('refuses a state file that is %s', async (_, text, message) => {
    const d = dir()
    writeFileSync(join(d, 'state.json'), text)
    await expect(readState(join(d, 'state.json'))).rejects.toThrow(message)
  })

  it('carries over only the instances that ended ok, for the same command, fleet file and app version', () => {
    const previous = buildReport(meta, [ok, auth, drift, unfinishedRecord('https://hooli.service-now.com', 'hooli', 'deploy', 'interrupted')], 4)
    const same = resumeFrom(previous, { command: 'deploy', fleetHash: meta.fleetHash, appVersion: '1.2.3' }, 'out/state.json')
    expect([...same.carried.keys()]).toEqual(['https://acme.service-now.com'])
    expect(same.carried.get('https://acme.service-now.com')!.carriedOver).toBe(true)
    expect(same.notices).toEqual(['--resume: 1 instance ended ok in out/state.json and is skipped; 3 failed or unfinished run again'])
  })

  it.each([
    ['fleet file', { command: 'deploy', fleetHash: 'e'.repeat(64), appVersion: '1.2.3' }, `the fleet file (sha256 ${'f'.repeat(12)} then, ${'e'.repeat(12)} now)`],
    ['app version', { command: 'deploy', fleetHash: 'f'.repeat(64), appVersion: '1.3.0' }, 'the app version (1.2.3 then, 1.3.0 now)'],
    ['command', { command: 'verify', fleetHash: 'f'.repeat(64), appVersion: '1.2.3' }, 'the command (deploy then, verify now)'],
  ] as const)('says so and runs everything when the %s changed', (_, current, said) => {
    const choice = resumeFrom(buildReport(meta, [ok], 0), current, 'out/state.json')
    expect(choice.carried.size).toBe(0)
    expect(choice.notices).toEqual([`--resume: ${said} changed since out/state.json was written; every instance runs again`])
  })
})

describe('fleet merge', () => {
  const shardDir = async (instances: FleetInstanceReport[], patch: Partial<ReportMeta> = {}) => {
    const d = mkdtempSync(join(tmpdir(), 'fleet-shard-'))
    await writeState(d, buildReport({ ...meta, ...patch }, instances, 0))
    return d
  }

  it('combines the shards into one list and lists the shards', async () => {
    const dirs = [await shardDir([ok], { shards: [{ index: 1, total: 2 }] }), await shardDir([auth, drift], { shards: [{ index: 2, total: 2 }] })]
    const merged = mergeStates(await readShardStates(dirs))
    expect(merged.instances.map((i) => i.instance)).toEqual([ok.instance, auth.instance, drift.instance])
    expect(merged.meta.shards).toEqual([{ index: 1, total: 2 }, { index: 2, total: 2 }])
    expect(merged.notices).toEqual([])
  })

  it('says which shard is missing', async () => {
    const merged = mergeStates(await readShardStates([await shardDir([ok], { shards: [{ index: 1, total: 3 }] })]))
    expect(merged.notices).toEqual(['shards 2/3, 3/3 missing: the report covers 1 of 3 instances'])
  })

  it('refuses an instance in two shards', async () => {
    const a = await shardDir([ok], { shards: [{ index: 1, total: 2 }] })
    const b = await shardDir([ok], { shards: [{ index: 1, total: 3 }] })
    const error = failure(() => mergeStates([{ dir: a, report: buildReport(meta, [ok], 0) }, { dir: b, report: buildReport(meta, [ok], 0) }]))
    expect(error.message).toBe(`${ok.instance} is in ${a} and in ${b}`)
    expect(error.exitCode).toBe(2)
  })

  it.each([
    ['another fleet file', { fleetHash: 'e'.repeat(64) }, `fleet file sha256 ${'e'.repeat(12)}`],
    ['another command', { command: 'verify' as const }, 'command verify'],
  ])('refuses states of %s', async (_, patch, said) => {
    const a = await shardDir([ok])
    const b = await shardDir([auth], patch)
    const error = failure(() => mergeStates([{ dir: a, report: buildReport(meta, [ok], 0) }, { dir: b, report: buildReport({ ...meta, ...patch }, [auth], 0) }]))
    expect(error.message).toContain(`cannot merge ${b} with ${a}: ${said}`)
  })

  it('refuses a directory without a state', async () => {
    const d = mkdtempSync(join(tmpdir(), 'fleet-empty-'))
    await expect(readShardStates([d])).rejects.toThrow(`${join(d, 'state.json')} does not exist`)
  })
})

describe('progress', () => {
  it('not on a terminal: exactly one plain line per instance as it ends, nothing else', () => {
    const written: string[] = []
    const p = fleetProgress({ tty: false, write: (t) => written.push(t) }, 2, 'fleet deploy')
    p.started('a')
    p.started('b')
    p.step('a', 'planning')
    p.finished('b', 'ok b', false)
    p.finished('a', 'FAILED a', true)
    p.close()
    expect(written).toEqual(['[1/2] ok b\n', '[2/2] FAILED a\n'])
  })

  it('on a terminal: redraws a block with the counter and a line per running instance', () => {
    const written: string[] = []
    let now = 0
    const p = fleetProgress({ tty: true, write: (t) => written.push(t) }, 3, 'fleet deploy', () => now)
    p.started('https://a')
    now = 65_000
    p.step('https://a', 'installing the app')
    p.started('https://b')
    p.finished('https://b', 'ok b', false)
    p.close()
    expect(written.at(-2)).toBe('\u001b[3F\u001b[0J[1/3] ok b\nfleet deploy: 1 done, 0 failed, 2 remaining (1 running)\n  https://a   1m05s  installing the app\n')
    expect(written.at(-1)).toBe('\u001b[2F\u001b[0Jfleet deploy: 1 done, 0 failed, 2 remaining (1 running)\n  https://a   1m05s  installing the app\n')
  })
})

describe('push status of fleet verify', () => {
  const verified = (instance: string, integrationStatus: unknown) =>
    instanceRecord({ instance, tenant: 'x', command: 'verify', exitCode: 0, result: { verification: { checks: [] }, integrationStatus }, start: 0, end: 1, log: null, handoff: null })
  const figures = {
    generated_at: '2026-01-10 12:00:00',
    last_push: { at: '2026-01-10 09:55:00', age_seconds: 7_500, table: 'x_kandj_kandji_device_import' },
    imports: [],
    errors: { rows: 0, sampled: 0, distinct: 0, messages: [] },
    cis: { total: 0, by_class: {}, other_source: 0 },
    last_seen: { available: false, reason: 'n/a' },
    devices: { retired: { available: false, reason: 'n/a' }, missing: { available: false, reason: 'n/a' }, removed: { available: false, reason: 'n/a' } },
    users: { available: false, reason: 'n/a' },
    health: { available: true, runs: [{ at: '2026-01-10 11:00:00', status: 'healthy', failing_checks: [], summary: '' }] },
  }

  it('records the last push and health; null when the instance could not tell or answered something else; absent without figures', () => {
    expect(verified('https://a.service-now.com', figures).push).toEqual({ lastPushAt: '2026-01-10 09:55:00', lastPushAgeSeconds: 7_500, health: 'healthy' })
    expect(verified('https://b.service-now.com', null).push).toBeNull()
    expect(verified('https://c.service-now.com', { ...figures, cis: 'lots' }).push).toBeNull()
    expect('push' in ok).toBe(false)
  })

  it('report.md gains a push status section for fleet verify, and the state validates', () => {
    const instances = [verified('https://a.service-now.com', figures), verified('https://b.service-now.com', null), verified('https://c.service-now.com', { ...figures, last_push: { at: null, age_seconds: null, table: null } })]
    const report = buildReport({ ...meta, command: 'verify' }, instances, 0)
    expect(fleetReportSchema.parse(report)).toEqual(report)
    const md = markdownReport(report)
    expect(md.split('\n### Push status\n\n')[1]?.split('\n').slice(0, 5)).toEqual([
      '| Instance | Last push | Health |',
      '| --- | --- | --- |',
      '| https://a.service-now.com | 2h 5m ago (2026-01-10 09:55:00 UTC) | healthy |',
      '| https://b.service-now.com | unknown | status unavailable |',
      '| https://c.service-now.com | never | healthy |',
    ])
    expect(markdownReport(buildReport(meta, [ok], 0))).not.toContain('Push status')
  })
})
