import { describe, expect, it } from 'vitest'
import { query, ServiceNowError } from '@kandji-sn/servicenow-client'
import { CliError, formatError, toCliError } from './errors.ts'

const sn = (kind: ServiceNowError['kind'], extra: Partial<ConstructorParameters<typeof ServiceNowError>[0]> = {}) =>
  new ServiceNowError({ kind, method: 'GET', path: '/api/now/table/sys_user', message: 'x', hint: 'client hint', ...extra })

describe('errors a person sees', () => {
  it.each([
    ['auth', 3],
    ['permission', 3],
    ['scope_restricted', 3],
    ['not_found', 4],
    ['bad_request', 4],
    ['rate_limited', 4],
    ['server', 4],
    ['hibernating', 4],
    ['invalid_response', 4],
    ['timeout', 4],
    ['network', 4],
    ['dns', 4],
    ['tls', 4],
    ['ambiguous', 4],
    ['install_failed', 4],
  ] as const)('a %s error from the instance exits %i with error/cause/fix lines', (kind, code) => {
    const e = toCliError(sn(kind))
    expect(e.exitCode).toBe(code)
    const text = formatError(e, false)
    expect(text.split('\n')).toHaveLength(3)
    expect(text).toMatch(/^error: .+\ncause: .+\nfix: {3}.+$/)
  })

  it('names KB2731346 for the Zurich scope restriction and developer.servicenow.com for a hibernating instance', () => {
    expect(formatError(toCliError(sn('scope_restricted', { status: 403 })), false)).toContain('KB2731346')
    expect(formatError(toCliError(sn('hibernating')), false)).toMatch(/\ncause: .*hibernating.*\nfix: .*developer\.servicenow\.com/)
  })

  it('a timeout names the --timeout flag that exists', () => {
    expect(toCliError(sn('timeout')).fix).toBe('retry in a few minutes; if it keeps happening, wait longer for each answer with --timeout SECONDS (default 30)')
  })

  it('names the duplicate records of an ambiguous match', () => {
    expect(toCliError(sn('ambiguous', { records: ['abc123', 'def456'] })).message).toContain('abc123, def456')
  })

  it('shows the stack only with --debug', () => {
    const e = toCliError(new Error('boom'))
    expect(formatError(e, false)).not.toContain('    at ')
    expect(formatError(e, true)).toContain('    at ')
    expect(e.exitCode).toBe(4)
  })

  it('a name with "^" refused by the query builder is a usage error (exit 2) with its error/cause/fix', () => {
    let thrown: unknown
    try {
      query().eq('user_name', 'ad^min')
    } catch (error) {
      thrown = error
    }
    const e = toCliError(thrown)
    expect(e.exitCode).toBe(2)
    expect(formatError(e, false)).toMatch(/^error: the value "ad\^min" for user_name cannot be expressed safely in an encoded query\ncause: .*"\^".*\nfix: {3}use a value without "\^"/)
  })

  it('keeps a CliError as it is', () => {
    const e = new CliError(2, 'm', 'c', 'f')
    expect(toCliError(e)).toBe(e)
  })
})
