// Ctrl-C on the built executable: the probe hangs on a request the emulator never answers, with its throw-away
// users and OAuth client in place; SIGINT aborts it, the cleanup removes them, and it exits 130 without a profile.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { INTERRUPTED_EXIT } from '../../src/commands/probe/index.ts'
import { envFor, pdi, probeObjects } from './support.ts'

const BIN = fileURLToPath(new URL('../../bin/deploy-integration.mjs', import.meta.url))

it('SIGINT during an experiment: cleaned up, exit 130, no profile', async () => {
  const emulator = await pdi()
  try {
    let arrived: () => void = () => {}
    const hanging = new Promise<void>((resolve) => (arrived = resolve))
    // The first password grant never gets an answer: the probe waits there (its timeout is 60 s).
    emulator.addFault({ method: 'POST', path: '/oauth_token.do', nth: 1, kind: 'timeout', when: () => (arrived(), true) })
    const out = join(mkdtempSync(join(tmpdir(), 'probe-')), 'profile.json')
    const child = spawn(process.execPath, [BIN, 'probe', '--out', out, '--timeout', '60'], { env: { ...process.env, ...envFor(emulator), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', () => {})
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await hanging
    expect(probeObjects(emulator).length).toBeGreaterThan(0)
    child.kill('SIGINT')
    expect(await exited).toBe(INTERRUPTED_EXIT)
    expect(probeObjects(emulator)).toEqual([])
    expect(existsSync(out)).toBe(false)
    expect(stdout).toContain('interrupted: the throw-away objects were removed; no profile was written')
    expect(stdout).toMatch(/^removed: .*sys_user kandji_probe_ws_user/m)
  } finally {
    await emulator.close()
  }
})
