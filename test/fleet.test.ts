// `deploy-integration fleet` over several instances, one of them failing: each instance gets its own result, the
// others converge, and the exit code is the worst one.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHECK_IDS, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES, SERVICE_ACCOUNT, type FleetReport, type VerificationReport } from '@kandji-sn/contract'
import { query } from '@kandji-sn/servicenow-client'
import { loadKandjiApp } from '@kandji-sn/instance-emulator'
import { cliEnv, ProcessGroup, runDeployIntegration, type CliRun } from '@kandji-sn/demo'
import { explain, startInstance, tempDir, type Instance } from './support/instance.ts'

const PREFIXES = ['FLEET_A', 'FLEET_B', 'FLEET_C'] as const

/** `deploy-integration fleet … --config FILE`, each instance's admin credentials in its prefix's variables. */
function fleetOf(processes: ProcessGroup, instances: () => readonly Instance[], fleetFile: () => string, dir: () => string) {
  return (args: string[]): Promise<CliRun> => {
    const env: NodeJS.ProcessEnv = {}
    instances().forEach((inst, i) => {
      env[`${PREFIXES[i]}_USER`] = inst.admin.user
      env[`${PREFIXES[i]}_PASSWORD`] = inst.admin.password
    })
    // cliEnv drops any SN_* of the developer; fleet takes each instance's credentials from its prefix.
    return runDeployIntegration(processes, ['fleet', ...args, '--config', fleetFile()], cliEnv(instances()[0]!.admin, env), dir())
  }
}

describe('fleet deploy and verify over three instances, one failing with a fault', () => {
  let instances: Instance[]
  let dir: string
  let fleetFile: string
  const processes = new ProcessGroup()
  const fleet = fleetOf(processes, () => instances, () => fleetFile, () => dir)
  const converged = async (inst: Instance) =>
    (await inst.client.table.count(PLATFORM_TABLES.user, query().eq('user_name', SERVICE_ACCOUNT.defaultUserName).toString())) === 1 &&
    (await inst.client.table.count(PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).eq('active', 'true').toString())) === 1

  beforeAll(async () => {
    instances = [await startInstance({ release: 'zurich' }), await startInstance({ release: 'yokohama' }), await startInstance({ release: 'zurich' })]
    dir = tempDir('fleet')
    fleetFile = join(dir, 'fleet.json')
    writeFileSync(
      fleetFile,
      JSON.stringify({
        concurrency: 3,
        defaults: { appPackage: (await loadKandjiApp()).zip },
        instances: instances.map((inst, i) => ({ instance: inst.admin.instance, adminEnvPrefix: PREFIXES[i] })),
      }),
    )
  })
  afterAll(async () => {
    await processes.stopAll()
    await Promise.all((instances ?? []).map((i) => i.close()))
  })

  it('an instance answering 503 fails with exit 4 while the two others converge; the fleet exits 4', async () => {
    const failing = instances[2]!
    failing.emulator.addFault({ kind: 'status', status: 503, path: '/api/now/table' })
    const run = await fleet(['deploy', '--yes', '--json', '--credentials-out', join(dir, 'creds.json')])
    failing.emulator.clearFaults()
    expect(run.code, explain(run)).toBe(EXIT_CODES.instance)
    const results = (run.json!.instances as Array<{ instance: string; exitCode: number }>).map((r) => [r.instance, r.exitCode])
    expect(results).toEqual([
      [instances[0]!.admin.instance, EXIT_CODES.ok],
      [instances[1]!.admin.instance, EXIT_CODES.ok],
      [failing.admin.instance, EXIT_CODES.instance],
    ])
    expect(await converged(instances[0]!)).toBe(true)
    expect(await converged(instances[1]!)).toBe(true)
    expect(await converged(failing)).toBe(false)
    expect(run.stderr).toMatch(/INSTANCE\s+EXIT\s+RESULT/)
  })

  it('once the instance is back, the same fleet deploy converges it and exits 0', async () => {
    const run = await fleet(['deploy', '--yes', '--json', '--credentials-out', join(dir, 'creds.json')])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    for (const inst of instances) expect(await converged(inst)).toBe(true)
  })

  it('fleet verify exits 1 when one instance has drifted, and names that instance', async () => {
    const drifted = instances[1]!
    const client = await drifted.client.table.findOne(PLATFORM_TABLES.oauthEntity, query().eq('name', OAUTH_CLIENT.defaultName).toString())
    await drifted.client.table.patch(PLATFORM_TABLES.oauthEntity, client!.sys_id!, { active: 'false' })
    const run = await fleet(['verify', '--json'])
    expect(run.code, explain(run)).toBe(EXIT_CODES.verificationFailed)
    const codes = Object.fromEntries((run.json!.instances as Array<{ instance: string; exitCode: number }>).map((r) => [r.instance, r.exitCode]))
    expect(codes).toEqual({
      [instances[0]!.admin.instance]: EXIT_CODES.ok,
      [drifted.admin.instance]: EXIT_CODES.verificationFailed,
      [instances[2]!.admin.instance]: EXIT_CODES.ok,
    })
  })
})

describe("fleet over an instance with this project's app and one with the vendor's Store app", () => {
  let instances: Instance[]
  let dir: string
  let fleetFile: string
  const processes = new ProcessGroup()
  const fleet = fleetOf(processes, () => instances, () => fleetFile, () => dir)

  beforeAll(async () => {
    instances = [await startInstance(), await startInstance()]
    await instances[1]!.emulator.installVendorStoreApp()
    dir = tempDir('fleet-vendor')
    fleetFile = join(dir, 'fleet.json')
    writeFileSync(
      fleetFile,
      JSON.stringify({
        defaults: { appPackage: (await loadKandjiApp()).zip },
        instances: [
          { instance: instances[0]!.admin.instance, adminEnvPrefix: PREFIXES[0] },
          { instance: instances[1]!.admin.instance, adminEnvPrefix: PREFIXES[1], appSource: 'store' },
        ],
      }),
    )
  })
  afterAll(async () => {
    await processes.stopAll()
    await Promise.all((instances ?? []).map((i) => i.close()))
  })

  it('deploys both, and fleet verify reports the same checks for each: by the endpoint on one, from the CLI on the other', async () => {
    const deploy = await fleet(['deploy', '--yes', '--json', '--credentials-out', join(dir, 'creds.json')])
    expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
    const run = await fleet(['verify', '--json'])
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    const reports = (run.json!.instances as Array<{ instance: string; result: { verification: VerificationReport } }>).map((r) => [
      r.instance,
      r.result.verification.evaluated_by,
      r.result.verification.checks.map((c) => `${c.id}:${c.status}`),
    ])
    const allPass = CHECK_IDS.map((id) => `${id}:pass`)
    expect(reports).toEqual([
      [instances[0]!.admin.instance, 'instance', allPass],
      [instances[1]!.admin.instance, 'client', allPass],
    ])
    // The push figures of the app's status endpoint: nothing pushed yet on ours; the Store app has no such endpoint.
    const push = (run.json!.report as FleetReport).instances.map((i) => [i.instance, i.push])
    expect(push).toEqual([
      [instances[0]!.admin.instance, { lastPushAt: null, lastPushAgeSeconds: null, health: expect.stringMatching(/^(unavailable|no run yet|healthy|degraded( \(.+\))?)$/) }],
      [instances[1]!.admin.instance, null],
    ])
  })
})
