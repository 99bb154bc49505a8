import { z } from 'zod'

/**
 * The credential hand-off file `deploy --credentials-out FILE` writes (mode 0600): the fields Iru Endpoint's
 * "Connect to ServiceNow" asks for. The shape is a stable interface (ARCHITECTURE.md).
 */
export const handoffSchema = z.object({
  instance: z.string().url(),
  tenant: z.string().min(1),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
})
export type Handoff = z.infer<typeof handoffSchema>
