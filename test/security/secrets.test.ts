// Every secret accounted for (issue 19): the whole flow with the built executable (deploy, push, verify, rotate,
// fleet, uninstall; --debug and --json variants) in a temporary HOME, TMPDIR and working folder, through a proxy
// that collects every secret crossing the wire (the admin's password, the service account's password and client
// secret at each rotation, every token and session the instance issued). Then every byte written is scanned:
// stdout, stderr, every file under the temporary folders and the output folder. The admin signs in with the password
// and, for one verify, with a REST API key. A secret may appear only in a
// hand-off file (mode 0600) and in the stdout of `--json --show-secrets`. Also: nothing in the CLI or the client
// can turn TLS certificate checks off.
import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_SIGN_IN, EXIT_CODES, handoffSchema, type Handoff } from '@kandji-sn/contract'
import { loadKandjiApp, provisionApiKey, startEmulator, type Emulator } from '@kandji-sn/instance-emulator'
import { generateDevices, pushInventory } from '@kandji-sn/iru-simulator'
import { cliEnv, ProcessGroup, runDeployIntegration, type AdminAccess, type CliRun, DEPLOY_INTEGRATION_BUNDLE } from '@kandji-sn/demo'
import { explain, REPO_ROOT, tempDir } from '../support/instance.ts'
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.ts'
import { summary } from './support/cli.ts'

const ADMIN_PASSWORD = `Adm-Secrets-${Math.random().toString(36).slice(2)}`

interface Output {
  label: string
  text: string
  /** `--json --show-secrets` stdout: the one output where the credentials belong. */
  secretsAllowed?: true
}

let emulator: Emulator
let proxy: RecordingProxy
const processes = new ProcessGroup()
const outputs: Output[] = []
const handoffs: Handoff[] = []
/** Hand-off files the runs were told to write: the only files where a secret belongs. */
const handoffFiles = new Set<string>()
let home: string
let tmp: string
let cwd: string
let out: string
let showSecretsRun: CliRun | undefined

const API_KEY = `apikey-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`

function env(signIn?: AdminAccess['signIn']): NodeJS.ProcessEnv {
  return { ...cliEnv({ instance: proxy.url, user: 'admin', password: ADMIN_PASSWORD, ...(signIn ? { signIn } : {}) }), HOME: home, TMPDIR: tmp, TMP: tmp, TEMP: tmp, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), XDG_STATE_HOME: join(home, '.state') }
}

async function cli(label: string, args: string[], expectCode: number = EXIT_CODES.ok, secretsAllowed = false, signIn?: AdminAccess['signIn']): Promise<CliRun> {
  const run = await runDeployIntegration(processes, args, env(signIn), cwd)
  expect(run.code, `${label}\n${explain(run)}`).toBe(expectCode)
  outputs.push({ label: `${label} stdout`, text: run.stdout, ...(secretsAllowed ? { secretsAllowed: true as const } : {}) }, { label: `${label} stderr`, text: run.stderr })
  return run
}

function readHandoff(path: string): Handoff {
  handoffFiles.add(path)
  const handoff = handoffSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
  handoffs.push(handoff)
  return handoff
}

function filesUnder(dir: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...filesUnder(path))
    else if (entry.isFile()) found.push(path)
  }
  return found
}

beforeAll(async () => {
  home = tempDir('secrets-home')
  tmp = tempDir('secrets-tmp')
  cwd = tempDir('secrets-cwd')
  out = tempDir('secrets-out')
  emulator = await startEmulator({ release: 'zurich', adminPassword: ADMIN_PASSWORD })
  proxy = await startRecordingProxy(emulator.url)
  const { zip } = await loadKandjiApp()
  const handoffPath = join(out, 'handoff.json')

  await cli('deploy --debug', ['deploy', '--yes', '--debug', '--app-package', zip, '--credentials-out', handoffPath])
  let handoff = readHandoff(handoffPath)
  await cli('deploy --json (again)', ['deploy', '--yes', '--json', '--app-package', zip, '--credentials-out', handoffPath])
  const report = await pushInventory({ handoff, devices: generateDevices({ count: 6, seed: 'secrets' }), mode: 'bulk', batchSize: 3 })
  outputs.push({ label: 'push report', text: JSON.stringify(report) })
  await cli('verify --json --debug --as-service-account', ['verify', '--json', '--debug', '--as-service-account', '--credentials-out', handoffPath], EXIT_CODES.ok)
  // The admin signed in with a REST API key instead of the password (verify reads only; no UI session needed).
  provisionApiKey(emulator.db, { userSysId: emulator.db.query('sys_user', 'user_name=admin')[0]!.sys_id as string, restApiPaths: ADMIN_SIGN_IN.apiKeyRestApis, token: API_KEY })
  await cli('verify --debug (admin API key)', ['verify', '--debug'], EXIT_CODES.ok, false, { adminApiKey: API_KEY })
  await cli('rotate --debug', ['rotate', '--yes', '--debug', '--password', '--client-secret', '--credentials-out', handoffPath])
  handoff = readHandoff(handoffPath)
  showSecretsRun = await cli('rotate --json --show-secrets', ['rotate', '--yes', '--json', '--show-secrets', '--credentials-out', handoffPath], EXIT_CODES.ok, true)
  handoff = readHandoff(handoffPath)
  await pushInventory({ handoff, devices: generateDevices({ count: 2, seed: 'secrets-2' }), mode: 'single' })

  await cli('uninstall --debug', ['uninstall', '--yes', '--debug', '--app'])

  // The fleet deploys the instance afresh, so it writes its own hand-off file (next to the base name, per tenant).
  const fleetFile = join(cwd, 'fleet.yaml')
  writeFileSync(fleetFile, `instances:\n  - instance: ${proxy.url}\n`)
  mkdirSync(join(out, 'fleet'))
  await cli('fleet deploy --debug', ['fleet', 'deploy', '--yes', '--debug', '--config', fleetFile, '--credentials-out', join(out, 'fleet', 'handoff.json')])
  for (const name of readdirSync(join(out, 'fleet'))) readHandoff(join(out, 'fleet', name))
  // With --out: the state, the Markdown report and the instance's log are scanned too.
  await cli('fleet verify --json --out', ['fleet', 'verify', '--json', '--config', fleetFile, '--out', join(out, 'fleet-run')])
  await cli('verify --as-service-account (the fleet hand-off)', ['verify', '--as-service-account', '--credentials-out', [...handoffFiles].at(-1)!])
  await cli('uninstall --json', ['uninstall', '--yes', '--json', '--app'])
}, 600_000)

afterAll(async () => {
  await processes.stopAll()
  await proxy?.close()
  await emulator?.close()
})

describe('every secret accounted for', () => {
  let found: string[] = []
  let scannedBytes = 0

  afterAll(() => {
    summary(`secrets: ${secretsTracked().length} secrets tracked, ${outputs.length} outputs and ${scannedFiles().length} files (${scannedBytes} bytes) scanned, secrets found outside their place: ${found.length}`)
  })

  function secretsTracked(): string[] {
    const all = new Set<string>([ADMIN_PASSWORD, API_KEY, ...proxy.secrets])
    for (const h of handoffs) (all.add(h.password), all.add(h.client_secret))
    return [...all]
  }
  function scannedFiles(): string[] {
    return [home, tmp, cwd, out].flatMap(filesUnder)
  }

  it('the flow tracked the secrets it handled: the admin password, two rotations of each credential, and the tokens and sessions the instance issued', () => {
    const passwords = new Set(handoffs.map((h) => h.password))
    const clientSecrets = new Set(handoffs.map((h) => h.client_secret))
    // deploy, rotate, rotate again, the fleet's fresh deploy: four of each
    expect(passwords.size).toBe(4)
    expect(clientSecrets.size).toBe(4)
    const tracked = secretsTracked()
    for (const secret of [ADMIN_PASSWORD, API_KEY, ...passwords, ...clientSecrets]) expect(tracked).toContain(secret)
    // the proxy saw the API key on the wire: the recording covers what the CLI sent
    expect([...proxy.secrets]).toContain(API_KEY)
    // Bearer tokens and UI sessions: more than the passwords and client secrets alone
    expect(tracked.length).toBeGreaterThan(1 + passwords.size + clientSecrets.size + 3)
  })

  it('no secret outside the 0600 hand-off files and the --show-secrets output', () => {
    const secrets = secretsTracked()
    for (const o of outputs) {
      scannedBytes += Buffer.byteLength(o.text)
      if (o.secretsAllowed) continue
      for (const s of secrets) if (o.text.includes(s)) found.push(`${o.label} shows a secret (${s.slice(0, 3)}…)`)
    }
    for (const file of scannedFiles()) {
      const text = readFileSync(file, 'latin1')
      scannedBytes += text.length
      const holds = secrets.filter((s) => text.includes(s))
      if (holds.length === 0) continue
      if (!handoffFiles.has(file)) found.push(`${relative(REPO_ROOT, file)} holds ${holds.length} secret(s)`)
      else if ((statSync(file).mode & 0o777) !== 0o600) found.push(`${file} holds secrets with mode ${(statSync(file).mode & 0o777).toString(8)}`)
    }
    expect(found).toEqual([])
    // what was scanned besides the fleet file: the hand-off files (deploy's and the fleet's) and the fleet run's
    // state, report and log; nothing else was written
    expect(scannedFiles().filter((f) => f !== join(cwd, 'fleet.yaml')).map((f) => relative(out, f)).sort()).toEqual([
      'fleet-run/logs/127.0.0.1-' + new URL(proxy.url).port + '.log',
      'fleet-run/report.md',
      'fleet-run/state.json',
      'fleet/handoff.127.0.0.1-' + new URL(proxy.url).port + '.json',
      'handoff.json',
    ])
  })

  it('the scan can see a secret: --show-secrets printed the credentials it saved, and only there', () => {
    const last = handoffs[handoffs.length - 1]!
    const shown = handoffs.find((h) => showSecretsRun!.stdout.includes(h.client_secret))
    expect(shown, 'the --show-secrets stdout holds a client secret of a hand-off').toBeDefined()
    expect(showSecretsRun!.stdout).toContain(shown!.password)
    expect(last.password.length).toBeGreaterThanOrEqual(32)
  })

  it('every hand-off file is mode 0600', () => {
    expect([...handoffFiles].map((f) => [f, (statSync(f).mode & 0o777).toString(8)])).toEqual([...handoffFiles].map((f) => [f, '600']))
  })
})

describe('TLS verification cannot be turned off', () => {
  const SOURCES = ['apps/deploy-integration/src', 'packages/servicenow-client/src', 'packages/contract/src']
  const FORBIDDEN = [
    /rejectUnauthorized\s*:\s*(false|0|!1)/,
    /(env\.NODE_TLS_REJECT_UNAUTHORIZED|\[['"`]NODE_TLS_REJECT_UNAUTHORIZED['"`]\])\s*=(?!=)/,
    /checkServerIdentity\s*[:=]/,
    /strictSSL\s*:\s*false/,
    /setGlobalDispatcher|new\s+Agent\s*\(/,
    /--insecure|allowInsecure|insecureHTTPParser/,
  ]

  function sourceFiles(dir: string): string[] {
    return filesUnder(join(REPO_ROOT, dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  }

  it('no source file of the CLI, the client or the contract (nor the built bundle) disables certificate checks', () => {
    const files = [...SOURCES.flatMap(sourceFiles), DEPLOY_INTEGRATION_BUNDLE]
    expect(files.length).toBeGreaterThan(50)
    const hits = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8')
      return FORBIDDEN.filter((p) => p.test(text)).map((p) => `${relative(REPO_ROOT, file)}: ${p.source}`)
    })
    expect(hits).toEqual([])
  })

  it('no flag is about TLS or certificates', async () => {
    const { FLAG_SPECS } = await import('../../apps/deploy-integration/src/flags.ts')
    expect(Object.keys(FLAG_SPECS).filter((name) => /tls|ssl|cert|insecure|verify-peer/i.test(name))).toEqual([])
  })

  it(`the built CLI refuses to run with NODE_TLS_REJECT_UNAUTHORIZED=0 (exit 2, before any request)`, async () => {
    const group = new ProcessGroup()
    const run = await runDeployIntegration(group, ['plan'], { ...cliEnv({ instance: 'https://127.0.0.1:9', user: 'admin', password: ADMIN_PASSWORD }), NODE_TLS_REJECT_UNAUTHORIZED: '0' }, tempDir('tls'))
    expect(run.code).toBe(EXIT_CODES.usage)
    expect(run.stderr.split('\n')[0]).toBe("error: NODE_TLS_REJECT_UNAUTHORIZED=0 is set: it turns off the check of the instance's TLS certificate")
    expect(run.stderr).not.toContain(ADMIN_PASSWORD)
  })
})
