// emulator.jobs: run an installed scheduled job on demand (as "Execute Now" does) or every job that is due at the
// instance's clock (tick). Only 'periodically' jobs are scheduled by tick (run_start, then every run_period); the
// other run types run on demand only.
import type { Database } from '../db/database.ts'
import { durationMs, findJob, JOB_TABLE, type JobRun } from '../runtime/jobs.ts'
import { isGlideRuntime } from '../runtime/index.ts'
import type { ScriptRuntime } from '../types.ts'

export interface EmulatorJobs {
  /** Runs the scheduled job (sysauto_script) with this name or sys_id now, active or not, and says how it went. */
  run(nameOrSysId: string): JobRun
  /** Runs every active periodic job whose next run time has passed on the instance's clock, once each. */
  tick(): JobRun[]
}

export function createJobs(db: Database, runtime: ScriptRuntime): EmulatorJobs {
  const lastRun = new Map<string, number>()
  const glide = () => {
    if (!isGlideRuntime(runtime)) throw new Error('jobs: the emulator was started without the Glide runtime (options.runtime), so it cannot run scripts; start it without that option')
    return runtime
  }
  const runRecord = (record: Parameters<ReturnType<typeof glide>['runJob']>[1]): JobRun => {
    lastRun.set(record.sys_id as string, db.now().getTime())
    return glide().runJob(db, record)
  }
  return {
    run: (nameOrSysId) => runRecord(findJob(db, nameOrSysId)),
    tick() {
      if (!db.tableExists(JOB_TABLE)) return []
      const now = db.now().getTime()
      const due = db.query(JOB_TABLE, 'active=true^run_type=periodically^ORDERBYname').filter((job) => {
        const period = durationMs(job.run_period)
        if (period === undefined) return false
        const previous = lastRun.get(job.sys_id as string)
        const next = previous === undefined ? startOf(job.run_start, now) : previous + period
        return next <= now
      })
      return due.map(runRecord)
    },
  }
}

/** run_start is a glide_date_time in UTC; a job without one is due at once. */
function startOf(value: string | undefined, now: number): number {
  const ms = Date.parse(`${(value ?? '').replace(' ', 'T')}Z`)
  return Number.isNaN(ms) ? now : ms
}
