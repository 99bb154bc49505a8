import { describe, expect, it } from 'vitest'
import { inShard, parseShard, shardOf } from './shard.ts'
import { parseConcurrency, parseInstanceTimeout } from './options.ts'
import { thrownBy as usage } from '../../../test/support/cli-failure.ts'

const urls = Array.from({ length: 60 }, (_, i) => `https://tenant${i}.service-now.com`)


describe('--shard I/N', () => {
  it('parses I/N', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 })
    expect(parseShard('1/1')).toEqual({ index: 1, total: 1 })
    expect(parseShard(undefined)).toBeUndefined()
  })

  it.each(['0/3', '4/3', 'a/b', '1/0', '0/0', '1/', '/3', '1/3/5', '-1/3', '1.5/3', '', ' ', '1/1001', '1 / 3'])('refuses %j with a usage error naming the value', (value) => {
    const error = usage(() => parseShard(value))
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe(`--shard must be I/N with 1 ≤ I ≤ N ≤ 1000, not ${JSON.stringify(value)}`)
    expect(error.fix).toMatch(/--shard 1\/3/)
  })

  it('puts every instance in exactly one of N shards', () => {
    for (const total of [1, 2, 3, 7]) {
      for (const url of urls) {
        const owners = Array.from({ length: total }, (_, i) => i + 1).filter((index) => inShard(url, { index, total }))
        expect(owners).toEqual([shardOf(url, total)])
      }
    }
  })

  it('adding or removing instances moves no other instance to another shard', () => {
    const before = new Map(urls.slice(0, 40).map((u) => [u, shardOf(u, 3)]))
    const after = new Map(urls.map((u) => [u, shardOf(u, 3)]))
    for (const [url, shard] of before) expect(after.get(url)).toBe(shard)
  })

  it('does not depend on position: the same instance is in the same shard in any order', () => {
    const reversed = [...urls].reverse()
    expect(reversed.map((u) => shardOf(u, 3))).toEqual(urls.map((u) => shardOf(u, 3)).reverse())
  })
})

describe('--concurrency and --instance-timeout', () => {
  it('takes the flag over the fleet file', () => {
    expect(parseConcurrency(undefined, 4)).toBe(4)
    expect(parseConcurrency('16', 4)).toBe(16)
    expect(parseConcurrency('64', 4)).toBe(64)
    expect(parseConcurrency('1', 4)).toBe(1)
  })

  it.each(['0', '65', '-1', '1.5', 'ten', '', '1e2', '0x10', '1000'])('refuses --concurrency %j', (value) => {
    const error = usage(() => parseConcurrency(value, 4))
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe(`--concurrency must be a whole number from 1 to 64, not ${JSON.stringify(value)}`)
  })

  it('turns seconds into ms', () => {
    expect(parseInstanceTimeout(undefined)).toBeUndefined()
    expect(parseInstanceTimeout('1')).toBe(1000)
    expect(parseInstanceTimeout('86400')).toBe(86_400_000)
  })

  it.each(['0', '86401', '-5', '2.5', 'soon', '', '1m'])('refuses --instance-timeout %j', (value) => {
    const error = usage(() => parseInstanceTimeout(value))
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe(`--instance-timeout must be a whole number of seconds from 1 to 86400, not ${JSON.stringify(value)}`)
  })
})
