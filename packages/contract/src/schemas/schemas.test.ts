import { describe, expect, it } from 'vitest'
import {
  adminAuthSchema,
  adminSignInMethod,
  deployConfigSchema,
  describeIssues,
  fleetConfigSchema,
  handoffSchema,
  overallStatus,
  verificationReportSchema,
} from '../index.ts'

describe('deployConfigSchema', () => {
  it('fills the vendor defaults and normalizes the instance', () => {
    const config = deployConfigSchema.parse({ instance: 'acme' })
    expect(config.instance).toEqual({ url: 'https://acme.service-now.com', tenant: 'acme' })
    expect(config.serviceAccount.userName).toBe('kandji_rest_api_user')
    expect(config.oauthClient.name).toBe('kandji_oauth_api')
    expect(config.appSource).toBe('package')
  })

  it.each([
    [{}, 'instance'],
    [{ instance: 'https://acme.service-now.com/path' }, 'instance'],
    [{ instance: 'acme', appSource: 'ftp' }, 'appSource'],
    [{ instance: 'acme', serviceAccount: { userName: 'bad^name' } }, 'serviceAccount.userName'],
    [{ instance: 'acme', serviceAccount: { userName: '' } }, 'serviceAccount.userName'],
    [{ instance: 'acme', oauthClient: { clientSecret: 'short' } }, 'oauthClient.clientSecret'],
    [{ instance: 'acme', appVersion: 'latest' }, 'appVersion'],
    [{ instance: 'acme', admin: { user: 'admin' } }, 'admin.password'],
    [{ instance: 'acme', admin: { user: 'a', password: 'p', clientId: 'x' } }, 'admin'],
    [{ instance: 'acme', admin: {} }, 'admin.password'],
    [{ instance: 'acme', admin: { token: 'Bearer t' } }, 'admin.token'],
    [{ instance: 'acme', admin: { apiKey: '' } }, 'admin.apiKey'],
    [{ instance: 'acme', admin: { token: 't', apiKey: 'k' } }, 'admin'],
    [{ instance: 'acme', admin: { user: 'a', password: 'p', token: 't' } }, 'admin'],
    [{ instance: 'acme', admin: { password: 'p' } }, 'admin'],
    [{ instance: 'acme', unknownKey: true }, '(root)'],
  ])('names the field in error for %j', (input, field) => {
    const result = deployConfigSchema.safeParse(input)
    expect(result.success).toBe(false)
    if (!result.success) expect(describeIssues(result.error).join('\n')).toContain(`${field}:`)
  })

  it('never echoes a password in its messages', () => {
    const result = deployConfigSchema.safeParse({ instance: 'acme', serviceAccount: { password: 'short' } })
    expect(result.success).toBe(false)
    if (!result.success) expect(describeIssues(result.error).join('\n')).not.toContain('short"')
  })
})

describe('fleetConfigSchema', () => {
  it('accepts shared defaults with per-instance overrides', () => {
    const fleet = fleetConfigSchema.parse({
      defaults: { appSource: 'store' },
      instances: [{ instance: 'acme' }, { instance: 'globex', appSource: 'package', adminEnvPrefix: 'GLOBEX' }],
    })
    expect(fleet.concurrency).toBe(4)
    expect(fleet.instances.map((i) => i.instance.tenant)).toEqual(['acme', 'globex'])
  })

  it('refuses an empty list and the same instance twice', () => {
    expect(fleetConfigSchema.safeParse({ instances: [] }).success).toBe(false)
    const twice = fleetConfigSchema.safeParse({ instances: [{ instance: 'acme' }, { instance: 'https://acme.service-now.com' }] })
    expect(twice.success).toBe(false)
    if (!twice.success) expect(describeIssues(twice.error)[0]).toMatch(/instances\[1\]\.instance: .*listed twice/)
  })
})

describe('verification report', () => {
  const check = { id: 'discovery_source', status: 'pass', title: 'Discovery source', detail: 'Kandji is an active choice' } as const
  const report = {
    status: 'pass',
    generated_at: '2026-11-29 08:00:00',
    app: { scope: 'x_kandj_kandji', version: '1.0.0' },
    subject: { service_account: 'kandji_rest_api_user', oauth_client: 'kandji_oauth_api' },
    summary: { pass: 1, warn: 0, fail: 0 },
    checks: [check],
  }

  it('accepts a well-formed report', () => {
    expect(verificationReportSchema.parse(report).checks[0]?.id).toBe('discovery_source')
  })

  it('refuses unknown check ids and statuses', () => {
    expect(verificationReportSchema.safeParse({ ...report, checks: [{ ...check, id: 'nope' }] }).success).toBe(false)
    expect(verificationReportSchema.safeParse({ ...report, checks: [{ ...check, status: 'ok' }] }).success).toBe(false)
    expect(verificationReportSchema.safeParse({ ...report, checks: [] }).success).toBe(false)
  })

  it('takes the worst check as the overall status', () => {
    expect(overallStatus([{ status: 'pass' }, { status: 'warn' }])).toBe('warn')
    expect(overallStatus([{ status: 'warn' }, { status: 'fail' }, { status: 'pass' }])).toBe('fail')
    expect(overallStatus([{ status: 'pass' }])).toBe('pass')
  })
})

describe('handoffSchema', () => {
  it('requires every field Iru Endpoint asks for', () => {
    const full = { instance: 'https://acme.service-now.com', tenant: 'acme', client_id: 'id', client_secret: 's', username: 'u', password: 'p' }
    expect(handoffSchema.parse(full)).toEqual(full)
    for (const key of Object.keys(full)) {
      const partial: Record<string, string> = { ...full }
      delete partial[key]
      expect(handoffSchema.safeParse(partial).success).toBe(false)
    }
  })
})

describe('admin sign-in methods', () => {
  it.each([
    [{ user: 'a', password: 'p' }, 'basic'],
    [{ user: 'a', password: 'p', clientId: 'c', clientSecret: 's' }, 'password'],
    [{ clientId: 'c', clientSecret: 's' }, 'client_credentials'],
    [{ user: 'a', clientId: 'c', clientSecret: 's' }, 'client_credentials'],
    [{ token: 't' }, 'bearer'],
    [{ user: 'a', token: 't' }, 'bearer'],
    [{ apiKey: 'k' }, 'apikey'],
  ] as const)('%j is %s', (admin, method) => {
    expect(adminSignInMethod(adminAuthSchema.parse(admin))).toBe(method)
  })
})
