// Required by the transform maps' onBefore string scripts (src/fluent/import/*.now.ts).
import { glidePlatform } from '../platform/glide.ts'
import type { ImportLogLike } from '../platform/types.ts'
import { processAppRow } from '../import/app-transform.ts'
import { processDeviceRow } from '../import/device-transform.ts'
import { rejectRow, type RowOutcome, type RowReader, type RowWriter } from '../import/row-outcome.ts'

export function onBeforeDeviceRow(source: RowReader, target: RowWriter, log: ImportLogLike): RowOutcome {
  return guarded(log, () => processDeviceRow(glidePlatform(), source, target, log))
}

export function onBeforeAppRow(source: RowReader, target: RowWriter, log: ImportLogLike): RowOutcome {
  return guarded(log, () => processAppRow(glidePlatform(), source, target, log))
}

/** An unexpected exception rejects the row with its message instead of aborting the whole import set. */
function guarded(log: ImportLogLike, run: () => RowOutcome): RowOutcome {
  try {
    return run()
  } catch (err) {
    const message = `Unexpected error while transforming the row: ${err instanceof Error ? err.message : String(err)}`
    return rejectRow(log, message)
  }
}
