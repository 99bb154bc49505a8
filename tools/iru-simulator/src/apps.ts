// Application inventory per Mac (the optional SAM Pro path; Iru Endpoint sends Mac apps only).
import { MAC_APPS } from './catalog.ts'
import type { KandjiDevice } from './devices.ts'
import { createRng, type Seed } from './prng.ts'

export interface AppInstall {
  device_id: string
  serial_number: string
  app_name: string
  bundle_id: string
  version: string
  publisher: string
}

/** Between 4 and all catalog apps per Mac, deterministic per (seed, serial). Non-Mac devices get none. */
export function generateApps(devices: readonly KandjiDevice[], seed: Seed): AppInstall[] {
  const installs: AppInstall[] = []
  for (const device of devices) {
    if (device.platform !== 'Mac' || device.is_removed) continue
    const rng = createRng(seed, 'apps', device.serial_number)
    const wanted = rng.int(4, MAC_APPS.length)
    const chosen = MAC_APPS.filter(() => rng.next() < wanted / MAC_APPS.length)
    for (const app of chosen) {
      installs.push({
        device_id: device.device_id,
        serial_number: device.serial_number,
        app_name: app.name,
        bundle_id: app.bundleId,
        version: rng.pick(app.versions),
        publisher: app.publisher,
      })
    }
  }
  return installs
}
