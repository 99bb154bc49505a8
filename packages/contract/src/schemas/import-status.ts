import { z } from 'zod'
import { IMPORT_ROW_STATES, type ImportRowState } from '../constants.ts'

const count = z.number().int().nonnegative()

/**
 * GET …/integration/import_sets/{sys_id}: the outcome of one import set pushed to a Kandji staging table
 * (apps/servicenow-app src/server/status/import-status.ts writes it; the simulator and the CLI read it).
 */
export const importStatusSchema = z.object({
  import_set: z.object({ sys_id: z.string(), number: z.string(), table: z.string(), state: z.string(), mode: z.string() }),
  run: z
    .object({ state: z.string(), total: count, inserts: count, updates: count, ignored: count, skipped: count, errors: count })
    .nullable(),
  done: z.boolean(),
  counts: z.object(Object.fromEntries(IMPORT_ROW_STATES.map((s) => [s, count])) as Record<ImportRowState, typeof count>),
  rows: z.array(
    z.object({
      row: count,
      state: z.enum(IMPORT_ROW_STATES),
      comment: z.string(),
      device_id: z.string(),
      serial_number: z.string(),
      app_name: z.string().optional(),
      bundle_id: z.string().optional(),
    }),
  ),
  truncated: z.boolean(),
})
export type ImportStatus = z.infer<typeof importStatusSchema>
