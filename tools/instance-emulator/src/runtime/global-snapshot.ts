// Puts a reused vm context back the way it was built, between two script executions: globals a script added or
// overwrote, and members it added to or replaced on the objects those globals hold (built-in constructors and
// their prototypes, gs, GlideRecord, the scope namespaces). Getters are never called, so a Script Include is not
// evaluated by taking the snapshot. Members of objects reached only deeper (a module's exports) are not tracked:
// they belong to the module instance, which lives as long as its sandbox (README "Runtime", script scope).

interface Tracked {
  obj: object
  keys: Set<string | symbol>
  descriptors: Map<string | symbol, PropertyDescriptor>
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function'
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable
}

export class GlobalSnapshot {
  readonly #tracked: Tracked[] = []

  /** `roots` are the global objects (the contextified object and the context's own globalThis). */
  constructor(roots: readonly object[]) {
    const seen = new Set<object>()
    const track = (obj: object): Tracked | undefined => {
      if (seen.has(obj)) return undefined
      seen.add(obj)
      const descriptors = new Map<string | symbol, PropertyDescriptor>()
      for (const key of Reflect.ownKeys(obj)) {
        const d = Reflect.getOwnPropertyDescriptor(obj, key)
        if (d) descriptors.set(key, d)
      }
      const entry = { obj, keys: new Set(descriptors.keys()), descriptors }
      this.#tracked.push(entry)
      return entry
    }
    const members: object[] = []
    for (const root of roots) {
      const entry = track(root)
      if (!entry) continue
      for (const d of entry.descriptors.values()) if (isObject(d.value)) members.push(d.value)
    }
    for (const member of members) {
      track(member)
      const proto = Reflect.getOwnPropertyDescriptor(member, 'prototype')?.value as unknown
      if (isObject(proto)) track(proto)
    }
  }

  /** Deletes what was added and puts back what was replaced; returns how many properties it had to repair. */
  restore(): number {
    let repaired = 0
    for (const { obj, keys, descriptors } of this.#tracked) {
      for (const key of Reflect.ownKeys(obj)) {
        if (keys.has(key)) continue
        Reflect.deleteProperty(obj, key)
        repaired++
      }
      for (const [key, before] of descriptors) {
        const now = Reflect.getOwnPropertyDescriptor(obj, key)
        if (now && sameDescriptor(now, before)) continue
        if (now && !now.configurable && !now.writable) continue
        Reflect.defineProperty(obj, key, before)
        repaired++
      }
    }
    return repaired
  }
}
