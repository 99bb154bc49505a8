import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pendingSecretsPath, readHandoff, readPendingSecrets, removePendingSecrets, writeHandoff, writePendingSecrets } from './handoff.ts'

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

describe('pending secrets of an interrupted deploy', () => {
  const pending = {
    instance: 'https://acme.service-now.com',
    service_account: { username: 'kandji_rest_api_user', password: 'Generated-Password-0123456789abcdef' },
    oauth_client: { name: 'kandji_oauth_api', client_secret: 'generated-client-secret-0123456789abcdef' },
  }

  it('lives next to the hand-off file, mode 0600, and is read back until removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pending-'))
    const path = join(dir, 'creds.json')
    expect(await readPendingSecrets(path)).toBeUndefined()
    await writePendingSecrets(path, pending)
    expect(pendingSecretsPath(path)).toBe(`${path}.pending`)
    expect(statSync(pendingSecretsPath(path)).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['creds.json.pending'])
    expect(await readPendingSecrets(path)).toEqual(pending)
    await removePendingSecrets(path)
    expect(readdirSync(dir)).toEqual([])
    await removePendingSecrets(path) // nothing to remove is fine
  })

  it("removes the temporary secret files an ended process left for this hand-off, and no one else's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pending-'))
    const path = join(dir, 'creds.json')
    const dead = spawnSync(process.execPath, ['-e', '0']).pid
    const left = [`.creds.json.pending.${dead}.aaaaaaaaaaaa.tmp`, `.creds.json.${dead}.bbbbbbbbbbbb.tmp`]
    const kept = [`.creds.json.${process.pid}.cccccccccccc.tmp`, `.other.json.${dead}.dddddddddddd.tmp`, '.creds.json.eeeeeeeeeeee.tmp']
    for (const name of [...left, ...kept]) writeFileSync(join(dir, name), 'secret', { mode: 0o600 })
    await writePendingSecrets(path, pending)
    expect(readdirSync(dir).sort()).toEqual(['creds.json.pending', ...kept].sort())
  })

  it.each([
    ['not JSON', 'not json'],
    ['no instance', JSON.stringify({ service_account: pending.service_account })],
    ['an empty password', JSON.stringify({ ...pending, service_account: { username: 'u', password: '' } })],
    ['a secret without the client name', JSON.stringify({ ...pending, oauth_client: { client_secret: 'x' } })],
  ])('refuses a pending file with %s (exit 2) and names the way out', async (_label, text) => {
    const dir = mkdtempSync(join(tmpdir(), 'pending-'))
    const path = join(dir, 'creds.json')
    writeFileSync(pendingSecretsPath(path), text)
    await expect(readPendingSecrets(path)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('creds.json.pending'), fix: expect.stringContaining('rotate') })
  })

  it('refuses to write into a folder that does not exist (exit 2)', async () => {
    await expect(writePendingSecrets('/nonexistent-dir/creds.json', pending)).rejects.toMatchObject({ exitCode: 2 })
  })
})
