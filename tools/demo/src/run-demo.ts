// The whole job on one emulated instance: deploy (the built CLI, as a user runs it), a simulated Iru Endpoint push,
// verify, and the facts for a customer-readable summary. Owns everything it starts; stop() ends all of it.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { integrationStatusSchema, verificationReportSchema, type Handoff, type IntegrationStatus, type VerificationReport } from '@kandji-sn/contract'
import { createClient, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import { loadKandjiApp, startEmulator, type EmulatedRelease, type Emulator } from '@kandji-sn/instance-emulator'
import { generateDevices, malformedRows, mutateDevices, pushInventory, readHandoff, type ChangeKind, type PushReport } from '@kandji-sn/iru-simulator'
import { cliEnv, cliErrorText, runDeployIntegration, requireBuiltCli, type AdminAccess, type CliRun } from './deploy-integration.ts'
import { DemoError } from './errors.ts'
import { cmdbSnapshot, ensureDirectoryUsers, readImportOutcome, type CmdbSnapshot, type ImportOutcome } from './inventory.ts'
import { ProcessGroup } from './processes.ts'

export interface DemoOptions {
  devices: number
  /** Devices changed after the bulk load (sent one row at a time). */
  changes: number
  /** Deliberately broken rows sent with the bulk load. */
  malformed: number
  release: EmulatedRelease
  seed: string
  /** Progress text as it happens (no newline added). */
  progress?: (text: string) => void
}

export const DEFAULT_DEMO_OPTIONS: Omit<DemoOptions, 'progress'> = { devices: 300, changes: 30, malformed: 6, release: 'zurich', seed: 'kandji-demo' }

export interface StepTiming {
  deployMs: number
  pushMs: number
  verifyMs: number
  statusMs: number
}

export interface DemoResult {
  instance: string
  release: string
  handoffPath: string
  deploy: { changes: number; smokeTest: 'pass' | 'fail' | 'skipped' }
  verification: VerificationReport
  verifyExitCode: number
  push: {
    devices: number
    malformed: number
    bulk: PushReport
    bulkOutcome: ImportOutcome
    changes: PushReport
    changeKinds: Partial<Record<ChangeKind, number>>
  }
  cmdb: CmdbSnapshot
  /** `deploy-integration status` at the end: its figures, and its human output (the lines after the instance URL) */
  status: { figures: IntegrationStatus; text: string[] }
  timings: StepTiming
  /** The secrets this run knows (admin password, hand-off secrets), for callers that check no output shows them. */
  secrets: string[]
}

function elapsed(start: number): number {
  return Math.round(performance.now() - start)
}

export class Demo {
  readonly processes = new ProcessGroup()
  private emulator: Emulator | undefined
  private stopped: Promise<{ children: number }> | undefined
  private readonly adminPassword = randomBytes(12).toString('base64url')

  constructor(private readonly options: DemoOptions) {}

  /** Where the emulator listens, once started. */
  get instance(): string | undefined {
    return this.emulator?.url
  }

  async run(): Promise<DemoResult> {
    const o = this.options
    const say = o.progress ?? (() => {})
    requireBuiltCli()
    const app = await loadKandjiApp() // fails with the build instruction before anything starts
    const workDir = mkdtempSync(join(tmpdir(), 'kandji-demo-'))
    const handoffPath = join(workDir, 'kandji-handoff.json')

    this.emulator = await startEmulator({ release: o.release, adminPassword: this.adminPassword })
    if (this.stopped) throw new DemoError('interrupted', 'the demo was stopped', 'run `npm start` again')
    const admin: AdminAccess = { instance: this.emulator.url, user: 'admin', password: this.adminPassword }
    const adminClient = createClient({ instance: admin.instance, auth: { type: 'basic', user: admin.user, password: admin.password }, userAgent: 'kandji-demo' })
    say(`instance  ${admin.instance} (emulated ServiceNow ${capitalize(o.release)}, in memory; stops with the demo)\n\n`)

    say('[1/4] deploy   `deploy-integration deploy --yes` ... ')
    let start = performance.now()
    const deploy = await this.cli(['deploy', '--yes', '--json', '--app-package', app.zip, '--credentials-out', handoffPath], admin)
    if (deploy.code !== 0) throw cliFailure('deploy', deploy)
    const deployMs = elapsed(start)
    const smoke = Array.isArray(deploy.json?.smokeTest) ? (deploy.json.smokeTest as Array<{ status: string }>) : undefined
    const deployInfo = { changes: Number(deploy.json?.changes ?? 0), smokeTest: smoke === undefined ? ('skipped' as const) : smoke.every((c) => c.status === 'pass') ? ('pass' as const) : ('fail' as const) }
    say(`${deployInfo.changes} changes applied, smoke test ${deployInfo.smokeTest === 'pass' ? 'passed' : deployInfo.smokeTest} (${seconds(deployMs)})\n`)

    say('[2/4] push     simulated Iru Endpoint (OAuth password grant, Import Set API) ... ')
    start = performance.now()
    const handoff = await readHandoff(handoffPath)
    const push = await this.push(adminClient, handoff)
    const pushMs = elapsed(start)
    say(`${push.bulk.totals.sent + push.changes.totals.sent} rows (${seconds(pushMs)})\n`)

    say('[3/4] verify   `deploy-integration verify --as-service-account` ... ')
    start = performance.now()
    const verify = await this.cli(['verify', '--json', '--as-service-account', '--credentials-out', handoffPath], admin)
    const verification = verificationReportSchema.safeParse(verify.json?.verification)
    if (!verification.success) throw cliFailure('verify', verify)
    const verifyMs = elapsed(start)
    say(`${verification.data.status} (${seconds(verifyMs)})\n`)

    say('[4/4] status   `deploy-integration status` ... ')
    start = performance.now()
    const statusRun = await this.cli(['status', '--json'], admin)
    const figures = integrationStatusSchema.safeParse(statusRun.json?.status)
    if (statusRun.code !== 0 || !figures.success) throw cliFailure('status', statusRun)
    const statusMs = elapsed(start)
    say(`last push ${figures.data.last_push.age_seconds ?? '-'} s ago (${seconds(statusMs)})\n`)
    // With --json the human text goes to stderr; its first line is the instance URL, then a blank line.
    const statusText = statusRun.stderr.trimEnd().split('\n').slice(2)

    const cmdb = await cmdbSnapshot(adminClient)
    return {
      instance: admin.instance,
      release: this.emulator.release,
      handoffPath,
      deploy: deployInfo,
      verification: verification.data,
      verifyExitCode: verify.code,
      push: { ...push, devices: o.devices, malformed: o.malformed },
      cmdb,
      status: { figures: figures.data, text: statusText },
      timings: { deployMs, pushMs, verifyMs, statusMs },
      secrets: [this.adminPassword, handoff.password, handoff.client_secret],
    }
  }

  private cli(args: string[], admin: AdminAccess): Promise<CliRun> {
    return runDeployIntegration(this.processes, args, cliEnv(admin))
  }

  /** Bulk load (insertMultiple) with a few malformed rows, then a round of changes one row at a time, as Iru Endpoint does. */
  private async push(adminClient: ServiceNowClient, handoff: Handoff) {
    const o = this.options
    const knownUserEmails = await ensureDirectoryUsers(adminClient)
    const devices = generateDevices({ count: o.devices, seed: o.seed, knownUserEmails })
    const malformed = malformedRows(o.malformed, o.seed)
    const bulk = await pushInventory({ handoff, devices, malformed, mode: 'bulk', poll: { timeoutMs: 0 } })
    const bulkOutcome = await readImportOutcome(adminClient, bulk.importSets)
    const changed = mutateDevices(devices, { seed: o.seed, count: Math.min(o.changes, devices.length), knownUserEmails })
    const changes = await pushInventory({ handoff, devices: changed, mode: 'single' })
    const changeKinds: Partial<Record<ChangeKind, number>> = {}
    for (const device of changed) for (const kind of device.changes) changeKinds[kind] = (changeKinds[kind] ?? 0) + 1
    return { bulk, bulkOutcome, changes, changeKinds }
  }

  /** Ends every child process and the emulator. Safe to call more than once and while run() is in flight. */
  stop(): Promise<{ children: number }> {
    this.stopped ??= (async () => {
      const children = await this.processes.stopAll()
      await this.emulator?.close()
      return { children }
    })()
    return this.stopped
  }
}

function cliFailure(command: string, run: CliRun): DemoError {
  const text = cliErrorText(run)
  return new DemoError(
    `\`deploy-integration ${command}\` failed (exit ${run.code}${run.signal ? `, ${run.signal}` : ''}); it said:\n${text.replace(/^/gm, '  ')}`,
    'the step above did not complete on the emulated instance',
    `read the CLI's own fix above; run it by hand with \`npx deploy-integration ${command} --help\`, or report the output`,
    run.code || 1,
  )
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
