// onBefore of the "Kandji Device to CMDB" transform (staging row -> IRE -> cmdb_ci_computer, then the MDM row).
import { DISCOVERY_SOURCE, PLATFORM_TABLES } from '../generated/contract.ts'
import type { ImportLogLike, Platform } from '../platform/types.ts'
import { findCisNamed, identifiedCiProblem, nameForIre, readIdentifiedCi } from './ci-identity.ts'
import { DEVICE_IMPORT_COLUMNS, MDM_CI_COLUMN, interpretIreOutput, irePayload, mapDevice } from './device-mapping.ts'
import { rejectRow, readRow, type RowOutcome, type RowReader, type RowWriter } from './row-outcome.ts'

export type UserLookup = { sysId: string } | { problem: string }

/** The active user with this e-mail, when there is exactly one (assigned_to must name an existing user; facts 1.1). */
export function findUserByEmail(platform: Platform, email: string): UserLookup {
  const gr = platform.record(PLATFORM_TABLES.user)
  gr.addQuery('email', email)
  gr.addQuery('active', true)
  gr.setLimit(2)
  gr.query()
  const ids: string[] = []
  while (gr.next()) ids.push(gr.getUniqueValue())
  if (ids.length === 0) return { problem: `no active user has e-mail ${email}; assigned_to left empty` }
  if (ids.length > 1) return { problem: `more than one active user has e-mail ${email}; assigned_to left empty` }
  return { sysId: ids[0] ?? '' }
}

export function processDeviceRow(platform: Platform, source: RowReader, target: RowWriter, log: ImportLogLike): RowOutcome {
  const mapped = mapDevice(readRow(source, DEVICE_IMPORT_COLUMNS))
  if (mapped.kind === 'probe') {
    return { state: 'ignore', message: 'Deploy probe row: accepted and ignored; no CI and no MDM row written.' }
  }
  if (mapped.kind === 'invalid') {
    return rejectRow(log, mapped.message)
  }
  const { mapping } = mapped
  const notes = [...mapping.warnings]

  let assignedTo: string | undefined
  if (mapping.userEmail) {
    const user = findUserByEmail(platform, mapping.userEmail)
    if ('sysId' in user) assignedTo = user.sysId
    else notes.push(user.problem)
  }

  // Same-named devices must not merge into one CI (the Hardware Rule falls back to name; see ci-identity.ts).
  const deviceName = String(mapping.ciValues.name)
  const name = nameForIre(deviceName, mapping.serialNumber, findCisNamed(platform, deviceName))
  const infos = name === deviceName ? [] : [`another CI is already named "${deviceName}", so the CI is named "${name}"`]

  let output: string
  try {
    output = platform.createOrUpdateCI(DISCOVERY_SOURCE.value, irePayload({ ...mapping.ciValues, name }, assignedTo))
  } catch (err) {
    const message = `IRE failed for serial ${mapping.serialNumber}: ${err instanceof Error ? err.message : String(err)}. ` +
      `If it names the data source, check GET verify (discovery_source) or POST repair.`
    return rejectRow(log, message)
  }
  const ire = interpretIreOutput(output)
  if (!ire.ok) {
    const message = `${ire.message} (serial ${mapping.serialNumber})`
    return rejectRow(log, message)
  }
  const problem = identifiedCiProblem(mapping.serialNumber, ire.sysId, readIdentifiedCi(platform, ire.sysId))
  if (problem) {
    return rejectRow(log, problem)
  }

  for (const [column, value] of Object.entries(mapping.mdmValues)) target.setValue(column, value)
  target.setValue(MDM_CI_COLUMN, ire.sysId)
  for (const info of infos) log.info(`serial ${mapping.serialNumber}: ${info}`)
  for (const note of notes) log.warn(`serial ${mapping.serialNumber}: ${note}`)
  const all = [...infos, ...notes]
  const noteText = all.length > 0 ? ` Notes: ${all.join('; ')}.` : ''
  return { state: 'continue', message: `CI ${ire.sysId} ${ire.operation.toLowerCase()} through IRE.${noteText}` }
}

