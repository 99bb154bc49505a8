// `--shard i/n`: a stable slice of a fleet. An instance's shard comes from a hash of its URL, not its position, so
// adding or removing an instance moves no other one, and n jobs with 1/n..n/n cover the fleet exactly once.
import { createHash } from 'node:crypto'
import { usageError } from '../../errors.ts'

export interface Shard {
  index: number
  total: number
}

export const MAX_SHARDS = 1000

export function parseShard(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined
  const match = /^([0-9]{1,4})\/([0-9]{1,4})$/.exec(value.trim())
  const index = match ? Number(match[1]) : NaN
  const total = match ? Number(match[2]) : NaN
  if (!(total >= 1 && total <= MAX_SHARDS && index >= 1 && index <= total)) {
    throw usageError(
      `--shard must be I/N with 1 ≤ I ≤ N ≤ ${MAX_SHARDS}, not ${JSON.stringify(value)}`,
      match ? (total < 1 ? 'a fleet cannot be cut into 0 shards' : `shard ${index} does not exist among ${total} (they are numbered 1 to ${total})`) : 'the value is not two whole numbers separated by "/"',
      'pass e.g. --shard 1/3 in the first of three CI jobs, --shard 2/3 in the second, --shard 3/3 in the third',
    )
  }
  return { index, total }
}

/** The shard (1…total) an instance belongs to. */
export function shardOf(instanceUrl: string, total: number): number {
  const digest = createHash('sha256').update(instanceUrl).digest()
  return (digest.readUInt32BE(0) % total) + 1
}

export function inShard(instanceUrl: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(instanceUrl, shard.total) === shard.index
}
