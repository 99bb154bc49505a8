// The built Kandji app (apps/servicenow-app): its packed zip (target/*.zip), or, when only `now-sdk build` ran,
// dist/app zipped in memory the way `now-sdk pack` lays it out. Read once per test run, so a concurrent rebuild of
// dist/ cannot change what a test installs halfway through. Never builds: building is the app workspace's job.
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { zipSync } from 'fflate'
import { findBuiltPackage } from '@kandji-sn/app-package'
import { REPO_ROOT } from './fixture-app.ts'

export const KANDJI_APP_DIR = join(REPO_ROOT, 'apps/servicenow-app')

let cached: Promise<Uint8Array> | undefined

async function zipDist(dist: string): Promise<Uint8Array> {
  const entries: Record<string, Uint8Array> = {}
  for (const entry of await readdir(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    entries[`/${relative(dist, path)}`] = new Uint8Array(await readFile(path))
  }
  return zipSync(entries)
}

async function load(): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile((await findBuiltPackage(KANDJI_APP_DIR)).zip))
  } catch {
    const dist = join(KANDJI_APP_DIR, 'dist/app')
    try {
      return await zipDist(dist)
    } catch {
      throw new Error(
        [
          'error: the Kandji app is not built (no apps/servicenow-app/target/*.zip and no dist/app)',
          'cause: these tests install the BUILT app, and nothing has built it in this checkout yet',
          'fix:   npx turbo run build --filter=kandji-servicenow-app',
        ].join('\n'),
      )
    }
  }
}

export function builtKandjiApp(): Promise<Uint8Array> {
  cached ??= load()
  return cached
}
