// verify --with-status (fleet verify passes it): the status endpoint's figures beside the report. Whatever stops the
// status (no app of this project, an app older than the endpoint) is said and recorded, never a failed verify.
import type { IntegrationStatus } from '@kandji-sn/contract'
import { toCliError } from '../../errors.ts'
import { healthText, lastPushText } from '../../render/status.ts'
import type { Session } from '../../session.ts'
import { fetchIntegrationStatus } from '../../steps/integration-status.ts'

export async function integrationStatusPart(session: Session): Promise<{ integrationStatus: IntegrationStatus | null; integrationStatusError?: string }> {
  const out = session.ctx.out
  try {
    const status = await fetchIntegrationStatus(session.admin, session.facts.app)
    out.line(`status: last push ${lastPushText(status)}; health ${healthText(status)}`)
    return { integrationStatus: status }
  } catch (error) {
    const message = toCliError(error).message
    out.line(`status: unavailable: ${message}`)
    return { integrationStatus: null, integrationStatusError: message }
  }
}
