import { criticalPath } from './lib/critical-path.ts'
import { deploy, start } from './lib/instance.ts'
const lat = Number(process.argv[2] ?? 20)
const emu = await start({ latencyMs: lat })
const t0 = performance.now()
const first = await deploy(emu)
const w1 = performance.now() - t0
const show = (name: string, spans: typeof first.spans, wall: number, detail: boolean) => {
  const base = Math.min(...spans.map((s) => s.sentAt))
  const cp = criticalPath(spans)
  console.log(`== ${name}: ${spans.length} requests, critical path ${cp.length}, wall ${Math.round(wall)} ms, ratio ${(wall / (cp.length * lat)).toFixed(2)}`)
  if (detail) for (const s of [...spans].sort((a, b) => a.sentAt - b.sentAt)) console.log(`${cp.chain.includes(s) ? '*' : ' '} ${Math.round(s.sentAt - base).toString().padStart(6)} ${Math.round(s.answeredAt - base).toString().padStart(6)} ${s.method} ${decodeURIComponent(s.target)}`)
}
show('fresh', first.spans, w1, process.argv[3] === 'fresh')
emu.resetCounters()
const t1 = performance.now()
const again = await deploy(emu, { handoffPath: first.handoffPath })
show('redeploy', again.spans, performance.now() - t1, true)
await emu.close()
