// One time limit around many script runs. node:vm's `timeout` starts and joins a watchdog thread on every call,
// which cost more than the app's whole transform of a row; an import run's rows therefore run under one watchdog:
// every script run inside `runGuarded` skips its own, and a script that never ends stops the whole run.
import vm from 'node:vm'

let guard: vm.Context | undefined
const CALL = new vm.Script('work()', { filename: 'emulator:script-guard' })
let active = false

/** Whether a guard is running (Sandbox.run then leaves the limit to it). */
export function guarded(): boolean {
  return active
}

/** Runs `work` with a limit of `timeoutMs` for all of it; throws the vm's "Script execution timed out" error. */
export function runGuarded<T>(timeoutMs: number, work: () => T): T {
  if (active) return work()
  guard ??= vm.createContext({}, { name: 'emulator:script-guard' })
  let result: { value: T } | undefined
  guard.work = () => {
    result = { value: work() }
  }
  active = true
  try {
    CALL.runInContext(guard, { timeout: timeoutMs })
  } finally {
    active = false
    guard.work = undefined
  }
  return (result as { value: T }).value
}
