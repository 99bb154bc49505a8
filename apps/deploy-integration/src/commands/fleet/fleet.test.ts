import { describe, expect, it } from 'vitest'
import { credentialsPathFor, mapBounded, worstExitCode } from './index.ts'

describe('fleet helpers', () => {
  it('never runs more than the configured number of instances at once, and keeps the order', async () => {
    let running = 0
    let peak = 0
    const results = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setImmediate(r))
      running--
      return n * 10
    })
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70])
    expect(peak).toBe(3)
  })

  it('takes the worst exit code', () => {
    expect(worstExitCode([0, 1, 0])).toBe(1)
    expect(worstExitCode([3, 4, 2])).toBe(4)
    expect(worstExitCode([])).toBe(0)
  })

  it('puts the tenant into the credentials file name', () => {
    expect(credentialsPathFor('out/creds.json', 'acme')).toBe('out/creds.acme.json')
    expect(credentialsPathFor('creds', 'acme')).toBe('creds.acme')
    expect(credentialsPathFor('dir.d/.creds', 'acme')).toBe('dir.d/.creds.acme')
    expect(credentialsPathFor('out/creds.json', '127.0.0.1:45865')).toBe('out/creds.127.0.0.1-45865.json')
    expect(credentialsPathFor('creds.json', 'a/b\\c:d*e?')).toBe('creds.a-b-c-d-e-.json')
  })
})
