// Every input path of the CLI with a malformed value: the precise three lines a person sees, the exit code, no
// secret, no stack, and nothing contacted when the problem is local (findings of the input-path review).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import { FakeInstance } from './support/fake-instance.ts'
import { fakeZip, runCli, tempDir } from './support/run-cli.ts'

const env = { SN_INSTANCE: 'https://fake.service-now.com', SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }
const THREE_LINES = /^error: \S.*\ncause: \S.*\nfix: {3}\S.*\n?$/

describe('config and fleet files with a syntax error', () => {
  const secretJson = '{"instance":"acme","admin":{"user":"admin","password":hunter2}}'
  const column = secretJson.indexOf('hunter2') + 1

  it('plan --config c21.json: line and column, never the password (exit 2)', async () => {
    const dir = tempDir()
    const path = join(dir, 'c21.json')
    writeFileSync(path, secretJson)
    const r = await runCli(['plan', '--config', path], { env: {} })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(THREE_LINES)
    expect(r.stderr).toContain(`error: the config file ${path} is not valid JSON at line 1, column ${column}: a value that is not JSON`)
    expect(r.stderr).toContain(`fix:   fix line 1, column ${column} of ${path}`)
    expect(r.all).not.toContain('hunter2')
  })

  it('fleet plan --config fleet.json (the same loader): line and column, never the password (exit 2)', async () => {
    const dir = tempDir()
    const path = join(dir, 'fleet.json')
    writeFileSync(path, `{"instances": [\n  {"instance": "acme", "admin": {"password": hunter2}}\n]}`)
    const r = await runCli(['fleet', 'plan', '--config', path], { env: {} })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(THREE_LINES)
    expect(r.stderr).toContain(`is not valid JSON at line 2, column 46:`)
    expect(r.all).not.toContain('hunter2')
  })

  it('a YAML config with a bad escape in the password: line and column, never the password (exit 2)', async () => {
    const dir = tempDir()
    const path = join(dir, 'c.yaml')
    writeFileSync(path, 'instance: acme\nadmin:\n  user: admin\n  password: "hunter2\\q"\n')
    const r = await runCli(['plan', '--config', path], { env: {} })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(THREE_LINES)
    expect(r.stderr).toContain('is not valid YAML at line 4, column 21: an invalid escape in a double-quoted value')
    expect(r.all).not.toContain('hunter2')
  })
})
