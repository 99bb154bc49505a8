// A run interrupted at any request (Ctrl-C while that request failed: the connection reset before it was processed,
// or after): clean-up, and the command's by-sys_id clean-up of what was recorded, leave nothing of the probe behind.
// Twice: with the defaults (interrupted-defaults.test.ts), and with the switches under which the cross-scope
// experiment creates a choice and the instance tracks a privilege (scope-experiment.ts; interrupted-tracking.test.ts),
// so an interruption between those and their removal is covered.
import { describe, expect, it } from 'vitest'
import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { startEmulator, type Emulator, type EmulatorSwitches, type FaultRule } from '@kandji-sn/instance-emulator'
import { probeAppExperiment } from '../../src/commands/probe/app/index.ts'
import { PROBE_APP } from '../../src/commands/probe/app/package.ts'
import { probeContext, probeLeftovers } from './support.ts'

const LOADER = {
  uploadExecutionTracker: 'answered',
  runFixScriptsOnInstall: false,
  enforceMandatoryOnTableApi: false,
  importSetRequiresWsAccess: true,
  insertMultipleTransform: 'asynchronous',
  choiceListLoader: 'replace',
  upgradeKeepsCustomerChanges: true,
  uninstallOutcome: 'deleted',
} as const

export interface Setting {
  name: string
  switches: Partial<EmulatorSwitches>
  observed: Record<string, string | boolean>
}

export const SETTINGS = {
  defaults: { name: 'defaults', switches: {}, observed: { ...LOADER, runtimeAccessTracking: 'enforcing', crossScopeRefusal: 'throw', globalTableAccess: 'read-only' } },
  tracking: {
    name: 'tracking, open global tables',
    switches: { runtimeAccessTracking: 'tracking', globalTableAccess: 'open' },
    // Nothing is refused under these two, so the refusal cannot be seen.
    observed: { ...LOADER, runtimeAccessTracking: 'tracking', crossScopeRefusal: 'could-not-tell', globalTableAccess: 'open' },
  },
} satisfies Record<string, Setting>

/** The probe app's privileges in the store: those Tracking recorded must go too (they name the app by sys_id only). */
const privileges = (emu: Emulator) => emu.db.query(PLATFORM_TABLES.scopePrivilege, `source_scope=${PROBE_APP.scopeId}`).length

async function run(switches: Partial<EmulatorSwitches>, faults: FaultRule[], signal?: AbortSignal): Promise<{ emu: Emulator; ran: PromiseSettledResult<unknown>; requests: number }> {
  const emu = await startEmulator({ updateMutexHoldMs: 0, faults, switches })
  const t = probeContext(emu, signal)
  const ran = (await Promise.allSettled([probeAppExperiment.run(t.ctx)]))[0]!
  const requests = emu.counters.requests
  await probeAppExperiment.cleanup!(t.ctx)
  await t.removeCreated()
  return { emu, ran, requests }
}

/** The requests of a whole run under `setting` (0 when the reference run failed, which the first test reports). */
export async function requestsOf(setting: Setting): Promise<number> {
  const reference = await run(setting.switches, [])
  await reference.emu.close()
  return reference.ran.status === 'fulfilled' ? reference.requests : 0
}

/** Every case of one setting; a test file per setting, so the two spread over vitest's workers. */
export function describeInterrupted(setting: Setting, requests: number): void {
  describe.each([{ ...setting, requests }])('$name', ({ switches, observed, requests }) => {
    it('a whole run takes a known number of requests (the interruptions below cover each of them)', () => {
      expect(requests).toBeGreaterThan(20)
    })

    describe.each(['reset', 'reset-after'] as const)('interrupted with %s', (kind) => {
      it.each(Array.from({ length: requests }, (_, i) => [i + 1]))('at request %i: clean-up leaves nothing behind', async (at) => {
        const controller = new AbortController()
        let seen = 0
        const fault: FaultRule = {
          kind,
          when: () => {
            if (++seen !== at) return false
            controller.abort()
            return true
          },
        }
        const { emu, ran } = await run(switches, [fault], controller.signal)
        try {
          expect(seen).toBeGreaterThanOrEqual(at)
          // Stopped at its next request: only the very last request of a run leaves nothing for the signal to stop.
          if (at < requests) expect(ran.status === 'rejected' && (ran.reason as Error).name).toBe('AbortError')
          expect(probeLeftovers(emu)).toEqual([])
          expect(privileges(emu)).toBe(0)
          expect(emu.db.query('sys_scope', 'scope=x_kandj_probe')).toEqual([])
        } finally {
          await emu.close()
        }
      })
    })

    describe('a request failing without an interruption', () => {
      it.each(Array.from({ length: requests }, (_, i) => [i + 1]))('reset-after at request %i: the run ends, and clean-up leaves nothing behind', async (at) => {
        let seen = 0
        const { emu, ran } = await run(switches, [{ kind: 'reset-after', when: () => ++seen === at }])
        try {
          expect(ran.status).toBe('fulfilled')
          expect(probeLeftovers(emu)).toEqual([])
          expect(privileges(emu)).toBe(0)
        } finally {
          await emu.close()
        }
      })
    })

    describe('a second run after an interrupted one that got no clean-up at all', () => {
      it.each(Array.from({ length: requests }, (_, i) => [i + 1]))('interrupted at request %i: the second run settles every switch and leaves nothing behind', async (at) => {
        const controller = new AbortController()
        let seen = 0
        const emu = await startEmulator({ updateMutexHoldMs: 0, switches, faults: [{ kind: 'reset-after', when: () => ++seen === at && (controller.abort(), true) }] })
        try {
          await Promise.allSettled([probeAppExperiment.run(probeContext(emu, controller.signal).ctx)])
          const second = probeContext(emu)
          const observations = await probeAppExperiment.run(second.ctx)
          await probeAppExperiment.cleanup!(second.ctx)
          await second.removeCreated()
          expect(Object.fromEntries(Object.entries(observations).map(([s, o]) => [s, o?.outcome === 'observed' ? o.value : o?.outcome]))).toEqual(observed)
          expect(probeLeftovers(emu)).toEqual([])
          expect(privileges(emu)).toBe(0)
        } finally {
          await emu.close()
        }
      })
    })
  })
}
