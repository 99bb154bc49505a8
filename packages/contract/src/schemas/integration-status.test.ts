import { describe, expect, it } from 'vitest'
import { IMPORT_ROW_STATES, STATUS_REPORT, TABLES } from '../constants.ts'
import { integrationStatusSchema, type IntegrationStatus } from './integration-status.ts'

const ZERO = Object.fromEntries(IMPORT_ROW_STATES.map((s) => [s, 0])) as Record<(typeof IMPORT_ROW_STATES)[number], number>

function valid(): IntegrationStatus {
  return {
    generated_at: '2026-01-10 12:00:00',
    last_push: { at: '2026-01-10 11:00:00', age_seconds: 3_600, table: TABLES.deviceImport },
    imports: [{ table: TABLES.deviceImport, windows: { hour: ZERO, day: { ...ZERO, inserted: 3 }, week: { ...ZERO, inserted: 3 } } }],
    errors: { rows: 1, sampled: 1, distinct: 1, messages: [{ table: TABLES.deviceImport, state: 'error', message: 'IRE refused', count: 1, last_seen: '2026-01-10 11:00:00' }] },
    cis: { total: 3, by_class: { cmdb_ci_computer: 3 }, other_source: 0 },
    last_seen: { available: true, within_day: 3, within_week: 0, within_month: 0, older: 0, never: 0 },
    devices: { retired: { available: true, count: 0 }, missing: { available: false, reason: 'no column' }, removed: { available: true, count: 0 } },
    users: { available: true, matched: 3, unmatched: 0, no_user: 0, off: 0, unknown: 0 },
    health: { available: true, runs: [{ at: '2026-01-10 11:00:00', status: 'healthy', failing_checks: [], summary: '' }] },
  }
}

describe('integrationStatusSchema', () => {
  it('accepts a full status and a status whose optional sections are unavailable', () => {
    expect(integrationStatusSchema.parse(valid())).toEqual(valid())
    const older = { ...valid(), last_seen: { available: false, reason: 'no column' }, users: { available: false, reason: 'no column' }, health: { available: false, reason: 'no table' } }
    expect(integrationStatusSchema.parse(older)).toEqual(older)
  })

  it.each<[string, (s: Record<string, any>) => void, string]>([
    ['a count as text', (s) => (s.cis.total = '3'), 'cis.total'],
    ['a negative count', (s) => (s.imports[0].windows.day.inserted = -1), 'imports.0.windows.day.inserted'],
    ['a state the contract does not know', (s) => (s.imports[0].windows.day.exploded = 1), 'imports.0.windows.day'],
    ['a window missing', (s) => delete s.imports[0].windows.week, 'imports.0.windows.week'],
    ['another table', (s) => (s.imports[0].table = 'sys_user'), 'imports.0.table'],
    ['an ISO time instead of Glide\'s', (s) => (s.generated_at = '2026-01-10T12:00:00Z'), 'generated_at'],
    ['an unavailable section without a reason', (s) => (s.health = { available: false }), 'health.reason'],
    ['an available section without its figures', (s) => (s.devices.retired = { available: true }), 'devices.retired.count'],
    ['"available" as text', (s) => (s.users = { ...s.users, available: 'true' }), 'users.available'],
    ['more messages than the cap', (s) => (s.errors.messages = Array.from({ length: STATUS_REPORT.maxErrorMessages + 1 }, () => s.errors.messages[0])), 'errors.messages'],
    ['more health runs than the cap', (s) => (s.health.runs = Array.from({ length: STATUS_REPORT.maxHealthRuns + 1 }, () => s.health.runs[0])), 'health.runs'],
    ['a message with a zero count', (s) => (s.errors.messages[0].count = 0), 'errors.messages.0.count'],
  ])('refuses %s', (_label, mutate, path) => {
    const s = valid() as unknown as Record<string, any>
    mutate(s)
    const result = integrationStatusSchema.safeParse(s)
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path)
  })
})
