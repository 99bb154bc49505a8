import { describe, expect, it } from 'vitest'
import { generateClientSecret, generatePassword } from './secrets.ts'

describe('generated credentials', () => {
  it('passwords are 32 characters with all four character classes and never repeat', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const p = generatePassword()
      expect(p).toHaveLength(32)
      expect(p).toMatch(/[a-z]/)
      expect(p).toMatch(/[A-Z]/)
      expect(p).toMatch(/[0-9]/)
      expect(p).toMatch(/[^A-Za-z0-9]/)
      expect(p).not.toMatch(/[\^&"'\\\s]/)
      seen.add(p)
    }
    expect(seen.size).toBe(200)
  })
  it('client secrets are at least 32 URL-safe characters', () => {
    const s = generateClientSecret()
    expect(s.length).toBeGreaterThanOrEqual(32)
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/)
  })
})

describe('generated password order', () => {
  it('the characters are shuffled: the one-of-each-class prefix does not stay in front', () => {
    const classOf = (c: string) => (/[a-z]/.test(c) ? 'lower' : /[A-Z]/.test(c) ? 'upper' : /[0-9]/.test(c) ? 'digit' : 'symbol')
    const prefixes = new Set(Array.from({ length: 50 }, () => [...generatePassword().slice(0, 4)].map(classOf).join(',')))
    // Unshuffled, every password would start lower, upper, digit, symbol; shuffled, 50 of them share one prefix with a
    // probability far below 1e-20.
    expect(prefixes.size).toBeGreaterThan(1)
  })
})
