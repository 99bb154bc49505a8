import type { Readable, Writable } from 'node:stream'
import type { AdminSignInMethod } from '@kandji-sn/contract'
import type { Deps } from './deps.ts'
import type { Flags } from './flags.ts'
import type { ConfigInput } from './config/index.ts'
import type { Output } from './render/output.ts'
import type { CliError } from './errors.ts'

/** The process as a command sees it; tests pass their own streams and environment. */
export interface Io {
  stdout: Writable
  stderr: Writable
  stdin: Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown }
  env: NodeJS.ProcessEnv
  cwd: string
  /**
   * Registers work to finish when the user interrupts (Ctrl-C, SIGTERM), e.g. removing the instance lock; returns
   * the unregister function. The executable runs it before it exits; without it nothing is registered.
   */
  onInterrupt?: (cleanup: () => Promise<void>) => () => void
}

export interface CommandContext {
  flags: Flags
  positionals: string[]
  io: Io
  out: Output
  deps: Deps
  /**
   * For error texts: requests of this run the instance answered (every client the run opens counts), and how the
   * admin signs in (set once the config is resolved).
   */
  requests: { answered: number; adminSignIn?: AdminSignInMethod }
  /** For fleet: one instance's settings instead of --config. */
  configInput?: ConfigInput
  /** The instance lock while a writing command holds it (lock.ts). */
  lock?: { instance: string; release(): Promise<void>; leftError(error: unknown): CliError }
}
