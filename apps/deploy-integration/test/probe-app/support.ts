// A minimal ProbeContext over an emulator, and the check that the probe left nothing of its own behind.
import { PROBE } from '@kandji-sn/contract/constants'
import { createClient, type AuthConfig } from '@kandji-sn/servicenow-client'
import type { Emulator } from '@kandji-sn/instance-emulator'
import type { ProbeContext } from '../../src/commands/probe/types.ts'

const instant = async () => {}

export interface TestContext {
  ctx: ProbeContext
  created: Array<{ table: string; sysId: string; name: string }>
  /** What the command's generic clean-up does: delete every recorded object by sys_id (a table that is gone is fine). */
  removeCreated(): Promise<void>
}

export function probeContext(emu: Emulator, signal: AbortSignal = new AbortController().signal): TestContext {
  const client = (auth: AuthConfig) => createClient({ instance: emu.url, auth, sleep: instant })
  const admin = client({ type: 'basic', user: 'admin', password: 'admin' })
  const created: TestContext['created'] = []
  const ctx: ProbeContext = {
    admin,
    instanceUrl: emu.url,
    clientFor: client,
    created(table, sysId, name) {
      if (!name.startsWith(PROBE.namePrefix)) throw new Error(`created: ${name} does not start with ${PROBE.namePrefix}`)
      created.push({ table, sysId, name })
    },
    signal,
  }
  return {
    ctx,
    created,
    async removeCreated() {
      for (const c of created) if (emu.db.tableExists(c.table)) await admin.table.delete(c.table, c.sysId)
    },
  }
}

/**
 * Platform history the probe cannot and must not delete: install history, execution trackers and rollback contexts
 * of its installs, and the system log. Everything else that names the probe is a leftover.
 */
const HISTORY = new Set(['sys_upgrade_history', 'sys_execution_tracker', 'sys_rollback_context', 'syslog', 'sys_mutex'])

/** Every table and row outside the platform's history that names the probe app or a kandji_probe_ object. */
export function probeLeftovers(emu: Emulator): string[] {
  const names = (text: string) => text.includes(PROBE.appScope) || text.includes(PROBE.namePrefix)
  const left: string[] = emu.db.dictionary.tableNames().filter(names).map((t) => `table ${t}`)
  for (const table of emu.db.dictionary.tableNames()) {
    if (HISTORY.has(table) || !emu.db.tableExists(table)) continue
    for (const { row } of emu.db.scan(table)) {
      if (Object.values(row).some((v) => typeof v === 'string' && names(v))) left.push(`${table} ${row.sys_id} ${row.name ?? row.value ?? ''}`)
    }
  }
  return [...new Set(left)]
}
