// DIR/state.json: the fleet report, rewritten atomically after each instance, and what --resume takes from it.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeIssues, fleetReportSchema, type FleetCommand, type FleetInstanceReport, type FleetReport } from '@kandji-sn/contract'
import { writeFileAtomic } from '../../atomic-file.ts'
import { firstOf, usageError } from '../../errors.ts'

export const STATE_FILE = 'state.json'

export function fleetHash(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** A state file, validated; undefined when there is none. */
export async function readState(path: string): Promise<FleetReport | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw usageError(`cannot read the fleet state ${path}: ${(error as Error).message}`, 'the file is not readable by this user', 'check the path and its permissions')
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw usageError(`the fleet state ${path} is not JSON`, 'the file was cut short or edited by hand (a fleet run writes it atomically, so not by a crash)', `remove ${path} to start over, or restore it from the CI artifact`)
  }
  const parsed = fleetReportSchema.safeParse(value)
  if (!parsed.success) throw usageError(`the fleet state ${path} is not a fleet report: ${firstOf(describeIssues(parsed.error))}`, 'the file was written by another tool or another version of deploy-integration, or edited by hand', `remove ${path} to start over`)
  return parsed.data
}

export async function writeState(dir: string, report: FleetReport): Promise<void> {
  await writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(fleetReportSchema.parse(report), null, 2)}\n`, 0o600)
}

export interface ResumeChoice {
  /** Entries that ended ok in the earlier run: not run again. */
  carried: Map<string, FleetInstanceReport>
  /** Why nothing (or only a part) is carried over, for the user. */
  notices: string[]
}

/** What --resume keeps from an earlier state: the instances that ended ok, when command, fleet file and app version are the same. */
export function resumeFrom(previous: FleetReport | undefined, current: { command: FleetCommand; fleetHash: string; appVersion: string | null }, path: string): ResumeChoice {
  const carried = new Map<string, FleetInstanceReport>()
  if (previous === undefined) return { carried, notices: [`--resume: no earlier state in ${path}; every instance runs`] }
  const changed: string[] = []
  if (previous.command !== current.command) changed.push(`the command (${previous.command} then, ${current.command} now)`)
  if (previous.fleetHash !== current.fleetHash) changed.push(`the fleet file (sha256 ${previous.fleetHash.slice(0, 12)} then, ${current.fleetHash.slice(0, 12)} now)`)
  if (previous.appVersion !== current.appVersion) changed.push(`the app version (${previous.appVersion ?? 'none'} then, ${current.appVersion ?? 'none'} now)`)
  if (changed.length > 0) return { carried, notices: [`--resume: ${changed.join(' and ')} changed since ${path} was written; every instance runs again`] }
  for (const entry of previous.instances) if (entry.status === 'ok') carried.set(entry.instance, { ...entry, carriedOver: true })
  const rest = previous.instances.length - carried.size
  return { carried, notices: [`--resume: ${carried.size} instance${carried.size === 1 ? '' : 's'} ended ok in ${path} and ${carried.size === 1 ? 'is' : 'are'} skipped; ${rest} failed or unfinished run${rest === 1 ? 's' : ''} again`] }
}
