import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './secrets.ts'

describe('verifyPassword (memoised outcomes)', () => {
  it('the same answers on every call, for the right, a wrong and an empty attempt, and per stored hash', () => {
    const a = hashPassword('Correct-Horse-1')
    const b = hashPassword('Correct-Horse-1') // same password, another salt
    const c = hashPassword('Other-Horse-2') // the same attempt against another user's hash
    const calls = () => [verifyPassword(a, 'Correct-Horse-1'), verifyPassword(a, 'correct-horse-1'), verifyPassword(a, ''), verifyPassword(b, 'Correct-Horse-1'), verifyPassword(b, 'Correct-Horse-2'), verifyPassword(c, 'Correct-Horse-1'), verifyPassword(c, 'Other-Horse-2')]
    const expected = [true, false, false, true, false, false, true]
    expect(calls()).toEqual(expected)
    expect(calls()).toEqual(expected)
  })

  it('a stored value that is not a hash never verifies, also on a repeat', () => {
    for (const stored of ['', 'Correct-Horse-1', '$s1$', '$s2$00$00', '$s1$zz$']) {
      expect([verifyPassword(stored, 'Correct-Horse-1'), verifyPassword(stored, 'Correct-Horse-1'), verifyPassword(stored, stored)]).toEqual([false, false, false])
    }
  })

  it('still right once the memo filled up and started over', () => {
    const stored = hashPassword('Kept-Secret-9')
    expect(verifyPassword(stored, 'Kept-Secret-9')).toBe(true)
    for (let i = 0; i < 4200; i++) verifyPassword('not-a-hash', `attempt-${i}`)
    expect([verifyPassword(stored, 'Kept-Secret-9'), verifyPassword(stored, 'Kept-Secret-8')]).toEqual([true, false])
  })
})
