// A fleet of in-process emulators and the fleet command run in this process (run() from the CLI), for the suites
// that need tens of instances: child processes per instance would not fit on a CI machine.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { fleetReportSchema, type FleetReport } from '@kandji-sn/contract'
import { run } from '@kandji-sn/deploy-integration'
import { loadKandjiApp, startEmulator, type Emulator } from '@kandji-sn/instance-emulator'

export interface FleetMember {
  emulator: Emulator
  prefix: string
  password: string
}

export async function startFleet(size: number): Promise<FleetMember[]> {
  return Promise.all(
    Array.from({ length: size }, async (_, i) => {
      const password = `Adm-${i}-${Math.random().toString(36).slice(2)}`
      return { emulator: await startEmulator({ adminPassword: password }), prefix: `FLEET_${i}`, password }
    }),
  )
}

export async function writeFleetFile(dir: string, members: readonly FleetMember[], concurrency = 4): Promise<string> {
  const path = join(dir, 'fleet.json')
  writeFileSync(path, JSON.stringify({ concurrency, defaults: { appPackage: (await loadKandjiApp()).zip }, instances: members.map((m) => ({ instance: m.emulator.url, adminEnvPrefix: m.prefix })) }))
  return path
}

export function fleetEnv(members: readonly FleetMember[], passwords: ReadonlyMap<string, string> = new Map()): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const m of members) {
    env[`${m.prefix}_USER`] = 'admin'
    env[`${m.prefix}_PASSWORD`] = passwords.get(m.prefix) ?? m.password
  }
  return env
}

export interface FleetRun {
  code: number
  stdout: string
  stderr: string
  json: Record<string, unknown> | undefined
}

/** `deploy-integration fleet <args>` in this process. `onInterrupt` receives the cleanups as the executable's handler would. */
export async function runFleet(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, onInterrupt?: (cleanup: () => Promise<void>) => () => void): Promise<FleetRun> {
  const out = new PassThrough()
  const err = new PassThrough()
  const o: Buffer[] = []
  const e: Buffer[] = []
  out.on('data', (c: Buffer) => o.push(c))
  err.on('data', (c: Buffer) => e.push(c))
  const code = await run(['fleet', ...args], { stdout: out, stderr: err, stdin: Object.assign(new PassThrough(), { isTTY: false }), env, cwd, ...(onInterrupt ? { onInterrupt } : {}) })
  await new Promise((r) => setImmediate(r))
  const stdout = Buffer.concat(o).toString('utf8')
  let json: Record<string, unknown> | undefined
  try {
    json = JSON.parse(stdout) as Record<string, unknown>
  } catch {
    json = undefined
  }
  return { code, stdout, stderr: Buffer.concat(e).toString('utf8'), json }
}

export function readFleetState(dir: string, file = 'state.json'): FleetReport {
  return fleetReportSchema.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')))
}

export function explainFleet(r: FleetRun): string {
  return `exit ${r.code}\n--- stderr\n${r.stderr.slice(-4000)}`
}
