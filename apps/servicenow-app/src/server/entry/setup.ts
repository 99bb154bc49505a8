// Required by the KandjiSetup Script Include (src/fluent/setup.now.ts), which the fix script calls.
import { glidePlatform } from '../platform/glide.ts'
import { runSetup, type RepairResult } from '../setup/discovery-source.ts'

export function ensureDiscoverySource(): RepairResult {
  return runSetup(glidePlatform())
}
