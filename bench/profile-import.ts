import { generateDevices, pushInventory, readHandoff } from '@kandji-sn/iru-simulator'
import { deploy, start, cleanup } from './lib/instance.ts'
const n = Number(process.env.N ?? 1000)
const devices = generateDevices({ count: n, seed: 'kandji-bench' })
const emulator = await start()
try {
  const { handoffPath } = await deploy(emulator)
  const handoff = await readHandoff(handoffPath)
  emulator.setLatency(0)
  for (let i = 0; i < Number(process.env.ROUNDS ?? 1); i++) {
    const t = performance.now(); const c0 = process.cpuUsage()
    const r = await pushInventory({ handoff, devices, mode: 'bulk', poll: { timeoutMs: 60_000 } })
    const ms = performance.now() - t; const c = process.cpuUsage(c0); const cpu = (c.user + c.system) / 1000
    console.log(`round ${i}: ${Math.round(ms)} ms, ${Math.round(n / (ms / 1000))} devices/s wall, cpu ${Math.round(cpu)} ms = ${Math.round(n / (cpu / 1000))} devices/cpu-s, errors ${r.errors.length}`)
  }
} finally { await emulator.close(); cleanup() }
