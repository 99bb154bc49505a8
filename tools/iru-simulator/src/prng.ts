// A small seeded PRNG (mulberry32 over a cyrb53-style string hash). Math.random is never used: the same seed must
// produce the same devices on every machine and every run, so demos and tests can name the devices they expect.

export type Seed = string | number

export interface Rng {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number
  /** True with probability p. */
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T
  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string
  hex(length: number): string
  /** A version 4 UUID made from this stream. */
  uuid(): string
}

/** Hashes any seed plus optional labels to 32 bits, so sub-streams ("device", 17) are independent of each other. */
export function hashSeed(seed: Seed, ...labels: Array<string | number>): number {
  const text = [String(seed), ...labels.map(String)].join('\u0000')
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (h1 ^ h2) >>> 0
}

/** A deterministic stream for `seed` and `labels`. */
export function createRng(seed: Seed, ...labels: Array<string | number>): Rng {
  let state = hashSeed(seed, ...labels)
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[int(0, items.length - 1)] as T
  }
  const chars = (alphabet: string, length: number): string => {
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet[int(0, alphabet.length - 1)]
    return out
  }
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
      const total = items.reduce((sum, [, w]) => sum + w, 0)
      let roll = next() * total
      for (const [item, weight] of items) {
        roll -= weight
        if (roll < 0) return item
      }
      const last = items[items.length - 1]
      if (!last) throw new Error('weighted pick from an empty list')
      return last[0]
    },
    chars,
    hex: (length) => chars('0123456789abcdef', length),
    uuid() {
      const h = chars('0123456789abcdef', 32)
      const variant = '89ab'[int(0, 3)]
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
    },
  }
}
