// `npm start` (tools/demo/main.ts, after the build): the whole job on an embedded emulator with a short summary,
// and Ctrl-C at any point leaves nothing running.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHECK_IDS, handoffSchema } from '@kandji-sn/contract'
import { REPO_ROOT } from '../support/instance.ts'
import { alive, commandLine, descendants, eventually, listening } from '../support/processes.ts'

const MAIN = join(REPO_ROOT, 'tools', 'demo', 'main.ts')
const EXIT_GATE = join(REPO_ROOT, 'test', 'support', 'exit-gate.ts')

interface Started {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Resolves once the demo is about to exit and is held alive there (see support/exit-gate.ts); false if it never got there. */
  exiting: () => Promise<boolean>
  /** Lets a held demo finish exiting. */
  release: () => void
}

/** `holdAtExit`: the demo waits at its exit until release() (see support/exit-gate.ts). */
function startDemo(args: string[], holdAtExit = true): Started {
  const env = { ...process.env }
  for (const name of Object.keys(env)) if (name.startsWith('SN_')) delete env[name]
  const gate = mkdtempSync(join(tmpdir(), 'kandji-exit-gate-'))
  if (holdAtExit) env.EXIT_GATE_DIR = gate
  const child = spawn(process.execPath, ['--import', 'tsx', ...(holdAtExit ? ['--import', EXIT_GATE] : []), MAIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })))
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    exiting: () => eventually(() => existsSync(join(gate, 'exiting')), 90_000),
    release: () => writeFileSync(join(gate, 'release'), ''),
  }
}

/** Holds the demo at its exit and asserts that, while it is still alive, nothing listens on its emulator's port any more. */
async function expectPortReleasedBeforeExit(demo: Started, port: number): Promise<void> {
  try {
    expect(await demo.exiting(), demo.stdout() + demo.stderr()).toBe(true)
    expect(alive(demo.child.pid!)).toBe(true)
    expect(await listening(port)).toBe(false)
  } finally {
    demo.release()
  }
}

function portOf(output: string): number {
  const match = /^instance\s+http:\/\/127\.0\.0\.1:(\d+)/m.exec(output)
  expect(match, output).not.toBeNull()
  return Number(match![1])
}

describe('npm start: the demo', () => {
  it('deploys, pushes, verifies and prints a short summary a customer can read and the status, then stops the emulator', async () => {
    const demo = startDemo(['--devices', '60', '--changes', '6', '--malformed', '4'])
    await eventually(() => /^instance\s+http/m.test(demo.stdout()), 60_000)
    const port = portOf(demo.stdout())
    expect(await listening(port)).toBe(true)
    // the demo closes its emulator itself: the port is free while the process is still alive, not only once it is gone
    await expectPortReleasedBeforeExit(demo, port)
    const { code } = await demo.exit
    const out = demo.stdout()
    expect(code, `${out}\n${demo.stderr()}`).toBe(0)
    expect(demo.stderr()).toBe('')
    const [summary, status] = out.split('\nStatus (deploy-integration status):\n')
    expect(status, out).toBeDefined()
    // one line per check, and under 28 for everything else
    expect(summary!.trimEnd().split('\n').length).toBeLessThan(28 + CHECK_IDS.length)
    expect(out).toMatch(/What was set up\n\s+app\s+Kandji \(x_kandj_kandji\) \d+\.\d+\.\d+/)
    expect(out).toMatch(/OAuth client\s+kandji_oauth_api: active, redirect https:\/\/kandji\.io/)
    expect(out).toMatch(/3 roles granted directly: cmdb_read, import_transformer, rest_api_explorer\n\s+\+ \d+ inherited/)
    expect(out.split('\n')).toContain(`Checks (deploy-integration verify): WARN, ${CHECK_IDS.length - 1} pass, 1 warn, 0 fail`)
    expect(out).toMatch(/^\s+WARN\s+import_errors/m)
    // 60 devices and the 2 malformed rows that still carry a serial number; the 2 without one are rejected.
    expect(out).toMatch(/landed\s+62 of 64 rows; 6 of 6 changes applied/)
    expect(out).toMatch(/rejected\s+2 rows: Row has no serial_number/)
    expect(out).toMatch(/in the CMDB\s+62 computers in cmdb_ci_computer for Kandji devices: Mac \d+/)
    expect(out).toMatch(/Done in [\d.]+ s; the emulator is stopped/)
    // The status at the end: the rows of this run by state (62 inserted, the 6 changes updated, 2 rejected), the one
    // cause of the rejections, the CIs by class.
    const statusLines = status!.split('\n')
    expect(statusLines[0]).toMatch(/^integration status at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \(instance time\)$/)
    expect(statusLines).toContainEqual(expect.stringMatching(/^ {2}last push: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \(\d+s ago, devices\)$/))
    expect(statusLines.find((l) => /^\s+devices\s+last hour/.test(l))?.trim().split(/\s{2,}/)).toEqual(['devices', 'last hour', '0', '62', '6', '0', '2', '0', '0'])
    expect(statusLines).toContain('errors in the last week: 2 rows, 1 distinct message')
    expect(statusLines).toContain('CIs: 62 linked to Kandji devices')
    expect(statusLines.find((l) => /^\s+cmdb_ci_computer\s/.test(l))?.trim().split(/\s+/)).toEqual(['cmdb_ci_computer', '62'])

    const handoffPath = /hand-off file\s+(\S+) \(mode 0600\)/.exec(out)![1]!
    expect(statSync(handoffPath).mode & 0o777).toBe(0o600)
    const handoff = handoffSchema.parse(JSON.parse(readFileSync(handoffPath, 'utf8')))
    expect(out).not.toContain(handoff.password)
    expect(out).not.toContain(handoff.client_secret)
  })

  it('a malformed flag value is a usage error (exit 2) in three lines, and nothing starts', async () => {
    const demo = startDemo(['--devices', 'lots'], false)
    const { code } = await demo.exit
    expect(code).toBe(2)
    expect(demo.stdout()).toBe('')
    expect(demo.stderr()).toMatch(/^error: --devices must be a whole number, got "lots"\ncause: .+\nfix: {3}.+\n$/)
  })

  describe('Ctrl-C (SIGINT) leaves no process and no open port', () => {
    async function interruptAt(marker: string, needChild: boolean) {
      const demo = startDemo(['--devices', '400', '--changes', '40'])
      const pid = demo.child.pid!
      const seen = await eventually(() => demo.stdout().includes(marker) && (!needChild || descendants(pid).some((p) => commandLine(p).includes('deploy-integration'))), 60_000)
      expect(seen, demo.stdout() + demo.stderr()).toBe(true)
      const port = portOf(demo.stdout())
      const children = descendants(pid)
      // the commands the demo runs (not tsx's own helper process, which ends with its parent)
      const commands = children.filter((c) => commandLine(c).includes('deploy-integration'))
      if (needChild) expect(commands).not.toEqual([])
      demo.child.kill('SIGINT')
      // held at its exit, the demo has already closed the emulator and ended the command it was running itself
      await expectPortReleasedBeforeExit(demo, port)
      expect(commands.filter((c) => alive(c))).toEqual([])
      const { code } = await demo.exit
      expect(code, demo.stdout() + demo.stderr()).toBe(130)
      expect(demo.stdout()).toMatch(/interrupted \(SIGINT\): stopped the emulator.*nothing is left running/)
      expect(await eventually(() => children.every((c) => !alive(c)))).toBe(true)
    }

    it('during deploy (the CLI child process is running)', async () => {
      await interruptAt('[1/4] deploy', true)
    })

    it('during the push (in-process requests to the emulator)', async () => {
      await interruptAt('[2/4] push', false)
    })

    it('during verify', async () => {
      await interruptAt('[3/4] verify', false)
    })
  })
})
