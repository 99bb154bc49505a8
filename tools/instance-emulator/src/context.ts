import type { AppManager } from './install/app-manager.ts'
import type { ImportJobs } from './routes/import-run.ts'
import type { Database } from './db/database.ts'
import type { SessionStore } from './auth/sessions.ts'
import type { TokenStore } from './auth/tokens.ts'
import type { EmulatedRelease, EmulatorSwitches, ScriptRuntime } from './types.ts'

/** Everything one emulator instance owns; each startEmulator call has its own. */
export interface EmulatorContext {
  db: Database
  release: EmulatedRelease
  switches: EmulatorSwitches
  runtime: ScriptRuntime
  tokens: TokenStore
  sessions: SessionStore
  apps: AppManager
  /** insertMultiple's background transforms. */
  imports: ImportJobs
  /** Bench-only control (Emulator.setTransforms): false loads staging rows and runs no transform. */
  transforms: { enabled: boolean }
  /** How long a synchronous upload install takes (EmulatorOptions.uploadInstallDelayMs). */
  uploadInstallDelayMs: number
  /** http://127.0.0.1:<port>, known once the server listens. */
  baseUrl(): string
}
