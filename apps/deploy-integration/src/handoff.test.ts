import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readHandoff, writeHandoff } from './handoff.ts'

const handoff = { instance: 'https://acme.service-now.com', tenant: 'acme', client_id: 'cid', client_secret: 'sec', username: 'kandji_rest_api_user', password: 'pw' }

describe('hand-off file', () => {
  it('is written with mode 0600, replacing an older one, leaving no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handoff-'))
    const path = join(dir, 'creds.json')
    writeFileSync(path, '{}', { mode: 0o644 })
    await writeHandoff(path, handoff)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(handoff)
    expect(readdirSync(dir)).toEqual(['creds.json'])
    expect(await readHandoff(path)).toEqual(handoff)
  })

  it('reads nothing when absent, and refuses malformed files naming the missing fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handoff-'))
    expect(await readHandoff(join(dir, 'none.json'))).toBeUndefined()
    writeFileSync(join(dir, 'bad.json'), 'not json')
    await expect(readHandoff(join(dir, 'bad.json'))).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('is not JSON') })
    writeFileSync(join(dir, 'partial.json'), JSON.stringify({ ...handoff, password: undefined }))
    await expect(readHandoff(join(dir, 'partial.json'))).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('password') })
  })

  it('refuses to write into a folder that does not exist (exit 2)', async () => {
    await expect(writeHandoff('/nonexistent-dir/creds.json', handoff)).rejects.toMatchObject({ exitCode: 2 })
  })
})
