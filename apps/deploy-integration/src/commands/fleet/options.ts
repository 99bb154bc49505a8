// The fleet's own flags: how many instances at once and how long one may take.
import { usageError } from '../../errors.ts'

export const MAX_CONCURRENCY = 64
export const MAX_INSTANCE_TIMEOUT_SECONDS = 86_400

/** --concurrency over the fleet file's `concurrency`. */
export function parseConcurrency(flag: string | undefined, fromFile: number): number {
  if (flag === undefined) return fromFile
  const n = /^[0-9]{1,3}$/.test(flag.trim()) ? Number(flag.trim()) : NaN
  if (!(n >= 1 && n <= MAX_CONCURRENCY)) {
    throw usageError(
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${JSON.stringify(flag)}`,
      '--concurrency is how many instances the fleet works on at once',
      `pass e.g. --concurrency 16 (more than ${MAX_CONCURRENCY} at once from one machine: split the fleet with --shard i/n over several CI jobs)`,
    )
  }
  return n
}

/** --instance-timeout SECONDS: the deadline of one instance's whole run, in ms; undefined for none. */
export function parseInstanceTimeout(flag: string | undefined): number | undefined {
  if (flag === undefined) return undefined
  const seconds = /^[0-9]{1,6}$/.test(flag.trim()) ? Number(flag.trim()) : NaN
  if (!(seconds >= 1 && seconds <= MAX_INSTANCE_TIMEOUT_SECONDS)) {
    throw usageError(
      `--instance-timeout must be a whole number of seconds from 1 to ${MAX_INSTANCE_TIMEOUT_SECONDS}, not ${JSON.stringify(flag)}`,
      "--instance-timeout is how long one instance's whole run may take before the fleet abandons it",
      'pass e.g. --instance-timeout 900 (a deploy that installs the app can take several minutes)',
    )
  }
  return seconds * 1000
}
