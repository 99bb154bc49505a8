// The round trip: a profile the probe wrote, given to `startEmulator({ profile })`, makes an emulator the probe
// observes the same way. The first emulator has every Table-API switch on its non-default value; the second test does
// the same for the cross-scope switches the probe app settles.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { PROBED_SWITCHES } from '@kandji-sn/contract'
import { DEFAULT_SWITCHES, type EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { APP_PROBES } from '../../src/commands/probe/app/index.ts'
import { TABLE_API_PROBES } from '../../src/commands/probe/registry.ts'
import { pdi, readProfile, runProbe } from './support.ts'

const values = (path: string) => Object.fromEntries(Object.entries(readProfile(path).switches).map(([k, o]) => [k, o.outcome === 'observed' ? o.value : 'could-not-tell']))

it('probe -> profile -> startEmulator({ profile }) -> probe: the same observations', async () => {
  const flipped = Object.fromEntries(
    TABLE_API_PROBES.flatMap((p) => p.switches).map((name) => [name, PROBED_SWITCHES[name].find((v) => v !== DEFAULT_SWITCHES[name as keyof EmulatorSwitches])]),
  ) as Partial<EmulatorSwitches>
  const first = await pdi({ switches: flipped })
  let profilePath: string
  try {
    const run = await runProbe(first, mkdtempSync(join(tmpdir(), 'probe-')))
    expect(run.code).toBe(0)
    profilePath = run.out
    expect(values(profilePath)).toEqual(flipped)
  } finally {
    await first.close()
  }
  const second = await pdi({ profile: profilePath })
  try {
    const again = await runProbe(second, mkdtempSync(join(tmpdir(), 'probe-')))
    expect(again.code).toBe(0)
    expect(values(again.out)).toEqual(flipped)
  } finally {
    await second.close()
  }
})

it('the cross-scope switches of the probe app make the same round trip', async () => {
  // Each off its default, and the combination under which all three are seen (a read-only sys_choice shows the refusal).
  const scope = { runtimeAccessTracking: 'tracking', crossScopeRefusal: 'quiet', globalTableAccess: 'read-only' } as const
  const ofScope = (path: string) => Object.fromEntries(Object.entries(values(path)).filter(([k]) => Object.hasOwn(scope, k)))
  const first = await pdi({ switches: scope })
  let profilePath: string
  try {
    const run = await runProbe(first, mkdtempSync(join(tmpdir(), 'probe-')), [], { probes: APP_PROBES })
    expect(run.code).toBe(0)
    profilePath = run.out
    expect(ofScope(profilePath)).toEqual(scope)
  } finally {
    await first.close()
  }
  const second = await pdi({ profile: profilePath })
  try {
    const again = await runProbe(second, mkdtempSync(join(tmpdir(), 'probe-')), [], { probes: APP_PROBES })
    expect(again.code).toBe(0)
    expect(ofScope(again.out)).toEqual(scope)
  } finally {
    await second.close()
  }
})
