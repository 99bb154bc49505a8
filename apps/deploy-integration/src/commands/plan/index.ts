import { EXIT_CODES } from '@kandji-sn/contract/constants'
import type { CommandContext } from '../../context.ts'
import { formatError } from '../../errors.ts'
import { buildPlan, changesOf } from '../../plan.ts'
import { planToJson, renderFacts, renderPlan } from '../../render/plan.ts'
import { openSession } from '../../session.ts'

export const summary = 'show what deploy would change on an instance (writes nothing)'
export const flags = ['instance', 'admin-user', 'config', 'credentials-out', 'service-account', 'oauth-client', 'app-source', 'app-package', 'app-version', 'timeout', 'interactive-account', 'prune-roles', 'replace-store-app', 'detailed-exitcode'] as const

export async function run(ctx: CommandContext): Promise<number> {
  const { out } = ctx
  const session = await openSession(ctx, { app: true })
  renderFacts(out, session.facts)
  const plan = await buildPlan(session)
  renderPlan(out, plan.steps)
  const count = changesOf(plan).length
  out.line()
  out.line(count === 0 ? out.style('in sync: deploy would change nothing', 'green') : `${count} change${count === 1 ? '' : 's'}: run \`deploy-integration deploy\` to apply`)
  for (const blocker of plan.blockers) out.errorText(formatError(blocker, false))
  out.result({ command: 'plan', instance: session.config.desired.instance.url, facts: session.facts, changes: count, steps: planToJson(plan.steps), blockers: plan.blockers.map((b) => b.message) })
  if (plan.blockers.length > 0) return EXIT_CODES.usage
  return ctx.flags['detailed-exitcode'] && count > 0 ? EXIT_CODES.changesPending : EXIT_CODES.ok
}
