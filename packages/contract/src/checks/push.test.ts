// The push-health checks' boundaries with the exact result an admin reads, and the settings they read.
import { describe, expect, it } from 'vitest'
import { APP_SETTINGS, OAUTH_CLIENT } from '../constants.ts'
import { checkPushErrors, checkPushPending, checkPushRecency, checkPushTokenLifespan } from './checks.ts'
import { glideMinus, hoursBetween, readPushSettings, readSetting } from './push.ts'
import type { PushSnapshot } from './snapshots.ts'

const SETTINGS = { maxPushAgeHours: 48, errorRateRows: 100, maxErrorRatePercent: 10, maxPendingMinutes: 60, pushIntervalHours: 24, invalid: [] }
const PUSH: PushSnapshot = {
  settings: SETTINGS, now: '2026-03-10 12:00:00', lastPushAt: '', recent: { rows: 0, failed: 0 }, stuckPending: 0, pendingBefore: '2026-03-10 11:00:00',
  refreshTokenLifespanSeconds: OAUTH_CLIENT.refreshTokenLifespanSeconds,
}
const SYNC_FIX = 'Check the integration in Iru Endpoint (its ServiceNow sync status and last error) and that the service account can still sign in; then let it push again.'
const SETTINGS_FIX = 'Set the property to a whole number (System Properties, or Kandji > Properties), or clear it to use the default.'

describe('push_recency', () => {
  const title = 'Time since the last push from Iru Endpoint'
  it('passes before the first push, so a fresh deploy does not fail verify', () => {
    expect(checkPushRecency(PUSH, 'svc')).toStrictEqual({
      id: 'push_recency', status: 'pass', title,
      detail: "No row from svc yet; expected until Iru Endpoint's first sync (the check then fails when no row arrives for 48 hours).",
      data: { last_push: null, max_age_hours: 48 },
    })
  })
  it('passes at exactly the limit and fails a second past it', () => {
    expect(checkPushRecency({ ...PUSH, lastPushAt: '2026-03-08 12:00:00' }, 'svc')).toStrictEqual({
      id: 'push_recency', status: 'pass', title, detail: 'The last row from svc arrived 48 hours ago (2026-03-08 12:00:00 UTC).',
      data: { last_push: '2026-03-08 12:00:00', age_hours: 48, max_age_hours: 48 },
    })
    expect(checkPushRecency({ ...PUSH, lastPushAt: '2026-03-08 11:00:00' }, 'svc')).toStrictEqual({
      id: 'push_recency', status: 'fail', title,
      detail: 'The last row from svc arrived 49 hours ago (2026-03-08 11:00:00 UTC), more than the 48 hours allowed; the CMDB is going stale.',
      fix: SYNC_FIX, data: { last_push: '2026-03-08 11:00:00', age_hours: 49, max_age_hours: 48 },
    })
  })
  it('names an invalid setting and turns a pass into a warn with the default used', () => {
    const settings = { ...SETTINGS, invalid: [{ property: APP_SETTINGS.maxPushAgeHours, value: 'soon', used: 48 }] }
    expect(checkPushRecency({ ...PUSH, settings }, 'svc')).toStrictEqual({
      id: 'push_recency', status: 'warn', title,
      detail: `No row from svc yet; expected until Iru Endpoint's first sync (the check then fails when no row arrives for 48 hours). The property ${APP_SETTINGS.maxPushAgeHours} holds "soon", not a whole number >= 1; the default 48 is used.`,
      fix: SETTINGS_FIX, data: { last_push: null, max_age_hours: 48 },
    })
  })
})

describe('push_errors', () => {
  const title = 'Error rate of the latest pushed rows'
  it('passes with no rows and at the limit, warns above it', () => {
    expect(checkPushErrors(PUSH, 'svc')).toStrictEqual({ id: 'push_errors', status: 'pass', title, detail: 'No row from svc to judge yet.', data: { rows: 0, failed: 0, error_rate_percent: 0, max_error_rate_percent: 10, window_rows: 100 } })
    expect(checkPushErrors({ ...PUSH, recent: { rows: 100, failed: 10 } }, 'svc')).toMatchObject({ status: 'pass', detail: '10 of the latest 100 rows from svc failed to transform (10 %).' })
    expect(checkPushErrors({ ...PUSH, recent: { rows: 100, failed: 11 } }, 'svc')).toStrictEqual({
      id: 'push_errors', status: 'warn', title, detail: '11 of the latest 100 rows from svc failed to transform (11 %, more than 10 %).',
      fix: 'Open the rows in error (Kandji > Device imports; the Comment says why), fix the cause named there, and let Iru Endpoint send them again.',
      data: { rows: 100, failed: 11, error_rate_percent: 11, max_error_rate_percent: 10, window_rows: 100 },
    })
  })
  it('keeps a warning a warning when a setting is invalid, and says so', () => {
    const settings = { ...SETTINGS, invalid: [{ property: APP_SETTINGS.errorRateRows, value: '-3', used: 100 }] }
    const check = checkPushErrors({ ...PUSH, settings, recent: { rows: 3, failed: 3 } }, 'svc')
    expect([check.status, check.detail]).toEqual(['warn', `3 of the latest 3 rows from svc failed to transform (100 %, more than 10 %). The property ${APP_SETTINGS.errorRateRows} holds "-3", not a whole number >= 1; the default 100 is used.`])
  })
})

describe('push_pending', () => {
  it('warns when any row waited longer than the limit', () => {
    expect(checkPushPending(PUSH)).toStrictEqual({ id: 'push_pending', status: 'pass', title: 'Pushed rows stuck in pending', detail: 'No row has waited in pending for more than 60 minutes.', data: { stuck: 0, max_pending_minutes: 60, created_before: '2026-03-10 11:00:00' } })
    expect(checkPushPending({ ...PUSH, stuckPending: 2 })).toStrictEqual({
      id: 'push_pending', status: 'warn', title: 'Pushed rows stuck in pending',
      detail: '2 row(s) have waited in pending for more than 60 minutes (created before 2026-03-10 11:00:00 UTC); the transform is not running for them.',
      fix: 'Check the transform maps are active and the import set run did not stop (System Import Sets > Import Set Runs); a halted set leaves its later rows pending.',
      data: { stuck: 2, max_pending_minutes: 60, created_before: '2026-03-10 11:00:00' },
    })
  })
})

describe('push_token_lifespan', () => {
  const title = 'Refresh token lifespan against the push schedule'
  it('warns of a refresh token that expires between pushes, passes one that lives exactly that long', () => {
    expect(checkPushTokenLifespan({ ...PUSH, refreshTokenLifespanSeconds: 86_399 }, 'c')).toStrictEqual({
      id: 'push_token_lifespan', status: 'warn', title,
      detail: "c's refresh tokens live 86399 seconds, shorter than the 24 hours between pushes, so Iru Endpoint's token expires between syncs.",
      fix: `Set Refresh Token Lifespan on c to at least 86400 seconds (deploy-integration deploy sets ${OAUTH_CLIENT.refreshTokenLifespanSeconds}).`,
      data: { refresh_token_lifespan_seconds: 86_399, needed_seconds: 86_400, push_interval_hours: 24 },
    })
    expect(checkPushTokenLifespan({ ...PUSH, refreshTokenLifespanSeconds: 86_400 }, 'c')).toMatchObject({ status: 'pass', detail: "c's refresh tokens live 86400 seconds, at least the 24 hours between pushes." })
  })
  it('warns when the client was not found as one', () => {
    expect(checkPushTokenLifespan({ ...PUSH, refreshTokenLifespanSeconds: undefined }, 'c')).toStrictEqual({
      id: 'push_token_lifespan', status: 'warn', title, detail: 'Not checked: c was not found as exactly one OAuth client.', fix: 'Fix the OAuth client first.', data: { needed_seconds: 86_400 },
    })
  })
})

describe('settings and time arithmetic', () => {
  it('reads whole numbers >= the minimum, defaults an absent or empty property, and reports anything else', () => {
    expect(readSetting('maxPushAgeHours', '12')).toEqual({ value: 12 })
    expect(readSetting('maxPushAgeHours', ' 12 ')).toEqual({ value: 12 })
    expect(readSetting('maxErrorRatePercent', '0')).toEqual({ value: 0 })
    for (const absent of [undefined, null, '', '  ']) expect(readSetting('maxPushAgeHours', absent)).toEqual({ value: 48 })
    for (const bad of ['0', '-1', '1.5', 'abc', '1e3', '99999999999999999999', '12h']) expect(readSetting('maxPushAgeHours', bad)).toEqual({ value: 48, invalid: bad })
  })
  it('reads every push setting by its property name', () => {
    const props: Record<string, string> = { [APP_SETTINGS.maxPushAgeHours]: '6', [APP_SETTINGS.errorRateRows]: 'x', [APP_SETTINGS.pushIntervalHours]: '1' }
    expect(readPushSettings((name) => props[name])).toEqual({
      maxPushAgeHours: 6, errorRateRows: 100, maxErrorRatePercent: 10, maxPendingMinutes: 60, pushIntervalHours: 1,
      invalid: [{ property: APP_SETTINGS.errorRateRows, value: 'x', used: 100 }],
    })
  })
  it('subtracts from and measures between Glide UTC date-times, refusing malformed ones', () => {
    expect(glideMinus('2026-03-01 00:30:00', 3_600_000)).toBe('2026-02-28 23:30:00')
    expect(hoursBetween('2026-03-01 00:00:00', '2026-03-02 06:00:00')).toBe(30)
    for (const bad of ['', '2026-03-01', '2026-03-01T00:00:00Z', 'garbage']) {
      expect(glideMinus(bad, 1)).toBeUndefined()
      expect(hoursBetween(bad, '2026-03-01 00:00:00')).toBeUndefined()
    }
  })
})
