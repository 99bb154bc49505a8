// Human tables fit the terminal stdout is (its columns); piped, the output is what it always was.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import { terminalColumns } from '../src/cli.ts'
import { formatTable } from '../src/render/table.ts'
import { FakeInstance } from './support/fake-instance.ts'
import { fakeZip, runCli, tempDir } from './support/run-cli.ts'

const TEXTS = {
  detail: 'The choice name=cmdb_ci^element=discovery_source^value=Kandji is missing, so IRE rejects every device Iru Endpoint sends.',
  fix: 'Run deploy-integration deploy (it adds the choice as the admin through the Table API), or run the kandji_fix_script fix script (System Definition > Fix Scripts).',
}
const env = { SN_INSTANCE: 'https://fake.service-now.com', SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }

describe('terminalColumns', () => {
  it.each([
    ['a terminal of 120 columns', { isTTY: true, columns: 120 }, 120],
    ['a pipe', { isTTY: false, columns: 120 }, undefined],
    ['a stream without isTTY', { columns: 120 }, undefined],
    ['a terminal that reports no columns', { isTTY: true }, undefined],
    ['0 columns', { isTTY: true, columns: 0 }, undefined],
    ['negative columns', { isTTY: true, columns: -5 }, undefined],
    ['fractional columns', { isTTY: true, columns: 80.5 }, undefined],
    ['NaN', { isTTY: true, columns: Number.NaN }, undefined],
    ['columns as text', { isTTY: true, columns: '80' }, undefined],
    ['nothing', undefined, undefined],
  ])('%s -> %s', (_, stream, columns) => {
    expect(terminalColumns(stream)).toBe(columns)
  })
})

describe('verify on a terminal', () => {
  async function failing() {
    const fake = new FakeInstance({ verifyStatus: 'pass' })
    const dir = tempDir()
    const deps = fake.deps('1.0.0', fakeZip(dir))
    expect((await runCli(['deploy', '--yes', '--credentials-out', join(dir, 'creds.json')], { env, deps })).code).toBe(EXIT_CODES.ok)
    fake.options.verifyStatus = 'fail'
    fake.options.verifyTexts = TEXTS
    return deps
  }

  it('piped: the same lines as before, some longer than 80', async () => {
    const deps = await failing()
    const piped = await runCli(['verify', '--no-color'], { env, deps })
    expect(piped.code).toBe(EXIT_CODES.verificationFailed)
    expect(Math.max(...piped.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(200)
  })

  it.each([40, 80, 160])('%i columns: no line of the check table is longer; it is the table laid out for that width', async (columns) => {
    const deps = await failing()
    const piped = await runCli(['verify', '--no-color'], { env, deps })
    const fitted = await runCli(['verify', '--no-color'], { env, deps, stdoutColumns: columns })
    expect(fitted.code).toBe(EXIT_CODES.verificationFailed)
    const table = (text: string) => text.slice(text.indexOf('\n  STATUS'))
    for (const line of table(fitted.stdout).split('\n')) expect(line.length, line).toBeLessThanOrEqual(columns)
    // the table formatTable lays out for the terminal less the two-space indent (its own tests check the layout)
    const cells = [['FAIL', 'discovery_source', TEXTS.detail, TEXTS.fix]]
    expect(table(fitted.stdout).split('\n').slice(1, -1)).toStrictEqual(formatTable(['STATUS', 'CHECK', 'DETAIL', 'FIX'], cells, { width: columns - 2, wrap: [2, 3] }).map((l) => `  ${l}`))
    expect(table(piped.stdout).split('\n').slice(1, -1)).toStrictEqual(formatTable(['STATUS', 'CHECK', 'DETAIL', 'FIX'], cells).map((l) => `  ${l}`))
  })

  it('--json: the JSON on stdout is the same on a terminal; the checks keep their full text', async () => {
    const deps = await failing()
    const piped = await runCli(['verify', '--json'], { env, deps })
    const fitted = await runCli(['verify', '--json'], { env, deps, stdoutColumns: 40 })
    expect(JSON.parse(fitted.stdout).verification.checks).toStrictEqual(JSON.parse(piped.stdout).verification.checks)
  })
})
