// onBefore of the "Kandji Device to CMDB" transform (staging row -> IRE -> the device's CMDB class, then the MDM row).
import { APP_SETTINGS, CI_LIFECYCLE, DISCOVERY_SOURCE, MDM_FIELDS, RETIREMENT_JOB } from '../generated/contract.ts'
import type { ImportLogLike, Platform } from '../platform/types.ts'
import { findCisNamed, findSerialHolder, identifiedCiProblem, nameForIre, readIdentifiedCi, type IdentifiedCi } from './ci-identity.ts'
import { KNOWN_CLASSES, classFor, parseClassMap } from './device-classes.ts'
import { DEVICE_IMPORT_COLUMNS, MDM_CI_COLUMN, interpretIreOutput, irePayload, mapDevice, type IreItemOptions } from './device-mapping.ts'
import { rejectRow, readRow, type RowOutcome, type RowReader, type RowWriter } from './row-outcome.ts'
import { matchUser, parseUserMatchMode } from './user-match.ts'
import { text } from './values.ts'

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

  const classMap = parseClassMap(platform.property(APP_SETTINGS.deviceClasses, ''))
  if (!classMap.ok) return rejectRow(log, `${classMap.message} (serial ${mapping.serialNumber})`)
  const className = classFor(classMap.classes, mapping.platform)

  const matchMode = parseUserMatchMode(platform.property(APP_SETTINGS.userMatch, ''))
  if (matchMode.note) notes.push(matchMode.note)
  const user = matchUser(platform, matchMode.mode, { ...(mapping.userEmail ? { email: mapping.userEmail } : {}), rawEmail: mapping.rawEmail, userName: mapping.userName })
  if (user.note) notes.push(user.note)

  // Same-named devices must not merge into one CI (the Hardware Rule falls back to name; see ci-identity.ts).
  const deviceName = String(mapping.ciValues.name)
  const name = nameForIre(deviceName, mapping.serialNumber, findCisNamed(platform, deviceName))
  const infos = name === deviceName ? [] : [`another CI is already named "${deviceName}", so the CI is named "${name}"`]

  // A class change is asked for only for a CI that is already one of the device classes: a CI another source
  // filed in another class (a server, plain hardware) keeps it, and IRE refuses or keeps the class as configured.
  const holder = findSerialHolder(platform, mapping.serialNumber)
  const removed = mapping.mdmValues[MDM_FIELDS.isRemoved] === true
  const wasRetired = text(target.getValue?.(MDM_FIELDS.retiredReason)) !== ''
  const options: IreItemOptions = { className, reclassify: holder !== undefined && holder.className !== className && KNOWN_CLASSES.includes(holder.className) }
  if (removed) options.lifecycle = { install_status: CI_LIFECYCLE.retiredInstallStatus, operational_status: CI_LIFECYCLE.retiredOperationalStatus }
  else if (wasRetired) options.lifecycle = { install_status: CI_LIFECYCLE.activeInstallStatus, operational_status: CI_LIFECYCLE.activeOperationalStatus }

  let output: string
  try {
    output = platform.createOrUpdateCI(DISCOVERY_SOURCE.value, irePayload({ ...mapping.ciValues, name }, user.sysId, options))
  } catch (err) {
    const message = `IRE failed for serial ${mapping.serialNumber}: ${err instanceof Error ? err.message : String(err)}. ` +
      `If it names the data source, check GET verify (discovery_source) or POST repair.`
    return rejectRow(log, message)
  }
  const ire = interpretIreOutput(output)
  if (!ire.ok) {
    const hint = /RECLASSIFICATION_NOT_ALLOWED|Reclassification not allowed/.test(ire.message) && holder
      ? ` CI ${holder.sysId} is a ${holder.className}, which the app does not move to ${className}: change its class in the CMDB (or the mapping ${APP_SETTINGS.deviceClasses}), then send the device again.`
      : ''
    return rejectRow(log, `${ire.message} (serial ${mapping.serialNumber})${hint}`)
  }
  // The CI IRE answered with: known without another read when IRE created it, or when it is the serial holder.
  const known: IdentifiedCi | undefined = ire.className !== '' && (ire.operation === 'INSERT' || ire.sysId === holder?.sysId)
    ? { serialNumber: ire.operation === 'INSERT' ? mapping.serialNumber : (holder?.serialNumber ?? ''), className: ire.className, isComputer: false }
    : undefined
  const problem = identifiedCiProblem(mapping.serialNumber, ire.sysId, known && KNOWN_CLASSES.includes(known.className) ? known : readIdentifiedCi(platform, ire.sysId))
  if (problem) {
    return rejectRow(log, problem)
  }
  if (ire.className && ire.className !== className) {
    notes.push(`the CI stays a ${ire.className} although ${mapping.platform || 'this platform'} maps to ${className} (IRE kept its class: glide.identification_engine.update_without_* or a reclassification restriction rule)`)
  }

  for (const [column, value] of Object.entries(mapping.mdmValues)) target.setValue(column, value)
  target.setValue(MDM_CI_COLUMN, ire.sysId)
  target.setValue(MDM_FIELDS.lastPushed, platform.nowUtc())
  target.setValue(MDM_FIELDS.userMatch, user.outcome)
  target.setValue(MDM_FIELDS.retiredReason, removed ? `${RETIREMENT_JOB.removedReason}retired when Iru Endpoint sent is_removed on ${platform.nowUtc()} UTC` : '')
  for (const info of infos) log.info(`serial ${mapping.serialNumber}: ${info}`)
  for (const note of notes) log.warn(`serial ${mapping.serialNumber}: ${note}`)
  const all = [...infos, ...notes]
  const noteText = all.length > 0 ? ` Notes: ${all.join('; ')}.` : ''
  const lifecycle = removed ? ' Retired: removed in Iru Endpoint.' : wasRetired ? ' Active again: pushed after its retirement.' : ''
  return { state: 'continue', message: `CI ${ire.sysId} ${ire.operation.toLowerCase()} through IRE.${lifecycle}${noteText}` }
}
