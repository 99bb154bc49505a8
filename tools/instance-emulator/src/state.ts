// The optional state file: the whole instance as JSON, written atomically (a temporary file, then rename).
import { randomBytes } from 'node:crypto'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import type { DatabaseState } from './db/database.ts'
import type { TokenRecord } from './auth/tokens.ts'
import type { AppManager } from './install/app-manager.ts'

export const STATE_VERSION = 1

export interface EmulatorState {
  version: typeof STATE_VERSION
  db: DatabaseState
  tokens: TokenRecord[]
  apps: ReturnType<AppManager['exportState']>
}

export class StateFileError extends Error {
  constructor(path: string, cause: string, fix: string) {
    super(`error: cannot load the emulator state file ${path}\ncause: ${cause}\nfix:   ${fix}`)
    this.name = 'StateFileError'
  }
}

/** The saved state, or undefined when the file does not exist yet. */
export async function loadState(path: string): Promise<EmulatorState | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new StateFileError(path, (error as Error).message, 'check the path and its permissions')
  }
  let state: EmulatorState
  try {
    state = JSON.parse(text) as EmulatorState
  } catch (error) {
    throw new StateFileError(path, `it is not valid JSON (${(error as Error).message})`, 'delete it to start from a fresh instance')
  }
  if (state?.version !== STATE_VERSION || !state.db?.tables || !state.db.rows) {
    throw new StateFileError(path, `it is not an emulator state file of version ${STATE_VERSION}`, 'delete it to start from a fresh instance')
  }
  return state
}

export async function saveState(path: string, state: EmulatorState): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(tmp, JSON.stringify(state), { mode: 0o600 })
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
}
