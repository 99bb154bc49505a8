// An emulated customer instance for the end-to-end suites, driven the way a user drives a real one: the built
// deploy-integration executable (through @kandji-sn/demo's runner), the simulator with the hand-off file, and an
// admin client for what an admin would look at. Only the drift helpers touch the emulator's store directly, to
// play the part of a person changing records by hand.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { handoffSchema, PLATFORM_TABLES, verificationReportSchema, type Handoff, type VerificationReport } from '@kandji-sn/contract'
import { createClient, type AuthConfig, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import { loadKandjiApp, startEmulator, type Emulator, type EmulatorOptions } from '@kandji-sn/instance-emulator'
import { cliEnv, ProcessGroup, runDeployIntegration, type AdminAccess, type CliRun } from '@kandji-sn/demo'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export function tempDir(label = 'e2e'): string {
  return mkdtempSync(join(tmpdir(), `kandji-${label}-`))
}

/** An instance driven through the CLI and an admin client: emulated (startInstance) or live (connectInstance). */
export interface Connected {
  admin: AdminAccess
  /** The admin's client, for what an admin looks at in the UI (import set runs, CMDB lists). */
  client: ServiceNowClient
  /** The hand-off file `deploy --credentials-out` writes. */
  handoffPath: string
  /** Runs `deploy-integration <args>` (the built executable) against this instance. */
  cli(args: readonly string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliRun>
  /** deploy --yes with the copied app package and the hand-off file. */
  deploy(extra?: readonly string[]): Promise<CliRun>
  /** verify --json; the parsed report (undefined when the command did not produce one). */
  verify(extra?: readonly string[]): Promise<CliRun & { report: VerificationReport | undefined }>
  handoff(): Handoff
  /** Stops the CLI processes still running. */
  close(): Promise<void>
}

export interface Instance extends Connected {
  emulator: Emulator
  /** Database writes since the last resetCounters(). */
  writes(): { insert: number; update: number; delete: number }
}

/** `client`: how the test's own admin client signs in (default basic auth as `admin`). */
export async function connectInstance(admin: AdminAccess, options: { client?: AuthConfig } = {}): Promise<Connected> {
  const { zip } = await loadKandjiApp()
  const processes = new ProcessGroup()
  const dir = tempDir('instance')
  const handoffPath = join(dir, 'handoff.json')
  const cli = (args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) => runDeployIntegration(processes, args, cliEnv(admin, extraEnv), dir)
  return {
    admin,
    client: createClient({ instance: admin.instance, auth: options.client ?? { type: 'basic', user: admin.user, password: admin.password }, userAgent: 'kandji-e2e' }),
    handoffPath,
    cli,
    deploy: (extra = []) => cli(['deploy', '--yes', '--app-package', zip, '--credentials-out', handoffPath, ...extra]),
    async verify(extra = []) {
      const run = await cli(['verify', '--json', ...extra])
      const parsed = verificationReportSchema.safeParse(run.json?.verification)
      return { ...run, report: parsed.success ? parsed.data : undefined }
    },
    handoff: () => handoffSchema.parse(JSON.parse(readFileSync(handoffPath, 'utf8'))),
    async close() {
      await processes.stopAll()
    },
  }
}

export async function startInstance(options: EmulatorOptions = {}): Promise<Instance> {
  const adminPassword = `Adm-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`
  const emulator = await startEmulator({ ...options, adminPassword })
  const connected = await connectInstance({ instance: emulator.url, user: 'admin', password: adminPassword })
  return {
    ...connected,
    emulator,
    writes() {
      const { insert, update, delete: del } = emulator.counters.db
      return { insert, update, delete: del }
    },
    async close() {
      await connected.close()
      await emulator.close()
      // A value the app handed the platform for a column the table does not have vanishes on an instance; here it
      // fails the suite (audit item 7).
      const misses = emulator.db.schemaMisses.map((m) => `${m.table}.${m.column} (${m.by})`)
      if (misses.length > 0) throw new Error(`the app wrote columns its tables do not have: ${[...new Set(misses)].join(', ')}`)
    },
  }
}

/**
 * One request to the instance with basic auth (the admin unless `user`/`password` say otherwise), for the calls whose
 * status a test asserts and the client would turn into an error (a 409 from repair, say). The body is parsed JSON.
 */
export async function request(
  inst: Connected,
  path: string,
  init: { method?: string; body?: unknown; user?: string; password?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const credentials = `${init.user ?? inst.admin.user}:${init.password ?? inst.admin.password}`
  const res = await fetch(`${inst.admin.instance}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Basic ${Buffer.from(credentials).toString('base64')}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined }
}

/** The status of one check in a report ('missing' when the report lacks it). */
export function checkStatus(report: VerificationReport | undefined, id: VerificationReport['checks'][number]['id']): string {
  return report?.checks.find((c) => c.id === id)?.status ?? 'missing'
}

/** What a failed CLI run printed, to make an assertion failure readable. */
export function explain(run: CliRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout.slice(0, 3000)}\n--- stderr\n${run.stderr.slice(0, 3000)}`
}

/** Sets a system property on the emulator directly (an admin editing sys_properties), creating it if missing. */
export function setProperty(inst: Instance, name: string, value: string): void {
  const db = inst.emulator.db
  const row = db.query(PLATFORM_TABLES.property, `name=${name}`)[0]
  if (row) db.update(PLATFORM_TABLES.property, row.sys_id as string, { value })
  else db.insert(PLATFORM_TABLES.property, { name, value })
}
