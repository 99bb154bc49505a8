import type { Flags } from '../../flags.ts'
import { usageError } from '../../errors.ts'

/** The flags that refine one command's exit code, passed on to each instance's run of that command only. */
const DETAIL_FLAGS = { 'detailed-exitcode': 'plan', drift: 'verify' } as const

/** `--detailed-exitcode` for `fleet plan`, `--drift` for `fleet verify`; given with another command, a usage error. */
export function detailFlagsFor(sub: string, f: Flags): string[] {
  const list: string[] = []
  for (const [flag, command] of Object.entries(DETAIL_FLAGS) as [keyof typeof DETAIL_FLAGS, string][]) {
    if (!f[flag]) continue
    if (sub !== command) throw usageError(`--${flag} works only with fleet ${command}`, `it refines the exit code of ${command}, and fleet ${sub} does not run ${command} on its own`, `run \`deploy-integration fleet ${command} --${flag} --config FLEET_FILE\``)
    list.push(`--${flag}`)
  }
  return list
}
