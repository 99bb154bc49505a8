import { prompt } from './config/prompt.ts'
import type { CommandContext } from './context.ts'
import { usageError } from './errors.ts'

/** --yes, or a "y" typed on a terminal. Without a terminal and without --yes nothing is written. */
export async function confirm(ctx: CommandContext, question: string): Promise<void> {
  if (ctx.flags.yes) return
  if (!ctx.io.stdin.isTTY) {
    throw usageError('nothing was changed: confirmation needed', 'there is no terminal to confirm on and --yes was not given', 're-run with --yes after reviewing the plan above')
  }
  const answer = (await prompt(ctx.io.stdin, ctx.io.stderr, `${question} [y/N] `, false)).trim().toLowerCase()
  if (answer !== 'y' && answer !== 'yes') throw usageError('nothing was changed: not confirmed', 'the answer was not "y"', 're-run and answer "y", or pass --yes')
}
