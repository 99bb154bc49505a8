// sn-emulator: start an emulated ServiceNow instance on 127.0.0.1 (stable CLI, ARCHITECTURE.md "Interfaces").
// The first stdout line is `listening on http://127.0.0.1:<port>` once requests are accepted; everything else goes
// to stderr. SIGINT/SIGTERM stop it (saving the state file if one was given). Exit codes: 0 stopped cleanly,
// 1 could not start, 2 usage error (a profile that cannot be used included).
import { ProfileError, startEmulator } from './index.ts'
import { EMULATED_RELEASES, type AppliedProfile, type EmulatedRelease, type EmulatorOptions } from './types.ts'

export const USAGE = `usage: sn-emulator [--port N] [--release ${EMULATED_RELEASES.join('|')}] [--profile FILE] [--state FILE] [--latency-ms N] [--admin-password P]

  --port N             port on 127.0.0.1 (default: a free port)
  --release R          release family to emulate (default: the profile's release when emulated, else zurich);
                       wins over the profile's release
  --profile FILE       behave as the probed instance of an emulator profile (deploy-integration probe --out FILE):
                       each observed switch is set, "could-not-tell" keeps the default; flags win over the profile
  --state FILE         load the instance from FILE if it exists; save it there on exit
  --latency-ms N       delay every response by N milliseconds
  --admin-password P   password of the seeded user "admin" (default: admin)`

export class UsageError extends Error {}

const FLAGS = new Set(['--port', '--release', '--profile', '--state', '--latency-ms', '--admin-password'])

function integer(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`)
  return Number(value)
}

export function parseArgs(argv: readonly string[]): EmulatorOptions | 'help' {
  const options: EmulatorOptions = {}
  const seen = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') return 'help'
    const eq = arg.indexOf('=')
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    if (!FLAGS.has(flag)) throw new UsageError(`unknown argument "${arg}"`)
    if (seen.has(flag)) throw new UsageError(`${flag} given more than once`)
    seen.add(flag)
    let value: string | undefined
    if (arg.startsWith('--') && eq > 0) value = arg.slice(eq + 1)
    else {
      value = argv[i + 1]
      i++
    }
    if (value === undefined || value === '' || (value.startsWith('--') && FLAGS.has(value.split('=')[0] as string))) throw new UsageError(`${flag} needs a value`)
    switch (flag) {
      case '--port':
        options.port = integer(flag, value, 0, 65535)
        break
      case '--release':
        if (!EMULATED_RELEASES.includes(value as EmulatedRelease)) throw new UsageError(`--release must be one of ${EMULATED_RELEASES.join(', ')}, got "${value}"`)
        options.release = value as EmulatedRelease
        break
      case '--profile':
        options.profile = value
        break
      case '--state':
        options.statePath = value
        break
      case '--latency-ms':
        options.latencyMs = integer(flag, value, 0, 600_000)
        break
      case '--admin-password':
        options.adminPassword = value
        break
    }
  }
  return options
}

function profileLine(profile: AppliedProfile, options: EmulatorOptions): string {
  const observed = Object.keys(profile.observed).length
  const release =
    options.release !== undefined && options.release !== profile.release
      ? `; --release ${options.release} wins over its release ${profile.profileRelease ?? '(none)'}`
      : options.release === undefined && profile.release === null
        ? `; its release ${profile.profileRelease === null ? '(none)' : `"${profile.profileRelease}"`} is not emulated, so the default`
        : ''
  return `sn-emulator: profile ${profile.source}: ${observed} observed switch${observed === 1 ? '' : 'es'} set, ${profile.couldNotTell.length} could not tell (defaults kept)${release}`
}

export async function main(argv: readonly string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let options: EmulatorOptions | 'help'
  try {
    options = parseArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.err.write(`error: ${error.message}\n${USAGE}\n`)
    return 2
  }
  if (options === 'help') {
    io.out.write(`${USAGE}\n`)
    return 0
  }
  let emulator
  try {
    emulator = await startEmulator(options)
  } catch (error) {
    if (error instanceof ProfileError) {
      io.err.write(`${error.message}\n`)
      return 2
    }
    const message = (error as Error).message
    const text = message.startsWith('error:')
      ? message
      : `error: the emulator could not start (${message})\ncause: ${(error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'the port is already in use' : 'see the message above'}\nfix:   choose another --port, or omit it for a free one`
    io.err.write(`${text}\n`)
    return 1
  }
  io.out.write(`listening on ${emulator.url}\n`)
  io.err.write(`sn-emulator: ${emulator.release} instance; admin user "admin"${options.statePath ? `; state file ${options.statePath}` : ''}\n`)
  if (emulator.profile) io.err.write(`${profileLine(emulator.profile, options)}\n`)
  const running = emulator
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      running
        .close()
        .then(() => {
          io.err.write(`sn-emulator: stopped (${signal})\n`)
          resolve(0)
        })
        .catch((error: unknown) => {
          io.err.write(`error: stopping the emulator failed: ${(error as Error).message}\n`)
          resolve(1)
        })
    }
    const onInt = () => stop('SIGINT')
    const onTerm = () => stop('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
  })
}
