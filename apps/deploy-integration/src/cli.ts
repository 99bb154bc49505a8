import { parseArgs } from 'node:util'
import { EXIT_CODES, type ExitCode } from '@kandji-sn/contract/constants'
import { COMMAND_SUMMARIES, COMMANDS, isCommandName, type CommandModule, type CommandName } from './commands/index.ts'
import type { CommandContext, Io } from './context.ts'
import { defaultDeps, type Deps } from './deps.ts'
import { formatError, toCliError, usageError } from './errors.ts'
import { releaseAfterFailure, releaseInstanceLock } from './lock-release.ts'
import { FLAG_SPECS, OUTPUT_FLAGS, type FlagName, type Flags } from './flags.ts'
import { Output, wantsColor } from './render/output.ts'

const EXIT_CODE_HELP = `exit codes: 0 ok, 1 verification failed, 2 usage or configuration error, 3 authentication or permission error, 4 instance or network error, 5 changes pending (only with plan --detailed-exitcode or verify --drift)`

function flagHelp(names: readonly FlagName[]): string[] {
  return names.map((name) => {
    const spec = FLAG_SPECS[name]
    const short = 'short' in spec ? `-${spec.short}, ` : '    '
    const left = `${short}--${name}${'arg' in spec ? ` ${spec.arg}` : ''}`
    return `  ${left.padEnd(34)} ${spec.help}`
  })
}

export function mainHelp(): string {
  return [
    'usage: deploy-integration <command> [flags]',
    '',
    'Sets up and verifies the Kandji (Iru Endpoint) integration on a ServiceNow instance.',
    '',
    'commands:',
    ...Object.entries(COMMAND_SUMMARIES).map(([name, text]) => `  ${name.padEnd(10)} ${text}`),
    '',
    'Run `deploy-integration <command> --help` for its flags.',
    EXIT_CODE_HELP,
  ].join('\n')
}

export function commandHelp(name: CommandName, mod: CommandModule): string {
  const usage = name === 'fleet' ? 'usage: deploy-integration fleet <plan|deploy|verify> --config FLEET_FILE [flags]' : `usage: deploy-integration ${name} [flags]`
  return [usage, '', mod.summary, '', 'flags:', ...flagHelp([...mod.flags, ...OUTPUT_FLAGS]), '', EXIT_CODE_HELP].join('\n')
}

function parse(argv: string[], allowed: readonly FlagName[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {}
  for (const name of allowed) {
    const spec = FLAG_SPECS[name]
    options[name] = 'short' in spec ? { type: spec.type, short: spec.short } : { type: spec.type }
  }
  return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
}

/** A parseArgs message names the flag; it becomes a usage error (exit 2). */
function parseError(error: unknown, command: string | undefined) {
  const message = error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error)
  return usageError(message.replace(/\. To specify a positional argument.*$/, ''), 'a flag is unknown to this command or is missing its value', `see \`deploy-integration ${command ? `${command} ` : ''}--help\``)
}

export interface RunOptions {
  deps?: Deps
  /** For fleet: one instance's settings in place of --config. */
  configInput?: CommandContext['configInput']
}

/** The columns of a terminal stream (Node sets `columns` on a TTY WriteStream); undefined for anything else. */
export function terminalColumns(stream: unknown): number | undefined {
  const s = stream as { isTTY?: boolean; columns?: unknown } | undefined
  return s?.isTTY === true && typeof s.columns === 'number' && Number.isInteger(s.columns) && s.columns > 0 ? s.columns : undefined
}

/** The whole CLI: parse, dispatch, render errors. Returns the exit code; never calls process.exit. */
export async function run(argv: string[], io: Io, options: RunOptions = {}): Promise<ExitCode> {
  const name = argv[0]
  const rawTty = (io.stdout as { isTTY?: boolean }).isTTY === true
  const earlyJson = argv.includes('--json')
  const early = new Output({ stdout: io.stdout, stderr: io.stderr, json: earlyJson, color: wantsColor({ noColor: argv.includes('--no-color') }, io.env, rawTty), tty: false })

  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ;(name === undefined ? early.errorText.bind(early) : early.line.bind(early))(mainHelp())
    return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok
  }
  if (!isCommandName(name)) {
    early.errorText(formatError(usageError(`unknown command "${name}"`, `the commands are ${Object.keys(COMMANDS).join(', ')}`, 'run `deploy-integration --help`'), false))
    return EXIT_CODES.usage
  }
  const mod = (await COMMANDS[name]()) as CommandModule
  let flags: Flags
  let positionals: string[]
  try {
    const parsed = parse(argv.slice(1), [...mod.flags, ...OUTPUT_FLAGS])
    flags = parsed.values as Flags
    positionals = parsed.positionals
  } catch (error) {
    early.errorText(formatError(parseError(error, name), false))
    return EXIT_CODES.usage
  }
  const stderrTty = (io.stderr as { isTTY?: boolean }).isTTY === true
  const out = new Output({
    stdout: io.stdout,
    stderr: io.stderr,
    json: flags.json === true,
    color: wantsColor({ noColor: flags['no-color'] === true }, io.env, flags.json ? stderrTty : rawTty),
    tty: stderrTty,
    width: terminalColumns(flags.json ? io.stderr : io.stdout),
  })
  if (flags.help) {
    out.line(commandHelp(name, mod))
    return EXIT_CODES.ok
  }
  const requests: CommandContext['requests'] = { answered: 0 }
  let ctx: CommandContext | undefined
  try {
    if (flags['show-secrets'] && !flags.json) {
      throw usageError('--show-secrets works only with --json', 'secrets are never printed as human text', 'use --json --show-secrets (the credentials go to stdout only), or --credentials-out FILE')
    }
    // Node's TLS stack reads this variable on every connection (node docs, "NODE_TLS_REJECT_UNAUTHORIZED"): with '0'
    // it would accept any certificate and send the admin's credentials to whoever answers. Refused, never honoured.
    if (io.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
      throw usageError(
        'NODE_TLS_REJECT_UNAUTHORIZED=0 is set: it turns off the check of the instance\'s TLS certificate',
        'the CLI sends admin credentials and secrets, and without that check anyone in the network path could read them; it never runs with the check off',
        'unset NODE_TLS_REJECT_UNAUTHORIZED; behind a proxy that intercepts TLS, give its CA certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem',
      )
    }
    if (name !== 'fleet' && positionals.length > 0) {
      throw usageError(`unexpected argument "${positionals[0]}"`, `${name} takes flags only`, `see \`deploy-integration ${name} --help\``)
    }
    const deps = options.deps ?? (await defaultDeps())
    ctx = { flags, positionals, io, out, deps, requests, ...(options.configInput ? { configInput: options.configInput } : {}) }
    const code = (await mod.run(ctx)) as ExitCode
    await releaseInstanceLock(ctx) // a command releases it before its result; this is the net under that
    return code
  } catch (error) {
    if (ctx) await releaseAfterFailure(ctx)
    const cliError = toCliError(error, { answeredBefore: requests.answered, ...(requests.adminSignIn ? { adminSignIn: requests.adminSignIn } : {}), ...(options.configInput?.adminEnv ? { adminEnv: options.configInput.adminEnv } : {}) })
    out.errorText(formatError(cliError, flags.debug === true))
    out.result({ command: name, status: 'error', exitCode: cliError.exitCode, error: cliError.message, cause: cliError.causeText, fix: cliError.fix })
    return cliError.exitCode
  }
}
