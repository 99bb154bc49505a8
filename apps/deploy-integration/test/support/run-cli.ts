import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { run } from '../../src/cli.ts'
import type { Deps } from '../../src/deps.ts'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  /** Everything the process printed, for "no secret anywhere" checks. */
  all: string
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

/** Runs the CLI in-process with captured streams, only the environment given, and no terminal unless `stdin` is one. */
export async function runCli(argv: string[], options: { env?: NodeJS.ProcessEnv; deps?: Deps; cwd?: string; stdin?: PassThrough & { isTTY: boolean }; stdoutColumns?: number } = {}): Promise<CliRun> {
  const out = sink()
  // stdout as a terminal of that many columns (stderr stays a pipe, so no spinners)
  if (options.stdoutColumns !== undefined) Object.assign(out.stream, { isTTY: true, columns: options.stdoutColumns })
  const err = sink()
  const stdin = options.stdin ?? Object.assign(new PassThrough(), { isTTY: false })
  const code = await run(argv, { stdout: out.stream, stderr: err.stream, stdin, env: options.env ?? {}, cwd: options.cwd ?? process.cwd() }, options.deps ? { deps: options.deps } : {})
  await new Promise((r) => setImmediate(r))
  const stdout = out.text()
  const stderr = err.text()
  return { code, stdout, stderr, all: stdout + stderr }
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'deploy-integration-'))
}

/** A placeholder zip on disk: the fake instance never opens it, the CLI only reads and uploads its bytes. */
export function fakeZip(dir: string): string {
  const path = join(dir, 'kandji.zip')
  writeFileSync(path, 'PK fake')
  return path
}
