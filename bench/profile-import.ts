// Where an import's time goes: `node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-import.ts`
// (N devices, ROUNDS pushes of the same fleet into one deployed emulator, as import.throughput pushes them).
import { generateDevices, pushInventory, readHandoff } from '@kandji-sn/iru-simulator'
import { cleanup, deploy, start } from './lib/instance.ts'

const n = Number(process.env.N ?? 1000)
const devices = generateDevices({ count: n, seed: 'kandji-bench' })
const emulator = await start({ importTransformDelayMs: 0 })
try {
  const handoff = await readHandoff((await deploy(emulator)).handoffPath)
  for (let i = 0; i < Number(process.env.ROUNDS ?? 1); i++) {
    const started = performance.now()
    const cpu = process.cpuUsage()
    const report = await pushInventory({ handoff, devices, mode: 'bulk', poll: { timeoutMs: 0 } })
    await emulator.importsIdle()
    const ms = performance.now() - started
    const used = process.cpuUsage(cpu)
    const cpuMs = (used.user + used.system) / 1000
    process.stdout.write(`push ${i + 1}: ${Math.round(ms)} ms wall (${Math.round(n / (ms / 1000))} devices/s), ${Math.round(cpuMs)} ms CPU (${Math.round(n / (cpuMs / 1000))} devices/CPU-s), ${report.errors.length} errors\n`)
  }
} finally {
  await emulator.close()
  cleanup()
}
