import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { it } from 'vitest'
import { startEmulator } from '@kandji-sn/instance-emulator'
import { probeObjects, readProfile, rowIds, runProbe, PDI_NAME } from './support.ts'

it('smoke', async () => {
  const emu = await startEmulator({ instanceName: PDI_NAME })
  const before = rowIds(emu)
  const dir = mkdtempSync(join(tmpdir(), 'probe-'))
  const r = await runProbe(emu, dir)
  console.log(r.code, r.stderr, r.stdout, r.requests)
  if (r.code === 0 || r.code === 4) console.log(JSON.stringify(readProfile(r.out), null, 1))
  console.log(probeObjects(emu))
  const after = rowIds(emu)
  for (const t of new Set([...Object.keys(before), ...Object.keys(after)])) if (JSON.stringify(before[t]) !== JSON.stringify(after[t])) console.log('changed', t, before[t]?.length, after[t]?.length)
  await emu.close()
})
