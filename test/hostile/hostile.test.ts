// The hostile-input corpus (cases.ts) run through the CLI in-process: each case gets a fresh folder, the local test
// server (or the self-signed https one), and must end with its documented exit code, an error/cause/fix that says
// what happened, no secret and no stack in the output, no hand-off file written, and, when the mistake is local,
// no request to the instance at all.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENV, EXIT_CODES } from '@kandji-sn/contract/constants'
import { runInProcess, summary, THREE_LINES } from '../security/support/cli.ts'
import { ADMIN_PASSWORD, CASES, EMULATOR_CASES, type HostileCase } from './cases.ts'
import { loadKandjiApp, startEmulator } from '@kandji-sn/instance-emulator'
import { PLATFORM_TABLES, SERVICE_ACCOUNT } from '@kandji-sn/contract'
import { hugeBody, refuseAll, startHttpServer, startSelfSignedServer, type LocalServer } from './servers.ts'

const tally = { tried: 0, clear: 0, wrongExit: 0 }
let http: LocalServer
let https: LocalServer

beforeAll(async () => {
  http = await startHttpServer()
  https = await startSelfSignedServer()
})
afterAll(async () => {
  await http?.close()
  await https?.close()
  summary(`hostile input: ${tally.tried} cases, ${tally.clear} clear errors, ${tally.wrongExit} wrong exit codes`)
})

function caseEnv(c: HostileCase, server: LocalServer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { [ENV.instance]: server.url, [ENV.adminUser]: 'admin', [ENV.adminPassword]: ADMIN_PASSWORD }
  for (const [key, value] of Object.entries(c.env ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

/** The error/cause/fix block a failed run ends with (progress lines of a deploy may come before it). */
function errorBlock(stderr: string): string {
  const at = stderr.startsWith('error: ') ? 0 : stderr.lastIndexOf('\nerror: ') + 1
  return stderr.slice(at)
}

const matches = (text: string, want: string | RegExp) => (typeof want === 'string' ? text.includes(want) : want.test(text))

describe('hostile input: every case a clear error with its documented exit code, nothing left behind', () => {
  it.each(CASES.map((c) => [`${c.group}: ${c.name}`, c] as const))('%s', async (_label, c) => {
    const dir = mkdtempSync(join(tmpdir(), 'kandji-hostile-'))
    const at = (text: string) => text.replaceAll('{dir}', dir)
    for (const [name, content] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), typeof content === 'function' ? content() : content)
    const before = readdirSync(dir).sort()
    const server = c.tls ? https : http
    server.answer(c.answer ?? refuseAll)
    server.reset()

    const r = await runInProcess(c.argv.map(at), caseEnv(c, server), dir)
    const errorLine = r.stderr.split('\n')[0] ?? ''
    const clear = THREE_LINES.test(r.stderr) && matches(errorLine, typeof c.error === 'string' ? at(c.error) : c.error) && (c.hint === undefined || matches(r.stderr, c.hint))
    tally.tried += 1
    if (clear) tally.clear += 1
    if (r.code !== c.exit) tally.wrongExit += 1

    const shown = `exit ${r.code}\n${r.stderr.slice(0, 2000)}`
    expect(r.code, shown).toBe(c.exit)
    expect(r.stderr, shown).toMatch(THREE_LINES)
    expect(errorLine, shown).toSatisfy((line: string) => matches(line, typeof c.error === 'string' ? at(c.error) : c.error))
    if (c.hint !== undefined) expect(r.stderr, shown).toSatisfy((text: string) => matches(text, c.hint!))
    for (const secret of [ADMIN_PASSWORD, ...(c.secret ? [c.secret] : [])]) expect(r.stderr + r.stdout).not.toContain(secret)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(readdirSync(dir).sort(), 'no file written (no hand-off)').toEqual(before)
    if (c.answer === undefined) expect(server.requests, 'a local mistake contacts nothing').toBe(0)
  })
})

describe('hostile answers from the emulator (its fault kinds) during a first deploy', () => {
  it.each(EMULATOR_CASES.map((c) => [c.name, c] as const))('%s', async (_label, c) => {
    const emulator = await startEmulator({ release: 'zurich', adminPassword: ADMIN_PASSWORD, importTransformDelayMs: 5 })
    try {
      const { zip } = await loadKandjiApp()
      const dir = mkdtempSync(join(tmpdir(), 'kandji-hostile-emu-'))
      const env = { [ENV.instance]: emulator.url, [ENV.adminUser]: 'admin', [ENV.adminPassword]: ADMIN_PASSWORD }
      const argv = ['deploy', '--yes', '--app-package', zip, '--credentials-out', join(dir, 'handoff.json')]
      emulator.resetCounters()
      emulator.addFault(c.rule)
      const r = await runInProcess(argv, env, dir)
      const block = errorBlock(r.stderr)
      const errorLine = block.split('\n')[0] ?? ''
      const { insert, update, delete: del } = emulator.counters.db
      const clear = THREE_LINES.test(block) && matches(errorLine, c.error) && (c.hint === undefined || matches(r.stderr, c.hint))
      tally.tried += 1
      if (clear) tally.clear += 1
      if (r.code !== c.exit) tally.wrongExit += 1
      const shown = `exit ${r.code}\n${r.stderr.slice(0, 2000)}`
      expect(r.code, shown).toBe(c.exit)
      expect(block, shown).toMatch(THREE_LINES)
      expect(errorLine, shown).toSatisfy((line: string) => matches(line, c.error))
      if (c.hint !== undefined) expect(r.stderr, shown).toSatisfy((text: string) => matches(text, c.hint!))
      expect(r.stderr + r.stdout).not.toContain(ADMIN_PASSWORD)
      if (c.writes === 'none') {
        expect(readdirSync(dir), 'no file written').toEqual([])
        expect({ insert, update, delete: del }).toEqual({ insert: 0, update: 0, delete: 0 })
      } else {
        // Left behind and named: the secrets this run set, kept for the re-run in a 0600 file next to the hand-off.
        const pending = join(dir, 'handoff.json.pending')
        expect(readdirSync(dir)).toEqual(['handoff.json.pending'])
        expect(statSync(pending).mode & 0o777).toBe(0o600)
        expect(block).toContain(`kept in ${pending}, mode 0600`)
        expect(insert).toBeGreaterThan(0)
        // what was left is finished by the re-run the message asks for: one account, a hand-off file
        emulator.clearFaults()
        const again = await runInProcess(argv, env, dir)
        expect(again.code, again.stderr).toBe(EXIT_CODES.ok)
        expect(emulator.db.query(PLATFORM_TABLES.user, `user_name=${SERVICE_ACCOUNT.defaultUserName}`)).toHaveLength(1)
        expect(readdirSync(dir)).toEqual(['handoff.json'])
      }
    } finally {
      await emulator.close()
    }
  })
})

describe('a huge answer: memory stays bounded', () => {
  /** Peak RSS growth (MiB) while `work` runs, sampled every 10 ms. */
  async function peakGrowth(work: () => Promise<unknown>): Promise<number> {
    globalThis.gc?.()
    const base = process.memoryUsage().rss
    let peak = base
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
    try {
      await work()
    } finally {
      clearInterval(timer)
    }
    peak = Math.max(peak, process.memoryUsage().rss)
    return (peak - base) / (1024 * 1024)
  }

  it('a 512 MiB body (chunked, no Content-Length) is cut at 32 MiB: the run grows by less than 160 MiB and exits 4', async () => {
    const server = await startHttpServer(hugeBody(512, false))
    try {
      let code = -1
      const growth = await peakGrowth(async () => {
        const r = await runInProcess(['plan'], { [ENV.instance]: server.url, [ENV.adminUser]: 'admin', [ENV.adminPassword]: ADMIN_PASSWORD }, tmpdir())
        code = r.code
        expect(r.stderr).toContain('the answer was larger than 32 MiB')
      })
      expect(code).toBe(EXIT_CODES.instance)
      expect(growth).toBeLessThan(160)
    } finally {
      await server.close()
    }
  })
})
