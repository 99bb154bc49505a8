// What every benchmark stands on: the built app, instance emulators, and the deploy-integration CLI run in this
// process (so we can count what it asks of the instance and, for the baseline, make it wait for each answer).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { defaultDeps, run, type Deps } from '@kandji-sn/deploy-integration'
import { loadKandjiApp, startEmulator, type Emulator, type EmulatorOptions } from '@kandji-sn/instance-emulator'
import type { RequestSpan } from './critical-path.ts'
import { BenchError } from './errors.ts'

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const ADMIN = { user: 'admin', password: 'admin' } as const

/** A scratch folder for this run (hand-off files), removed by `cleanup`. */
export const workDir = mkdtempSync(join(tmpdir(), 'kandji-bench-'))
export function cleanup(): void {
  rmSync(workDir, { recursive: true, force: true })
}

export function writeCount(emulator: Emulator): number {
  const { insert, update, delete: del } = emulator.counters.db
  return insert + update + del
}

export function dbOps(emulator: Emulator): number {
  const { select, insert, update, delete: del } = emulator.counters.db
  return select + insert + update + del
}

export function start(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator(options)
}

/**
 * fetch that reads each answer to the end before handing it over. `serial` also makes every request wait until
 * the previous one has been answered: the same requests as our deploy sends, strictly one after another.
 * Both arms use this wrapper, so the only difference between them is the queue.
 */
export function bufferedFetch(serial: boolean): { fetch: typeof fetch; stats: { inFlight: number; maxInFlight: number }; spans: RequestSpan[] } {
  let tail: Promise<void> = Promise.resolve()
  // How many requests were waiting for an answer at once: 1 proves the baseline was sequential.
  const stats = { inFlight: 0, maxInFlight: 0 }
  // Every request with when it was sent and answered (read to the end), for the critical path (critical-path.ts).
  const spans: RequestSpan[] = []
  const once = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight)
    const url = new URL(input instanceof Request ? input.url : String(input))
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET')
    const sentAt = performance.now()
    try {
      const res = await fetch(input, init)
      const body = await res.arrayBuffer()
      spans.push({ method, target: url.pathname + url.search, sentAt, answeredAt: performance.now() })
      const empty = body.byteLength === 0 || [101, 204, 205, 304].includes(res.status)
      return new Response(empty ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers })
    } finally {
      stats.inFlight--
    }
  }
  const wrapped = (async (input, init) => {
    if (!serial) return once(input, init)
    const previous = tail
    let release!: () => void
    tail = new Promise<void>((r) => (release = r))
    await previous
    try {
      return await once(input, init)
    } finally {
      release()
    }
  }) as typeof fetch
  return { fetch: wrapped, stats, spans }
}

/** The CLI's own libraries (its defaultDeps), with our fetch in the client. */
async function depsWith(fetchImpl: typeof fetch): Promise<Deps> {
  const deps = await defaultDeps()
  return { ...deps, createClient: (options) => deps.createClient({ ...options, fetch: fetchImpl }) }
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

let handoffs = 0

export interface DeployRun {
  /** The hand-off file this deploy wrote (service account + OAuth client credentials). */
  handoffPath: string
  /** Most requests in flight at once during the deploy. */
  maxInFlight: number
  /** Every request the CLI sent, with when it was sent and answered. */
  spans: RequestSpan[]
}

/**
 * `deploy-integration deploy --yes` against an emulator, in this process. Fails the bench (error/cause/fix) when the
 * CLI exits non-zero: a figure from a failed deploy would be meaningless.
 */
export async function deploy(emulator: Emulator, options: { serial?: boolean; handoffPath?: string } = {}): Promise<DeployRun> {
  const handoffPath = options.handoffPath ?? join(workDir, `handoff-${++handoffs}.json`)
  const out = sink()
  const err = sink()
  const stdin = Object.assign(new PassThrough(), { isTTY: false })
  const argv = ['deploy', '--yes', '--no-color', '--app-package', (await loadKandjiApp()).zip, '--credentials-out', handoffPath]
  const env = { SN_INSTANCE: emulator.url, SN_ADMIN_USER: ADMIN.user, SN_ADMIN_PASSWORD: ADMIN.password }
  const transport = bufferedFetch(options.serial ?? false)
  const code = await run(argv, { stdout: out.stream, stderr: err.stream, stdin, env, cwd: repoRoot }, { deps: await depsWith(transport.fetch) })
  if (code !== 0) {
    const tail = err.text().trim().split('\n').slice(-3).join(' / ')
    throw new BenchError(
      `deploy-integration deploy exited ${code} against the emulator: ${tail}`,
      'the CLI, the emulator or the built app is broken or out of step (the bench measures only successful deploys)',
      'run `npx vitest run --project deploy-integration` to find the failing part, then run the bench again',
    )
  }
  return { handoffPath, maxInFlight: transport.stats.maxInFlight, spans: transport.spans }
}
