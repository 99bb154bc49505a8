// The probe app's experiments against the emulator with each of their switches set to each value: the probe must
// report the value that is set, found by observation, and leave no x_kandj_probe / kandji_probe_ object behind.
import { describe, expect, it } from 'vitest'
import { PROBED_SWITCHES, switchObservationSchema, type ProbedSwitch } from '@kandji-sn/contract'
import { loadKandjiApp, startEmulator, type Emulator, type EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { APP } from '@kandji-sn/contract/constants'
import { APP_PROBES, probeAppExperiment } from '../../src/commands/probe/app/index.ts'
import { APP_SWITCHES } from '../../src/commands/probe/app/experiments.ts'
import { probeContext, probeLeftovers } from './support.ts'

async function withEmulator(switches: Partial<EmulatorSwitches>, body: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ updateMutexHoldMs: 0, switches })
  try {
    await body(emu)
  } finally {
    await emu.close()
  }
}

/** One full run: the experiments, then clean-up as the command runs it. */
async function probe(emu: Emulator) {
  const t = probeContext(emu)
  const observations = await probeAppExperiment.run(t.ctx)
  await probeAppExperiment.cleanup?.(t.ctx)
  await t.removeCreated()
  return observations
}

const values = (name: ProbedSwitch) => PROBED_SWITCHES[name] as readonly (string | boolean)[]

it('APP_PROBES is the one experiment, settling exactly its switches', () => {
  expect(APP_PROBES.map((p) => [p.id, [...p.switches].sort()])).toEqual([['probe-app', [...APP_SWITCHES].sort()]])
})

describe.each(APP_SWITCHES.filter((s) => s !== 'uninstallOutcome'))('%s', (name) => {
  it.each(values(name).map((v) => [v]))('set to %s: the probe reports it, and leaves nothing behind', async (value) => {
    await withEmulator({ [name]: value }, async (emu) => {
      const observations = await probe(emu)
      const observation = observations[name]
      expect(switchObservationSchema.parse(observation)).toEqual(observation)
      expect(observation).toMatchObject({ outcome: 'observed', value })
      expect(observations.uninstallOutcome).toMatchObject({ outcome: 'observed', value: 'deleted' })
      expect(probeLeftovers(emu)).toEqual([])
    })
  })
})

describe('uninstallOutcome', () => {
  it.each([['deleted'], ['partially-deleted']] as const)('set to %s: the probe reports it, and leaves nothing behind', async (value) => {
    await withEmulator({ uninstallOutcome: value }, async (emu) => {
      const observations = await probe(emu)
      expect(observations.uninstallOutcome).toMatchObject({ outcome: 'observed', value })
      expect(probeLeftovers(emu)).toEqual([])
    })
  })

  it('set to deactivated: the probe reports it, and clean-up says the inactive app stays and how to remove it', async () => {
    await withEmulator({ uninstallOutcome: 'deactivated' }, async (emu) => {
      const t = probeContext(emu)
      const observations = await probeAppExperiment.run(t.ctx)
      expect(observations.uninstallOutcome).toMatchObject({ outcome: 'observed', value: 'deactivated' })
      await expect(probeAppExperiment.cleanup!(t.ctx)).rejects.toThrow(
        /^the probe app x_kandj_probe \(sys_app [0-9a-f]{32}\) is still on the instance, inactive: its uninstall deactivated it instead of deleting it; remove it in System Applications > My Company Applications/,
      )
      await t.removeCreated()
      expect(emu.db.query('sys_scope', 'scope=x_kandj_probe').map((r) => r.active)).toEqual(['false'])
    })
  })
})

describe('next to the Kandji app', () => {
  it('installs, upgrades and removes the probe app without touching a record of the Kandji app', async () => {
    const kandji = await loadKandjiApp()
    await withEmulator({}, async (emu) => {
      await emu.installApp(kandji.bytes)
      const kandjiRecords = () => emu.db.query('sys_metadata', `sys_scope=${APP.scopeId}^ORDERBYsys_id`).map((r) => ({ ...r }))
      const before = { scope: emu.db.query('sys_scope', `scope=${APP.scope}`).map((r) => ({ ...r })), records: kandjiRecords(), tables: emu.db.dictionary.tableNames().filter((t) => t.startsWith(APP.scope)) }
      // The Kandji app bundles the contract, so its own script module names the probe: that is no leftover.
      const baseline = probeLeftovers(emu)
      const observations = await probe(emu)
      expect(Object.values(observations).map((o) => o?.outcome)).toEqual(APP_SWITCHES.map(() => 'observed'))
      expect({ scope: emu.db.query('sys_scope', `scope=${APP.scope}`).map((r) => ({ ...r })), records: kandjiRecords(), tables: emu.db.dictionary.tableNames().filter((t) => t.startsWith(APP.scope)) }).toEqual(before)
      expect(probeLeftovers(emu)).toEqual(baseline)
    })
  })
})
