// import.dbOpsPerDevice.first / .repush (issue 16, "Cost per device"): the emulator's DB operations per device for
// a first push of a fleet and for pushing the same fleet again, against the same pushes with the device transform's
// onBefore script emptied (what the Import Set API, the staging rows and the MDM row cost without our script).
import { generateDevices, pushInventory, readHandoff, type KandjiDevice } from '@kandji-sn/iru-simulator'
import { TABLES, TRANSFORM_MAPS } from '@kandji-sn/contract/constants'
import type { Emulator } from '@kandji-sn/instance-emulator'
import { BenchError } from '../lib/errors.ts'
import { dbOps, deploy, start } from '../lib/instance.ts'
import type { BenchmarkResult } from '../lib/result.ts'
import { round } from '../lib/stats.ts'
import { countEntry } from './entries.ts'

export interface DeviceCostOptions {
  devices: number
}

const SEED = 'kandji-bench-cost'

interface Cost {
  first: number
  repush: number
  counts: { [name: string]: number }
}

/** Empties the onBefore script of the device map, so rows go straight to the coalesced MDM row. */
function withoutOnBefore(emulator: Emulator): void {
  const db = emulator.db
  const map = db.query('sys_transform_map', `name=${TRANSFORM_MAPS.device}`)[0]
  if (!map) throw new BenchError('the device transform map is not installed', 'the deploy did not install the app', 'run the deploy benchmark or `npx vitest run test/flow.test.ts`')
  for (const script of db.query('sys_transform_script', `map=${map.sys_id}`)) db.update('sys_transform_script', script.sys_id as string, { script: '' })
}

async function pushCost(emulator: Emulator, devices: readonly KandjiDevice[], handoffPath: string): Promise<number> {
  const handoff = await readHandoff(handoffPath)
  emulator.resetCounters()
  const report = await pushInventory({ handoff, devices, mode: 'bulk', poll: { timeoutMs: 30_000 } })
  const ops = dbOps(emulator)
  const { sent, rejected, failed, pending } = report.totals
  const done = sent - rejected - failed - pending
  if (report.results !== 'complete' || done !== devices.length) {
    throw new BenchError(`the push landed ${done} of ${devices.length} devices`, report.errors[0]?.message ?? report.resultsNote ?? 'rows were refused', 'run `npx vitest run test/imports.test.ts`')
  }
  return ops
}

async function cost(devices: readonly KandjiDevice[], transform: boolean): Promise<Cost> {
  const emulator = await start()
  try {
    const { handoffPath } = await deploy(emulator)
    if (!transform) withoutOnBefore(emulator)
    const first = await pushCost(emulator, devices, handoffPath)
    const repush = await pushCost(emulator, devices, handoffPath)
    if (transform && emulator.db.count(TABLES.mdm) !== devices.length) throw new BenchError('the MDM table does not hold one row per device', 'a push duplicated or lost rows', 'run `npx vitest run test/imports.test.ts`')
    const n = devices.length
    return { first: round(first / n, 2), repush: round(repush / n, 2), counts: { devices: n, firstOps: first, repushOps: repush } }
  } finally {
    await emulator.close()
  }
}

export async function deviceCostBenchmarks(options: DeviceCostOptions): Promise<BenchmarkResult[]> {
  const devices = generateDevices({ count: options.devices, seed: SEED })
  const bare = await cost(devices, false)
  const ours = await cost(devices, true)
  const labels = ['the same push, onBefore script emptied', 'the device transform']
  const entry = (which: 'first' | 'repush', title: string): BenchmarkResult =>
    countEntry({
      name: `import.dbOpsPerDevice.${which}`,
      title: `${title} of ${options.devices} devices: emulator DB operations per device`,
      unit: 'db ops/device',
      baseline: { label: labels[0]!, value: bare[which], counts: bare.counts },
      ours: { label: labels[1]!, value: ours[which], counts: ours.counts },
      rounds: 1,
      target: { on: 'ours', op: '<=', value: 12 },
    })
  return [entry('first', 'first push'), entry('repush', 'the same push again')]
}
