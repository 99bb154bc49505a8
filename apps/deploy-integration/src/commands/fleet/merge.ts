// `fleet merge DIR...`: the states of several shards (or runs) of one fleet file and command, as one report.
import { join } from 'node:path'
import { type FleetInstanceReport, type FleetReport } from '@kandji-sn/contract'
import { usageError } from '../../errors.ts'
import { readState, STATE_FILE } from './state.ts'

export interface MergeInput {
  dir: string
  report: FleetReport
}

export async function readShardStates(dirs: readonly string[]): Promise<MergeInput[]> {
  if (dirs.length === 0) throw usageError('fleet merge needs at least one directory', 'it combines the state.json of fleet runs with --out DIR', 'run `deploy-integration fleet merge shard-1 shard-2 shard-3 --out merged`')
  const inputs: MergeInput[] = []
  for (const dir of dirs) {
    const path = join(dir, STATE_FILE)
    const report = await readState(path)
    if (report === undefined) throw usageError(`${path} does not exist`, `${dir} is not the --out directory of a fleet run, or that run did not start`, 'pass the directories the fleet runs wrote with --out (in CI: the downloaded artifacts)')
    inputs.push({ dir, report })
  }
  return inputs
}

/** The merged entries and shards; refuses states of different fleet files or commands, and an instance in two of them. */
export function mergeStates(inputs: readonly MergeInput[]): { meta: Omit<FleetReport, 'schema' | 'updatedAt' | 'exitCode' | 'totals' | 'instances'>; instances: FleetInstanceReport[]; notices: string[] } {
  const first = inputs[0]!
  for (const { dir, report } of inputs.slice(1)) {
    const differs = [
      report.command !== first.report.command ? `command ${report.command} (${first.dir}: ${first.report.command})` : '',
      report.fleetHash !== first.report.fleetHash ? `fleet file sha256 ${report.fleetHash.slice(0, 12)} (${first.dir}: ${first.report.fleetHash.slice(0, 12)})` : '',
      report.appVersion !== first.report.appVersion ? `app version ${report.appVersion ?? 'none'} (${first.dir}: ${first.report.appVersion ?? 'none'})` : '',
    ].filter((x) => x !== '')
    if (differs.length > 0) {
      throw usageError(`cannot merge ${dir} with ${first.dir}: ${differs.join(', ')}`, 'the states come from runs of different fleet files, commands or app versions', 'merge only the shards of one run (the same fleet file, command and app version)')
    }
  }
  const owner = new Map<string, string>()
  const instances: FleetInstanceReport[] = []
  for (const { dir, report } of inputs) {
    for (const entry of report.instances) {
      const other = owner.get(entry.instance)
      if (other !== undefined) {
        throw usageError(`${entry.instance} is in ${other} and in ${dir}`, 'two shards covered the same instance: the jobs ran with different shard counts, or one directory was given twice', 'give each shard directory once, from jobs run with the same --shard I/N total')
      }
      owner.set(entry.instance, dir)
      instances.push(entry)
    }
  }
  const shards = inputs.flatMap((i) => i.report.shards).sort((a, b) => a.total - b.total || a.index - b.index)
  const notices: string[] = []
  const totals = new Set(shards.map((s) => s.total))
  if (totals.size === 1) {
    const total = [...totals][0]!
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((n) => !shards.some((s) => s.index === n))
    if (missing.length > 0) notices.push(`shard${missing.length === 1 ? '' : 's'} ${missing.map((n) => `${n}/${total}`).join(', ')} missing: the report covers ${instances.length} of ${first.report.fleetSize} instances`)
  } else if (instances.length !== first.report.fleetSize) {
    notices.push(`the report covers ${instances.length} of ${first.report.fleetSize} instances of the fleet file`)
  }
  const startedAt = inputs.map((i) => i.report.startedAt).sort()[0]!
  return { meta: { command: first.report.command, fleetHash: first.report.fleetHash, fleetSize: first.report.fleetSize, appVersion: first.report.appVersion, shards, startedAt }, instances, notices }
}
