import type { CommandContext } from '../context.ts'
import type { FlagName } from '../flags.ts'

export interface CommandModule {
  summary: string
  flags: readonly FlagName[]
  run(ctx: CommandContext): Promise<number>
}

/** Loaded on demand so `--help` and one command never pay for the others. */
export const COMMANDS = {
  plan: () => import('./plan/index.ts'),
  deploy: () => import('./deploy/index.ts'),
  verify: () => import('./verify/index.ts'),
  status: () => import('./status/index.ts'),
  rotate: () => import('./rotate/index.ts'),
  uninstall: () => import('./uninstall/index.ts'),
  fleet: () => import('./fleet/index.ts'),
  probe: () => import('./probe/index.ts'),
} satisfies Record<string, () => Promise<CommandModule>>

export type CommandName = keyof typeof COMMANDS

export const COMMAND_SUMMARIES: Record<CommandName, string> = {
  plan: 'show what deploy would change on an instance (writes nothing)',
  deploy: 'set up the integration and verify it',
  verify: 'run the verification endpoint; exit 1 on a failed check',
  status: "show the integration's figures: last push, rows by state, errors, CIs, health runs",
  rotate: 'issue a new password and/or client secret, test them, retire the old ones',
  uninstall: 'remove what deploy created (the app with --app)',
  fleet: 'plan, deploy or verify every instance of a fleet file',
  probe: 'settle the emulator\'s unknowns on a developer instance; writes an emulator profile',
}

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name)
}
