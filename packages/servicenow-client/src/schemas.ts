// Shapes of what an instance answers. Anything else becomes ServiceNowError kind 'invalid_response' naming the field.
import { z } from 'zod'

const numeric = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)])
const text = z.string().nullish().transform((v) => v ?? '')

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string(),
  expires_in: numeric,
  scope: z.string().optional(),
})

/** With sysparm_exclude_reference_link=true and no display values, every field is a string. */
export const recordSchema = z.record(z.string(), z.string())
/** With sysparm_display_value=all (or true) values may be objects ({display_value, value}). */
export const looseRecordSchema = z.record(z.string(), z.unknown())

export const listEnvelope = (record: z.ZodType) => z.object({ result: z.array(record) })
export const singleEnvelope = (record: z.ZodType) => z.object({ result: record })

export const importRowResultSchema = z
  .object({
    transform_map: z.string().optional(),
    table: z.string().optional(),
    display_name: z.string().optional(),
    display_value: z.string().optional(),
    record_link: z.string().optional(),
    status: z.string(),
    sys_id: z.string().optional(),
    status_message: z.string().optional(),
    error_message: z.string().optional(),
  })
  .loose()

export const importResultSchema = z.object({
  import_set: z.string(),
  staging_table: z.string(),
  result: z.array(importRowResultSchema),
})

export const insertMultipleSchema = z.object({
  import_set_id: z.string(),
  multi_import_set_id: z.string(),
})

/**
 * A CI/CD progress answer. Any field may be null (cicd-api.md: `rollback_version` "If not available, null", e.g. on
 * a first install); a null status is read as still pending.
 */
export const progressResultSchema = z.object({
  links: z.object({ progress: z.object({ id: z.string() }).nullish() }).loose().nullish(),
  status: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? '0' : String(v)))
    .pipe(z.enum(['0', '1', '2', '3', '4'])),
  status_label: text,
  status_message: text,
  status_detail: text,
  error: text,
  percent_complete: numeric.nullish(),
  rollback_version: text,
})

/** Without `executionTracker` (older instances) now-sdk falls back to sys_upgrade_history (sdk-api orchestrator.js install()). */
export const uploadResponseSchema = z.object({
  executionTracker: z.string().nullish(),
  rollbackContext: z.string().nullish(),
})

/** A CI/CD refusal: `{"result":{"error","status_message"}}` (sncicd-install-app src/App.ts reads `result.error || result.status_message`). */
export const cicdRefusalSchema = z.object({
  result: z.object({ error: z.string().nullish(), status_message: z.string().nullish(), status_detail: z.string().nullish() }).loose(),
})

export const errorEnvelopeSchema = z.object({
  error: z.object({ message: z.string().nullish(), detail: z.string().nullish() }).loose(),
})

/** `result[0].sys_id: expected string, received number` for the first problem zod found. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'unexpected shape'
  const where = formatPath(issue.path)
  const what = issue.message.replace(/^Invalid input:\s*/, '')
  return where ? `${where}: ${what}` : what
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out
}
