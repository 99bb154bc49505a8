// The CLI in-process for the security suites: captured streams, only the environment given (never the developer's
// SN_* variables), a short per-request timeout and capped pauses so hostile answers fail fast.
import { PassThrough } from 'node:stream'
import { createClient } from '@kandji-sn/servicenow-client'
import { defaultDeps, run, type Deps } from '@kandji-sn/deploy-integration'

export const CLIENT_TIMEOUT_MS = 1_000
const MAX_PAUSE_MS = 20

export interface InProcessRun {
  code: number
  stdout: string
  stderr: string
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, MAX_PAUSE_MS)))
let shared: Promise<Deps> | undefined
function deps(): Promise<Deps> {
  shared ??= defaultDeps().then((base) => ({
    ...base,
    createClient: (options) => createClient({ ...options, timeoutMs: Math.min(options.timeoutMs ?? CLIENT_TIMEOUT_MS, CLIENT_TIMEOUT_MS), installTimeoutMs: 6_000, sleep: pause }),
    sleep: pause,
  }))
  return shared
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

export async function runInProcess(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<InProcessRun> {
  const out = sink()
  const err = sink()
  const stdin = Object.assign(new PassThrough(), { isTTY: false })
  const code = await run([...argv], { stdout: out.stream, stderr: err.stream, stdin, env: { NO_COLOR: '1', ...env }, cwd }, { deps: await deps() })
  await new Promise((resolve) => setImmediate(resolve))
  return { code, stdout: out.text(), stderr: err.text() }
}

/** The three lines every failure prints (apps/deploy-integration errors.ts formatError), nothing else, no stack. */
export const THREE_LINES = /^error: \S[^\n]*\ncause: \S[^\n]*\nfix: {3}\S[^\n]*\n$/

/** Prints one `security: ` line (collected at the end of the run by test/support/security-summary-reporter.ts). */
export function summary(line: string): void {
  console.log(`security: ${line}`)
}
