import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppPackageError, findBuiltPackage, updateSetPathFor } from '../src/index.ts'

function appDir(zips: Record<string, number>, extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'app-package-find-'))
  mkdirSync(join(dir, 'target'))
  for (const [name, ageSeconds] of Object.entries(zips)) {
    const path = join(dir, 'target', name)
    writeFileSync(path, 'PK')
    const when = new Date(Date.UTC(2025, 0, 1) - ageSeconds * 1000)
    utimesSync(path, when, when)
  }
  for (const name of extra) writeFileSync(join(dir, 'target', name), '<unload/>')
  return dir
}

describe('findBuiltPackage', () => {
  it('returns the most recently packed zip in target/', async () => {
    const dir = appDir({ 'kandji_1_0_0.zip': 300, 'kandji_1_0_1.zip': 10, 'kandji_0_9_0.zip': 600 })
    expect(await findBuiltPackage(dir)).toEqual({ zip: join(dir, 'target', 'kandji_1_0_1.zip') })
  })

  it('returns the update set written beside that zip', async () => {
    const dir = appDir({ 'kandji_1_0_1.zip': 10 }, ['kandji_1_0_1_update_set.xml', 'kandji_1_0_0_update_set.xml'])
    expect(await findBuiltPackage(dir)).toEqual({
      zip: join(dir, 'target', 'kandji_1_0_1.zip'),
      updateSet: join(dir, 'target', 'kandji_1_0_1_update_set.xml'),
    })
  })

  it('names the update set after the zip', () => {
    expect(updateSetPathFor('/a/target/kandji_1_0_1.zip')).toBe('/a/target/kandji_1_0_1_update_set.xml')
  })

  it('says to build when there is no target/ folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-package-find-'))
    const error = await findBuiltPackage(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppPackageError)
    expect((error as Error).message).toMatch(/^error: .* has no target\/ folder with a packed app\ncause: .*\nfix: {3}run `npm run build`/)
  })

  it('says to pack when target/ holds no zip', async () => {
    const dir = appDir({}, ['notes_update_set.xml'])
    const error = await findBuiltPackage(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppPackageError)
    expect((error as Error).message).toContain('holds no .zip')
    expect((error as AppPackageError).reason).toContain('`now-sdk pack` did not')
  })
})
