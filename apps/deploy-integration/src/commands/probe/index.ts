// `deploy-integration probe --out FILE`: settles the emulator's switches by observation on a developer instance and
// writes an emulator profile (issue 20). Reads first; writes only throw-away objects named PROBE.namePrefix…, which
// it removes at the end, after a failure and on Ctrl-C, and which a later run removes when an earlier one could not.
import { EXIT_CODES, PROBE } from '@kandji-sn/contract/constants'
import { PROFILE_FORMAT, type EmulatorProfile, type ProbedSwitch, type RoleObservation, type SwitchObservation } from '@kandji-sn/contract'
import type { AuthConfig, ServiceNowClient } from '@kandji-sn/servicenow-client'
import { abortableFetch } from '../../abortable-fetch.ts'
import { adminClientAuth } from '../../admin-auth.ts'
import type { CommandContext } from '../../context.ts'
import { INTERRUPTED_EXIT } from '../../interrupt.ts'
import { clientOptions, openSession } from '../../session.ts'
import { CreatedObjects, findLeftovers, removeObjects, sweepOrder, type ProbeObject } from './cleanup.ts'
import { ProbeInterrupted } from './evidence.ts'
import { developerInstance, notADeveloperInstance } from './guard.ts'
import { instanceInfo } from './instance-info.ts'
import { couldNotTell } from './outcome.ts'
import { checkOutPath, writeProfile } from './profile-file.ts'
import { PROBES } from './registry.ts'
import type { ProbeContext, SwitchProbe } from './types.ts'
import { TOOL } from './tool.ts'

export const summary = 'settle the emulator\'s unknowns on a personal developer instance and write an emulator profile (writes throw-away kandji_probe_* objects, removed afterwards)'
export const flags = ['instance', 'admin-user', 'config', 'timeout', 'out', 'i-understand-this-writes'] as const

export { INTERRUPTED_EXIT }

function processInterrupts(handler: () => void): () => void {
  process.once('SIGINT', handler)
  return () => process.removeListener('SIGINT', handler)
}

export interface ProbeRun {
  switches: Partial<Record<ProbedSwitch, SwitchObservation>>
  /** Experiments that ended in an error (their switches are could-not-tell). */
  failed: string[]
  removedEarlier: ProbeObject[]
  removed: ProbeObject[]
  interrupted: boolean
  /** What the experiments found that the product assumes otherwise (ProbeContext.note). */
  notes: string[]
  /** What each role read contains (ProbeContext.role). */
  roles: Record<string, RoleObservation>
}

export async function run(ctx: CommandContext): Promise<number> {
  const { out } = ctx
  const outPath = await checkOutPath(ctx.flags.out, ctx.io.cwd)
  const session = await openSession(ctx)
  const { config } = session
  const url = config.desired.instance.url
  const verdict = await developerInstance(session.admin, url)
  if (!verdict.pdi && ctx.flags['i-understand-this-writes'] !== true) throw notADeveloperInstance(url, verdict)
  out.line(verdict.pdi ? `personal developer instance: ${verdict.seen}` : `not a personal developer instance (${verdict.seen}); writing because of ${PROBE.confirmFlag}`)

  const controller = new AbortController()
  const stopListening = (ctx.deps.onInterrupt ?? processInterrupts)(() => controller.abort())
  try {
    const fetchFn = abortableFetch(controller.signal, 'the probe was interrupted')
    const clientFor = (auth: AuthConfig): ServiceNowClient => {
      if (auth.type === 'basic' || auth.type === 'password') out.addSecret(auth.password)
      if (auth.type === 'password' || auth.type === 'client_credentials') out.addSecret(auth.clientSecret)
      return ctx.deps.createClient({ ...clientOptions(ctx, config, auth), fetch: fetchFn })
    }
    const created = new CreatedObjects()
    const notes: string[] = []
    const roles: Record<string, RoleObservation> = {}
    const probeCtx: ProbeContext = {
      admin: clientFor(adminClientAuth(config.admin)),
      instanceUrl: url,
      clientFor,
      created: (table, sysId, name) => created.record(table, sysId, name),
      signal: controller.signal,
      note: (text) => {
        const line = out.redact(text)
        if (!notes.includes(line)) notes.push(line)
      },
      role: (name, observation) => {
        roles[name] = observation
      },
    }
    // Cleanup is never interrupted: it uses the session's admin client and a signal that does not fire.
    const cleanupCtx: ProbeContext = { ...probeCtx, admin: session.admin, signal: new AbortController().signal }
    const instance = await instanceInfo(session.admin)
    const result = { ...(await runProbes(ctx, ctx.deps.probes ?? PROBES, probeCtx, cleanupCtx, created)), notes, roles }
    report(ctx, result)
    if (result.interrupted) {
      out.result({ command: 'probe', status: 'interrupted', exitCode: INTERRUPTED_EXIT, removed: result.removedEarlier.concat(result.removed).map(describe) })
      return INTERRUPTED_EXIT
    }
    const profile: EmulatorProfile = { format: PROFILE_FORMAT, probedAt: new Date().toISOString(), tool: TOOL, instance, switches: result.switches, ...(Object.keys(result.roles).length > 0 ? { roles: result.roles } : {}) }
    await writeProfile(outPath, profile)
    out.line(`profile written to ${outPath}`)
    const status = result.failed.length > 0 ? 'incomplete' : 'ok'
    out.result({
      command: 'probe',
      status,
      out: outPath,
      instance,
      switches: Object.fromEntries(Object.entries(result.switches).map(([name, o]) => [name, o.outcome === 'observed' ? { outcome: o.outcome, value: o.value } : { outcome: o.outcome, reason: o.reason }])),
      failedExperiments: result.failed,
      notes: result.notes,
      roles: Object.fromEntries(Object.entries(result.roles).map(([name, o]) => [name, o.outcome === 'observed' ? { outcome: o.outcome, contains: o.contains } : { outcome: o.outcome, reason: o.reason }])),
      removed: result.removedEarlier.concat(result.removed).map(describe),
    })
    return status === 'ok' ? EXIT_CODES.ok : EXIT_CODES.instance
  } finally {
    stopListening()
  }
}

function describe(o: ProbeObject): { table: string; name: string } {
  return { table: o.table, name: o.name }
}

/** Removes an earlier run's leftovers, runs each experiment, removes what it created; stops early on Ctrl-C. */
export async function runProbes(ctx: CommandContext, probes: readonly SwitchProbe[], probeCtx: ProbeContext, cleanupCtx: ProbeContext, created: CreatedObjects): Promise<Omit<ProbeRun, 'notes' | 'roles'>> {
  const { out } = ctx
  const tables = sweepOrder(probes.map((p) => p.tables))
  const sweep = async () => {
    const removed = await removeObjects(cleanupCtx.admin, await findLeftovers(cleanupCtx.admin, tables))
    for (const p of probes) await p.cleanup?.(cleanupCtx)
    return removed
  }
  const result: Omit<ProbeRun, 'notes' | 'roles'> = { switches: {}, failed: [], removedEarlier: await sweep(), removed: [], interrupted: false }
  if (result.removedEarlier.length > 0) out.line(`removed what an earlier run left: ${result.removedEarlier.map((o) => `${o.table} ${o.name}`).join(', ')}`)
  for (const probe of probes) {
    if (probeCtx.signal.aborted) break
    const progress = out.progress(`experiment ${probe.id}`)
    try {
      const observations = await probe.run(probeCtx)
      for (const name of probe.switches) {
        result.switches[name] = observations[name] ?? couldNotTell(`the experiment ${probe.id} reported nothing for it`, [])
      }
      progress.done('done')
    } catch (error) {
      if (probeCtx.signal.aborted || error instanceof ProbeInterrupted) {
        progress.done('interrupted')
        break
      }
      const message = out.redact(error instanceof Error ? error.message : String(error))
      result.failed.push(probe.id)
      for (const name of probe.switches) result.switches[name] = couldNotTell(`the experiment ${probe.id} failed: ${message}`, [])
      progress.done(`failed: ${message}`)
    } finally {
      // By name first, while the records a name is dot-walked through still exist (a role grant names its user),
      // then what was recorded and not found so.
      const found = await findLeftovers(cleanupCtx.admin, sweepOrder([probe.tables]))
      const recorded = created.take().filter((o) => !found.some((f) => f.table === o.table && f.sysId === o.sysId))
      result.removed.push(...(await removeObjects(cleanupCtx.admin, [...found, ...recorded])))
    }
  }
  // Objects whose creation answer was lost were never recorded: they are found by name.
  result.removed.push(...(await sweep()))
  result.interrupted = probeCtx.signal.aborted
  return result
}

function report(ctx: CommandContext, result: ProbeRun): void {
  const { out } = ctx
  for (const [name, o] of Object.entries(result.switches)) {
    out.line(o.outcome === 'observed' ? `  ${name}: ${String(o.value)}` : `  ${name}: could not tell (${o.reason})`)
  }
  for (const [name, o] of Object.entries(result.roles)) {
    out.line(o.outcome === 'observed' ? `  role ${name} contains: ${o.contains.join(', ') || '(nothing)'}` : `  role ${name}: could not tell (${o.reason})`)
  }
  for (const note of result.notes) out.line(`note: ${note}`)
  out.line(result.removed.length > 0 ? `removed: ${result.removed.map((o) => `${o.table} ${o.name}`).join(', ')}` : 'removed: nothing (no throw-away object was left)')
  if (result.interrupted) out.line('interrupted: the throw-away objects were removed; no profile was written')
}
