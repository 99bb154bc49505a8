// Which CMDB class a Kandji platform lands in (APP_SETTINGS.deviceClasses, a JSON object platform -> class). The
// default keeps the vendor's behaviour: every platform a computer. Pure: the property's text in, a decision out.
import { APP_SETTINGS, DEVICE_CLASSES, PLATFORMS } from '../generated/contract.ts'

export type ClassMap = { [platform: string]: string }

export const KNOWN_CLASSES: readonly string[] = Object.values(DEVICE_CLASSES)
export const DEFAULT_CLASS: string = DEVICE_CLASSES.computer

export type ClassMapResult = { ok: true; classes: ClassMap } | { ok: false; message: string }

const FIX = `Fix: set ${APP_SETTINGS.deviceClasses} to a JSON object that maps platforms (${PLATFORMS.join(', ')}) to ${KNOWN_CLASSES.join(', ')}, or empty it for the default (all ${DEFAULT_CLASS}); then send the devices again.`

/** Reads the property's value; empty means the default. Platforms it leaves out stay computers. */
export function parseClassMap(raw: string): ClassMapResult {
  const classes: ClassMap = Object.fromEntries(PLATFORMS.map((p) => [p, DEFAULT_CLASS]))
  if (raw.trim() === '') return { ok: true, classes }
  const bad = (what: string): ClassMapResult => ({ ok: false, message: `The device class mapping ${APP_SETTINGS.deviceClasses} ${what}, so the device was not written (nothing changed). ${FIX}` })
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return bad('is not valid JSON')
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return bad('is not a JSON object')
  for (const [platform, cls] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(PLATFORMS as readonly string[]).includes(platform)) return bad(`names the unknown platform "${platform}"`)
    if (typeof cls !== 'string' || !KNOWN_CLASSES.includes(cls)) return bad(`maps ${platform} to "${String(cls)}", which is not one of ${KNOWN_CLASSES.join(', ')}`)
    classes[platform] = cls
  }
  return { ok: true, classes }
}

/** The class of a device; a platform Kandji did not name (or one the app does not know) is a computer. */
export function classFor(classes: ClassMap, platform: string): string {
  return classes[platform] ?? DEFAULT_CLASS
}
