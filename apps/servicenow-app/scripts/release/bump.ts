// Writes the release version everywhere the repository keeps the app's version. The generated server contract
// (src/server/generated/contract.ts: APP_VERSION, MODULE_ROOT) follows from package.json when the build runs generate.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const APP_DIR = 'apps/servicenow-app'
export const APP_PACKAGE_JSON = `${APP_DIR}/package.json`
export const LOCK_FILE = 'package-lock.json'
export const NOW_CONFIG = `${APP_DIR}/now.config.json`

type Json = Record<string, unknown>

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json
}

/** npm's and this repository's JSON layout: two spaces, a final newline. */
function writeJson(path: string, value: Json): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)
}

export function currentVersion(root: string): string {
  const version = readJson(join(root, APP_PACKAGE_JSON)).version
  return typeof version === 'string' ? version : ''
}

/** Sets the version; returns the files it changed (relative to root). */
export function bumpVersion(root: string, version: string): string[] {
  const changed: string[] = []
  const pkgPath = join(root, APP_PACKAGE_JSON)
  const pkg = readJson(pkgPath)
  writeJson(pkgPath, { ...pkg, version })
  changed.push(APP_PACKAGE_JSON)

  const lockPath = join(root, LOCK_FILE)
  if (existsSync(lockPath)) {
    const lock = readJson(lockPath)
    const entry = (lock.packages as Record<string, Json> | undefined)?.[APP_DIR]
    if (!entry) throw new Error(`${LOCK_FILE} has no packages["${APP_DIR}"] entry; run npm install once, then release again`)
    entry.version = version
    writeJson(lockPath, lock)
    changed.push(LOCK_FILE)
  }

  // now.config.json carries no version today (the SDK reads package.json); set it should it ever carry one.
  const configPath = join(root, NOW_CONFIG)
  if (existsSync(configPath)) {
    const config = readJson(configPath)
    if ('version' in config) {
      writeJson(configPath, { ...config, version })
      changed.push(NOW_CONFIG)
    }
  }
  return changed
}
