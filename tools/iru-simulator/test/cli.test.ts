import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import { runCli, type PushReport } from '../src/index.ts'
import { FAKE_CREDENTIALS, fakeHandoff, startFakeInstance, type FakeInstance, type FakeOptions } from './fake-instance.ts'

const { password: PASSWORD, client_secret: SECRET } = FAKE_CREDENTIALS
const instant = async (): Promise<void> => {}
let fake: FakeInstance | undefined

afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function setup(options: FakeOptions = {}): Promise<string> {
  fake = await startFakeInstance(options)
  const dir = await mkdtemp(join(tmpdir(), 'iru-cli-'))
  const file = join(dir, 'handoff.json')
  await writeFile(file, JSON.stringify(fakeHandoff(fake)), { mode: 0o600 })
  return file
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), interactive: false }, { sleep: instant })
  return { code, stdout, stderr }
}

describe('iru-simulator CLI', () => {
  it('pushes N devices from the hand-off file and prints a readable summary', async () => {
    const file = await setup()
    const { code, stdout, stderr } = await run(['--credentials', file, '--devices', '120', '--seed', 'demo'])
    expect(stderr).toBe('')
    expect(code).toBe(EXIT_CODES.ok)
    expect(stdout).toMatch(/^Devices: 120 device rows -> x_kandj_kandji_device_import \(insertMultiple, batches of up to 200\)/)
    expect(stdout).toContain('sent 120, inserted 120')
    expect(stdout).toMatch(/\n {2}Mac {6}sent \d+, inserted \d+/)
    expect(stdout).not.toContain(PASSWORD)
  })

  it('prints JSON reports with --json, including the changes push and the app inventory', async () => {
    const file = await setup()
    const { code, stdout } = await run(['--credentials', file, '--devices', '60', '--changes', '10', '--apps', '--malformed', '4', '--json', '--batch-size', '25'])
    expect(code).toBe(EXIT_CODES.ok)
    const out = JSON.parse(stdout) as { seed: string; exitCode: number; pushes: Array<{ name: string; report: PushReport }> }
    expect(out.pushes.map((p) => p.name)).toEqual(['devices', 'changes', 'apps'])
    const [devices, changes, apps] = out.pushes.map((p) => p.report)
    expect(devices!.totals).toMatchObject({ sent: 64, inserted: 60, rejected: 4 })
    expect(Object.keys(devices!.malformed).sort()).toEqual(['bad_dates', 'empty_serial', 'missing_serial', 'over_long_values'])
    expect(devices!.importSets).toHaveLength(3)
    expect(changes!.mode).toBe('single')
    expect(changes!.totals).toMatchObject({ sent: 10, updated: 10 })
    expect(apps!.kind).toBe('apps')
    expect(apps!.totals.sent).toBeGreaterThan(0)
    // one ROPC token for all three pushes, as Iru Endpoint keeps its session
    expect(fake!.tokenRequests).toHaveLength(1)
    expect(devices!.requests).toBeGreaterThanOrEqual(4)
    expect(changes!.requests).toBe(10)
  })

  it('pushes every row with a single insert under --single', async () => {
    const file = await setup()
    const { code } = await run(['--credentials', file, '--devices', '15', '--single'])
    expect(code).toBe(EXIT_CODES.ok)
    expect(fake!.singleInserts).toBe(15)
    expect(fake!.insertMultipleCalls).toBe(0)
  })

  it('exits 1 when well-formed rows are rejected, but not for the malformed rows it sent on purpose', async () => {
    const file = await setup()
    const onlyMalformed = await run(['--credentials', file, '--devices', '0', '--malformed', '4', '--single'])
    expect(onlyMalformed.code).toBe(EXIT_CODES.ok)
    expect(onlyMalformed.stdout).toContain('malformed rows (sent on purpose):')
    expect(onlyMalformed.stdout).toContain('errors:')
    await fake!.close()
    const failing = await setup({ failInsertMultipleCalls: [1] })
    const broken = await run(['--credentials', failing, '--devices', '5'])
    expect(broken.code).toBe(EXIT_CODES.verificationFailed)
    expect(broken.stdout).toContain('failed 5')
  })

  it('exits 3 with error, cause and fix when the credentials are refused, never printing a secret', async () => {
    const file = await setup({ password: 'another' })
    const { code, stderr, stdout } = await run(['--credentials', file, '--devices', '3'])
    expect(code).toBe(EXIT_CODES.auth)
    expect(stderr).toMatch(/^error: .*\ncause: .*\nfix: {3}.*\n$/)
    expect(stderr + stdout).not.toContain(PASSWORD)
    expect(stderr + stdout).not.toContain(SECRET)
  })

  it.each([
    [[], '--credentials FILE is required'],
    [['--credentials', 'h.json'], '--devices N is required'],
    [['--credentials', 'h.json', '--devices', 'ten'], '--devices must be a whole number, got "ten"'],
    [['--credentials', 'h.json', '--devices', '-3'], "argument is ambiguous"],
    [['--credentials', 'h.json', '--devices', '5', '--batch-size', '0'], '--batch-size must be between 1 and 10000, got 0'],
    [['--credentials', 'h.json', '--devices', '5', '--keys', 'id'], '--keys must be "name" or "label", got "id"'],
    [['--credentials', 'h.json', '--devices', '5', '--platforms', 'Mac,Android'], 'unknown platform "Android"'],
    [['--credentials', 'h.json', '--devices', '5', '--known-users', 'abel.tuter@example.com,nobody'], '--known-users has 1 value(s) that are not email addresses: "nobody"'],
    [['--credentials', 'h.json', '--devices', '5', '--known-users', '@/nonexistent/users.txt'], 'the known-users file /nonexistent/users.txt cannot be read (ENOENT)'],
    [['--credentials', 'h.json', '--devices', '5', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['--credentials', '/nonexistent/h.json', '--devices', '5'], 'the hand-off file /nonexistent/h.json does not exist'],
  ])('exits 2 for a usage error: %j', async (argv, message) => {
    const { code, stderr, stdout } = await run(argv)
    expect(code).toBe(EXIT_CODES.usage)
    expect(stdout).toBe('')
    expect(stderr).toContain(message)
    expect(stderr).toMatch(/\ncause: .*\nfix: {3}/)
  })

  it('prints the usage with --help', async () => {
    const { code, stdout } = await run(['--help'])
    expect(code).toBe(EXIT_CODES.ok)
    expect(stdout).toContain('usage: iru-simulator --credentials FILE --devices N')
  })
})
