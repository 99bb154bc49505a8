import { IMPORT_REJECTED_PREFIX } from '../generated/contract.ts'
import type { ImportLogLike } from '../platform/types.ts'

/**
 * What an onBefore transform script should do with the current row. The string script in the transform map
 * maps it onto the transform globals a module cannot assign (fluent-sdk-findings, transform map gotchas):
 * 'ignore' and 'reject' -> ignore = true with the message as status_message (the row's Comment,
 * r_ImportSetMode.md); 'continue' -> the row is written. A rejected row's message starts with
 * IMPORT_REJECTED_PREFIX. Never error = true: in onBefore it "will halt the entire transformation for the current
 * import set" (r_MapWithTransformationEventScripts.md), so one bad row would stop every row after it.
 */
export interface RowOutcome {
  state: 'continue' | 'ignore' | 'reject'
  message: string
}

/** Reads a staging row (the transform's `source` GlideRecord). */
export interface RowReader {
  getValue(field: string): string | null
}

/**
 * The transform's `target` GlideRecord: written, and read for what the coalesced MDM row already holds (the
 * coalesce runs before onBefore, KB0745411, so `target` is the existing row on a push of a known device).
 */
export interface RowWriter {
  setValue(field: string, value: string | number | boolean): void
  getValue?(field: string): string | null
}

export function readRow<C extends string>(source: RowReader, columns: readonly C[]): { [K in C]?: string | null } {
  const row: { [K in C]?: string | null } = {}
  for (const column of columns) row[column] = source.getValue(column)
  return row
}

/** Rejects the row: the message goes to the import log and becomes the row's comment, after the prefix. */
export function rejectRow(log: ImportLogLike, message: string): RowOutcome {
  log.error(message)
  return { state: 'reject', message: `${IMPORT_REJECTED_PREFIX}${message}` }
}
