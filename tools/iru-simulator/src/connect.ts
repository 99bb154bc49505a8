// A client that authenticates as Iru Endpoint does: the OAuth password grant (ROPC) with the hand-off credentials.
import { createClient, type RequestEvent, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import type { Handoff } from '@kandji-sn/contract'
import { SimulatorError } from './errors.ts'

export interface ConnectOptions {
  fetch?: typeof fetch
  timeoutMs?: number
  logger?: (line: string) => void
  onRequest?: (event: RequestEvent) => void
}

export async function connect(handoff: Handoff | undefined, options: ConnectOptions = {}): Promise<ServiceNowClient> {
  if (!handoff) {
    throw new SimulatorError('no instance to push to', 'neither a client nor hand-off credentials were given', 'pass `handoff` (the hand-off file content) or `client`')
  }
  return createClient({
    instance: handoff.instance,
    auth: { type: 'password', clientId: handoff.client_id, clientSecret: handoff.client_secret, user: handoff.username, password: handoff.password },
    userAgent: 'iru-simulator',
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  })
}
