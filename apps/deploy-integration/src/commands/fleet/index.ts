import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { EXIT_CODE_SEVERITY, EXIT_CODES, type ExitCode } from '@kandji-sn/contract/constants'
import { describeIssues, fleetConfigSchema, FLEET_COMMANDS, type FleetCommand, type FleetConfig, type FleetInstanceReport, type FleetReport } from '@kandji-sn/contract'
import { loadConfigFile } from '../../config/file.ts'
import { parseTimeout } from '../../config/index.ts'
import { confirm } from '../../confirm.ts'
import type { CommandContext } from '../../context.ts'
import { firstOf, usageError } from '../../errors.ts'
import type { Flags } from '../../flags.ts'
import { INTERRUPTED_EXIT } from '../../interrupt.ts'
import { formatTable } from '../../render/table.ts'
import { pushCells } from './report.ts'
import { detailFlagsFor } from './detail-flags.ts'
import { mergeStates, readShardStates } from './merge.ts'
import { parseConcurrency, parseInstanceTimeout } from './options.ts'
import { credentialsPathFor, outFiles } from './paths.ts'
import { fleetProgress } from './progress.ts'
import { instanceRecord, unfinishedRecord } from './record.ts'
import { buildReport, entryExitCode, markdownReport, statusText, type ReportMeta } from './report.ts'
import { runInstance, type InstanceRunResult } from './run-instance.ts'
import { inShard, parseShard } from './shard.ts'
import { fleetHash, readState, resumeFrom, STATE_FILE, writeState } from './state.ts'

export { credentialsPathFor } from './paths.ts'

export const summary = 'run plan, deploy or verify on every instance of a fleet file, a few at a time; exit code = the worst. `fleet merge DIR...` combines the reports of shards'
export const flags = ['config', 'credentials-out', 'interactive-account', 'prune-roles', 'no-verify', 'timeout', 'yes', 'concurrency', 'instance-timeout', 'out', 'resume', 'shard', 'detailed-exitcode', 'drift'] as const

const SUBCOMMANDS = [...FLEET_COMMANDS, 'merge'] as const
type Sub = FleetCommand

export const REPORT_FILE = 'report.md'
export const MERGED_REPORT_JSON = 'report.json'

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

function passFlags(f: Flags): string[] {
  const list: string[] = []
  if (f['interactive-account']) list.push('--interactive-account')
  if (f['prune-roles']) list.push('--prune-roles')
  if (f['no-verify']) list.push('--no-verify')
  return list
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  )
}

/** The app version the fleet deploys: the fleet file's defaults.appVersion, or the version inside defaults.appPackage. */
async function fleetAppVersion(ctx: CommandContext, fleet: FleetConfig): Promise<string | null> {
  if (fleet.defaults.appVersion) return fleet.defaults.appVersion
  if (!fleet.defaults.appPackage) return null
  try {
    return (await ctx.deps.readAppPackage(resolve(ctx.io.cwd, fleet.defaults.appPackage))).version
  } catch {
    return null // the instance runs say what is wrong with the package
  }
}

async function prepareOut(dir: string): Promise<void> {
  try {
    await mkdir(join(dir, 'logs'), { recursive: true, mode: 0o700 })
    await mkdir(join(dir, 'handoff'), { recursive: true, mode: 0o700 })
  } catch (error) {
    throw usageError(`cannot use --out ${dir}: ${(error as Error).message}`, 'the fleet writes its state, reports, logs and hand-off files there, and the folder cannot be created', 'pass --out with a folder you can write')
  }
}

function outcomeLine(entry: FleetInstanceReport): string {
  const parts = [`exit ${entry.exitCode ?? '-'}`]
  if (entry.changes !== null) parts.push(`${entry.changes} change${entry.changes === 1 ? '' : 's'}`)
  const failing = entry.checks.filter((c) => c.status === 'fail').map((c) => c.id)
  if (failing.length > 0) parts.push(`failing: ${failing.join(', ')}`)
  if (entry.drift.length > 0) parts.push(`drift: ${entry.drift.map((d) => d.kind).join(', ')}`)
  if (entry.timing) parts.push(`${(entry.timing.ms / 1000).toFixed(1)} s`)
  const status = entry.status === 'ok' ? 'ok    ' : entry.status === 'drifted' ? 'DRIFT ' : 'FAILED'
  return `${status} ${entry.instance} (${parts.join(', ')})${entry.error ? `: ${entry.error.message}` : ''}`
}

export async function run(ctx: CommandContext): Promise<number> {
  const sub = ctx.positionals[0]
  if (!(SUBCOMMANDS as readonly string[]).includes(sub ?? '')) {
    throw usageError(sub ? `fleet cannot run "${sub}"` : 'fleet needs a command', `fleet runs ${FLEET_COMMANDS.join(', ')} over the instances of a fleet file, and merge combines the reports of shards`, 'run `deploy-integration fleet deploy --config fleet.yaml`')
  }
  if (sub === 'merge') return merge(ctx)
  if (ctx.positionals.length > 1) throw usageError(`unexpected argument "${ctx.positionals[1]}"`, `fleet ${sub} takes one command and flags`, 'see `deploy-integration fleet --help`')
  return runFleet(ctx, sub as Sub)
}

async function runFleet(ctx: CommandContext, sub: Sub): Promise<number> {
  const { out, flags: f } = ctx
  if (!f.config) throw usageError('fleet needs --config FLEET_FILE', 'the instances come from a fleet file (JSON or YAML)', 'pass --config fleet.yaml (see the README for its shape)')
  const raw = await loadConfigFile(f.config)
  const parsed = fleetConfigSchema.safeParse(raw)
  if (!parsed.success) throw usageError(`invalid fleet file ${f.config}: ${firstOf(describeIssues(parsed.error))}`, 'a key of the fleet file has a value the CLI cannot use', 'correct the field named above')
  const fleet = parsed.data
  const concurrency = parseConcurrency(f.concurrency, fleet.concurrency)
  const deadlineMs = parseInstanceTimeout(f['instance-timeout'])
  const shard = parseShard(f.shard)
  const outDir = f.out === undefined ? undefined : resolve(ctx.io.cwd, f.out)
  if (f.resume && !outDir) throw usageError('--resume needs --out DIR', '--resume continues the run whose state is in DIR/state.json', 'pass the same --out DIR as the run to continue')
  const extra = passFlags(f)
  const detail = detailFlagsFor(sub as Sub, f)
  // Checked once here rather than once per instance; each run gets it (verify too).
  const timeout = f.timeout !== undefined && parseTimeout(f.timeout) ? ['--timeout', f.timeout] : []
  const hash = fleetHash(await readFile(f.config))
  const appVersion = await fleetAppVersion(ctx, fleet)
  const selected = fleet.instances.map((entry, index) => ({ entry, index })).filter(({ entry }) => inShard(entry.instance.url, shard))

  let carried = new Map<string, FleetInstanceReport>()
  if (outDir) {
    await prepareOut(outDir)
    if (f.resume) {
      const choice = resumeFrom(await readState(join(outDir, STATE_FILE)), { command: sub, fleetHash: hash, appVersion }, join(outDir, STATE_FILE))
      carried = choice.carried
      for (const n of choice.notices) out.errorText(n)
    }
  }
  const toRun = selected.filter(({ entry }) => !carried.has(entry.instance.url))
  if (shard) out.errorText(`shard ${shard.index}/${shard.total}: ${selected.length} of ${fleet.instances.length} instances`)

  const meta: ReportMeta = { command: sub, fleetHash: hash, fleetSize: fleet.instances.length, appVersion, shards: shard ? [shard] : [], startedAt: new Date().toISOString() }
  const entries = new Map<string, FleetInstanceReport>(selected.map(({ entry }) => [entry.instance.url, carried.get(entry.instance.url) ?? unfinishedRecord(entry.instance.url, entry.instance.tenant, sub, 'pending')]))
  const stragglers: Promise<unknown>[] = []
  const stderrTty = (ctx.io.stderr as { isTTY?: boolean }).isTTY === true
  let cancelled = false
  const running = new Map<string, number>()

  const reportNow = (): FleetReport => {
    const list = [...entries.values()]
    return buildReport(meta, list, worstExitCode(list.map(entryExitCode)))
  }
  // State writes one after another, each of the whole state (atomic: tmp + rename).
  let writes: Promise<void> = Promise.resolve()
  const saveState = () => {
    if (!outDir) return writes
    const report = reportNow()
    writes = writes.then(() => writeState(outDir, report))
    return writes
  }

  const runPhase = async (command: Sub, flagsForEach: string[], record: boolean) => {
    const progress = fleetProgress({ tty: stderrTty, write: (t) => ctx.io.stderr.write(out.redact(t)) }, toRun.length, `fleet ${command}`)
    try {
      return await mapBounded(toRun, concurrency, async ({ entry, index }): Promise<InstanceRunResult | undefined> => {
        if (cancelled) return undefined
        const url = entry.instance.url
        const files = outDir ? outFiles(entry.instance.tenant) : undefined
        const argv = [command, '--json', '--no-color', ...flagsForEach]
        if (f['credentials-out']) argv.push('--credentials-out', credentialsPathFor(f['credentials-out'], entry.instance.tenant))
        else if (files && outDir && (command === 'deploy' || (await exists(join(outDir, files.handoff))))) argv.push('--credentials-out', join(outDir, files.handoff))
        running.set(url, Date.now())
        progress.started(url)
        const r = await runInstance(ctx, fleet, index, `${f.config}: instances[${index}]`, { command, argv, ...(deadlineMs !== undefined ? { deadlineMs } : {}), onLine: (l) => progress.step(url, l) })
        running.delete(url)
        if (r.abandoned) stragglers.push(r.abandoned.catch(() => undefined))
        const handoff = files && outDir && !f['credentials-out'] && (await exists(join(outDir, files.handoff))) ? files.handoff : null
        if (files && outDir) await writeFile(join(outDir, files.log), out.redact(r.text), { mode: 0o600 })
        const rec = instanceRecord({ ...r, log: files?.log ?? null, handoff })
        if (record) {
          entries.set(url, rec)
          await saveState()
        }
        progress.finished(url, outcomeLine(rec), rec.status !== 'ok' && rec.status !== 'drifted')
        return r
      })
    } finally {
      progress.close()
    }
  }

  // Ctrl-C / SIGTERM (interrupt.ts): no new instance starts; the running ones are recorded as interrupted (their
  // own lock cleanups run beside this one), so --resume runs them again. The executable then ends by the signal.
  const unregister = ctx.io.onInterrupt?.(async () => {
    cancelled = true
    for (const [url, since] of running) {
      const e = entries.get(url)!
      entries.set(url, unfinishedRecord(url, e.tenant, sub, 'interrupted', since))
    }
    out.errorText(`interrupted: no new instance starts; ${running.size} running instance${running.size === 1 ? '' : 's'} recorded as interrupted${outDir ? ` in ${join(outDir, STATE_FILE)} (--resume runs them again)` : ''}`)
    await saveState()
  })
  try {
    if (sub === 'deploy' && !f.yes) {
      const plans = (await runPhase('plan', [...extra.filter((x) => x !== '--no-verify'), ...timeout], false)).filter((p): p is InstanceRunResult => p !== undefined)
      const worstPlan = worstExitCode(plans.map((p) => p.exitCode))
      if (cancelled) return INTERRUPTED_EXIT
      printBlocks(ctx, plans)
      if (worstPlan !== EXIT_CODES.ok) {
        out.line()
        out.lines(summaryTable(plans.map((p) => instanceRecord({ ...p, log: null, handoff: null })), out.width))
        throw usageError('nothing was changed: the plan failed on some instances', 'see the errors per instance above', 'fix them and re-run, or deploy the others with a smaller fleet file')
      }
      await confirm(ctx, `Deploy to ${toRun.length} instance${toRun.length === 1 ? '' : 's'}?`)
    }
    await saveState()
    const results = (await runPhase(sub, [...(sub === 'deploy' ? [...extra, '--yes'] : sub === 'verify' ? ['--with-status'] : extra.filter((x) => x !== '--no-verify')), ...timeout, ...detail], true)).filter((r): r is InstanceRunResult => r !== undefined)
    await Promise.all(stragglers)
    const report = reportNow()
    await saveState()
    if (outDir) await writeFile(join(outDir, REPORT_FILE), markdownReport(report), { mode: 0o600 })
    if (!outDir) printBlocks(ctx, results)
    out.line()
    out.lines(summaryTable(report.instances, out.width))
    const push = pushTable(report.instances, out.width)
    if (push.length > 0) out.lines(['', ...push])
    if (outDir) out.line(`state: ${join(outDir, STATE_FILE)}  report: ${join(outDir, REPORT_FILE)}  logs: ${join(outDir, 'logs')}`)
    const byUrl = new Map(results.map((r) => [r.instance, r]))
    out.result({
      command: `fleet ${sub}`,
      exitCode: cancelled ? INTERRUPTED_EXIT : report.exitCode,
      ...(cancelled ? { status: 'interrupted' } : {}),
      instances: report.instances.map((e) => ({ instance: e.instance, exitCode: e.exitCode, result: byUrl.get(e.instance)?.result ?? null })),
      report,
    })
    return cancelled ? INTERRUPTED_EXIT : report.exitCode
  } finally {
    unregister?.()
  }
}

function printBlocks(ctx: CommandContext, results: readonly InstanceRunResult[]): void {
  for (const r of results) {
    ctx.out.line()
    ctx.out.line(ctx.out.style(`== ${r.instance} (exit ${r.exitCode})`, 'bold'))
    for (const l of r.text.trimEnd().split('\n')) if (l !== '') ctx.out.line(`   ${l}`)
  }
}

function summaryTable(entries: readonly FleetInstanceReport[], width: number | undefined): string[] {
  const describe = (e: FleetInstanceReport) => {
    if (e.drift.length > 0) return `drift: ${e.drift.map((d) => d.kind).join(', ')}`
    if (e.error) return e.error.message
    if (e.changes !== null) return `${e.changes} change${e.changes === 1 ? '' : 's'}`
    return statusText(e)
  }
  return formatTable(['INSTANCE', 'EXIT', 'RESULT'], entries.map((e) => [e.instance, e.exitCode === null ? '-' : String(e.exitCode), describe(e)]), { width, wrap: [2] })
}

/** fleet verify: each instance's last push and health from the app's status endpoint; nothing when none reported it. */
function pushTable(entries: readonly FleetInstanceReport[], width: number | undefined): string[] {
  const rows = entries.filter((e) => e.push !== undefined).map((e) => [e.instance, ...pushCells(e)])
  return rows.length === 0 ? [] : formatTable(['INSTANCE', 'LAST PUSH', 'HEALTH'], rows, { width, wrap: [2] })
}

async function merge(ctx: CommandContext): Promise<number> {
  const { out, flags: f } = ctx
  const inputs = await readShardStates(ctx.positionals.slice(1).map((d) => resolve(ctx.io.cwd, d)))
  const { meta, instances, notices } = mergeStates(inputs)
  const complete = instances.length === meta.fleetSize
  const worst = worstExitCode([...instances.map(entryExitCode), ...(complete ? [] : [EXIT_CODES.instance])])
  const report = buildReport(meta, instances, worst)
  for (const n of notices) out.errorText(`warning: ${n}`)
  const markdown = markdownReport(report)
  if (f.out) {
    const dir = resolve(ctx.io.cwd, f.out)
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, REPORT_FILE), markdown)
    await writeFile(join(dir, MERGED_REPORT_JSON), `${JSON.stringify(report, null, 2)}\n`)
    out.line(`merged ${inputs.length} state${inputs.length === 1 ? '' : 's'}: ${join(dir, REPORT_FILE)}, ${join(dir, MERGED_REPORT_JSON)}`)
  } else {
    out.line(markdown.trimEnd())
  }
  out.result({ command: 'fleet merge', exitCode: worst, report })
  return worst
}
