// Issue 16, health monitor (Done when, item 1): stop the simulated pushes, move the instance's clock past the push-age
// threshold, and the next health run records "degraded" with push_recency failing and queues the event once (not once
// per run); lock the service account and the next run names it; fix both and the next run records "healthy".
// Across the emulator's variants of what an unregistered event does and of when insertMultiple transforms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES, HEALTH_RUN, HEALTH_SETTING_DEFAULTS, PLATFORM_TABLES } from '@kandji-sn/contract'
import { EVENT_TABLE, SYSLOG_TABLE, type EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { generateDevices, pushInventory } from '@kandji-sn/iru-simulator'
import { explain, startInstance, type Instance } from './support/instance.ts'

const HOUR = 3_600_000
const INTERVAL = HEALTH_SETTING_DEFAULTS.healthIntervalMinutes.value * 60_000

const VARIANTS: Array<Pick<EmulatorSwitches, 'unregisteredEvents' | 'insertMultipleTransform'>> = [
  { unregisteredEvents: 'dropped', insertMultipleTransform: 'asynchronous' },
  { unregisteredEvents: 'queued', insertMultipleTransform: 'synchronous' },
]

describe.each(VARIANTS)('the health monitor (unregistered events: $unregisteredEvents, insertMultiple: $insertMultipleTransform)', (switches) => {
  let inst: Instance
  let account: string
  const devices = generateDevices({ count: 5, seed: 'e2e-health' })

  const runs = () =>
    inst.emulator.db.query(HEALTH_RUN.table, 'ORDERBYsys_created_on').map((r) => ({ status: r[HEALTH_RUN.fields.status], failing: r[HEALTH_RUN.fields.failingChecks] }))
  const events = () =>
    inst.emulator.db.tableExists(EVENT_TABLE) ? inst.emulator.db.query(EVENT_TABLE).map((e) => ({ name: e.name, table: e.table, state: e.state })) : []
  const degradedErrors = () => inst.emulator.db.query(SYSLOG_TABLE, `level=2^messageSTARTSWITH${HEALTH_RUN.job}: the Kandji integration is degraded`).length
  const push = async () => {
    await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk', batchSize: 50 })
    await inst.emulator.importsIdle()
  }
  /** The job wakes every few minutes and runs once the interval has passed: move the clock by one interval first. */
  const nextRun = () => {
    inst.emulator.clock.advance(INTERVAL)
    const run = inst.emulator.jobs.run(HEALTH_RUN.job)
    expect(run, JSON.stringify(run)).toMatchObject({ ok: true, runAs: 'system' })
    return run
  }
  const setLocked = (locked: boolean) => {
    const user = inst.emulator.db.query(PLATFORM_TABLES.user, `user_name=${account}`)[0]
    inst.emulator.db.update(PLATFORM_TABLES.user, user?.sys_id as string, { locked_out: String(locked) })
  }

  beforeAll(async () => {
    inst = await startInstance({ switches, importTransformDelayMs: 20 })
    const run = await inst.deploy()
    expect(run.code, explain(run)).toBe(EXIT_CODES.ok)
    account = inst.handoff().username
  }, 120_000)
  afterAll(async () => {
    await inst?.close()
  })

  it('records healthy while Iru Endpoint pushes', async () => {
    await push()
    nextRun()
    expect(runs()).toEqual([{ status: 'healthy', failing: '' }])
    expect(events()).toEqual([])
  })

  it('records degraded with push_recency failing once no row arrived for longer than the threshold, and queues the event once', () => {
    inst.emulator.clock.advance((HEALTH_SETTING_DEFAULTS.maxPushAgeHours.value + 1) * HOUR)
    nextRun()
    expect(runs().slice(1)).toEqual([{ status: 'degraded', failing: 'push_recency' }])
    expect(events()).toEqual([{ name: HEALTH_RUN.event, table: HEALTH_RUN.table, state: 'ready' }])
    expect(degradedErrors()).toBe(1)
    nextRun()
    expect(runs().slice(1)).toEqual([{ status: 'degraded', failing: 'push_recency' }, { status: 'degraded', failing: 'push_recency' }])
    expect(events()).toHaveLength(1)
    expect(degradedErrors()).toBe(1)
  })

  it('names the locked service account in the next run, and queues the event again because a check was added', () => {
    setLocked(true)
    nextRun()
    expect(runs().at(-1)).toEqual({ status: 'degraded', failing: 'service_account,push_recency' })
    expect(events()).toHaveLength(2)
    expect(degradedErrors()).toBe(2)
  })

  it('records healthy once the account is unlocked and Iru Endpoint pushes again, and queues nothing', async () => {
    setLocked(false)
    await push()
    nextRun()
    expect(runs().at(-1)).toEqual({ status: 'healthy', failing: '' })
    expect(runs()).toHaveLength(5)
    expect(events()).toHaveLength(2)
    expect(degradedErrors()).toBe(2)
  })

  it('skips a run the interval has not come round for, and deletes runs past the retention', () => {
    expect(inst.emulator.jobs.run(HEALTH_RUN.job)).toMatchObject({ ok: true })
    expect(runs()).toHaveLength(5)
    inst.emulator.clock.advance((HEALTH_SETTING_DEFAULTS.healthRetentionDays.value + 1) * 24 * HOUR)
    // The pushes are now a month old too: the run is degraded, and every earlier run is past the retention.
    nextRun()
    expect(runs()).toEqual([{ status: 'degraded', failing: 'push_recency' }])
  })
})
