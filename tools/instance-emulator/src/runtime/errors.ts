// Errors the runtime throws into scripts. "Not emulated" is deliberate: a script that reaches an API the emulator
// does not implement must fail loudly, never get a silent no-op that makes a test pass for the wrong reason.

export class NotEmulatedError extends Error {
  constructor(readonly api: string) {
    super(`${api} is not emulated by the instance emulator (see tools/instance-emulator/README.md "Runtime")`)
    this.name = 'NotEmulatedError'
  }
}

export function notEmulated(api: string): never {
  throw new NotEmulatedError(api)
}

/** Properties engines and helpers probe on any object; answering undefined for them is not a silent no-op. */
const PROBES = new Set(['then', 'toJSON', 'constructor', 'inspect', 'nodeType', 'asymmetricMatch', '$$typeof', '__esModule', 'default', 'prototype', 'length', 'name'])

/**
 * Wraps an API object so that reading a member it does not have throws "<prefix>.<member> is not emulated".
 * Symbols and the usual engine probes pass through.
 */
export function strictApi<T extends object>(target: T, prefix: string): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (typeof prop === 'symbol' || prop in obj || PROBES.has(prop)) return Reflect.get(obj, prop, receiver)
      return notEmulated(`${prefix}.${prop}`)
    },
  })
}
