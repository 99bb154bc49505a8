// Every input path of the CLI with a malformed value: the precise three lines a person sees, the exit code, no
// secret, no stack, and nothing contacted when the problem is local (findings of the input-path review).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import type { ClientOptions } from '@kandji-sn/servicenow-client'
import type { Deps } from '../src/deps.ts'
import { FakeInstance } from './support/fake-instance.ts'
import { fakeZip, runCli, tempDir } from './support/run-cli.ts'

const env = { SN_INSTANCE: 'https://fake.service-now.com', SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }
const THREE_LINES = /^error: \S.*\ncause: \S.*\nfix: {3}\S.*\n?$/

/** The fake instance's deps, recording the options of every client the CLI opens (none = nothing was contacted). */
function recording(fake: FakeInstance, zip?: string): { deps: Deps; clients: ClientOptions[] } {
  const clients: ClientOptions[] = []
  const deps = fake.deps('1.0.0', zip ?? fakeZip(tempDir()))
  return { clients, deps: { ...deps, createClient: (options) => (clients.push(options), deps.createClient(options)) } }
}

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

describe('--timeout SECONDS', () => {
  it.each(['0', '-5', 'abc', '3601', '1.5', '', '30s'])('--timeout %j is a usage error (exit 2) before anything is contacted', async (value) => {
    const { deps, clients } = recording(new FakeInstance())
    const r = await runCli(['plan', `--timeout=${value}`], { env, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toBe(
      [
        `error: --timeout must be a whole number of seconds from 1 to 3600, not "${value}"`,
        'cause: --timeout is how long to wait for each answer of the instance (default 30)',
        'fix:   pass e.g. --timeout 120 for a slow or waking instance',
        '',
      ].join('\n'),
    )
    expect(clients).toEqual([])
  })

  it('deploy --timeout 120: every client (admin, token, service account) waits 120 s per answer', async () => {
    const fake = new FakeInstance({ verifyStatus: 'pass' })
    const { deps, clients } = recording(fake)
    const r = await runCli(['deploy', '--yes', '--timeout', '120', '--credentials-out', join(tempDir(), 'c.json')], { env, deps })
    expect(r.code, r.all).toBe(EXIT_CODES.ok)
    expect(clients.map((c) => c.auth.type).sort()).toEqual(['basic', 'bearer', 'none'])
    for (const c of clients) expect(c.timeoutMs).toBe(120_000)
  })

  it('without --timeout the client keeps its own default', async () => {
    const { deps, clients } = recording(new FakeInstance())
    expect((await runCli(['plan'], { env, deps })).code).toBe(EXIT_CODES.ok)
    expect(clients[0]).not.toHaveProperty('timeoutMs')
  })

  it('fleet verify --timeout 7 passes it to every instance; a malformed one stops the fleet before any instance', async () => {
    const dir = tempDir()
    const fleet = join(dir, 'fleet.yaml')
    writeFileSync(fleet, 'instances:\n  - instance: fake\n')
    const { deps, clients } = recording(new FakeInstance({ verifyStatus: 'pass' }))
    const r = await runCli(['fleet', 'verify', '--config', fleet, '--timeout', '7'], { env, deps })
    expect(r.code, r.all).toBe(EXIT_CODES.ok)
    expect(clients.length).toBeGreaterThan(0)
    for (const c of clients) expect(c.timeoutMs).toBe(7000)
    const bad = await runCli(['fleet', 'verify', '--config', fleet, '--timeout', 'soon'], { env, deps })
    expect(bad.code).toBe(EXIT_CODES.usage)
    expect(bad.stderr).toMatch(/^error: --timeout must be a whole number of seconds from 1 to 3600, not "soon"\n/)
  })

  it.each(['plan', 'deploy', 'verify', 'rotate', 'uninstall', 'fleet'])('%s --help lists --timeout SECONDS', async (command) => {
    expect((await runCli([command, '--help'])).stdout).toMatch(/--timeout SECONDS +how long to wait for each answer/)
  })
})
