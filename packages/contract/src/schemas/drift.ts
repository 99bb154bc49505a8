import { z } from 'zod'
import { DRIFT_KINDS } from '../constants.ts'

/** One difference between an instance and the desired state: a stable kind for machines, a sentence for people. */
export const driftEntrySchema = z.object({
  kind: z.enum(DRIFT_KINDS),
  /** What differs, naming the object and, for a changed setting, the value found and the one wanted. */
  detail: z.string().min(1),
})
export type DriftEntry = z.infer<typeof driftEntrySchema>

/** `verify --drift --json`: the result's `drift` list, empty when the instance is in the desired state. */
export const driftListSchema = z.array(driftEntrySchema)
