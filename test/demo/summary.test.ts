// The demo's summary from the facts of a run: what a customer reads.
import { describe, expect, it } from 'vitest'
import { CHECK_IDS, type VerificationReport } from '@kandji-sn/contract'
import { emptyCounts, type PushReport } from '@kandji-sn/iru-simulator'
import { renderSummary, type DemoResult } from '@kandji-sn/demo'

function report(overrides: Partial<Record<(typeof CHECK_IDS)[number], Partial<VerificationReport['checks'][number]>>> = {}): VerificationReport {
  const checks = CHECK_IDS.map((id) => ({ id, status: 'pass' as const, title: id, detail: `${id} is fine.`, ...overrides[id] }))
  checks.find((c) => c.id === 'service_account_roles')!.data ??= { direct: ['cmdb_read', 'import_transformer', 'rest_api_explorer', 'snc_internal'], inherited: ['import_set_loader', 'api_analytics_read'] }
  checks.find((c) => c.id === 'oauth_client')!.data ??= { active: true, redirect_urls: ['https://kandji.io'] }
  checks.find((c) => c.id === 'service_account')!.data ??= { web_service_access_only: true }
  const summary = { pass: checks.filter((c) => c.status === 'pass').length, warn: checks.filter((c) => c.status === 'warn').length, fail: checks.filter((c) => c.status === 'fail').length }
  return {
    status: summary.fail ? 'fail' : summary.warn ? 'warn' : 'pass',
    generated_at: '2026-11-29T08:00:00Z',
    app: { scope: 'x_kandj_kandji', version: '1.2.3' },
    subject: { service_account: 'kandji_rest_api_user', oauth_client: 'kandji_oauth_api' },
    summary,
    checks,
  }
}

function push(sent: number, updated: number): PushReport {
  return {
    instance: 'http://127.0.0.1:1', table: 't', kind: 'devices', mode: 'single', batchSize: 200, durationMs: 1,
    totals: { ...emptyCounts(), sent, updated, rejected: sent - updated }, platforms: {}, malformed: {}, errors: [], messages: [], importSets: ['a', 'b'], results: 'complete',
  }
}

function result(overrides: Partial<DemoResult> = {}, verification = report()): DemoResult {
  return {
    instance: 'http://127.0.0.1:4000',
    release: 'zurich',
    handoffPath: '/tmp/kandji-demo-x/kandji-handoff.json',
    deploy: { changes: 9, smokeTest: 'pass' },
    verification,
    verifyExitCode: 0,
    push: {
      devices: 100, malformed: 4, bulk: push(104, 0), changes: push(10, 10), changeKinds: { os_update: 6, rename: 4 },
      bulkOutcome: { rows: 104, byState: { inserted: 102, rejected: 2 }, errors: [{ message: 'Row has no serial_number', count: 2 }], records: [] },
    },
    cmdb: { computers: 102, otherSource: 0, assigned: 60, byPlatform: { Mac: 50, iPhone: 30, iPad: 20, AppleTV: 2 }, devices: 102, devicesOnSharedComputers: 0 },
    status: {
      figures: {
        generated_at: '2026-01-10 12:00:00',
        last_push: { at: null, age_seconds: null, table: null },
        imports: [],
        errors: { rows: 0, sampled: 0, distinct: 0, messages: [] },
        cis: { total: 0, by_class: {}, other_source: 0 },
        last_seen: { available: false, reason: 'n/a' },
        devices: { retired: { available: false, reason: 'n/a' }, missing: { available: false, reason: 'n/a' }, removed: { available: false, reason: 'n/a' } },
        users: { available: false, reason: 'n/a' },
        health: { available: false, reason: 'n/a' },
      },
      text: [],
    },
    timings: { deployMs: 1, pushMs: 1, verifyMs: 1, statusMs: 1 },
    secrets: ['s3cret'],
    ...overrides,
  }
}

describe('demo summary', () => {
  it('says what was set up: app version, OAuth client, account with 3 direct + N inherited roles (snc_internal not counted), hand-off path', () => {
    const text = renderSummary(result()).join('\n')
    expect(text).toMatch(/app\s+Kandji \(x_kandj_kandji\) 1\.2\.3/)
    expect(text).toMatch(/OAuth client\s+kandji_oauth_api: active, redirect https:\/\/kandji\.io, password grant \(ROPC\), broadly scoped/)
    expect(text).toMatch(/kandji_rest_api_user \(web services only\)/)
    expect(text).toContain('3 roles granted directly: cmdb_read, import_transformer, rest_api_explorer')
    expect(text).toContain('+ 2 inherited: import_set_loader, api_analytics_read')
    expect(text).toContain('/tmp/kandji-demo-x/kandji-handoff.json (mode 0600)')
  })

  it('lists every check once, in report order, and shows the fix only for checks that did not pass', () => {
    const lines = renderSummary(result({}, report({ oauth_client: { status: 'fail', detail: 'kandji_oauth_api is inactive.', fix: 'Run deploy-integration deploy.' } })))
    const rows = lines.filter((l) => /^ {2}(PASS|WARN|FAIL) /.test(l))
    expect(rows.map((l) => l.trim().split(/\s+/)[1])).toEqual([...CHECK_IDS])
    expect(lines.filter((l) => l.includes('fix:'))).toEqual([expect.stringContaining('fix: Run deploy-integration deploy.')])
    expect(lines.join('\n')).toContain(`Checks (deploy-integration verify): FAIL, ${CHECK_IDS.length - 1} pass, 0 warn, 1 fail`)
  })

  it('explains the import_errors warning as the malformed rows sent on purpose', () => {
    const text = renderSummary(result({}, report({ import_errors: { status: 'warn', detail: '2 rows in error', fix: 'Open the rows' } }))).join('\n')
    expect(text).toContain('expected: the demo sends 4 malformed rows on purpose')
    expect(text).not.toContain('fix: Open the rows')
  })

  it('counts devices: sent, landed, changes applied, rejected with the reason, computers per platform, assigned users', () => {
    const text = renderSummary(result()).join('\n')
    expect(text).toMatch(/sent\s+100 devices \+ 4 malformed rows \(insertMultiple, 2 batches\), then 10 changes one row at a time/)
    expect(text).toMatch(/landed\s+102 of 104 rows; 10 of 10 changes applied \(6 OS updates, 4 renames\)/)
    expect(text).toMatch(/rejected\s+2 rows: Row has no serial_number/)
    expect(text).toMatch(/in the CMDB\s+102 computers in cmdb_ci_computer for Kandji devices: Mac 50, iPhone 30, iPad 20, Apple TV 2/)
    expect(text).toMatch(/60 with an assigned user/)
    // the summary's own lines, not the check ids (push_pending) in the checks list
    expect(text).not.toMatch(/^ {2}(note|not applied|pending) /m)
  })

  it('says "none" when nothing was rejected, and names changes that were not applied', () => {
    const r = result()
    r.push.bulkOutcome = { rows: 100, byState: { inserted: 100 }, errors: [], records: [] }
    r.push.changes = push(10, 7)
    const text = renderSummary(r).join('\n')
    expect(text).toMatch(/rejected\s+none/)
    expect(text).toMatch(/not applied\s+3 changes \(3 rejected\)/)
  })

  it('warns when devices share a computer (IRE matched them by name)', () => {
    const r = result({ cmdb: { computers: 90, otherSource: 0, assigned: 0, byPlatform: { Mac: 90 }, devices: 102, devicesOnSharedComputers: 24 } })
    expect(renderSummary(r).join('\n')).toMatch(/note\s+24 devices share a computer with another device of the same name/)
  })

  it('check rows fit the given width', () => {
    const lines = renderSummary(result({}, report({ staging_tables: { detail: 'x'.repeat(400) } })), { width: 80 })
    const rows = lines.filter((x) => /^ {2}(PASS|WARN|FAIL) /.test(x))
    expect(rows).toHaveLength(CHECK_IDS.length)
    for (const l of rows) expect(l.length).toBeLessThanOrEqual(80)
    expect(rows.find((l) => l.includes('staging_tables'))).toMatch(/ x{44}\.\.\.$/)
  })

  it('never prints a secret the run knows: not in a check detail or fix, an import error, or cut in half by the width', () => {
    const [admin, password, clientSecret] = ['Adm1n-Pa55word-q7', 'Svc-Pa55word-9ZkL', 'Cl1ent-Secret-b4Xw']
    const r = result(
      { secrets: [admin, password, clientSecret] },
      report({
        // 33 columns of head at width 80 leave 47 for the detail: the password starts at 36 and would be cut after 8 characters
        staging_tables: { status: 'fail', detail: `${'x'.repeat(35)} ${password} and more text after it`, fix: `Sign in as admin with ${admin} and reinstall.` },
        oauth_client: { status: 'fail', detail: `Token sent: ${clientSecret}.`, fix: 'Run deploy-integration deploy.' },
      }),
    )
    r.push.bulkOutcome = { rows: 104, byState: { inserted: 102, rejected: 2 }, errors: [{ message: `Login failed for ${password}`, count: 2 }], records: [] }
    // a line not cut to width: the report's text comes from the instance and is shown as it came
    r.verification.app.version = `1.2.3-${admin}`
    const text = renderSummary(r, { width: 80 }).join('\n')
    for (const secret of [admin, password, clientSecret]) expect(text).not.toContain(secret.slice(0, 6))
    // the lines are still there, with the secret masked
    expect(text).toMatch(/FAIL\s+staging_tables\s+x{35} \*\*\* and \.\.\.$/m)
    expect(text).toContain('fix: Sign in as admin with *** and reinstall.')
    expect(text).toMatch(/FAIL\s+oauth_client\s+Token sent: \*\*\*\.$/m)
    expect(text).toMatch(/rejected\s+2 rows: Login failed for \*\*\*/)
    expect(text).toMatch(/app\s+Kandji \(x_kandj_kandji\) 1\.2\.3-\*\*\*$/m)
  })
})
