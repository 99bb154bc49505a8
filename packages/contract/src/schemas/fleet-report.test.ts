import { describe, expect, it } from 'vitest'
import { FLEET_REPORT_SCHEMA_ID, fleetReportSchema, fleetTotals } from '../index.ts'

const entry = {
  instance: 'https://acme.service-now.com',
  tenant: 'acme',
  command: 'deploy',
  status: 'ok',
  exitCode: 0,
  changes: 2,
  checks: [{ id: 'app_installed', status: 'pass' }],
  drift: [],
  timing: { start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:00:01.000Z', ms: 1000 },
  error: null,
  log: 'logs/acme.log',
  handoff: 'handoff/acme.json',
  carriedOver: false,
}
const report = {
  schema: FLEET_REPORT_SCHEMA_ID,
  command: 'deploy',
  fleetHash: 'a'.repeat(64),
  fleetSize: 1,
  appVersion: '1.2.3',
  shards: [],
  startedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
  exitCode: 0,
  totals: fleetTotals([entry as { status: 'ok' }]),
  instances: [entry],
}

describe('fleetReportSchema', () => {
  it('accepts a report of one instance and counts its totals', () => {
    expect(fleetReportSchema.parse(report).totals).toEqual({ instances: 1, ok: 1, drifted: 0, failed: 0, interrupted: 0, pending: 0 })
  })

  it.each([
    ['an exit code the CLI never returns', { instances: [{ ...entry, exitCode: 9 }] }],
    ['an unknown check id', { instances: [{ ...entry, checks: [{ id: 'nope', status: 'pass' }] }] }],
    ['an unknown status', { instances: [{ ...entry, status: 'done' }] }],
    ['a short fleet hash', { fleetHash: 'abc' }],
    ['another schema id', { schema: 'kandji-sn/fleet-report@0' }],
    ['a credentials field (never part of a report)', { instances: [{ ...entry, credentials: { password: 'x' } }] }],
    ['a negative change count', { instances: [{ ...entry, changes: -1 }] }],
  ])('refuses %s', (_, patch) => {
    expect(fleetReportSchema.safeParse({ ...report, ...patch }).success).toBe(false)
  })
})
