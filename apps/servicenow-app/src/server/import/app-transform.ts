// onBefore of the "Kandji Application to Software Install" transform (staging row -> IRE -> the app's software
// row). Software installations live in SAM's cmdb_sam_sw_install, which exists only while SAM is active
// (c_DiscoSWAssetMgmtTableSchema.md) and which SAM populates through IRE: the computer as the item, the software
// installation as a related item with display_name, version and publisher (payload-details.md,
// configure-third-party-discovery.md). The transform's own target is the app's software table, so a missing SAM
// table cannot fail the row before this script runs (coalesce is evaluated before onBefore, KB0745411).
import { DISCOVERY_SOURCE, PLATFORM_TABLES } from '../generated/contract.ts'
import type { ImportLogLike, Platform } from '../platform/types.ts'
import { collectErrors, parseIreAnswer } from './ire-answer.ts'
import { text } from './values.ts'
import { readRow, rejectRow, type RowOutcome, type RowReader, type RowWriter } from './row-outcome.ts'

export const APP_IMPORT_COLUMNS = ['device_id', 'serial_number', 'app_name', 'bundle_id', 'version', 'publisher', 'install_path'] as const

/** Columns of the software table the onBefore script fills (the field maps copy the rest). */
export const SOFTWARE_CI_COLUMN = 'ci'
export const SOFTWARE_INSTALL_COLUMN = 'software_install'

export const SAM_NOT_ACTIVE =
  `Skipped: Software Asset Management is not active (no ${PLATFORM_TABLES.softwareInstall} table), so application inventory is not stored. ` +
  'Activate SAM (Foundation or Professional) or turn off app inventory in Iru Endpoint.'

interface ComputerCi {
  sysId: string
  className: string
}

function findComputers(platform: Platform, serial: string): ComputerCi[] {
  const ci = platform.record(PLATFORM_TABLES.computer)
  ci.addQuery('serial_number', serial)
  ci.setLimit(2)
  ci.query()
  const found: ComputerCi[] = []
  while (ci.next()) found.push({ sysId: ci.getUniqueValue(), className: text(ci.getValue('sys_class_name')) || PLATFORM_TABLES.computer })
  return found
}

/** IRE's input: the computer (identified by serial, its class sent so IRE keeps it) and the related installation. */
export function softwarePayload(computer: ComputerCi, serial: string, app: { name: string; version: string; publisher: string }): string {
  const values: { [field: string]: string } = { display_name: app.name }
  if (app.version) values.version = app.version
  if (app.publisher) values.publisher = app.publisher
  return JSON.stringify({
    items: [{ className: computer.className, values: { serial_number: serial, sys_class_name: computer.className }, related: [{ className: PLATFORM_TABLES.softwareInstall, values }] }],
  })
}

type SoftwareIreOutcome = { ok: true; ciSysId: string; installSysId: string; operation: string } | { ok: false; message: string }

/** Reads IRE's answer for one computer item with one related installation. */
export function interpretSoftwareIre(output: string): SoftwareIreOutcome {
  const answer = parseIreAnswer(output)
  if (!answer.ok) return answer
  const { item } = answer
  const related = Array.isArray(item?.relatedItems) ? (item.relatedItems[0] as { sysId?: unknown; operation?: unknown; errors?: unknown } | undefined) : undefined
  const errors = [...collectErrors(item?.errors), ...collectErrors(related?.errors)]
  if (errors.length > 0) return { ok: false, message: `IRE rejected the software installation: ${errors.join('; ')}` }
  if (typeof item?.sysId !== 'string' || typeof related?.sysId !== 'string' || related.sysId === 'Unknown') {
    return { ok: false, message: 'IRE did not return the software installation (no related item with a sysId in its answer).' }
  }
  return { ok: true, ciSysId: item.sysId, installSysId: related.sysId, operation: typeof related.operation === 'string' ? related.operation : 'UNKNOWN' }
}

export function processAppRow(platform: Platform, source: RowReader, target: RowWriter, log: ImportLogLike): RowOutcome {
  if (!platform.tableExists(PLATFORM_TABLES.softwareInstall)) return { state: 'ignore', message: SAM_NOT_ACTIVE }
  const row = readRow(source, APP_IMPORT_COLUMNS)
  const serial = text(row.serial_number)
  const name = text(row.app_name)
  const missing = [serial ? '' : 'serial_number', name ? '' : 'app_name'].filter((x) => x)
  if (missing.length > 0) {
    return rejectRow(log, `Row has no ${missing.join(' and ')}; a software installation needs the device's serial number and the application name.`)
  }
  const computers = findComputers(platform, serial)
  const [computer] = computers
  if (!computer) {
    return rejectRow(log, `No computer with serial number ${serial} is in the CMDB yet; import the device before its applications.`)
  }
  if (computers.length > 1) {
    return rejectRow(log, `More than one computer has serial number ${serial}; resolve the duplicate CIs before importing applications.`)
  }
  const app = { name, version: text(row.version), publisher: text(row.publisher) }
  let output: string
  try {
    output = platform.createOrUpdateCI(DISCOVERY_SOURCE.value, softwarePayload(computer, serial, app))
  } catch (err) {
    return rejectRow(log, `IRE failed for ${name} on serial ${serial}: ${err instanceof Error ? err.message : String(err)}.`)
  }
  const ire = interpretSoftwareIre(output)
  if (!ire.ok) return rejectRow(log, `${ire.message} (${name} on serial ${serial})`)
  if (ire.ciSysId !== computer.sysId) {
    return rejectRow(log, `IRE identified serial ${serial} as CI ${ire.ciSysId}, not the computer ${computer.sysId} that has it; the software row was not written. ` +
      'Likely cause: duplicate CIs for this device. Fix: resolve the duplicates (CMDB de-duplication tasks), then send the applications again.')
  }
  target.setValue(SOFTWARE_CI_COLUMN, computer.sysId)
  target.setValue(SOFTWARE_INSTALL_COLUMN, ire.installSysId)
  return { state: 'continue', message: `Software installation ${name} ${app.version} on ${serial}: ${ire.operation.toLowerCase()} through IRE.` }
}
