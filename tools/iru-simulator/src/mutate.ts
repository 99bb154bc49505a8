// Changes between two pushes, as a fleet produces them: OS updates, renames, a device handed to another person.
// Every changed device also checks in again (last_check_in moves forward).
import { AGENT_UPDATE_VERSION, FIRST_NAMES, LAST_NAMES, PLATFORM_SPECS, UNKNOWN_USER_DOMAIN } from './catalog.ts'
import { compareVersions, isoSeconds, modelSpecFor, nameFromEmail, supports, type KandjiDevice } from './devices.ts'
import { createRng, type Rng, type Seed } from './prng.ts'

export const CHANGE_KINDS = ['os_update', 'rename', 'new_user'] as const
export type ChangeKind = (typeof CHANGE_KINDS)[number]

/** A device after a change; `changes` says what changed (the staging row ignores it). */
export type ChangedDevice = KandjiDevice & { changes: ChangeKind[] }

export interface MutateOptions {
  seed: Seed
  /** Share of devices to change, 0..1 (default 0.1). Ignored when `count` is given. */
  fraction?: number
  /** Exact number of devices to change (capped at the fleet size). */
  count?: number
  /** Emails of users that exist in ServiceNow, for reassignments. */
  knownUserEmails?: readonly string[]
  /** How far check-ins move forward; default 1 hour. */
  checkInAdvanceMs?: number
}

/**
 * Returns the changed devices only (each a full record after the change, same serial and device_id), in fleet
 * order. The input is not modified. Which devices change, and how, depends only on the seed and the input.
 */
export function mutateDevices(devices: readonly KandjiDevice[], options: MutateOptions): ChangedDevice[] {
  const wanted = options.count ?? Math.round(devices.length * (options.fraction ?? 0.1))
  if (!Number.isFinite(wanted) || wanted < 0) throw new RangeError(`the number of changed devices must be 0 or more, got ${String(wanted)}`)
  if (options.fraction !== undefined && (options.fraction < 0 || options.fraction > 1)) {
    throw new RangeError(`fraction must be between 0 and 1, got ${String(options.fraction)}`)
  }
  const rng = createRng(options.seed, 'mutate')
  const chosen = chooseIndexes(rng, devices.length, Math.min(Math.floor(wanted), devices.length))
  const known = options.knownUserEmails ?? []
  const advance = options.checkInAdvanceMs ?? 3_600_000
  return chosen.map((index) => {
    const before = devices[index]!
    const deviceRng = createRng(options.seed, 'mutate', before.serial_number)
    const kinds = pickKinds(deviceRng)
    const after: ChangedDevice = { ...before, user: before.user ? { ...before.user } : null, changes: [] }
    for (const kind of kinds) {
      if (apply(after, kind, deviceRng, known)) after.changes.push(kind)
    }
    if (after.changes.length === 0) {
      // Nothing applied (e.g. already on the newest OS and asked only for an update): rename instead.
      apply(after, 'rename', deviceRng, known)
      after.changes.push('rename')
    }
    after.last_check_in = isoSeconds(Date.parse(before.last_check_in) + advance)
    return after
  })
}

function chooseIndexes(rng: Rng, size: number, count: number): number[] {
  const indexes = Array.from({ length: size }, (_, i) => i)
  for (let i = 0; i < count; i++) {
    const j = rng.int(i, size - 1)
    ;[indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!]
  }
  return indexes.slice(0, count).sort((a, b) => a - b)
}

function pickKinds(rng: Rng): ChangeKind[] {
  const primary = rng.weighted<ChangeKind>([
    ['os_update', 6],
    ['rename', 2],
    ['new_user', 2],
  ])
  const kinds: ChangeKind[] = [primary]
  if (rng.chance(0.15)) {
    const extra = rng.pick(CHANGE_KINDS.filter((k) => k !== primary))
    kinds.push(extra)
  }
  return kinds
}

function apply(device: ChangedDevice, kind: ChangeKind, rng: Rng, known: readonly string[]): boolean {
  switch (kind) {
    case 'os_update': {
      const spec = PLATFORM_SPECS[device.platform]
      const model = modelSpecFor(device)
      const newer = [...spec.osVersions, ...spec.updateVersions].filter(
        (v) => compareVersions(v, device.os_version) > 0 && (!model || supports(model, v)),
      )
      if (newer.length === 0) return false
      device.os_version = rng.pick(newer)
      if (device.agent_installed) device.agent_version = AGENT_UPDATE_VERSION
      return true
    }
    case 'rename': {
      const tag = device.serial_number.slice(-6)
      const prefix = { Mac: 'MAC', iPhone: 'IPH', iPad: 'IPAD', AppleTV: 'ATV' }[device.platform]
      const renamed = `${prefix}-${tag}-${String(rng.int(1, 99)).padStart(2, '0')}`
      if (renamed === device.device_name) return false
      device.device_name = renamed
      return true
    }
    case 'new_user': {
      const email =
        known.length > 0 && rng.chance(0.7)
          ? rng.pick(known)
          : `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}`.toLowerCase() + `@${UNKNOWN_USER_DOMAIN}`
      if (email === device.user?.email) return false
      device.user = { email, name: nameFromEmail(email), id: createRng('user', email.toLowerCase()).uuid(), known: known.includes(email) }
      return true
    }
  }
}
