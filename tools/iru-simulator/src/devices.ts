// Synthetic Kandji (Iru Endpoint) devices, shaped like the Kandji API's device records
// (/work/shared/reference/kandji-device-fields.md). Deterministic: every device draws from its own stream
// (seed, "device", index), so `count: 10` yields the first ten devices of `count: 1000` with the same seed.
import { PLATFORMS, type Platform } from '@kandji-sn/contract/constants'
import {
  AGENT_VERSIONS,
  BLUEPRINTS,
  FIRST_NAMES,
  LAST_NAMES,
  PLATFORM_SPECS,
  UNKNOWN_USER_DOMAIN,
  type ModelSpec,
  type PlatformSpec,
} from './catalog.ts'
import { createRng, type Rng, type Seed } from './prng.ts'

export interface DeviceUser {
  email: string
  name: string
  id: string
  /** True when the email came from `knownUserEmails` (a user that exists in ServiceNow). */
  known: boolean
}

export interface KandjiDevice {
  device_id: string
  device_name: string
  serial_number: string
  platform: Platform
  model: string
  model_identifier: string
  os_version: string
  /** ISO 8601, UTC. */
  last_check_in: string
  user: DeviceUser | null
  asset_tag: string
  blueprint_id: string
  blueprint_name: string
  mdm_enabled: boolean
  agent_installed: boolean
  agent_version: string
  is_missing: boolean
  is_removed: boolean
  first_enrollment: string
  last_enrollment: string
  processor: string
  memory_gb: number
  storage_total_gb: number
  storage_free_gb: number
  mac_address: string
  /** Mac only; null on iPhone, iPad and Apple TV. */
  filevault_enabled: boolean | null
  activation_lock: boolean
}

export interface GenerateOptions {
  count: number
  seed: Seed
  /** Emails of users that exist in ServiceNow; most assigned users are drawn from them when given. */
  knownUserEmails?: readonly string[]
  /** Restrict to these platforms; default all, in a realistic mix. */
  platforms?: readonly Platform[]
  /**
   * The "now" that timestamps are relative to. Default: the start of the current UTC day, so repeated runs on the
   * same day produce identical rows while check-ins still look recent. Identity fields never depend on it.
   */
  referenceTime?: Date | string | number
  /** Share of assigned users drawn from `knownUserEmails` (default 0.7); the rest do not exist in ServiceNow. */
  knownUserShare?: number
}

const DAY_MS = 86_400_000
/** Serial characters: Apple serials avoid I and O, which read as 1 and 0. */
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'
const SERIAL_PLANTS = ['C02', 'C07', 'C1M', 'F5K', 'FVF', 'G8W', 'DMP', 'DLX', 'F9F', 'H4H', 'DX3', 'GG7'] as const
const SERIAL_YEARS = 'CDFGHJKLMNPQRSTVWXYZ'
const SERIAL_WEEKS = '123456789CDFGHJKLMNPQRTVWXY'
const APPLE_OUIS = ['a4:83:e7', 'f0:18:98', '3c:22:fb', 'bc:d0:74', '88:66:5a', '14:7d:da', 'ac:bc:32'] as const

export const SERIAL_PATTERN = /^[0-9A-HJ-NP-Z]{12}$/

export function generateDevices(options: GenerateOptions): KandjiDevice[] {
  const count = options.count
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number of devices, got ${String(count)}`)
  const platforms = options.platforms?.length ? options.platforms : PLATFORMS
  for (const p of platforms) {
    if (!PLATFORMS.includes(p)) throw new RangeError(`unknown platform "${String(p)}": use one of ${PLATFORMS.join(', ')}`)
  }
  const reference = startOfReference(options.referenceTime)
  const known = (options.knownUserEmails ?? []).map((e) => e.trim()).filter((e) => e !== '')
  const knownShare = known.length === 0 ? 0 : (options.knownUserShare ?? 0.7)
  const serials = new Set<string>()
  const devices: KandjiDevice[] = []
  for (let index = 0; index < count; index++) {
    const rng = createRng(options.seed, 'device', index)
    const spec = PLATFORM_SPECS[rng.weighted(platforms.map((p) => [p, PLATFORM_SPECS[p].weight] as const))]
    devices.push(makeDevice(rng, spec, reference, known, knownShare, serials))
  }
  return devices
}

function makeDevice(rng: Rng, spec: PlatformSpec, reference: number, known: string[], knownShare: number, serials: Set<string>): KandjiDevice {
  const model = rng.weighted(spec.models.map((m) => [m, m.weight] as const))
  const serial = uniqueSerial(rng, model, serials)
  const user = rng.chance(spec.userShare) ? makeUser(rng, known, knownShare) : null
  const blueprint = rng.pick(BLUEPRINTS.filter((b) => (b.platforms as readonly Platform[]).includes(spec.platform)))
  const isRemoved = rng.chance(0.01)
  const isMissing = isRemoved || rng.chance(0.03)
  // Kandji flags a device missing after about 30 days without a check-in; enrollments precede the last check-in.
  const lastCheckIn = isMissing ? reference - rng.int(31, 120) * DAY_MS - rng.int(0, DAY_MS - 1) : reference - rng.int(0, 3 * DAY_MS)
  const firstEnrollment = lastCheckIn - rng.int(30, 1100) * DAY_MS - rng.int(0, DAY_MS - 1)
  const lastEnrollment = rng.chance(0.8) ? firstEnrollment : rng.int(firstEnrollment, lastCheckIn - 3_600_000)
  const storageTotal = rng.pick(model.storageGb)
  const isMac = spec.platform === 'Mac'
  const agentInstalled = isMac && !isRemoved && rng.chance(0.96)
  return {
    device_id: rng.uuid(),
    device_name: deviceName(rng, spec, user),
    serial_number: serial,
    platform: spec.platform,
    model: model.model,
    model_identifier: model.identifier,
    os_version: pickOsVersion(rng, spec, model),
    last_check_in: isoSeconds(lastCheckIn),
    user,
    asset_tag: rng.chance(0.45) ? `KJ-${String(rng.int(1, 99_999)).padStart(5, '0')}` : '',
    blueprint_id: blueprint.id,
    blueprint_name: blueprint.name,
    mdm_enabled: !isRemoved && rng.chance(0.98),
    agent_installed: agentInstalled,
    agent_version: agentInstalled ? rng.pick(AGENT_VERSIONS) : '',
    is_missing: isMissing,
    is_removed: isRemoved,
    first_enrollment: isoSeconds(firstEnrollment),
    last_enrollment: isoSeconds(lastEnrollment),
    processor: model.processor,
    memory_gb: rng.pick(model.memoryGb),
    storage_total_gb: storageTotal,
    storage_free_gb: Math.round(storageTotal * (0.08 + rng.next() * 0.7) * 100) / 100,
    mac_address: `${rng.pick(APPLE_OUIS)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}`,
    filevault_enabled: isMac ? rng.chance(0.9) : null,
    activation_lock: spec.platform === 'AppleTV' ? false : rng.chance(isMac ? 0.3 : 0.6),
  }
}

/**
 * A 12-character serial in Apple's pre-2021 layout: plant (3), year (1), week (1), unit (3), model code (4).
 * Unique within one generation; a collision is redrawn from the same stream, so the result stays deterministic.
 */
export function uniqueSerial(rng: Rng, model: Pick<ModelSpec, 'serialModelCode'>, taken: Set<string>): string {
  for (;;) {
    const serial =
      rng.pick(SERIAL_PLANTS) +
      rng.chars(SERIAL_YEARS, 1) +
      rng.chars(SERIAL_WEEKS, 1) +
      rng.chars(SERIAL_ALPHABET, 3) +
      model.serialModelCode
    if (!taken.has(serial)) {
      taken.add(serial)
      return serial
    }
  }
}

function makeUser(rng: Rng, known: string[], knownShare: number): DeviceUser {
  if (known.length > 0 && rng.chance(knownShare)) {
    const email = rng.pick(known)
    return { email, name: nameFromEmail(email), id: createRng('user', email.toLowerCase()).uuid(), known: true }
  }
  const first = rng.pick(FIRST_NAMES)
  const last = rng.pick(LAST_NAMES)
  const email = `${first}.${last}`.toLowerCase() + `@${UNKNOWN_USER_DOMAIN}`
  return { email, name: `${first} ${last}`, id: createRng('user', email).uuid(), known: false }
}

export function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? email
  return local
    .split(/[._-]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ')
}

function deviceName(rng: Rng, spec: PlatformSpec, user: DeviceUser | null): string {
  const n = String(rng.int(1, 999)).padStart(3, '0')
  if (!user) return rng.pick(spec.nameWithoutUser).replace('{n}', n)
  const first = user.name.split(' ')[0] ?? user.name
  return rng.pick(spec.nameWithUser).replace('{first}', first).replace('{FIRST}', first.toUpperCase()).replace('{n}', n)
}

/** Newer releases are more common in a managed fleet; a model never runs an OS outside its range. */
function pickOsVersion(rng: Rng, spec: PlatformSpec, model: ModelSpec): string {
  const supported = spec.osVersions.filter((v) => supports(model, v))
  return rng.weighted(supported.map((v, i) => [v, i + 1] as const))
}

export function supports(model: Pick<ModelSpec, 'minOs' | 'maxOs'>, version: string): boolean {
  if (model.minOs && compareVersions(version, model.minOs) < 0) return false
  if (model.maxOs && compareVersions(version, model.maxOs) > 0) return false
  return true
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

export function modelSpecFor(device: Pick<KandjiDevice, 'platform' | 'model_identifier'>): ModelSpec | undefined {
  return PLATFORM_SPECS[device.platform].models.find((m) => m.identifier === device.model_identifier)
}

function startOfReference(input: GenerateOptions['referenceTime']): number {
  if (input === undefined) {
    const now = Date.now()
    return now - (now % DAY_MS)
  }
  const ms = input instanceof Date ? input.getTime() : typeof input === 'number' ? input : Date.parse(input)
  if (!Number.isFinite(ms)) throw new RangeError(`referenceTime is not a date: ${String(input)}`)
  return ms
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
