// `iru-simulator`: argument parsing, the run, and output. Exit codes follow the contract's EXIT_CODES:
// 0 every well-formed row landed or is pending; 1 some well-formed row was rejected or failed;
// 2 usage or hand-off file error; 3 authentication or permission error; 4 instance or network error.
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { EXIT_CODES, PLATFORMS, type Platform } from '@kandji-sn/contract/constants'
import { generateApps } from './apps.ts'
import { connect } from './connect.ts'
import { generateDevices } from './devices.ts'
import { SimulatorError, isSimulatorError } from './errors.ts'
import { readHandoff } from './handoff.ts'
import { malformedRows } from './malformed.ts'
import { mutateDevices } from './mutate.ts'
import { pushApps, pushInventory, type PushProgress } from './push.ts'
import { renderReport } from './render.ts'
import { unexpectedFailures, type PushReport } from './report.ts'
import type { ColumnKeys } from './staging-row.ts'

export const USAGE = `usage: iru-simulator --credentials FILE --devices N [options]

Pushes N synthetic Kandji devices into ServiceNow the way Iru Endpoint does (OAuth password grant with the
hand-off credentials, then the Import Set API), and reports what the instance did with every row.

  --credentials FILE   hand-off file written by \`deploy-integration deploy --credentials-out FILE\`
  --devices N          number of devices to push (Macs, iPhones, iPads, Apple TVs)
  --seed S             seed for the synthetic fleet; the same seed gives the same devices (default: kandji)
  --batch-size N       rows per insertMultiple request (default 200)
  --single             push every row with a single synchronous insert instead of insertMultiple
  --changes N          then push N changed devices (OS update, rename, new user), one row at a time
  --malformed N        also push N malformed rows (missing serial, over-long values, bad dates)
  --apps               also push the Macs' application inventory to the app staging table
  --known-users LIST   emails of users that exist in ServiceNow: a comma-separated list or @FILE (one per line)
  --platforms LIST     only these platforms, comma-separated (${PLATFORMS.join(', ')})
  --wait SECONDS       how long to wait for asynchronous transforms after insertMultiple (default 60; 0: don't)
  --keys name|label    how insertMultiple keys columns (default name: the Kandji app maps its staging tables by column name)
  --json               print the reports as JSON
  -h, --help           show this help

exit codes: 0 ok (rows landed or are pending), 1 some well-formed rows were rejected or failed,
2 usage or hand-off file error, 3 authentication or permission error, 4 instance or network error`

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Progress lines are shown only on an interactive terminal. */
  interactive: boolean
}

export interface CliRun {
  seed: string
  pushes: Array<{ name: 'devices' | 'changes' | 'apps'; report: PushReport }>
  exitCode: number
}

interface CliOptions {
  credentials: string
  devices: number
  seed: string
  batchSize: number
  single: boolean
  changes: number
  malformed: number
  apps: boolean
  knownUsers: string[]
  platforms: Platform[] | undefined
  waitSeconds: number
  keys: ColumnKeys
  json: boolean
}

export async function main(argv: readonly string[], io: CliIo, extra: { fetch?: typeof fetch; sleep?: (ms: number) => Promise<void> } = {}): Promise<number> {
  let options: CliOptions
  try {
    const parsed = parseCli(argv)
    if (parsed === 'help') {
      io.stdout(`${USAGE}\n`)
      return EXIT_CODES.ok
    }
    options = { ...parsed, knownUsers: await resolveKnownUsers(parsed.knownUsersArg) }
  } catch (error) {
    return fail(error, io)
  }
  try {
    const run = await runSimulation(options, io, extra)
    if (options.json) io.stdout(`${JSON.stringify(run, null, 2)}\n`)
    else {
      const titles = { devices: 'Devices', changes: 'Changes', apps: 'Applications' }
      io.stdout(`${run.pushes.map((p) => renderReport(p.report, titles[p.name])).join('\n\n')}\n`)
    }
    return run.exitCode
  } catch (error) {
    return fail(error, io)
  }
}

async function runSimulation(options: CliOptions, io: CliIo, extra: { fetch?: typeof fetch; sleep?: (ms: number) => Promise<void> }): Promise<CliRun> {
  const handoff = await readHandoff(options.credentials)
  const devices = generateDevices({
    count: options.devices,
    seed: options.seed,
    knownUserEmails: options.knownUsers,
    ...(options.platforms ? { platforms: options.platforms } : {}),
  })
  // One client (one ROPC token, refreshed as needed) for every push, as Iru Endpoint keeps its session.
  let requests = 0
  const client = await connect(handoff, { ...(extra.fetch ? { fetch: extra.fetch } : {}), onRequest: () => void requests++ })
  const counted = async (push: () => Promise<PushReport>): Promise<PushReport> => {
    const before = requests
    const report = await push()
    return { ...report, requests: requests - before }
  }
  const common = {
    client,
    handoff,
    batchSize: options.batchSize,
    keys: options.keys,
    poll: { timeoutMs: options.waitSeconds * 1000 },
    ...(extra.sleep ? { sleep: extra.sleep } : {}),
  }
  const pushes: CliRun['pushes'] = []
  const first = await counted(() =>
    pushInventory({
      ...common,
      devices,
      malformed: malformedRows(options.malformed, options.seed),
      mode: options.single ? 'single' : 'bulk',
      onProgress: progressPrinter('devices', options, io),
    }),
  )
  pushes.push({ name: 'devices', report: first })
  if (options.changes > 0) {
    const changed = mutateDevices(devices, { seed: options.seed, count: options.changes, knownUserEmails: options.knownUsers })
    const report = await counted(() => pushInventory({ ...common, devices: changed, mode: 'single', onProgress: progressPrinter('changes', options, io) }))
    pushes.push({ name: 'changes', report })
  }
  if (options.apps) {
    const apps = generateApps(devices, options.seed)
    const report = await counted(() => pushApps({ ...common, apps, mode: options.single ? 'single' : 'bulk', onProgress: progressPrinter('apps', options, io) }))
    pushes.push({ name: 'apps', report })
  }
  const failures = pushes.reduce((sum, p) => sum + unexpectedFailures(p.report), 0)
  return { seed: options.seed, pushes, exitCode: failures > 0 ? EXIT_CODES.verificationFailed : EXIT_CODES.ok }
}

function progressPrinter(name: string, options: CliOptions, io: CliIo): ((p: PushProgress) => void) | undefined {
  if (options.json || !io.interactive) return undefined
  return (p) => {
    const verb = p.phase === 'push' ? 'sent' : 'transformed'
    io.stderr(`\r${name}: ${verb} ${p.done}/${p.total}${p.done === p.total ? '\n' : ''}`)
  }
}

type ParsedCli = Omit<CliOptions, 'knownUsers'> & { knownUsersArg: string | undefined }

export function parseCli(argv: readonly string[]): ParsedCli | 'help' {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        credentials: { type: 'string' },
        devices: { type: 'string' },
        seed: { type: 'string' },
        'batch-size': { type: 'string' },
        single: { type: 'boolean' },
        changes: { type: 'string' },
        malformed: { type: 'string' },
        apps: { type: 'boolean' },
        'known-users': { type: 'string' },
        platforms: { type: 'string' },
        wait: { type: 'string' },
        keys: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    throw usage(`${(error as Error).message.split('\n')[0]}`, 'the command line has an unknown option or a missing value')
  }
  if (values.help) return 'help'
  const credentials = values.credentials as string | undefined
  if (!credentials) throw usage('--credentials FILE is required', 'the simulator needs the hand-off file to authenticate as Iru Endpoint does')
  if (values.devices === undefined) throw usage('--devices N is required', 'the simulator needs to know how many devices to push')
  const keys = (values.keys as string | undefined) ?? 'name'
  if (keys !== 'label' && keys !== 'name') throw usage(`--keys must be "name" or "label", got "${keys}"`, 'insertMultiple keys columns by name (default; the app ships the mapping) or by label (the platform default without it)')
  return {
    credentials,
    devices: wholeNumber('--devices', values.devices as string, 0, 1_000_000),
    seed: (values.seed as string | undefined) ?? 'kandji',
    batchSize: wholeNumber('--batch-size', (values['batch-size'] as string | undefined) ?? '200', 1, 10_000),
    single: values.single === true,
    changes: wholeNumber('--changes', (values.changes as string | undefined) ?? '0', 0, 1_000_000),
    malformed: wholeNumber('--malformed', (values.malformed as string | undefined) ?? '0', 0, 100_000),
    apps: values.apps === true,
    knownUsersArg: values['known-users'] as string | undefined,
    platforms: parsePlatforms(values.platforms as string | undefined),
    waitSeconds: wholeNumber('--wait', (values.wait as string | undefined) ?? '60', 0, 86_400),
    keys,
    json: values.json === true,
  }
}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw usage(`${flag} must be a whole number, got "${raw}"`, `${flag} takes a count such as 100`)
  const value = Number(raw)
  if (value < min || value > max) throw usage(`${flag} must be between ${min} and ${max}, got ${value}`, `${flag} is out of range`)
  return value
}

function parsePlatforms(raw: string | undefined): Platform[] | undefined {
  if (raw === undefined) return undefined
  const wanted = raw.split(',').map((p) => p.trim()).filter((p) => p !== '')
  const byLower = new Map(PLATFORMS.map((p) => [p.toLowerCase(), p]))
  const platforms = wanted.map((p) => {
    const platform = byLower.get(p.toLowerCase())
    if (!platform) throw usage(`unknown platform "${p}"`, `--platforms takes ${PLATFORMS.join(', ')}`)
    return platform
  })
  if (platforms.length === 0) throw usage('--platforms is empty', `--platforms takes ${PLATFORMS.join(', ')}`)
  return platforms
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

async function resolveKnownUsers(arg: string | undefined): Promise<string[]> {
  if (arg === undefined) return []
  let text = arg
  if (arg.startsWith('@')) {
    const path = arg.slice(1)
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      throw new SimulatorError(`the known-users file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'the path after @ is wrong', 'pass @FILE with one email per line, or a comma-separated list')
    }
  }
  const emails = text.split(/[\s,;]+/).map((e) => e.trim()).filter((e) => e !== '' && !e.startsWith('#'))
  const bad = emails.filter((e) => !EMAIL.test(e))
  if (bad.length > 0) {
    throw usage(`--known-users has ${bad.length} value(s) that are not email addresses: ${bad.slice(0, 3).map((b) => `"${b}"`).join(', ')}`, 'known users are matched by email in ServiceNow')
  }
  return [...new Set(emails)]
}

function usage(message: string, cause: string): SimulatorError {
  return new SimulatorError(message, cause, 'see `iru-simulator --help`', EXIT_CODES.usage)
}

function fail(error: unknown, io: CliIo): number {
  if (isSimulatorError(error)) {
    io.stderr(`${error.format()}\n`)
    return error.exitCode
  }
  const debug = process.env.DEBUG ? `\n${(error as Error).stack ?? ''}` : ''
  io.stderr(`error: ${(error as Error).message ?? String(error)}\ncause: an unexpected failure in the simulator\nfix:   re-run with DEBUG=1 for details and report it${debug}\n`)
  return EXIT_CODES.instance
}

/** Entry point for bin/iru-simulator.mjs. */
export async function runFromProcess(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    interactive: process.stderr.isTTY === true,
  })
}
