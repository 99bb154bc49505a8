// The runtime used until part 2 plugs in one that executes the app's shipped server code. It never pretends to
// succeed: scripted REST answers 501, staging rows stay pending, and fix scripts do not run.
import type { ImportRowOutcome, ScriptRuntime } from './types.ts'

export const NOT_LOADED = 'not emulated: the script runtime is not loaded'

export const defaultRuntime: ScriptRuntime = {
  async scriptedRest({ operation }) {
    return {
      status: 501,
      body: {
        error: {
          message: NOT_LOADED,
          detail: `The scripted REST resource ${operation.operation_uri ?? operation.name ?? ''} matched and its ACLs passed, but no ScriptRuntime executes its script (pass options.runtime to startEmulator)`,
        },
        status: 'failure',
      },
    }
  },
  async transformRow(): Promise<ImportRowOutcome[]> {
    return [{ status: 'ignored', status_message: `${NOT_LOADED}; the staging row stays pending (no transform ran)` }]
  },
  async afterInstall() {
    // Fix scripts need the script runtime; without it nothing runs.
  },
}
