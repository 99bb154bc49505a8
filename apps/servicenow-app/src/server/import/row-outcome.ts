import type { ImportLogLike } from '../platform/types.ts'

/**
 * What an onBefore transform script should do with the current row. The string script in the transform map
 * maps it onto the transform globals a module cannot assign (fluent-sdk-findings, transform map gotchas):
 * 'ignore' -> ignore = true; 'error' -> error = true + error_message; 'continue' -> the row is written.
 */
export interface RowOutcome {
  state: 'continue' | 'ignore' | 'error'
  message: string
}

/** Reads a staging row (the transform's `source` GlideRecord). */
export interface RowReader {
  getValue(field: string): string | null
}

/** Writes the transform's `target` GlideRecord. */
export interface RowWriter {
  setValue(field: string, value: string | number | boolean): void
}

export function readRow<C extends string>(source: RowReader, columns: readonly C[]): { [K in C]?: string | null } {
  const row: { [K in C]?: string | null } = {}
  for (const column of columns) row[column] = source.getValue(column)
  return row
}

/** Fails the row: the message goes to the import log and becomes the row's error. */
export function failRow(log: ImportLogLike, message: string): RowOutcome {
  log.error(message)
  return { state: 'error', message }
}
