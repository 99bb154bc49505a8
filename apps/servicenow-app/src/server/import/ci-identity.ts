// Keeps IRE from identifying one device as another. The base system's Hardware Rule (ServiceNow docs, CMDB
// Identification and Reconciliation, "Hardware Rule" identifier entries, in priority order: serial_number +
// serial_number_type, serial_number, name, mac_address of a network adapter) searches cmdb_ci_hardware and, when
// no CI has the serial number, falls back to the name. Device names repeat across a fleet ("MacBook Pro"), so
// the name rule would match another Mac's CI and IRE would overwrite its serial number. Before IRE we therefore
// send a name that can only match this device when another device already holds the plain one; after IRE we
// refuse a CI whose serial number is not the device's.
import { PLATFORM_TABLES } from '../generated/contract.ts'
import type { Platform } from '../platform/types.ts'
import { text } from './values.ts'
import { KNOWN_CLASSES } from './device-classes.ts'

/** A CI that IRE's name rule would find for a name. */
export interface NamedCi {
  sysId: string
  serialNumber: string
}

/** Two rows are enough to tell "nobody", "exactly one CI" and "several CIs" apart: one query, whatever the CMDB size. */
export const NAME_LOOKUP_LIMIT = 2

/** Instance string comparisons are case-insensitive (as IRE's serial_number match is), so ours is too. */
export function sameSerial(a: string, b: string): boolean {
  return text(a).toUpperCase() === text(b).toUpperCase()
}

/** The name sent to IRE when the device's own name is taken by another device. */
export function disambiguatedName(name: string, serialNumber: string): string {
  return `${name} (${serialNumber})`
}

/** Up to NAME_LOOKUP_LIMIT hardware CIs named `name`, the table and field the Hardware Rule's name entry searches. */
export function findCisNamed(platform: Platform, name: string): NamedCi[] {
  const gr = platform.record(PLATFORM_TABLES.hardware)
  gr.addQuery('name', name)
  gr.setLimit(NAME_LOOKUP_LIMIT)
  gr.query()
  const found: NamedCi[] = []
  while (gr.next()) found.push({ sysId: gr.getUniqueValue(), serialNumber: text(gr.getValue('serial_number')) })
  return found
}

/**
 * The name to send to IRE. The plain name is safe when no CI has it, or when the one CI that has it is this
 * device's (same serial) or has no serial at all (then a name match is the reconciliation the rule exists for).
 * Otherwise (a CI with another serial has it, or several CIs do and IRE would refuse a MULTI_MATCH) the serial
 * is added, which no other device's name carries. The choice depends only on who holds the plain name, so
 * pushing the same device again sends the same name and IRE reports no change.
 */
export function nameForIre(name: string, serialNumber: string, sameName: readonly NamedCi[]): string {
  if (sameName.length === 0) return name
  const [only] = sameName
  if (sameName.length === 1 && only && (only.serialNumber === '' || sameSerial(only.serialNumber, serialNumber))) return name
  return disambiguatedName(name, serialNumber)
}

/** The hardware CI that holds a serial number before IRE runs: its class decides whether a class change is ours to ask for. */
export interface SerialHolder {
  sysId: string
  serialNumber: string
  className: string
}

/** A hardware CI with this serial number, if any (with duplicates IRE may pick another; the caller then reads the CI IRE returned). */
export function findSerialHolder(platform: Platform, serialNumber: string): SerialHolder | undefined {
  const gr = platform.record(PLATFORM_TABLES.hardware)
  gr.addQuery('serial_number', serialNumber)
  gr.setLimit(1)
  gr.query()
  if (!gr.next()) return undefined
  return { sysId: gr.getUniqueValue(), serialNumber: text(gr.getValue('serial_number')), className: text(gr.getValue('sys_class_name')) }
}

/** The CI IRE answered with, as the transforms need it. */
export interface IdentifiedCi {
  serialNumber: string
  className: string
  /** cmdb_ci_computer or a class that extends it */
  isComputer: boolean
}

/**
 * The hardware CI with this sys_id; undefined when there is none. IRE answers with the class of the CI it found,
 * which may not be the class sent (IdentificationEngineScopedAPI.md), so whether it is a computer is read too
 * (one more query only when its class is not cmdb_ci_computer itself).
 */
export function readIdentifiedCi(platform: Platform, sysId: string): IdentifiedCi | undefined {
  const gr = platform.record(PLATFORM_TABLES.hardware)
  gr.addQuery('sys_id', sysId)
  gr.setLimit(1)
  gr.query()
  if (!gr.next()) return undefined
  const className = text(gr.getValue('sys_class_name'))
  let isComputer = className === PLATFORM_TABLES.computer
  if (!isComputer && !KNOWN_CLASSES.includes(className)) {
    const computer = platform.record(PLATFORM_TABLES.computer)
    computer.addQuery('sys_id', sysId)
    computer.setLimit(1)
    computer.query()
    isComputer = computer.next()
  }
  return { serialNumber: text(gr.getValue('serial_number')), className, isComputer }
}

/** Why the CI IRE returned must not be linked to this device; undefined when it is the device's computer CI. */
export function identifiedCiProblem(serialNumber: string, sysId: string, ci: IdentifiedCi | undefined): string | undefined {
  if (ci === undefined) {
    return `IRE returned CI ${sysId} for serial ${serialNumber}, but no hardware CI has that sys_id; the MDM row was not written. ` +
      `Likely cause: the CI was deleted while the row was transformed, or IRE returned a CI outside ${PLATFORM_TABLES.hardware}. ` +
      'Fix: send the device again; if it repeats, check the Hardware identification rule in CI Class Manager.'
  }
  if (!sameSerial(ci.serialNumber, serialNumber)) {
    return `IRE identified serial ${serialNumber} as CI ${sysId}, which has serial number "${ci.serialNumber || '(empty)'}"; ` +
      'the MDM row was not written, so it does not point at another device\'s CI. ' +
      'Likely cause: an identification rule matched on another attribute (name, MAC address) and a reconciliation rule kept the CI\'s serial number. ' +
      `Fix: correct or retire CI ${sysId} in the CMDB (or give Kandji authority over serial_number), then send the device again.`
  }
  if (!ci.isComputer && !KNOWN_CLASSES.includes(ci.className)) {
    return `IRE identified serial ${serialNumber} as CI ${sysId}, a ${ci.className || 'CI of unknown class'}, not a computer (${PLATFORM_TABLES.computer}) nor a device class (${KNOWN_CLASSES.join(', ')}); ` +
      'the MDM row was not written, so it links only to a device. ' +
      `Likely cause: another source created the device as a ${ci.className || 'non-computer'} CI, and IRE keeps the class of the CI it finds. ` +
      `Fix: change the class of CI ${sysId} to Computer (CI Class Manager, or "Change Class" on the CI form), then send the device again.`
  }
  return undefined
}
