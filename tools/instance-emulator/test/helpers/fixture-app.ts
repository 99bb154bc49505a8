// Builds the small Fluent app in test/fixtures/fluent-app with the real now-sdk (4.9.0) once per source change and
// caches the result under node_modules/.cache (a build takes ~10 s).
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { cp, mkdir, readdir, readFile, rename, rm, stat, symlink } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..')
export const NOW_SDK = join(REPO_ROOT, 'node_modules/.bin/now-sdk')
const FIXTURE = resolve(import.meta.dirname, '../fixtures/fluent-app')

export const FIXTURE_APP = {
  scope: 'x_emu_fixture',
  scopeId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  version: '1.0.0',
} as const

async function files(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)))
  }
  return out.sort()
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false)
}

export interface BuiltApp {
  /** The app project (now-sdk install runs here). */
  projectDir: string
  distDir: string
  zip: string
}

export async function builtFixtureApp(): Promise<BuiltApp> {
  const hash = createHash('sha256')
  for (const f of await files(FIXTURE)) hash.update(f).update(await readFile(join(FIXTURE, f)))
  const projectDir = join(REPO_ROOT, 'node_modules/.cache/sn-emulator', `fixture-app-${hash.digest('hex').slice(0, 16)}`)
  const zip = join(projectDir, 'target/emu_fixture_1_0_0.zip')
  if (!(await exists(zip))) {
    const tmp = `${projectDir}.${randomBytes(4).toString('hex')}.tmp`
    await mkdir(tmp, { recursive: true })
    await cp(FIXTURE, tmp, { recursive: true })
    await symlink(join(REPO_ROOT, 'node_modules'), join(tmp, 'node_modules'))
    const env = { ...process.env, NODE_ENV: 'test' }
    await run(NOW_SDK, ['build'], { cwd: tmp, env, timeout: 120_000 })
    await run(NOW_SDK, ['pack'], { cwd: tmp, env, timeout: 60_000 })
    await rename(tmp, projectDir).catch(async () => rm(tmp, { recursive: true, force: true }))
  }
  return { projectDir, distDir: join(projectDir, 'dist/app'), zip }
}
