import { describe, expect, it } from 'vitest'
import * as c from './constants.ts'

describe('contract constants', () => {
  it('prefixes every app-owned name with the scope, as the platform requires', () => {
    for (const role of Object.values(c.APP_ROLES)) expect(role.startsWith(`${c.APP.scope}.`)).toBe(true)
    for (const prop of Object.values(c.APP_PROPERTIES)) expect(prop.startsWith(`${c.APP.scope}.`)).toBe(true)
    for (const table of Object.values(c.TABLES)) {
      expect(table.startsWith(`${c.APP.scope}_`)).toBe(true)
      // ServiceNow table names are limited to 30 characters for scoped apps (facts f)
      expect(table.length).toBeLessThanOrEqual(30)
    }
    expect(c.REST_API.basePath).toBe(`/api/${c.APP.scope}/${c.REST_API.serviceId}`)
  })

  it('names the three service-account roles of the vendor procedure and nothing else', () => {
    expect([...c.SERVICE_ACCOUNT_ROLES].sort()).toEqual(['cmdb_read', 'import_transformer', 'rest_api_explorer'])
    for (const role of c.SERVICE_ACCOUNT_ROLES) expect(c.PRIVILEGED_ROLES as readonly string[]).not.toContain(role)
  })

  it('keeps check ids unique so reports can be keyed by them', () => {
    expect(new Set(c.CHECK_IDS).size).toBe(c.CHECK_IDS.length)
  })

  it('uses the documented OAuth defaults', () => {
    expect(c.OAUTH_CLIENT.redirectUrl).toBe('https://kandji.io')
    expect(c.OAUTH_CLIENT.accessTokenLifespanSeconds).toBe(1800)
    expect(c.OAUTH_CLIENT.refreshTokenLifespanSeconds).toBe(8_640_000)
  })

  it('keeps the instance lock outside the app namespace (it exists before the app and after it) and longer-lived than an app install', () => {
    expect(c.DEPLOY_LOCK.property).toBe('kandji.deploy_integration.lock')
    expect(c.DEPLOY_LOCK.property.startsWith(`${c.APP.scope}.`)).toBe(false)
    expect(Object.values(c.APP_PROPERTIES)).not.toContain(c.DEPLOY_LOCK.property)
    // the app upload's install timeout is 300 s (now-sdk); the rest of a deploy is seconds to a few minutes
    expect(c.DEPLOY_LOCK.ttlMinutes * 60).toBeGreaterThan(300)
  })

  it('has distinct exit codes', () => {
    const codes = Object.values(c.EXIT_CODES)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('has exactly these exit codes (scripts rely on them: ARCHITECTURE.md)', () => {
    expect(c.EXIT_CODES).toStrictEqual({ ok: 0, verificationFailed: 1, usage: 2, auth: 3, instance: 4, changesPending: 5 })
  })

  it('ranks every exit code exactly once, pending changes below every error', () => {
    expect(c.EXIT_CODE_SEVERITY).toStrictEqual([0, 5, 1, 2, 3, 4])
    expect([...c.EXIT_CODE_SEVERITY].sort()).toStrictEqual(Object.values(c.EXIT_CODES).sort())
  })
})
