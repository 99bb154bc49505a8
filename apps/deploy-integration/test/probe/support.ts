// The probe against the emulator, in-process (as test/support/failure-matrix.ts runs the CLI): short timeouts, no
// pauses, and Ctrl-C simulated at a chosen request. The probe sees only the emulator's HTTP answers.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ADMIN_SIGN_IN, emulatorProfileSchema, PLATFORM_TABLES, PROBE, type EmulatorProfile } from '@kandji-sn/contract'
import { createClient, type ClientOptions, type RequestEvent } from '@kandji-sn/servicenow-client'
import { grantRole, startEmulator, type Emulator, type EmulatorOptions } from '@kandji-sn/instance-emulator'
import { defaultDeps, type Deps } from '../../src/deps.ts'
import { TABLE_API_PROBES } from '../../src/commands/probe/registry.ts'
import type { SwitchProbe } from '../../src/commands/probe/types.ts'
import { runCli, type CliRun } from '../support/run-cli.ts'

export const PDI_NAME = 'dev12345'
const TIMEOUT_MS = 250

export function envFor(emulator: Emulator): NodeJS.ProcessEnv {
  return { SN_INSTANCE: emulator.url, SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }
}

export interface ProbeOptions {
  /** Called before each attempt is sent, with its 1-based index over every client of the run. */
  onRequest?: (index: number) => void
  /** Ctrl-C is pressed when request `interruptAt` has been answered (or failed). */
  interruptAt?: number
  /** The experiments to run; default the Table-API ones (the app experiments have their own suite, test/probe-app/). */
  probes?: readonly SwitchProbe[]
}

export async function probeDeps(options: ProbeOptions = {}): Promise<{ deps: Deps; requests: () => number }> {
  const base = await defaultDeps()
  let count = 0
  let interrupt: (() => void) | undefined
  const deps: Deps = {
    ...base,
    createClient: (o: ClientOptions) =>
      createClient({
        ...o,
        timeoutMs: TIMEOUT_MS,
        sleep: async () => {},
        onRequest: (event: RequestEvent) => {
          o.onRequest?.(event)
          count++
          if (options.interruptAt === count) interrupt?.()
        },
      }),
    sleep: async () => {},
    probes: options.probes ?? TABLE_API_PROBES,
    onInterrupt: (handler) => {
      interrupt = handler
      return () => {
        interrupt = undefined
      }
    },
  }
  return { deps, requests: () => count }
}

export async function runProbe(emulator: Emulator, dir: string, extra: string[] = [], options: ProbeOptions = {}): Promise<CliRun & { requests: number; out: string }> {
  const { deps, requests } = await probeDeps(options)
  const out = join(dir, 'profile.json')
  const result = await runCli(['probe', '--out', out, ...extra], { env: envFor(emulator), deps })
  return { ...result, requests: requests(), out }
}

export function readProfile(path: string): EmulatorProfile {
  return emulatorProfileSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
}

/** Every row of the emulator's store whose value in any field starts with the probe's prefix, as `table field=value`. */
export function probeObjects(emulator: Emulator): string[] {
  const found: string[] = []
  for (const table of emulator.db.dictionary.tableNames()) {
    for (const { row } of emulator.db.scan(table)) {
      for (const [field, value] of Object.entries(row)) {
        if (typeof value === 'string' && value.toLowerCase().startsWith(PROBE.namePrefix)) found.push(`${table} ${field}=${value}`)
      }
    }
  }
  return found
}

/** sys_ids per table, to show that a run left the store as it found it. */
export function rowIds(emulator: Emulator): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const table of emulator.db.dictionary.tableNames()) {
    const ids = [...emulator.db.scan(table)].map(({ row }) => String(row.sys_id)).sort()
    if (ids.length > 0) out[table] = ids
  }
  return out
}

/** Tables whose rows differ between two rowIds snapshots, as `table: +added -removed`. */
export function changedTables(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
  const out: string[] = []
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = new Set(before[table] ?? [])
    const a = new Set(after[table] ?? [])
    const added = [...a].filter((id) => !b.has(id)).length
    const removed = [...b].filter((id) => !a.has(id)).length
    if (added || removed) out.push(`${table}: +${added} -${removed}`)
  }
  return out.sort()
}

/** An emulator as a PDI; the admin holds the role the Basic Auth Restriction lets through. */
export async function pdi(options: EmulatorOptions = {}) {
  const emulator = await startEmulator({ instanceName: PDI_NAME, updateMutexHoldMs: 0, ...options })
  // Whatever the restriction (a switch or a profile sets it), the admin may sign in with basic auth; the probe's
  // observation goes through its own users.
  const admin = emulator.db.findOne(PLATFORM_TABLES.user, 'user_name=admin')
  grantRole(emulator.db, String(admin?.sys_id), ADMIN_SIGN_IN.basicAuthRole)
  // The admin's first login adds its snc_internal (Explicit Roles): done here, so the probe's run can be compared.
  const answer = await fetch(`${emulator.url}/api/now/table/sys_user?sysparm_limit=1`, { headers: { authorization: `Basic ${Buffer.from(`admin:${options.adminPassword ?? 'admin'}`).toString('base64')}` } })
  if (answer.status !== 200) throw new Error(`the admin's first login failed: ${answer.status}`)
  return emulator
}

