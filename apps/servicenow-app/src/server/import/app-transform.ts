// onBefore of the "Kandji Application to Software Install" transform. Software installs live in SAM Pro's
// cmdb_sam_sw_install (Iru docs overview, facts 1.2); without SAM Pro every row is skipped with a clear status.
import { PLATFORM_TABLES, SAM_PRO_PLUGIN } from '../generated/contract.ts'
import type { ImportLogLike, Platform } from '../platform/types.ts'
import { text } from './values.ts'
import { failRow, readRow, type RowOutcome, type RowReader } from './row-outcome.ts'

export const APP_IMPORT_COLUMNS = ['device_id', 'serial_number', 'app_name', 'bundle_id', 'version', 'publisher', 'install_path'] as const

export function processAppRow(platform: Platform, source: RowReader, log: ImportLogLike): RowOutcome {
  if (!platform.isPluginActive(SAM_PRO_PLUGIN)) {
    return {
      state: 'ignore',
      message: `Skipped: SAM Pro (${SAM_PRO_PLUGIN}) is not active, so application inventory is not stored. Activate SAM Pro or turn off app inventory in Iru Endpoint.`,
    }
  }
  const row = readRow(source, APP_IMPORT_COLUMNS)
  const serial = text(row.serial_number)
  const name = text(row.app_name)
  const missing = [serial ? '' : 'serial_number', name ? '' : 'app_name'].filter((x) => x)
  if (missing.length > 0) {
    const message = `Row has no ${missing.join(' and ')}; a software install needs the device's serial number and the application name.`
    return failRow(log, message)
  }
  // installed_on is resolved from serial_number by the transform entry (referenceValueField); check first so the
  // row fails with a reason instead of a bare reference error.
  const ci = platform.record(PLATFORM_TABLES.computer)
  ci.addQuery('serial_number', serial)
  ci.setLimit(2)
  ci.query()
  let found = 0
  while (ci.next()) found++
  if (found === 0) {
    const message = `No computer with serial number ${serial} is in the CMDB yet; import the device before its applications.`
    return failRow(log, message)
  }
  if (found > 1) {
    const message = `More than one computer has serial number ${serial}; resolve the duplicate CIs before importing applications.`
    return failRow(log, message)
  }
  return { state: 'continue', message: `Software install ${name} ${text(row.version)} on ${serial}.` }
}
