// Reference data for synthetic devices: real Apple model names, model identifiers, chips and OS versions, so the
// rows look like what Iru Endpoint sends. Values are illustrative, not an inventory of every Apple product.
import type { Platform } from '@kandji-sn/contract/constants'

export interface ModelSpec {
  /** Marketing name as Kandji reports it in `model`. */
  model: string
  /** Hardware model identifier, e.g. Mac14,9. */
  identifier: string
  processor: string
  memoryGb: readonly number[]
  storageGb: readonly number[]
  /** Oldest OS version (index into the platform's `osVersions`) this model can run. */
  minOs?: string
  /** Newest OS version this model can run (Intel Macs stop at macOS 15). */
  maxOs?: string
  /** Serial number model code (the last four characters of a 12-character Apple serial). */
  serialModelCode: string
  weight: number
}

export interface PlatformSpec {
  platform: Platform
  /** Share of a fleet, used when no platform list is given. */
  weight: number
  models: readonly ModelSpec[]
  /** OS versions seen in a fleet, oldest first. */
  osVersions: readonly string[]
  /** Releases newer than any in `osVersions`: the targets of simulated OS updates. */
  updateVersions: readonly string[]
  /** Device names a person would give it; `{first}` is the assigned user's first name. */
  nameWithUser: readonly string[]
  nameWithoutUser: readonly string[]
  /** Share of devices with an assigned user. */
  userShare: number
}

export const PLATFORM_SPECS: Record<Platform, PlatformSpec> = {
  Mac: {
    platform: 'Mac',
    weight: 50,
    models: [
      { model: 'MacBook Pro (14-inch, 2023)', identifier: 'Mac14,9', processor: 'Apple M2 Pro', memoryGb: [16, 32], storageGb: [512, 1024], serialModelCode: 'MD6M', weight: 14 },
      { model: 'MacBook Pro (14-inch, M3, Nov 2023)', identifier: 'Mac15,3', processor: 'Apple M3', memoryGb: [8, 16, 24], storageGb: [512, 1024], serialModelCode: 'QJ2D', weight: 14 },
      { model: 'MacBook Pro (14-inch, M4, 2024)', identifier: 'Mac16,1', processor: 'Apple M4', memoryGb: [16, 24, 32], storageGb: [512, 1024], minOs: '15.1', serialModelCode: 'WK7H', weight: 8 },
      { model: 'MacBook Pro (16-inch, 2021)', identifier: 'MacBookPro18,1', processor: 'Apple M1 Pro', memoryGb: [16, 32], storageGb: [512, 1024, 2048], serialModelCode: 'MD6T', weight: 8 },
      { model: 'MacBook Pro (13-inch, M1, 2020)', identifier: 'MacBookPro17,1', processor: 'Apple M1', memoryGb: [8, 16], storageGb: [256, 512], serialModelCode: 'Q05D', weight: 8 },
      { model: 'MacBook Pro (16-inch, 2019)', identifier: 'MacBookPro16,1', processor: 'Intel Core i7 2.6 GHz 6-Core', memoryGb: [16, 32], storageGb: [512, 1024], maxOs: '15.2', serialModelCode: 'MD6N', weight: 4 },
      { model: 'MacBook Air (M2, 2022)', identifier: 'Mac14,2', processor: 'Apple M2', memoryGb: [8, 16, 24], storageGb: [256, 512], serialModelCode: 'Q6L4', weight: 18 },
      { model: 'MacBook Air (13-inch, M3, 2024)', identifier: 'Mac15,12', processor: 'Apple M3', memoryGb: [8, 16, 24], storageGb: [256, 512], serialModelCode: 'V7VF', weight: 12 },
      { model: 'iMac (24-inch, M1, 2021)', identifier: 'iMac21,1', processor: 'Apple M1', memoryGb: [8, 16], storageGb: [256, 512], serialModelCode: 'Q1KV', weight: 5 },
      { model: 'Mac mini (2023)', identifier: 'Mac14,3', processor: 'Apple M2', memoryGb: [8, 16], storageGb: [256, 512], serialModelCode: 'PJH7', weight: 5 },
      { model: 'Mac Studio (2022)', identifier: 'Mac13,1', processor: 'Apple M1 Max', memoryGb: [32, 64], storageGb: [512, 1024], serialModelCode: 'Q6NW', weight: 4 },
    ],
    osVersions: ['13.6.9', '13.7.1', '14.6.1', '14.7.1', '15.0.1', '15.1', '15.1.1', '15.2'],
    updateVersions: ['15.3', '15.3.1'],
    nameWithUser: ["{first}'s MacBook", "{first}'s Mac", '{first}-mbp', '{FIRST}-MAC'],
    nameWithoutUser: ['LAB-MAC-{n}', 'KIOSK-MAC-{n}', 'BUILD-{n}'],
    userShare: 0.92,
  },
  iPhone: {
    platform: 'iPhone',
    weight: 28,
    models: [
      { model: 'iPhone SE (3rd generation)', identifier: 'iPhone14,6', processor: 'Apple A15 Bionic', memoryGb: [4], storageGb: [64, 128], serialModelCode: 'N72J', weight: 8 },
      { model: 'iPhone 13', identifier: 'iPhone14,5', processor: 'Apple A15 Bionic', memoryGb: [4], storageGb: [128, 256], serialModelCode: 'N6XF', weight: 14 },
      { model: 'iPhone 14', identifier: 'iPhone14,7', processor: 'Apple A15 Bionic', memoryGb: [6], storageGb: [128, 256], serialModelCode: 'PLJR', weight: 16 },
      { model: 'iPhone 14 Pro', identifier: 'iPhone15,2', processor: 'Apple A16 Bionic', memoryGb: [6], storageGb: [128, 256, 512], serialModelCode: 'PLK5', weight: 10 },
      { model: 'iPhone 15', identifier: 'iPhone15,4', processor: 'Apple A16 Bionic', memoryGb: [6], storageGb: [128, 256], serialModelCode: 'Q7F2', weight: 20 },
      { model: 'iPhone 15 Pro', identifier: 'iPhone16,1', processor: 'Apple A17 Pro', memoryGb: [8], storageGb: [128, 256, 512], serialModelCode: 'Q7FL', weight: 14 },
      { model: 'iPhone 16', identifier: 'iPhone17,3', processor: 'Apple A18', memoryGb: [8], storageGb: [128, 256], minOs: '18.0.1', serialModelCode: 'R3MC', weight: 12 },
      { model: 'iPhone 16 Pro', identifier: 'iPhone17,1', processor: 'Apple A18 Pro', memoryGb: [8], storageGb: [128, 256, 512], minOs: '18.0.1', serialModelCode: 'R3MV', weight: 6 },
    ],
    osVersions: ['17.6.1', '17.7', '18.0.1', '18.1', '18.1.1', '18.2'],
    updateVersions: ['18.3', '18.3.1'],
    nameWithUser: ["{first}'s iPhone", 'iPhone ({first})', '{first}-iphone'],
    nameWithoutUser: ['SHARED-IPHONE-{n}', 'ONCALL-PHONE-{n}'],
    userShare: 0.95,
  },
  iPad: {
    platform: 'iPad',
    weight: 16,
    models: [
      { model: 'iPad (9th generation)', identifier: 'iPad12,1', processor: 'Apple A13 Bionic', memoryGb: [3], storageGb: [64, 256], serialModelCode: 'Q1GC', weight: 20 },
      { model: 'iPad (10th generation)', identifier: 'iPad13,18', processor: 'Apple A14 Bionic', memoryGb: [4], storageGb: [64, 256], serialModelCode: 'PQ3J', weight: 22 },
      { model: 'iPad Air (5th generation)', identifier: 'iPad13,16', processor: 'Apple M1', memoryGb: [8], storageGb: [64, 256], serialModelCode: 'N9KF', weight: 14 },
      { model: 'iPad Air 11-inch (M2)', identifier: 'iPad14,8', processor: 'Apple M2', memoryGb: [8], storageGb: [128, 256, 512], minOs: '17.6.1', serialModelCode: 'V4DM', weight: 8 },
      { model: 'iPad Pro (11-inch) (4th generation)', identifier: 'iPad14,3', processor: 'Apple M2', memoryGb: [8], storageGb: [128, 256, 512], serialModelCode: 'PN0F', weight: 8 },
      { model: 'iPad mini (6th generation)', identifier: 'iPad14,1', processor: 'Apple A15 Bionic', memoryGb: [4], storageGb: [64, 256], serialModelCode: 'NK9R', weight: 10 },
    ],
    osVersions: ['17.6.1', '17.7', '18.0.1', '18.1', '18.1.1', '18.2'],
    updateVersions: ['18.3', '18.3.1'],
    nameWithUser: ["{first}'s iPad", 'iPad ({first})'],
    nameWithoutUser: ['FRONTDESK-IPAD-{n}', 'CHECKIN-KIOSK-{n}', 'RETAIL-IPAD-{n}'],
    userShare: 0.55,
  },
  AppleTV: {
    platform: 'AppleTV',
    weight: 6,
    models: [
      { model: 'Apple TV 4K (3rd generation)', identifier: 'AppleTV14,1', processor: 'Apple A15 Bionic', memoryGb: [4], storageGb: [64, 128], serialModelCode: 'Q6TY', weight: 50 },
      { model: 'Apple TV 4K (2nd generation)', identifier: 'AppleTV11,1', processor: 'Apple A12 Bionic', memoryGb: [3], storageGb: [32, 64], serialModelCode: 'N1K6', weight: 35 },
      { model: 'Apple TV HD', identifier: 'AppleTV5,3', processor: 'Apple A8', memoryGb: [2], storageGb: [32], serialModelCode: 'GY6R', weight: 15 },
    ],
    osVersions: ['17.6', '18.0', '18.1', '18.2'],
    updateVersions: ['18.3'],
    nameWithUser: ["{first}'s Apple TV"],
    nameWithoutUser: ['Conference Room {n} Apple TV', 'Lobby Apple TV {n}', 'Boardroom Apple TV {n}'],
    userShare: 0.1,
  },
}

/** Kandji Blueprints (policy sets). Ids are fixed so re-runs with any seed reference the same Blueprints. */
export const BLUEPRINTS = [
  { id: '2b5c5a4e-6f1d-4c36-9a0e-0c8d7e1f1a01', name: 'Standard Mac', platforms: ['Mac'] },
  { id: '2b5c5a4e-6f1d-4c36-9a0e-0c8d7e1f1a02', name: 'Engineering Macs', platforms: ['Mac'] },
  { id: '2b5c5a4e-6f1d-4c36-9a0e-0c8d7e1f1a03', name: 'Executive Devices', platforms: ['Mac', 'iPhone', 'iPad'] },
  { id: '2b5c5a4e-6f1d-4c36-9a0e-0c8d7e1f1a04', name: 'Corporate iOS', platforms: ['iPhone', 'iPad'] },
  { id: '2b5c5a4e-6f1d-4c36-9a0e-0c8d7e1f1a05', name: 'Shared iPad Kiosk', platforms: ['iPad'] },
  { id: '2b5c5a4e-6f1d-4c36-9a0e-0c8d7e1f1a06', name: 'Conference Room Apple TV', platforms: ['AppleTV'] },
] as const satisfies ReadonlyArray<{ id: string; name: string; platforms: readonly Platform[] }>

/** Given names for synthetic users (no real people). */
export const FIRST_NAMES = [
  'Avery', 'Blake', 'Casey', 'Dana', 'Eli', 'Farah', 'Gus', 'Hana', 'Ines', 'Jonas', 'Kai', 'Lena', 'Malik', 'Nora',
  'Omar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Uma', 'Viktor', 'Wren', 'Xiomara', 'Yusuf', 'Zoe',
] as const
export const LAST_NAMES = [
  'Abbott', 'Baptiste', 'Chen', 'Diaz', 'Eriksen', 'Fofana', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lindqvist',
  'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Varga', 'Weber', 'Yilmaz',
] as const

/**
 * Mail domain for users that do NOT exist in ServiceNow. `.example` is reserved (RFC 2606), so these addresses can
 * never match a real sys_user.
 */
export const UNKNOWN_USER_DOMAIN = 'iru-simulator.example'

/** Kandji agent versions seen on Macs (the agent is Mac only; iOS, iPadOS and tvOS are MDM only). */
export const AGENT_VERSIONS = ['4.6.2', '4.7.0', '4.7.1'] as const
export const AGENT_UPDATE_VERSION = '4.8.0'

/** Mac application inventory (the optional SAM Pro path). */
export const MAC_APPS = [
  { name: 'Google Chrome', bundleId: 'com.google.Chrome', publisher: 'Google LLC', versions: ['131.0.6778.86', '131.0.6778.140'] },
  { name: 'Slack', bundleId: 'com.tinyspeck.slackmacgap', publisher: 'Slack Technologies, LLC', versions: ['4.41.97', '4.41.105'] },
  { name: 'zoom.us', bundleId: 'us.zoom.xos', publisher: 'Zoom Video Communications, Inc.', versions: ['6.2.11', '6.3.0'] },
  { name: 'Microsoft Word', bundleId: 'com.microsoft.Word', publisher: 'Microsoft Corporation', versions: ['16.91', '16.92'] },
  { name: 'Microsoft Excel', bundleId: 'com.microsoft.Excel', publisher: 'Microsoft Corporation', versions: ['16.91', '16.92'] },
  { name: 'Microsoft Outlook', bundleId: 'com.microsoft.Outlook', publisher: 'Microsoft Corporation', versions: ['16.91', '16.92'] },
  { name: 'Microsoft Teams', bundleId: 'com.microsoft.teams2', publisher: 'Microsoft Corporation', versions: ['24295.605.3225.8804'] },
  { name: '1Password', bundleId: 'com.1password.1password', publisher: 'AgileBits Inc.', versions: ['8.10.54', '8.10.56'] },
  { name: 'Visual Studio Code', bundleId: 'com.microsoft.VSCode', publisher: 'Microsoft Corporation', versions: ['1.95.3', '1.96.0'] },
  { name: 'Docker', bundleId: 'com.docker.docker', publisher: 'Docker Inc', versions: ['4.36.0', '4.37.1'] },
  { name: 'Firefox', bundleId: 'org.mozilla.firefox', publisher: 'Mozilla Corporation', versions: ['133.0', '133.0.3'] },
  { name: 'Figma', bundleId: 'com.figma.Desktop', publisher: 'Figma, Inc.', versions: ['124.6.5'] },
] as const
