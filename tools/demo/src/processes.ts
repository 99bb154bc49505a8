// Child processes the demo starts, so that an interrupt (Ctrl-C) or a failure never leaves one running.
import { spawn, type ChildProcess } from 'node:child_process'

export interface ProcessResult {
  code: number
  /** The signal that ended the process, when one did. */
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
}

/** Starts processes, remembers the live ones, and ends them all on request (SIGTERM, then SIGKILL after a grace). */
export class ProcessGroup {
  private readonly live = new Set<ChildProcess>()
  private stopping = false

  /** Runs `command args` to completion with captured output. Refuses once the group is stopping. */
  run(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<ProcessResult> {
    if (this.stopping) return Promise.reject(new Error('the demo is stopping: no new process is started'))
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
      this.live.add(child)
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout!.on('data', (c: Buffer) => out.push(c))
      child.stderr!.on('data', (c: Buffer) => err.push(c))
      child.once('error', (error) => {
        this.live.delete(child)
        reject(error)
      })
      child.once('close', (code, signal) => {
        this.live.delete(child)
        resolve({ code: code ?? 128, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })
      })
    })
  }

  /** Process ids of the children still running. */
  pids(): number[] {
    return [...this.live].map((c) => c.pid).filter((pid): pid is number => pid !== undefined)
  }

  /** Ends every live child and resolves once all have exited. Idempotent. */
  async stopAll(graceMs = 3000): Promise<number> {
    this.stopping = true
    const children = [...this.live]
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            const kill = setTimeout(() => child.kill('SIGKILL'), graceMs)
            child.once('close', () => {
              clearTimeout(kill)
              resolve()
            })
            child.kill('SIGTERM')
          }),
      ),
    )
    return children.length
  }
}
