// 4. The app's verification endpoint (GET verify) on instances holding 10, 1 000 and 10 000 Kandji CIs: its database
//    operations must not grow with the CMDB (it counts with an aggregate instead of reading rows), and its time
//    shows what the emulator's count costs. The instance with 10 CIs is the baseline.
import { verificationReportSchema } from '@kandji-sn/contract'
import { DISCOVERY_SOURCE, PLATFORM_TABLES, TABLES, verifyPath } from '@kandji-sn/contract/constants'
import { loadKandjiApp, type Emulator } from '@kandji-sn/instance-emulator'
import { createClient, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import { BenchError } from '../lib/errors.ts'
import { arm, timed, type Sample } from '../lib/interleave.ts'
import { ADMIN, dbOps, start, writeCount } from '../lib/instance.ts'
import { progress } from '../lib/log.ts'
import type { BenchmarkResult } from '../lib/result.ts'
import { countEntry, timeEntry } from './entries.ts'

export interface VerifyBenchOptions {
  rounds: number
  /** The first size is the baseline. */
  sizes: readonly number[]
}

interface Instance {
  size: number
  emulator: Emulator
  client: ServiceNowClient
  samples: Sample[]
}

function seedCis(emulator: Emulator, count: number): void {
  for (let i = 0; i < count; i++) {
    const serial = `BENCH${String(i).padStart(7, '0')}`
    // A Kandji device is its CI and the MDM row linking it (verify counts devices through the MDM table).
    const ci = emulator.db.insert(PLATFORM_TABLES.computer, { name: `bench-mac-${i}`, serial_number: serial, discovery_source: DISCOVERY_SOURCE.value })
    emulator.db.insert(TABLES.mdm, { serial_number: serial, ci: ci.sys_id })
  }
}

async function verifyOnce(instance: Instance): Promise<Sample & { body: unknown }> {
  instance.emulator.resetCounters()
  const { ms, value: body } = await timed(() => instance.client.rest.get(verifyPath))
  const { select } = instance.emulator.counters.db
  return { ms, body, counts: { dbOps: dbOps(instance.emulator), selects: select, writes: writeCount(instance.emulator), requests: instance.emulator.counters.requests } }
}

/** The figures mean something only if verify really saw the seeded CIs: its kandji_cis check reports the count. */
function assertCounted(instance: Instance, body: unknown): void {
  const parsed = verificationReportSchema.safeParse(body)
  const counted = parsed.success ? parsed.data.checks.find((c) => c.id === 'kandji_cis')?.data?.count : undefined
  if (counted !== instance.size) {
    throw new BenchError(
      `GET verify on an instance with ${instance.size} Kandji CIs reported ${parsed.success ? `kandji_cis count ${String(counted)}` : 'an answer outside the contract schema'}`,
      'the app\'s verify check, the emulator runtime or the seeding in bench/benchmarks/verify.ts is out of step',
      'run `npx vitest run --project instance-emulator` (runtime-app.test.ts) and compare its seeding with this file',
    )
  }
}

export async function verifyBenchmarks(options: VerifyBenchOptions): Promise<BenchmarkResult[]> {
  const zip = (await loadKandjiApp()).bytes
  const instances: Instance[] = []
  try {
    for (const size of options.sizes) {
      const emulator = await start()
      await emulator.installApp(zip)
      seedCis(emulator, size)
      const client = createClient({ instance: emulator.url, auth: { type: 'basic', user: ADMIN.user, password: ADMIN.password } })
      instances.push({ size, emulator, client, samples: [] })
      // Unmeasured: the first login writes snc_internal for admin (facts 2.2) and the runtime loads the app's modules.
      const instance = instances.at(-1)!
      assertCounted(instance, (await verifyOnce(instance)).body)
    }
    for (let round = 0; round < options.rounds; round++) {
      // Rotate who goes first, so no size always meets the machine in the same state.
      for (let k = 0; k < instances.length; k++) {
        const instance = instances[(round + k) % instances.length]!
        instance.samples.push(await verifyOnce(instance))
      }
    }
  } finally {
    await Promise.all(instances.map((i) => i.emulator.close()))
  }
  const [base, ...others] = instances
  const baseline = arm(base!.samples)
  progress(`  verify: ${instances.map((i) => `${i.size} CIs ${Math.round(arm(i.samples).time.median * 10) / 10} ms`).join(', ')}`)
  const label = (size: number) => `${size.toLocaleString('en-US')} CIs`
  return others.flatMap((other) => {
    const ours = arm(other.samples)
    const comparison = { rounds: options.rounds, baseline, ours }
    return [
      countEntry({
        name: `verify.${other.size}.dbOps`,
        title: `GET verify with ${label(other.size)} vs ${label(base!.size)}: DB operations`,
        unit: 'db ops',
        baseline: { label: label(base!.size), value: baseline.counts.dbOps!, counts: baseline.counts },
        ours: { label: label(other.size), value: ours.counts.dbOps!, counts: ours.counts },
        rounds: options.rounds,
        target: { op: '==', value: 1 },
        unstable: [...baseline.unstableCounts, ...ours.unstableCounts],
      }),
      timeEntry({ name: `verify.${other.size}.wall`, title: `GET verify with ${label(other.size)} vs ${label(base!.size)}: time`, comparison, labels: [label(base!.size), label(other.size)] }),
    ]
  })
}
