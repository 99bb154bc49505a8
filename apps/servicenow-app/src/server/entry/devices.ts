// Required by the KandjiDevices script include (src/fluent/devices.now.ts): the retirement job calls it.
import { glidePlatform } from '../platform/glide.ts'
import { retireStaleDevices, type RetirementResult } from '../devices/retirement.ts'

export function retireStale(dryRun?: boolean): RetirementResult {
  return retireStaleDevices(glidePlatform(), dryRun === undefined || dryRun === null ? undefined : dryRun === true || String(dryRun) === 'true')
}
