// What the probe reports when the instance does not let it observe a switch, or answers something no variant
// explains: "could not tell", with the reason and the evidence, never a guess and never a secret.
import { describe, expect, it } from 'vitest'
import { switchObservationSchema } from '@kandji-sn/contract'
import { provisionApiKey, startEmulator, type Emulator, type FaultRule } from '@kandji-sn/instance-emulator'
import { createClient } from '@kandji-sn/servicenow-client'
import { probeAppExperiment } from '../../src/commands/probe/app/index.ts'
import { APP_SWITCHES } from '../../src/commands/probe/app/experiments.ts'
import { PROBE_APP, probeAppFiles, probeAppZip } from '../../src/commands/probe/app/package.ts'
import { probeContext, probeLeftovers } from './support.ts'

async function probeWith(faults: FaultRule[], body: (emu: Emulator, observations: Awaited<ReturnType<typeof probeAppExperiment.run>>) => void): Promise<void> {
  const emu = await startEmulator({ updateMutexHoldMs: 0, faults })
  try {
    const t = probeContext(emu)
    const observations = await probeAppExperiment.run(t.ctx)
    emu.clearFaults()
    await probeAppExperiment.cleanup!(t.ctx)
    await t.removeCreated()
    for (const o of Object.values(observations)) expect(switchObservationSchema.parse(o)).toEqual(o)
    body(emu, observations)
    expect(probeLeftovers(emu)).toEqual([])
  } finally {
    await emu.close()
  }
}

const outcomes = (observations: Record<string, { outcome: string } | undefined>) => Object.fromEntries(APP_SWITCHES.map((s) => [s, observations[s]?.outcome]))
const onlyUnsettled = (name: string) => Object.fromEntries(APP_SWITCHES.map((s) => [s, s === name ? 'could-not-tell' : 'observed']))

describe('an admin signed in with an API key (no UI session, so no upload)', () => {
  it('reports every switch could-not-tell with the refused upload as the reason, and never the key', async () => {
    const emu = await startEmulator({ updateMutexHoldMs: 0 })
    try {
      const adminId = emu.db.query('sys_user', 'user_name=admin')[0]!.sys_id as string
      const key = 'kandji-probe-secret-api-key-0123456789'
      provisionApiKey(emu.db, { userSysId: adminId, restApiPaths: ['now/table'], token: key })
      const t = probeContext(emu)
      const ctx = { ...t.ctx, admin: createClient({ instance: emu.url, auth: { type: 'apikey', key }, sleep: async () => {} }) }
      const observations = await probeAppExperiment.run(ctx)
      await probeAppExperiment.cleanup!(ctx)
      expect(outcomes(observations)).toEqual(Object.fromEntries(APP_SWITCHES.map((s) => [s, 'could-not-tell'])))
      const refusal = {
        outcome: 'could-not-tell',
        reason: expect.stringMatching(/^POST \/angular\.do \(get_user\) answered 401 without a user token \(the instance opened no UI session for the API key: API keys authenticate REST APIs only/),
        evidence: [{ request: `POST /sn_appclient_upload_processor.do (${PROBE_APP.scope} 1.0.0, sysparm_async_fluent_install=false, sysparm_request_type=custom_app); failed at POST /angular.do`, status: 401, answer: '401 {error: auth}' }],
      }
      for (const s of APP_SWITCHES.filter((s) => s !== 'uninstallOutcome')) expect([s, observations[s]]).toEqual([s, refusal])
      expect(observations.uninstallOutcome).toMatchObject({ outcome: 'could-not-tell', reason: 'the probe app is not installed, so there was nothing to uninstall' })
      expect(JSON.stringify(observations)).not.toContain(key)
      expect(emu.db.query('sys_scope', `scope=${PROBE_APP.scope}`)).toEqual([])
    } finally {
      await emu.close()
    }
  })
})

const choiceListRead: FaultRule['when'] = ({ method, path, query }) => method === 'GET' && path === '/api/now/table/sys_choice' && (query.get('sysparm_query') ?? '').includes('element=status')

describe('answers no variant explains', () => {
  it('the field holds only the customer choice after the upgrade: choiceListLoader could not tell, the others are observed', async () => {
    const body = { result: [{ name: PROBE_APP.itemTable, element: 'status', value: PROBE_APP.customerChoice }] }
    await probeWith([{ kind: 'status', status: 200, body, when: choiceListRead }], (_emu, observations) => {
      expect(outcomes(observations)).toEqual(onlyUnsettled('choiceListLoader'))
      expect(observations.choiceListLoader).toMatchObject({
        reason: "after the upgrade the field's choices are kandji_probe_customer, which matches no loader variant (replace: v1+v2, skip: v1+customer, additive: all three)",
      })
    })
  })

  it('the choice list cannot be read (500): choiceListLoader could not tell, with the refused request as evidence', async () => {
    await probeWith([{ kind: 'status', status: 500, when: choiceListRead }], (_emu, observations) => {
      expect(outcomes(observations)).toEqual(onlyUnsettled('choiceListLoader'))
      const o = observations.choiceListLoader
      expect(o?.outcome === 'could-not-tell' && o.evidence.at(-1)).toEqual({
        request: `GET /api/now/table/sys_choice (name=${PROBE_APP.itemTable}^element=status)`,
        status: 500,
        answer: expect.stringMatching(/^500 \{error: /),
      })
    })
  })

  it('the fix-script marker holds a value the app never wrote: runFixScriptsOnInstall could not tell', async () => {
    const body = { result: { name: PROBE_APP.fixMarkerProperty, value: 'something else' } }
    const when: FaultRule['when'] = ({ method, path }) => method === 'GET' && path.startsWith('/api/now/table/sys_properties/')
    await probeWith([{ kind: 'status', status: 200, body, when, nth: 1 }], (_emu, observations) => {
      expect(outcomes(observations)).toEqual(onlyUnsettled('runFixScriptsOnInstall'))
      expect(observations.runFixScriptsOnInstall).toMatchObject({
        reason: `the probe app's property ${PROBE_APP.fixMarkerProperty} is "something else" after the install, neither the shipped nor the fix script's value`,
        evidence: [{ request: `GET /api/now/table/sys_properties/{sys_id of ${PROBE_APP.fixMarkerProperty}}`, status: 200, answer: '200 {result.value: "something else"}' }],
      })
    })
  })

  it('the mandatory insert is refused for another reason (an ACL): enforceMandatoryOnTableApi could not tell', async () => {
    const body = { error: { message: 'Operation Failed', detail: 'ACL Exception Insert Failed due to security constraints' }, status: 'failure' }
    const when: FaultRule['when'] = ({ method, path }) => method === 'POST' && path === `/api/now/table/${PROBE_APP.itemTable}`
    await probeWith([{ kind: 'status', status: 403, body, when }], (_emu, observations) => {
      expect(outcomes(observations)).toEqual(onlyUnsettled('enforceMandatoryOnTableApi'))
      const o = observations.enforceMandatoryOnTableApi
      expect(o?.outcome === 'could-not-tell' && o.evidence).toEqual([
        { request: `POST /api/now/table/${PROBE_APP.itemTable} ({name} without the mandatory code)`, status: 403, answer: '403 {error: "Operation Failed", "ACL Exception Insert Failed due to security constraints"}' },
      ])
    })
  })
})

describe('the probe app generator', () => {
  it('refuses a version it does not know', () => {
    expect(() => probeAppZip('v3' as never)).toThrow(new TypeError('the probe app has versions v1, v2; got "v3"'))
    expect(() => probeAppFiles('' as never)).toThrow(new TypeError('the probe app has versions v1, v2; got ""'))
  })
})
