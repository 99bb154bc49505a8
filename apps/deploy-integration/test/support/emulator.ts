import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { verifyPath } from '@kandji-sn/contract/constants'

/**
 * The part of the emulator's API (tools/instance-emulator/src/types.ts) these tests use, declared here so this
 * workspace typechecks whether or not the emulator exports it yet. The emulator package is resolved through the
 * workspace link at run time (it is not a declared dependency: adding one would change the root lock file).
 */
type Row = Record<string, string>
export interface Emulator {
  url: string
  db: {
    query(table: string, encoded?: string): Row[]
    findOne(table: string, encoded: string): Row | undefined
    get(table: string, sysId: string): Row | undefined
    update(table: string, sysId: string, values: Record<string, unknown>): Row | undefined
    delete(table: string, sysId: string): boolean
  }
  counters: { requests: number; db: { select: number; insert: number; update: number; delete: number } }
  resetCounters(): void
  addFault(rule: { kind: 'html' | 'reset' | 'timeout'; path?: string; method?: string } | { kind: 'status'; status: number; path?: string }): void
  clearFaults(): void
  installApp(zipOrDir: Uint8Array | string): Promise<{ scope: string; version: string }>
  publishApp(zipOrDir: Uint8Array | string): Promise<{ scope: string; version: string }>
  close(): Promise<void>
}
export interface EmulatorOptions {
  release?: 'xanadu' | 'yokohama' | 'zurich' | 'australia'
  adminPassword?: string
  switches?: Record<string, unknown>
}

export const repoRoot = resolve(fileURLToPath(new URL('../../../..', import.meta.url)))
const appDir = join(repoRoot, 'apps', 'servicenow-app')

type Start = (options?: EmulatorOptions) => Promise<Emulator>

/** The emulator's startEmulator, when the emulator workspace exports it yet (probed, not assumed). */
export async function loadEmulator(): Promise<Start | undefined> {
  try {
    const name = '@kandji-sn/instance-emulator' // a variable: typecheck must not require the module to exist yet
    const mod = (await import(name)) as { startEmulator?: Start }
    return typeof mod.startEmulator === 'function' ? mod.startEmulator : undefined
  } catch {
    return undefined
  }
}

/** The built app: the packed zip (installed through the CLI's upload) or else the dist/app folder (installed directly). */
export async function findApp(): Promise<{ zip?: string; dir?: string } | undefined> {
  try {
    const { findBuiltPackage } = await import('@kandji-sn/app-package')
    return { zip: (await findBuiltPackage(appDir)).zip }
  } catch {
    const dir = join(appDir, 'dist', 'app')
    return existsSync(dir) ? { dir } : undefined
  }
}

/**
 * Whether the emulator runs the app's scripted REST (part 2): on a throwaway emulator with the app installed, the
 * verify endpoint answers something other than 501 "not emulated".
 */
export async function probeRuntime(start: Start, app: { zip?: string; dir?: string }): Promise<boolean> {
  const emulator = await start()
  try {
    await emulator.installApp(app.zip ? new Uint8Array(readFileSync(app.zip)) : app.dir!)
    const res = await fetch(`${emulator.url}${verifyPath}`, { headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`, accept: 'application/json' } })
    await res.body?.cancel()
    return res.status !== 501
  } catch {
    return false
  } finally {
    await emulator.close()
  }
}
