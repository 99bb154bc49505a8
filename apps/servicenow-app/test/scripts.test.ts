import { describe, expect, it } from 'vitest'
import { problemsInSdkOutput } from '../scripts/build.ts'
import { packedZipName } from '../scripts/after-build.ts'
import { ciProblems } from '../scripts/deploy.ts'

describe('build guard', () => {
  it('fails on the RollupError the SDK prints before "Build completed successfully"', () => {
    const out = '[now-sdk] RollupError: Could not resolve entry module "@kandji-sn/contract".\n[now-sdk] Build completed successfully'
    const [p] = problemsInSdkOutput(out)
    expect(p?.error).toContain('Could not resolve entry module')
    expect(p?.fix).toMatch(/generated\/contract\.ts/)
    expect(problemsInSdkOutput('[now-sdk] Build completed successfully')).toEqual([])
  })
})

describe('artifact names', () => {
  it('matches now-sdk pack naming', () => {
    expect(packedZipName('kandji-servicenow-app', '1.0.0')).toBe('kandji_servicenow_app_1_0_0.zip')
  })
})

describe('deploy preflight', () => {
  it('needs nothing extra outside CI mode (interactive auth aliases)', () => {
    expect(ciProblems({})).toEqual([])
  })

  it('names the missing variables in CI mode without printing any secret', () => {
    const env = { SN_SDK_NODE_ENV: 'SN_SDK_CI_INSTALL', SN_SDK_INSTANCE_URL: 'https://acme.service-now.com', SN_SDK_USER: 'ci', SN_SDK_USER_PWD: '' }
    const problems = ciProblems(env)
    expect(problems.map((p) => p.error)).toEqual(['SN_SDK_USER_PWD not set'])
    const secret = { ...env, SN_SDK_AUTH_TYPE: 'oauth', SN_SDK_OAUTH_CLIENT_SECRET: 's3cr3t-value' }
    const text = JSON.stringify(ciProblems(secret))
    expect(text).toContain('SN_SDK_OAUTH_CLIENT_ID')
    expect(text).not.toContain('s3cr3t-value')
  })

  it.each([
    ['missing', undefined, /not set/],
    ['a path', 'https://acme.service-now.com/now/nav', /not an instance URL/],
    ['no scheme', 'acme.service-now.com', /not an instance URL/],
  ])('rejects an instance URL that is %s', (_l, url, message) => {
    const problems = ciProblems({ SN_SDK_NODE_ENV: 'SN_SDK_CI_INSTALL', SN_SDK_INSTANCE_URL: url, SN_SDK_USER: 'u', SN_SDK_USER_PWD: 'p' })
    expect(problems[0]?.error).toMatch(message)
  })

  it('rejects an unsupported auth type', () => {
    expect(ciProblems({ SN_SDK_NODE_ENV: 'SN_SDK_CI_INSTALL', SN_SDK_INSTANCE_URL: 'https://a.service-now.com', SN_SDK_AUTH_TYPE: 'saml' })[0]?.error).toMatch(/not supported/)
  })
})
