// Release differences: before Zurich (Xanadu, Yokohama) oauth_entity has no scope_restriction_status; on Zurich and
// later the OAuth client must be broadly scoped. The same deploy, push and verify work on all of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES } from '@kandji-sn/contract'
import { query } from '@kandji-sn/servicenow-client'
import type { EmulatedRelease } from '@kandji-sn/instance-emulator'
import { generateDevices, pushInventory } from '@kandji-sn/iru-simulator'
import { cmdbSnapshot, readImportOutcome, type CliRun } from '@kandji-sn/demo'
import { checkStatus, explain, startInstance, type Instance } from './support/instance.ts'

const CASES: Array<{ release: EmulatedRelease; zurichOrLater: boolean }> = [
  { release: 'xanadu', zurichOrLater: false },
  { release: 'yokohama', zurichOrLater: false },
  { release: 'zurich', zurichOrLater: true },
  { release: 'australia', zurichOrLater: true },
]

describe.each(CASES)('on $release (Zurich or later: $zurichOrLater)', ({ release, zurichOrLater }) => {
  let inst: Instance
  let deploy: CliRun

  beforeAll(async () => {
    inst = await startInstance({ release })
    deploy = await inst.deploy(['--json'])
  })
  afterAll(async () => {
    await inst?.close()
  })

  it('deploy converges and the smoke test passes as the service account', () => {
    expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
    const smoke = deploy.json!.smokeTest as Array<{ id: string; status: string }>
    expect(smoke.map((c) => c.status)).toEqual(smoke.map(() => 'pass'))
  })

  it(zurichOrLater ? 'the OAuth client is broadly scoped' : 'the OAuth client is created without scope_restriction_status (the column does not exist)', async () => {
    const client = await inst.client.table.findOne(PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
    expect(client?.name).toBe(OAUTH_CLIENT.defaultName)
    if (zurichOrLater) expect(client![OAUTH_CLIENT.scopeRestrictionField]).toBe(OAUTH_CLIENT.broadlyScopedValue)
    else expect(client![OAUTH_CLIENT.scopeRestrictionField]).toBeUndefined()
    // An instance drops a field its table lacks without a word; the emulator lists what the CLI sent that way.
    expect(inst.emulator.db.schemaMisses).toEqual([])
  })

  it('verify passes every check, the scope restriction check included', async () => {
    const run = await inst.verify()
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    expect(run.report!.status).toBe('pass')
    expect(checkStatus(run.report, 'oauth_scope_restriction')).toBe('pass')
    const scope = run.report!.checks.find((c) => c.id === 'oauth_scope_restriction')!
    expect(scope.data?.field_present).toBe(zurichOrLater)
  })

  it('Iru Endpoint pushes devices into the CMDB', async () => {
    const devices = generateDevices({ count: 25, seed: `e2e-${release}` })
    const report = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk', poll: { timeoutMs: 0 } })
    expect((await readImportOutcome(inst.client, report.importSets)).byState).toEqual({ inserted: devices.length })
    expect((await cmdbSnapshot(inst.client)).computers).toBe(devices.length)
  })
})
