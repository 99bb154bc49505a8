// `npm start -- [flags]`: a few knobs for the demo. Everything has a default; a bad value is a usage error.
import { parseArgs } from 'node:util'
import { EMULATED_RELEASES, type EmulatedRelease } from '@kandji-sn/instance-emulator'
import { DEFAULT_DEMO_OPTIONS, type DemoOptions } from './run-demo.ts'
import { DemoError } from './errors.ts'

export const USAGE = [
  'usage: npm start [-- --devices N --changes N --malformed N --release NAME --seed S]',
  '',
  'Runs the whole Kandji integration on an embedded, in-memory ServiceNow emulator: deploy-integration deploy,',
  'a simulated Iru Endpoint push, deploy-integration verify, and a summary. Stops everything it started.',
  '',
  `  --devices N     devices to push (1-5000, default ${DEFAULT_DEMO_OPTIONS.devices})`,
  `  --changes N     devices changed afterwards, sent one row at a time (0-devices, default ${DEFAULT_DEMO_OPTIONS.changes})`,
  `  --malformed N   broken rows sent with the bulk load (0-100, default ${DEFAULT_DEMO_OPTIONS.malformed})`,
  `  --release NAME  ${EMULATED_RELEASES.join(', ')} (default ${DEFAULT_DEMO_OPTIONS.release})`,
  `  --seed S        seed of the synthetic fleet (default ${DEFAULT_DEMO_OPTIONS.seed})`,
].join('\n')

export type ParsedArgs = { help: true } | { help: false; options: Omit<DemoOptions, 'progress'> }

function usageError(message: string, fix = 'run `npm start -- --help` for the flags'): DemoError {
  return new DemoError(message, 'a flag is unknown, or its value is out of range', fix, 2)
}

function whole(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw.trim())) throw usageError(`--${name} must be a whole number, got ${JSON.stringify(raw.slice(0, 40))}`)
  const n = Number(raw)
  if (n < min || n > max) throw usageError(`--${name} must be between ${min} and ${max}, got ${n}`)
  return n
}

export function parseDemoArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        devices: { type: 'string' },
        changes: { type: 'string' },
        malformed: { type: 'string' },
        release: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    throw usageError((error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/\. To specify a positional argument.*$/, ''))
  }
  if (values.help) return { help: true }
  const str = (name: string) => values[name] as string | undefined
  const devices = whole('devices', str('devices'), DEFAULT_DEMO_OPTIONS.devices, 1, 5000)
  const changes = whole('changes', str('changes'), Math.min(DEFAULT_DEMO_OPTIONS.changes, devices), 0, devices)
  const malformed = whole('malformed', str('malformed'), DEFAULT_DEMO_OPTIONS.malformed, 0, 100)
  const release = str('release') ?? DEFAULT_DEMO_OPTIONS.release
  if (!(EMULATED_RELEASES as readonly string[]).includes(release)) throw usageError(`--release must be one of ${EMULATED_RELEASES.join(', ')}, got ${JSON.stringify(release.slice(0, 40))}`)
  const seed = str('seed') ?? DEFAULT_DEMO_OPTIONS.seed
  if (seed.trim() === '' || seed.length > 100) throw usageError('--seed must be 1-100 characters')
  return { help: false, options: { devices, changes, malformed, release: release as EmulatedRelease, seed } }
}
