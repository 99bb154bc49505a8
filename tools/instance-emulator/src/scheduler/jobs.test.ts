// emulator.clock and emulator.jobs on a running emulator: every reader of the time follows the clock; tick runs
// each due periodic job once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator } from '../index.ts'
import type { Emulator } from '../types.ts'

let emulator: Emulator
beforeEach(async () => {
  emulator = await startEmulator({ port: 0 })
})
afterEach(async () => {
  await emulator.close()
})

function job(name: string, fields: Record<string, string> = {}): string {
  const row = emulator.db.insert('sysauto_script', { name, active: 'true', run_type: 'periodically', run_period: '1970-01-01 01:00:00', run_start: '2026-01-31 12:00:00', script: `gs.info('${name} ran at ' + gs.nowDateTime());`, ...fields })
  return row.sys_id as string
}

describe('emulator.clock', () => {
  it('drives sys_created_on, GlideDateTime and gs.nowDateTime', () => {
    emulator.clock.set(new Date('2026-01-31T12:00:00Z'))
    const row = emulator.db.insert('cmdb_ci', { name: 'alpha' })
    expect(row.sys_created_on?.slice(0, 13)).toBe('2026-01-31 12')
    emulator.clock.advance(31 * 86_400_000)
    job('Now', { script: `gs.info(gs.nowDateTime().slice(0, 13) + '|' + new GlideDateTime().getValue().slice(0, 13));` })
    expect(emulator.jobs.run('Now').log).toEqual([{ level: 'info', message: '2026-03-03 12|2026-03-03 12' }])
  })
})

describe('emulator.jobs', () => {
  it('tick runs a periodic job from run_start, then once per run_period, and skips inactive and on-demand jobs', () => {
    emulator.clock.set(new Date('2026-01-31T11:59:00Z'))
    job('Hourly')
    job('Off', { active: 'false' })
    job('Manual', { run_type: 'on_demand' })
    job('Broken period', { run_period: 'garbage' })
    expect(emulator.jobs.tick().map((r) => r.name)).toEqual([])
    emulator.clock.advance(60_000)
    expect(emulator.jobs.tick().map((r) => r.name)).toEqual(['Hourly'])
    expect(emulator.jobs.tick().map((r) => r.name)).toEqual([])
    emulator.clock.advance(59 * 60_000)
    expect(emulator.jobs.tick().map((r) => r.name)).toEqual([])
    emulator.clock.advance(60_000)
    expect(emulator.jobs.tick().map((r) => r.name)).toEqual(['Hourly'])
  })

  it('run executes a job on demand, active or not, and names a job it cannot find', () => {
    const id = job('Off', { active: 'false' })
    expect(emulator.jobs.run(id)).toMatchObject({ name: 'Off', ok: true, runAs: 'system' })
    expect(() => emulator.jobs.run('Missing')).toThrow(/no scheduled job \(sysauto_script\) is named or has the sys_id "Missing"/)
  })
})
