import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { KandjiAppNotBuiltError, loadKandjiApp } from './kandji-app.ts'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kandji-app-test-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function appProject(files: Record<string, string>): string {
  const dir = tempDir()
  mkdirSync(join(dir, 'target'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'target', name), text)
  return dir
}

describe('loadKandjiApp', () => {
  it('copies the packed zip away from target/, so a rebuild or clean during the run cannot change what is installed', async () => {
    const project = appProject({ 'kandji_1_0_0.zip': 'PK-first-build' })
    const app = await loadKandjiApp(project)
    rmSync(join(project, 'target'), { recursive: true })
    expect(basename(app.zip)).toBe('kandji_1_0_0.zip')
    expect(readFileSync(app.zip, 'utf8')).toBe('PK-first-build')
    expect(Buffer.from(app.bytes).toString('utf8')).toBe('PK-first-build')
    const elsewhere = app.copyTo(tempDir())
    expect(basename(elsewhere)).toBe('kandji_1_0_0.zip')
    expect(readFileSync(elsewhere, 'utf8')).toBe('PK-first-build')
  })

  it.each([
    ['no target/ folder', () => tempDir()],
    ['a target/ folder without a zip (built, not packed)', () => appProject({ 'notes.txt': 'not a package' })],
  ])('fails with error/cause/fix telling to run the build when there is %s', async (_case, project) => {
    const failure = loadKandjiApp(project())
    await expect(failure).rejects.toBeInstanceOf(KandjiAppNotBuiltError)
    await expect(failure).rejects.toThrow(/^error: the Kandji app is not built .*\ncause: .+\nfix: {3}npx turbo run build/)
  })

  it('without an argument loads the real app once per process (the same copy every time)', async () => {
    const [a, b] = await Promise.all([loadKandjiApp(), loadKandjiApp()])
    expect(a).toBe(b)
    expect(a.zip).toMatch(/\.zip$/)
    expect(a.bytes.byteLength).toBeGreaterThan(0)
  })
})
