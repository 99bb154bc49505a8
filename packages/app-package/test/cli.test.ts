import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.ts'
import { CROSS_SCOPE_PRIVILEGES } from '@kandji-sn/contract/constants'
import { FIX_SCRIPT_FILE, FIXTURE_DIR, editedFiles, fixtureFiles, replaceIn, zipOf } from './fixture.ts'

async function run(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('app-package CLI', () => {
  it('validates a dist/app folder and summarises it, with the cross-scope privileges it asks for', async () => {
    const r = await run(FIXTURE_DIR)
    expect(r.code).toBe(0)
    const privileges = CROSS_SCOPE_PRIVILEGES.map((p) => `${p.table}:${p.operation}`).sort()
    expect(r.out.split('\n')).toEqual(['x_kandj_kandji 0.0.1: 36 records, 2 tables, 0 errors, 5 warnings', `cross-scope privileges (${privileges.length}): ${privileges.join(', ')}`])
  })

  it('writes the update set beside the newest zip of an app folder', async () => {
    const app = mkdtempSync(join(tmpdir(), 'app-package-cli-'))
    mkdirSync(join(app, 'target'))
    writeFileSync(join(app, 'target', 'kandji_0_0_1.zip'), zipOf(fixtureFiles()))
    const r = await run(app, '--update-set', '--date', '2025-01-01 00:00:00')
    expect(r.code).toBe(0)
    const written = readFileSync(join(app, 'target', 'kandji_0_0_1_update_set.xml'), 'utf8')
    expect(written).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<unload unload_date="2025-01-01 00:00:00">/)
  })

  it('exits 1 and writes nothing when the package has errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-package-cli-'))
    const zip = join(dir, 'bad.zip')
    writeFileSync(zip, zipOf(editedFiles((f) => replaceIn(f, FIX_SCRIPT_FILE, '<sys_id>', '<sys_idx>'))))
    const r = await run(zip, '--update-set')
    expect(r.code).toBe(1)
    expect(r.err).toContain(`error: ${FIX_SCRIPT_FILE}: malformed XML`)
    expect(() => readFileSync(join(dir, 'bad_update_set.xml'))).toThrow()
  })

  it('exits 2 with error/cause/fix for a path that is not an app', async () => {
    const r = await run('/nonexistent/app')
    expect(r.code).toBe(2)
    expect(r.err.split('\n').map((l) => l.split(':')[0])).toEqual(['error', 'cause', 'fix'])
  })

  it('exits 2 on usage errors', async () => {
    expect((await run()).code).toBe(2)
    expect((await run(FIXTURE_DIR, '--date')).err).toContain('--date needs a value')
    expect((await run(FIXTURE_DIR, '--update-set')).err).toContain('--update-set needs a FILE')
    expect((await run(FIXTURE_DIR, 'extra')).err).toContain('unexpected argument extra')
  })
})
