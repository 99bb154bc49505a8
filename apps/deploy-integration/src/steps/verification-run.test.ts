// runVerification: which source answers (the app's endpoint only for this project's build), what the endpoint is
// asked, and a report this CLI cannot read.
import { describe, expect, it } from 'vitest'
import { APP, EXIT_CODES } from '@kandji-sn/contract/constants'
import type { ServiceNowClient } from '@kandji-sn/servicenow-client'
import { CliError } from '../errors.ts'
import type { InstanceFacts, InstalledApp } from './preflight.ts'
import { runVerification } from './verification.ts'

const report = {
  status: 'pass',
  generated_at: '2026-11-29 08:00:00',
  app: { scope: APP.scope, version: '1.0.0' },
  subject: { service_account: 'kandji_rest_api_user', oauth_client: 'kandji_oauth_api' },
  summary: { pass: 1, warn: 0, fail: 0 },
  checks: [{ id: 'discovery_source', status: 'pass', title: 'Discovery source', detail: 'Kandji is an active choice' }],
}
const app = (ownBuild: boolean): InstalledApp => ({ sysId: 's', scope: APP.scope, name: APP.name, version: '1.0.0', storeApp: !ownBuild, active: true, ownBuild })
const facts = (installed: InstalledApp | undefined) => ({ app: installed }) as InstanceFacts
const defaults = { serviceAccount: 'kandji_rest_api_user', oauthClient: 'kandji_oauth_api' }

/** rest.get answers `answer`; any Table API read rejects with `tableApi` (the sign that the CLI evaluates the checks itself). */
function stub(answer: unknown) {
  const gets: unknown[][] = []
  const tableApi = new Error('table API used')
  const refuse = () => Promise.reject(tableApi)
  const admin = {
    rest: { get: async (...args: unknown[]) => (gets.push(args), answer) },
    table: { list: refuse, findOne: refuse, count: refuse, get: refuse },
  } as unknown as ServiceNowClient
  return { admin, gets, tableApi }
}

describe('runVerification', () => {
  it("this project's build: the endpoint's report, asked with only the names that differ from the defaults", async () => {
    const { admin, gets } = stub(report)
    expect(await runVerification(admin, facts(app(true)), defaults)).toEqual(report)
    expect(await runVerification(admin, facts(app(true)), { serviceAccount: 'svc', oauthClient: 'kandji_oauth_api' })).toEqual(report)
    expect(gets).toEqual([
      ['/api/x_kandj_kandji/integration/verify', {}],
      ['/api/x_kandj_kandji/integration/verify', { service_account: 'svc' }],
    ])
  })

  it.each([
    ['the vendor\'s Store app', app(false)],
    ['no app', undefined],
  ])('%s: evaluated through the Table API, the endpoint never asked', async (_, installed) => {
    const { admin, gets, tableApi } = stub(report)
    await expect(runVerification(admin, facts(installed), defaults)).rejects.toBe(tableApi)
    expect(gets).toEqual([])
  })

  it('a report this CLI cannot read: an instance error naming the first three problems', async () => {
    const { admin } = stub({ ...report, status: 'ok', summary: {}, checks: [] })
    const error = await runVerification(admin, facts(app(true)), defaults).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CliError)
    const e = error as CliError
    expect([e.exitCode, e.causeText, e.fix]).toEqual([
      EXIT_CODES.instance,
      'the installed app version does not match this CLI',
      'install the matching app version (`deploy-integration deploy --app-source package`), then re-run',
    ])
    expect(e.message).toMatch(/^the verify endpoint answered with a report this CLI cannot read \(status: [^;]+; summary\.pass: [^;]+; summary\.warn: [^;)]+\)$/)
  })
})
