import { describe, expect, it } from 'vitest'
import { EXIT_CODES, type ExitCode } from '@kandji-sn/contract/constants'
import { worstExitCode } from './index.ts'

// Least severe first, spelled out here rather than read from the contract, so a change there fails this test.
const ORDER: ExitCode[] = [0, 5, 1, 2, 3, 4]

function subsets<T>(items: readonly T[]): T[][] {
  return Array.from({ length: 2 ** items.length }, (_, mask) => items.filter((_, i) => mask & (1 << i)))
}

describe('worstExitCode: 4 instance > 3 auth > 2 usage > 1 verification > 5 changes pending > 0 ok', () => {
  it('covers every exit code of the contract', () => {
    expect([...ORDER].sort()).toEqual(Object.values(EXIT_CODES).sort())
  })

  it.each([
    [[], 0],
    [[0], 0],
    [[5], 5],
    [[0, 5, 0], 5],
    [[5, 1], 1],
    [[1, 5], 1],
    [[5, 2], 2],
    [[3, 5], 3],
    [[5, 4, 5], 4],
    [[0, 1, 0], 1],
    [[3, 4, 2], 4],
    [[2, 3], 3],
  ] as [ExitCode[], ExitCode][])('%j -> %i', (codes, worst) => {
    expect(worstExitCode(codes)).toBe(worst)
  })

  it('every pair, in both orders, gives the later one of the order', () => {
    for (const [i, a] of ORDER.entries()) {
      for (const [j, b] of ORDER.entries()) {
        const expected = ORDER[Math.max(i, j)]
        expect(worstExitCode([a, b]), `${a},${b}`).toBe(expected)
        expect(worstExitCode([b, a]), `${b},${a}`).toBe(expected)
      }
    }
  })

  it('every set of codes, forwards, backwards and repeated, gives its most severe member', () => {
    for (const set of subsets(ORDER)) {
      const expected = set.length === 0 ? 0 : set[set.length - 1]
      expect(worstExitCode(set), set.join(',')).toBe(expected)
      expect(worstExitCode([...set].reverse()), set.join(',')).toBe(expected)
      expect(worstExitCode([...set, ...set]), set.join(',')).toBe(expected)
    }
  })
})
