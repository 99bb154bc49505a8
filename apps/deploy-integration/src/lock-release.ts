// Releasing the instance lock (lock.ts) from what the command context holds. Apart from lock.ts so the CLI's entry
// can release it without loading the ServiceNow client at start-up.
import type { CommandContext } from './context.ts'

/** The success path: a lock that cannot be removed fails the run (exit 4): the instance refuses others until it expires. */
export async function releaseInstanceLock(ctx: CommandContext): Promise<void> {
  const lock = ctx.lock
  if (!lock) return
  try {
    await lock.release()
  } catch (error) {
    throw lock.leftError(error)
  }
}

/** After a failure: the lock goes too; when it cannot, the user hears it next to the failure itself. */
export async function releaseAfterFailure(ctx: CommandContext): Promise<void> {
  const lock = ctx.lock
  if (!lock) return
  try {
    await lock.release()
  } catch (error) {
    const left = lock.leftError(error)
    ctx.out.errorText(`warning: the lock on ${lock.instance} is left behind (${error instanceof Error ? error.message : String(error)}); ${left.fix}`)
  }
}
