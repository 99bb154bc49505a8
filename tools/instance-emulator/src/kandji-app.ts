// The built Kandji app (apps/servicenow-app/target/*.zip) for the tests, the bench and the demo: one way to get it,
// and one message when it is missing. Tools may read an app's build output by path; nothing here ever builds it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findBuiltPackage } from '@kandji-sn/app-package'

export const KANDJI_APP_DIR = fileURLToPath(new URL('../../../apps/servicenow-app', import.meta.url))

export interface KandjiApp {
  /**
   * A private copy of the packed zip, made once per process: other work may rebuild (or clean) target/ while tests or
   * a bench run, and everything in one run must install the same bytes.
   */
  zip: string
  /** The zip's bytes, for `installApp` / `publishApp`. */
  bytes: Uint8Array
  /** Writes the same bytes into `dir` under the package's file name and returns that path. */
  copyTo(dir: string): string
}

/** The app has not been built (or a clean removed it). Its message is the three lines a person reads. */
export class KandjiAppNotBuiltError extends Error {
  override name = 'KandjiAppNotBuiltError'
  constructor(appDir: string) {
    super(
      [
        `error: the Kandji app is not built (no ${join(appDir, 'target')}/*.zip)`,
        'cause: the tests, the bench and the demo install the BUILT app, and nothing has built it in this checkout yet (or a clean removed it)',
        'fix:   npx turbo run build (the root `npm test`, `npm start` and `npm run bench` build first)',
      ].join('\n'),
    )
  }

  format(): string {
    return this.message
  }
}

let defaultApp: Promise<KandjiApp> | undefined

async function load(appDir: string): Promise<KandjiApp> {
  let zip: string
  let bytes: Uint8Array
  try {
    zip = (await findBuiltPackage(appDir)).zip
    bytes = new Uint8Array(readFileSync(zip))
  } catch {
    // No target/, no zip in it, or a rebuild removed it between finding and reading: in every case it must be built.
    throw new KandjiAppNotBuiltError(appDir)
  }
  const name = basename(zip)
  const copyTo = (dir: string) => {
    const path = join(dir, name)
    writeFileSync(path, bytes)
    return path
  }
  const privateDir = mkdtempSync(join(tmpdir(), 'kandji-app-'))
  process.once('exit', () => rmSync(privateDir, { recursive: true, force: true }))
  return { zip: copyTo(privateDir), bytes, copyTo }
}

/**
 * The newest built Kandji app, read and copied once per process (later calls return the same copy). Rejects with
 * KandjiAppNotBuiltError when it is not built. `appDir` is for tests of this helper; callers use the default.
 */
export function loadKandjiApp(appDir?: string): Promise<KandjiApp> {
  if (appDir !== undefined) return load(appDir)
  defaultApp ??= load(KANDJI_APP_DIR).catch((error: unknown) => {
    defaultApp = undefined // a later call (after a build) may succeed
    throw error
  })
  return defaultApp
}
