// One instance of a fleet: the CLI's own run() in this process with the entry's settings, its output collected
// (stdout: the JSON result, stderr: the human text), its requests cut off once a deadline passes.
import { PassThrough } from 'node:stream'
import { ENV, EXIT_CODES, type ExitCode } from '@kandji-sn/contract/constants'
import type { FleetCommand, FleetConfig } from '@kandji-sn/contract'
import { abortableFetch } from '../../abortable-fetch.ts'
import { adminEnvNames } from '../../config/index.ts'
import type { CommandContext } from '../../context.ts'
import type { RunOutcome } from './record.ts'

export interface InstanceRun {
  command: FleetCommand
  argv: string[]
  /** The whole run's deadline in ms (--instance-timeout); none when undefined. */
  deadlineMs?: number
  /** Called with each line of human text as the run prints it (the progress shows the last one). */
  onLine?: (line: string) => void
}

export interface InstanceRunResult extends Omit<RunOutcome, 'log' | 'handoff'> {
  /** The instance's human output, whole, to show as one block or write to its log. */
  text: string
  /** When the deadline passed: the run, aborted, still unwinding (awaited before the fleet ends). */
  abandoned?: Promise<unknown>
}

function collect(stream: PassThrough, onLine?: (line: string) => void): () => string {
  const chunks: Buffer[] = []
  let partial = ''
  stream.on('data', (c: Buffer) => {
    chunks.push(c)
    if (!onLine) return
    const lines = (partial + c.toString('utf8')).split('\n')
    partial = lines.pop() ?? ''
    for (const l of lines) if (l.trim() !== '') onLine(l.trim())
  })
  return () => Buffer.concat(chunks).toString('utf8')
}

export async function runInstance(ctx: CommandContext, fleet: FleetConfig, index: number, label: string, spec: InstanceRun): Promise<InstanceRunResult> {
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
  const readErr = collect(stderr, spec.onLine)
  const deadline = new AbortController()
  const seconds = spec.deadlineMs === undefined ? 0 : Math.round(spec.deadlineMs / 1000)
  // Every client of this run sends through a fetch that stops at the deadline (the probe's interrupt does the same).
  const deps = spec.deadlineMs === undefined ? ctx.deps : { ...ctx.deps, createClient: (o: Parameters<typeof ctx.deps.createClient>[0]) => ctx.deps.createClient({ ...o, fetch: abortableFetch(deadline.signal, `the fleet's --instance-timeout of ${seconds} s passed`, o.fetch ?? fetch) }) }
  const { run } = await import('../../cli.ts')
  const start = Date.now()
  const running = run(spec.argv, { ...ctx.io, env, stdout, stderr, stdin: Object.assign(new PassThrough(), { isTTY: false }) }, { deps, configInput: { value: input, label, ...(adminEnv ? { adminEnv } : {}) } })
  let timer: NodeJS.Timeout | undefined
  const timedOut = spec.deadlineMs === undefined ? undefined : new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), spec.deadlineMs)))
  const first = await (timedOut ? Promise.race([running, timedOut]) : running)
  clearTimeout(timer)
  const base = { instance: instance.url, tenant: instance.tenant, command: spec.command, start, end: Date.now() }
  if (first === 'deadline') {
    deadline.abort()
    let lastStep = ''
    for (const l of readErr().split('\n')) if (l.trim() !== '') lastStep = l.trim()
    const abandoned = running.finally(() => {
      stdout.end()
      stderr.end()
    })
    return {
      ...base,
      exitCode: EXIT_CODES.instance,
      result: undefined,
      text: `${readErr().trimEnd()}\nabandoned: the run did not end within --instance-timeout ${seconds} s\n`,
      error: {
        message: `${instance.url} did not finish ${spec.command} within --instance-timeout ${seconds} s; abandoned${lastStep ? ` at: ${lastStep}` : ''}`,
        cause: 'the instance stopped answering or answers very slowly (hibernating, overloaded, a hung node); its requests were cut off, and a write in flight may have reached it',
        fix: `check the instance in a browser, then re-run with --resume (it runs this instance again) or a longer --instance-timeout; if a later run finds its lock left behind, add --force-unlock once no other run is on it`,
      },
      abandoned,
    }
  }
  stdout.end()
  stderr.end()
  let result: Record<string, unknown> | undefined
  try {
    result = JSON.parse(readOut()) as Record<string, unknown>
  } catch {
    result = undefined
  }
  return { ...base, exitCode: first as ExitCode, result, text: readErr() }
}
