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
