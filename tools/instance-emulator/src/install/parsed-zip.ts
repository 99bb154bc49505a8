// An uploaded zip's parse, kept per content: the same package is uploaded by every deploy of a test run, and
// reading it (unzip and XML) was about a third of the emulator's CPU in an install. Each caller gets its own copy,
// so nothing one install does to the package object reaches another.
import { createHash } from 'node:crypto'
import { readAppPackageFromZip, type AppPackage } from '@kandji-sn/app-package'

const parsed = new Map<string, AppPackage>()
const PARSED_MAX = 16

export function parsedZip(zip: Uint8Array): AppPackage {
  const key = createHash('sha256').update(zip).digest('hex')
  let pkg = parsed.get(key)
  if (!pkg) {
    pkg = readAppPackageFromZip(zip) // throws for a zip that cannot be read: nothing is kept
    if (parsed.size >= PARSED_MAX) parsed.clear()
    parsed.set(key, pkg)
  }
  return structuredClone(pkg)
}
