// `deploy-integration status` against the fake instance: the figures as JSON and as tables, and every way the
// instance's answer can be unusable (no app, the vendor's app, an older app without the route, a denied ACL, not
// JSON, another schema), each with what happened, the likely cause and the fix.
import { describe, expect, it } from 'vitest'
import { ServiceNowError } from '@kandji-sn/servicenow-client'
import { APP, EXIT_CODES, IMPORT_ROW_STATES, PLATFORM_TABLES, TABLES, statusPath } from '@kandji-sn/contract/constants'
import type { IntegrationStatus } from '@kandji-sn/contract'
import { FakeInstance } from './support/fake-instance.ts'
import { runCli } from './support/run-cli.ts'

const env = { SN_INSTANCE: 'https://fake.service-now.com', SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }
const ZERO = Object.fromEntries(IMPORT_ROW_STATES.map((s) => [s, 0])) as Record<(typeof IMPORT_ROW_STATES)[number], number>

function sample(): IntegrationStatus {
  const rows = { ...ZERO, inserted: 40, updated: 2, rejected: 3 }
  return {
    generated_at: '2026-01-10 12:00:00',
    last_push: { at: '2026-01-10 09:55:00', age_seconds: 7_500, table: TABLES.deviceImport },
    imports: [
      { table: TABLES.deviceImport, windows: { hour: ZERO, day: rows, week: rows } },
      { table: TABLES.appImport, windows: { hour: ZERO, day: ZERO, week: ZERO } },
    ],
    errors: { rows: 3, sampled: 3, distinct: 1, messages: [{ table: TABLES.deviceImport, state: 'rejected', message: 'Rejected: Row has no serial_number', count: 3, last_seen: '2026-01-10 09:55:00' }] },
    cis: { total: 42, by_class: { cmdb_ci_computer: 30, cmdb_ci_handheld_computing: 11 }, other_source: 1 },
    last_seen: { available: true, within_day: 40, within_week: 1, within_month: 0, older: 1, never: 0 },
    devices: { retired: { available: true, count: 1 }, missing: { available: true, count: 2 }, removed: { available: false, reason: 'no column' } },
    users: { available: true, matched: 35, unmatched: 4, no_user: 3, off: 0, unknown: 0 },
    health: { available: true, runs: [{ at: '2026-01-10 11:00:00', status: 'degraded', failing_checks: ['push_age'], summary: 'no push for 2 hours' }] },
  }
}

function snError(kind: ServiceNowError['kind'], status: number, message: string): ServiceNowError {
  return new ServiceNowError({ kind, status, method: 'GET', path: statusPath, message, hint: message })
}

type Options = ConstructorParameters<typeof FakeInstance>[0]

function throwing(error: ServiceNowError): () => unknown {
  return () => {
    throw error
  }
}

async function status(options: Options, args: string[] = []) {
  const fake = new FakeInstance(options)
  return runCli(['status', ...args], { env, deps: fake.deps('1.0.0') })
}

describe('deploy-integration status', () => {
  it('--json: the endpoint\'s figures as the result, validated, exit 0', async () => {
    const r = await status({ statusReply: sample }, ['--json'])
    expect(r.code).toBe(EXIT_CODES.ok)
    expect(JSON.parse(r.stdout)).toEqual({ command: 'status', instance: 'https://fake.service-now.com', status: sample() })
  })

  it('prints the figures as tables: last push and its age, health, rows by state, errors, CIs by class and age', async () => {
    const r = await status({ statusReply: sample })
    expect(r.code).toBe(EXIT_CODES.ok)
    const lines = r.stdout.split('\n')
    for (const line of [
      '  last push: 2026-01-10 09:55:00 UTC (2h 5m ago, devices)',
      '  health: degraded (push_age)',
      'errors in the last week: 3 rows, 1 distinct message',
      'CIs: 42 linked to Kandji devices, 1 created first by another discovery source',
      '  last pushed: within a day 40, 1-7 days 1, 7-30 days 0, older 1, never 0',
      '  devices: retired 1, missing 2, removed unavailable',
      '  users: matched 35, unmatched 4, no user 3, off 0, not matched yet 0',
    ]) expect(lines).toContain(line)
    const cells = (prefix: RegExp) => lines.find((l) => prefix.test(l))?.trim().split(/\s{2,}/)
    expect(cells(/^\s+devices\s+last day/)).toEqual(['devices', 'last day', ...IMPORT_ROW_STATES.map((s) => String({ ...ZERO, inserted: 40, updated: 2, rejected: 3 }[s]))])
    expect(cells(/^\s+cmdb_ci_handheld_computing/)).toEqual(['cmdb_ci_handheld_computing', '11'])
    expect(cells(/^\s+3\s+2026-01-10 09:55:00/)).toEqual(['3', '2026-01-10 09:55:00', 'devices', 'rejected', 'Rejected: Row has no serial_number'])
    expect(cells(/^\s+2026-01-10 11:00:00/)).toEqual(['2026-01-10 11:00:00', 'degraded', 'push_age', 'no push for 2 hours'])
  })

  it('says which sections the installed app cannot fill', async () => {
    const unavailable = { available: false as const, reason: 'table x_kandj_kandji_health_run does not exist: the installed app has no health monitor' }
    const r = await status({ statusReply: () => ({ ...sample(), health: unavailable, last_push: { at: null, age_seconds: null, table: null } }) })
    expect(r.code).toBe(EXIT_CODES.ok)
    expect(r.stdout).toContain('  last push: never (no staging row on the instance)\n')
    expect(r.stdout).toContain('  health: unavailable\n')
    expect(r.stdout).toContain(`health runs: unavailable (${unavailable.reason})\n`)
  })

  it.each([
    ['no app installed', { appInstalled: false }, EXIT_CODES.instance, /^error: the x_kandj_kandji app is not installed: there is no status endpoint to ask\n(.|\n)*run `deploy-integration deploy/],
    ['an older app without the route (404)', { statusReply: throwing(snError('not_found', 404, 'no such path')) }, EXIT_CODES.instance, /^error: the installed x_kandj_kandji app \(version 1\.0\.0\) has no status endpoint: GET \/api\/x_kandj_kandji\/integration\/status answered 404\n(.|\n)*older deploy-integration(.|\n)*deploy-integration deploy/],
    ['the ACL denies the admin (403)', { statusReply: throwing(snError('permission', 403, 'denied')) }, EXIT_CODES.auth, /^error: the instance denied the app's status endpoint \(GET \/api\/x_kandj_kandji\/integration\/status answered 403\)\n(.|\n)*x_kandj_kandji\.viewer/],
    ['an answer that is not JSON', { statusReply: throwing(snError('invalid_response', 200, 'GET /api/x_kandj_kandji/integration/status answered 200 with a body that is not JSON')) }, EXIT_CODES.instance, /^error: the status endpoint answered with something that is not a status \(GET \/api\/x_kandj_kandji\/integration\/status answered 200 with a body that is not JSON\)\n(.|\n)*a proxy, a login or maintenance page/],
    ['another schema (a count as text)', { statusReply: () => ({ ...sample(), cis: { ...sample().cis, total: '42' } }) }, EXIT_CODES.instance, /^error: the status endpoint answered with a status this CLI cannot read \(cis\.total: (.|\n)*does not match this CLI/],
    ['an empty answer', { statusReply: () => null }, EXIT_CODES.instance, /^error: the status endpoint answered with a status this CLI cannot read/],
  ] satisfies Array<[string, Options, number, RegExp]>)('%s: a clear error with cause and fix', async (_label, options, code, message) => {
    const r = await status(options)
    expect(r.code).toBe(code)
    expect(r.stderr).toMatch(message)
  })

  it("the vendor's Store app holds the scope: it has no status endpoint, replace it", async () => {
    const fake = new FakeInstance({ appInstalled: false, statusReply: sample })
    fake.rows(PLATFORM_TABLES.scope).push({ sys_id: 'f'.repeat(32), scope: APP.scope, name: 'Kandji', version: '2.1.0', active: 'true' })
    fake.rows(PLATFORM_TABLES.storeApp).push({ sys_id: 'f'.repeat(32), scope: APP.scope, version: '2.1.0', active: 'true' })
    const r = await runCli(['status'], { env, deps: fake.deps('1.0.0') })
    expect(r.code).toBe(EXIT_CODES.instance)
    expect(r.stderr).toMatch(/^error: the application holding the x_kandj_kandji scope \(Kandji, version 2\.1\.0\) is not this project's app and has no status endpoint\n(.|\n)*--replace-store-app/m)
  })

  it('--help lists its flags and the exit codes; unknown flags are usage errors', async () => {
    const help = await runCli(['status', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('usage: deploy-integration status')
    expect(help.stdout).toMatch(/--timeout SECONDS +how long to wait for each answer/)
    expect(help.stdout).toContain('--json')
    const bad = await runCli(['status', '--drift'], { env })
    expect(bad.code).toBe(EXIT_CODES.usage)
  })
})

describe('verify --with-status (what fleet verify runs)', () => {
  it('adds the status figures to the result and one line to the output', async () => {
    const fake = new FakeInstance({ verifyStatus: 'pass', statusReply: sample })
    const run = await runCli(['verify', '--with-status', '--json'], { env, deps: fake.deps('1.0.0') })
    expect(run.code).toBe(EXIT_CODES.ok)
    expect(JSON.parse(run.stdout)).toMatchObject({ command: 'verify', status: 'pass', integrationStatus: sample() })
    expect(run.stderr).toContain('status: last push 2026-01-10 09:55:00 UTC (2h 5m ago, devices); health degraded (push_age)\n')
  })

  it('an app without the status route: verify still passes, the result says why there are no figures', async () => {
    const fake = new FakeInstance({ verifyStatus: 'pass', statusReply: throwing(snError('not_found', 404, 'no such path')) })
    const run = await runCli(['verify', '--with-status', '--json'], { env, deps: fake.deps('1.0.0') })
    expect(run.code).toBe(EXIT_CODES.ok)
    const result = JSON.parse(run.stdout)
    expect(result.integrationStatus).toBeNull()
    expect(result.integrationStatusError).toBe('the installed x_kandj_kandji app (version 1.0.0) has no status endpoint: GET /api/x_kandj_kandji/integration/status answered 404')
  })

  it('without the flag the result has no status key (verify output unchanged)', async () => {
    const fake = new FakeInstance({ verifyStatus: 'pass', statusReply: sample })
    const run = await runCli(['verify', '--json'], { env, deps: fake.deps('1.0.0') })
    expect(Object.keys(JSON.parse(run.stdout)).sort()).toEqual(['command', 'instance', 'smokeTest', 'status', 'verification'])
  })
})
