import { EXIT_CODES } from '@kandji-sn/contract/constants'
import type { CommandContext } from '../../context.ts'
import { renderStatus } from '../../render/status.ts'
import { openSession } from '../../session.ts'
import { fetchIntegrationStatus } from '../../steps/integration-status.ts'

export const summary = "show the integration's figures from the app's status endpoint (last push, rows by state, errors, CIs by class and age, health runs); read-only, as the admin"
export const flags = ['instance', 'admin-user', 'config', 'timeout'] as const

/** Exit 0 with the figures whatever they say (health is verify's and the health monitor's job); errors exit 2, 3, 4. */
export async function run(ctx: CommandContext): Promise<number> {
  const session = await openSession(ctx)
  const status = await fetchIntegrationStatus(session.admin, session.facts.app)
  renderStatus(ctx.out, status)
  ctx.out.result({ command: 'status', instance: session.config.desired.instance.url, status })
  return EXIT_CODES.ok
}
