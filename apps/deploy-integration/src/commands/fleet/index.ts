import { PassThrough } from 'node:stream'
import { ENV, EXIT_CODE_SEVERITY, EXIT_CODES, type ExitCode } from '@kandji-sn/contract/constants'
import { describeIssues, fleetConfigSchema, type FleetConfig } from '@kandji-sn/contract'
import { loadConfigFile } from '../../config/file.ts'
import { adminEnvNames, parseTimeout } from '../../config/index.ts'
import { confirm } from '../../confirm.ts'
import type { CommandContext } from '../../context.ts'
import { firstOf, usageError } from '../../errors.ts'
import type { Flags } from '../../flags.ts'
import { formatTable } from '../../render/table.ts'
import { detailFlagsFor } from './detail-flags.ts'

export const summary = 'run plan, deploy or verify on every instance of a fleet file, a few at a time; exit code = the worst'
export const flags = ['config', 'credentials-out', 'interactive-account', 'prune-roles', 'no-verify', 'timeout', 'yes', 'detailed-exitcode', 'drift'] as const

const SUBCOMMANDS = ['plan', 'deploy', 'verify'] as const
type Sub = (typeof SUBCOMMANDS)[number]

export interface FleetEntryResult {
  instance: string
  exitCode: ExitCode
  result: Record<string, unknown> | undefined
  /** The instance's human output, shown as one block so parallel runs do not interleave. */
  text: string
}

/** Runs `worker` over `items` with at most `limit` in flight, keeping the input order in the results. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await worker(items[index] as T, index)
    }
  })
  await Promise.all(lanes)
  return results
}

/** The worst exit code by the contract's severity (4 instance > 3 auth > 2 usage > 1 verification > 5 changes pending > 0). */
export function worstExitCode(codes: readonly ExitCode[]): ExitCode {
  const rank = (c: ExitCode) => EXIT_CODE_SEVERITY.indexOf(c)
  return codes.reduce<ExitCode>((worst, c) => (rank(c) > rank(worst) ? c : worst), EXIT_CODES.ok)
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return () => Buffer.concat(chunks).toString('utf8')
}

/**
 * A per-instance credentials path: FILE with the tenant inserted before the extension (creds.json -> creds.acme.json).
 * The tenant of an emulator URL is host:port: characters a file name cannot carry everywhere (":" on Windows and
 * macOS Finder) become "-" (creds.127.0.0.1-45865.json).
 */
export function credentialsPathFor(base: string, rawTenant: string): string {
  const tenant = rawTenant.replace(/[^A-Za-z0-9._-]/g, '-')
  const dot = base.lastIndexOf('.')
  const slash = base.lastIndexOf('/')
  // A leading dot (".creds") is part of the name, not an extension.
  return dot > slash + 1 ? `${base.slice(0, dot)}.${tenant}${base.slice(dot)}` : `${base}.${tenant}`
}

async function runOne(ctx: CommandContext, sub: Sub, fleet: FleetConfig, index: number, extraFlags: string[]): Promise<FleetEntryResult> {
  const entry = fleet.instances[index]!
  const { adminEnvPrefix, instance, ...settings } = entry
  const input: Record<string, unknown> = { ...fleet.defaults, ...settings, instance: instance.url }
  const env: NodeJS.ProcessEnv = { ...ctx.io.env }
  delete env[ENV.instance]
  // With a prefix the entry's own variables are read (and named in messages), never SN_ADMIN_USER / SN_ADMIN_PASSWORD.
  const adminEnv = adminEnvPrefix ? adminEnvNames(adminEnvPrefix) : undefined
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const readOut = collect(stdout)
  const readErr = collect(stderr)
  const argv = [sub, '--json', '--no-color', ...extraFlags]
  if (ctx.flags['credentials-out']) argv.push('--credentials-out', credentialsPathFor(ctx.flags['credentials-out'], instance.tenant))
  const { run } = await import('../../cli.ts')
  const exitCode = await run(argv, { ...ctx.io, env, stdout, stderr, stdin: Object.assign(new PassThrough(), { isTTY: false }) }, { deps: ctx.deps, configInput: { value: input, label: `${ctx.flags.config}: instances[${index}]`, ...(adminEnv ? { adminEnv } : {}) } })
  stdout.end()
  stderr.end()
  let result: Record<string, unknown> | undefined
  try {
    result = JSON.parse(readOut()) as Record<string, unknown>
  } catch {
    result = undefined
  }
  return { instance: instance.url, exitCode, result, text: readErr() }
}

function passFlags(f: Flags): string[] {
  const list: string[] = []
  if (f['interactive-account']) list.push('--interactive-account')
  if (f['prune-roles']) list.push('--prune-roles')
  if (f['no-verify']) list.push('--no-verify')
  return list
}

export async function run(ctx: CommandContext): Promise<number> {
  const { out, flags: f } = ctx
  const sub = ctx.positionals[0]
  if (!SUBCOMMANDS.includes(sub as Sub)) {
    throw usageError(sub ? `fleet cannot run "${sub}"` : 'fleet needs a command', `fleet runs ${SUBCOMMANDS.join(', ')} over the instances of a fleet file`, 'run `deploy-integration fleet deploy --config fleet.yaml`')
  }
  if (!f.config) throw usageError('fleet needs --config FLEET_FILE', 'the instances come from a fleet file (JSON or YAML)', 'pass --config fleet.yaml (see the README for its shape)')
  const raw = await loadConfigFile(f.config)
  const parsed = fleetConfigSchema.safeParse(raw)
  if (!parsed.success) throw usageError(`invalid fleet file ${f.config}: ${firstOf(describeIssues(parsed.error))}`, 'a key of the fleet file has a value the CLI cannot use', 'correct the field named above')
  const fleet = parsed.data
  const extra = passFlags(f)
  const detail = detailFlagsFor(sub as Sub, f)
  // Checked once here rather than once per instance; each run gets it (verify too).
  const timeout = f.timeout !== undefined && parseTimeout(f.timeout) ? ['--timeout', f.timeout] : []

  const runAll = async (command: Sub, flagsForEach: string[]) => {
    const results = await mapBounded(fleet.instances, fleet.concurrency, (_, i) => runOne(ctx, command, fleet, i, flagsForEach))
    for (const r of results) {
      out.line()
      out.line(out.style(`== ${r.instance} (exit ${r.exitCode})`, 'bold'))
      for (const l of r.text.trimEnd().split('\n')) if (l !== '') out.line(`   ${l}`)
    }
    return results
  }

  let results: FleetEntryResult[]
  if (sub === 'deploy' && !f.yes) {
    const plans = await runAll('plan', [...extra.filter((x) => x !== '--no-verify'), ...timeout])
    const worstPlan = worstExitCode(plans.map((p) => p.exitCode))
    if (worstPlan !== EXIT_CODES.ok) {
      out.line()
      out.lines(summaryTable(plans))
      throw usageError('nothing was changed: the plan failed on some instances', 'see the errors per instance above', 'fix them and re-run, or deploy the others with a smaller fleet file')
    }
    await confirm(ctx, `Deploy to ${fleet.instances.length} instance${fleet.instances.length === 1 ? '' : 's'}?`)
  }
  results = await runAll(sub as Sub, [...(sub === 'deploy' ? [...extra, '--yes'] : sub === 'verify' ? [] : extra.filter((x) => x !== '--no-verify')), ...timeout, ...detail])
  out.line()
  out.lines(summaryTable(results))
  const worst = worstExitCode(results.map((r) => r.exitCode))
  out.result({ command: `fleet ${sub}`, exitCode: worst, instances: results.map((r) => ({ instance: r.instance, exitCode: r.exitCode, result: r.result ?? null })) })
  return worst
}

function summaryTable(results: readonly FleetEntryResult[]): string[] {
  const describe = (r: FleetEntryResult) => {
    const res = r.result ?? {}
    if (Array.isArray(res.drift) && res.drift.length > 0) return `drift: ${res.drift.map((d: { kind?: unknown }) => String(d.kind)).join(', ')}`
    if (r.exitCode !== EXIT_CODES.ok && r.exitCode !== EXIT_CODES.changesPending) return typeof res.error === 'string' ? res.error : typeof res.status === 'string' ? res.status : 'failed'
    if (typeof res.changes === 'number') return `${res.changes} change${res.changes === 1 ? '' : 's'}`
    if (typeof res.status === 'string') return res.status
    return 'ok'
  }
  return formatTable(['INSTANCE', 'EXIT', 'RESULT'], results.map((r) => [r.instance, String(r.exitCode), describe(r)]))
}
