// Emulator profiles (issue 20): the contract's PROBED_SWITCHES in step with EmulatorSwitches, startEmulator({ profile })
// and sn-emulator --profile: what a profile sets, what wins over it, and every way a profile can be unusable.
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { PROBED_SWITCH_NAMES, PROBED_SWITCHES, type EmulatorProfile } from '@kandji-sn/contract'
import { main, parseArgs, USAGE } from '../src/cli.ts'
import { DEFAULT_SWITCHES, ProfileError, profileRelease, readProfile, startEmulator, type Emulator, type EmulatorSwitches } from '../src/index.ts'

const FIXTURES = resolve(import.meta.dirname, 'fixtures/profiles')
const DEFAULTS_PROFILE = join(FIXTURES, 'synthetic-zurich-defaults.json')
const FLIPPED_PROFILE = join(FIXTURES, 'synthetic-zurich-every-switch-flipped.json')
const THIRD_PROFILE = join(FIXTURES, 'synthetic-australia-third-values.json')
const CONTRIBUTED = resolve(import.meta.dirname, '../profiles')
const bin = resolve(import.meta.dirname, '../bin/sn-emulator.mjs')

const dirs: string[] = []
const emulators: Emulator[] = []
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

async function start(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const emu = await startEmulator(options)
  emulators.push(emu)
  return emu
}

async function fixture(path: string): Promise<EmulatorProfile> {
  return JSON.parse(await readFile(path, 'utf8')) as EmulatorProfile
}

/** Writes `content` (a string as is, anything else as JSON) to a fresh file and returns its path. */
async function profileFile(content: unknown, name = 'profile.json'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'emu-profile-'))
  dirs.push(dir)
  const path = join(dir, name)
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

type Probed = typeof PROBED_SWITCHES
/** Probed switches the emulator does not have. */
type UnknownSwitches = Exclude<keyof Probed, keyof EmulatorSwitches>
/** Listed values the emulator's switch does not take. */
type UnacceptedValues = { [K in keyof Probed & keyof EmulatorSwitches]: Exclude<Probed[K][number], EmulatorSwitches[K]> }[keyof Probed & keyof EmulatorSwitches]
/** Values an enum (or boolean) switch takes that the contract does not list; an open string switch has no such list. */
type UnlistedValues = { [K in keyof Probed & keyof EmulatorSwitches]: string extends EmulatorSwitches[K] ? never : Exclude<EmulatorSwitches[K], Probed[K][number]> }[keyof Probed & keyof EmulatorSwitches]

describe('the contract and the emulator are in step', () => {
  it('every probed switch is an emulator switch, every listed value is one it takes, and every value an enum switch takes is listed (types)', () => {
    expectTypeOf<UnknownSwitches>().toEqualTypeOf<never>()
    expectTypeOf<UnacceptedValues>().toEqualTypeOf<never>()
    expectTypeOf<UnlistedValues>().toEqualTypeOf<never>()
  })

  it('at run time: each probed switch has a default of the listed kind, the default is listed, values are distinct', () => {
    for (const name of PROBED_SWITCH_NAMES) {
      const values: readonly (string | boolean)[] = PROBED_SWITCHES[name]
      expect(Object.hasOwn(DEFAULT_SWITCHES, name), name).toBe(true)
      const fallback = DEFAULT_SWITCHES[name]
      expect(values, name).toContain(fallback)
      expect(new Set(values).size, name).toBe(values.length)
      expect(values.every((v) => typeof v === typeof fallback), name).toBe(true)
    }
    // Booleans list both values.
    for (const name of PROBED_SWITCH_NAMES.filter((n) => typeof DEFAULT_SWITCHES[n] === 'boolean')) expect([...PROBED_SWITCHES[name]].sort(), name).toEqual([false, true])
  })

  it('the synthetic fixtures name every probed switch', async () => {
    for (const path of [DEFAULTS_PROFILE, FLIPPED_PROFILE, THIRD_PROFILE]) expect(Object.keys((await fixture(path)).switches).sort()).toEqual([...PROBED_SWITCH_NAMES].sort())
  })
})

describe('startEmulator({ profile })', () => {
  it('a path: every observed switch is set and the profile release is the release', async () => {
    const emu = await start({ profile: FLIPPED_PROFILE })
    const profile = await fixture(FLIPPED_PROFILE)
    const expected = Object.fromEntries(Object.entries(profile.switches).map(([name, o]) => [name, o.outcome === 'observed' ? o.value : undefined]))
    expect(emu.profile?.observed).toEqual(expected)
    expect(emu.profile).toMatchObject({ source: FLIPPED_PROFILE, release: 'zurich', profileRelease: 'Zurich', couldNotTell: [] })
    expect(emu.release).toBe('zurich')
  })

  it('could-not-tell keeps the default; the release is matched without case (Australia -> australia)', async () => {
    const emu = await start({ profile: THIRD_PROFILE })
    const observed = { defaultScopeRestriction: 'useraccount', choiceListLoader: 'additive', uninstallOutcome: 'deactivated', runtimeAccessTracking: 'none' }
    expect(emu.profile?.observed).toEqual(observed)
    expect(emu.profile?.couldNotTell.sort()).toEqual(PROBED_SWITCH_NAMES.filter((n) => !Object.hasOwn(observed, n)).sort())
    expect(emu.release).toBe('australia')
  })

  it('a parsed object works the same, and is validated too', async () => {
    const emu = await start({ profile: await fixture(THIRD_PROFILE) })
    expect(emu.profile).toMatchObject({ source: 'the profile option', release: 'australia', observed: { defaultScopeRestriction: 'useraccount', choiceListLoader: 'additive', uninstallOutcome: 'deactivated' } })
    const bad = { ...(await fixture(THIRD_PROFILE)), format: 'other/1' }
    await expect(startEmulator({ profile: bad as unknown as EmulatorProfile })).rejects.toThrow(ProfileError)
  })

  it('explicit switches and release win over the profile', async () => {
    const emu = await start({ profile: THIRD_PROFILE, release: 'xanadu', switches: { choiceListLoader: 'skip' } })
    expect(emu.release).toBe('xanadu')
    // The observable effect of the explicit value (not the profile's 'additive') is in profile-round-trip.test.ts;
    // here: the summary still says what the profile observed.
    expect(emu.profile?.observed.choiceListLoader).toBe('additive')
  })

  it('a release the emulator does not emulate, or none, leaves the default release (zurich)', async () => {
    for (const release of ['Brazil', null]) {
      const profile = await fixture(THIRD_PROFILE)
      const emu = await start({ profile: { ...profile, instance: { ...profile.instance, release } } })
      expect([emu.release, emu.profile?.release, emu.profile?.profileRelease]).toEqual(['zurich', null, release])
    }
  })

  it('a state file of another release than the profile is refused, and says --release wins', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emu-profile-state-'))
    dirs.push(dir)
    const statePath = join(dir, 'state.json')
    await (await startEmulator({ statePath, release: 'yokohama' })).close()
    await expect(startEmulator({ statePath, profile: THIRD_PROFILE })).rejects.toThrow(
      `error: the state file ${statePath} holds a yokohama instance, not australia (the release of the profile ${THIRD_PROFILE})\ncause: a state file keeps the release it was created with\nfix:   use another state file, or give --release yokohama (it wins over the profile's release)`,
    )
    const emu = await start({ statePath, profile: THIRD_PROFILE, release: 'yokohama' })
    expect(emu.release).toBe('yokohama')
  })
})

/** Each malformed profile, the JSON path the error names and what it says is wrong. */
async function malformedCases(): Promise<Array<{ name: string; content: unknown; jsonPath: string; problem: string }>> {
  const good = await fixture(THIRD_PROFILE)
  const sw = good.switches
  const ev = [{ request: 'r', status: 200, answer: 'a' }]
  return [
    { name: 'not JSON', content: '{"format": "kandji-sn-emulator-profile/1",', jsonPath: '$', problem: 'not valid JSON (' },
    { name: 'empty file', content: '', jsonPath: '$', problem: 'not valid JSON (' },
    { name: 'JSON but not an object', content: '[]', jsonPath: '$', problem: 'expected object' },
    { name: 'another format', content: { ...good, format: 'kandji-sn-emulator-profile/2' }, jsonPath: '$.format', problem: 'expected "kandji-sn-emulator-profile/1"' },
    { name: 'no probedAt', content: { ...good, probedAt: undefined }, jsonPath: '$.probedAt', problem: 'expected string' },
    { name: 'probedAt not a date-time', content: { ...good, probedAt: 'yesterday' }, jsonPath: '$.probedAt', problem: 'Invalid ISO datetime' },
    { name: 'instance missing', content: { ...good, instance: undefined }, jsonPath: '$.instance', problem: 'expected object' },
    { name: 'unknown switch', content: { ...good, switches: { ...sw, tableApiVersion: { outcome: 'could-not-tell', reason: 'x', evidence: [] } } }, jsonPath: '$.switches.tableApiVersion', problem: 'unknown switch "tableApiVersion"; known: unversionedTableApi, ' },
    { name: 'a value the switch does not take', content: { ...good, switches: { ...sw, choiceListLoader: { outcome: 'observed', value: 'merge', evidence: [{ request: 'r', status: 200, answer: 'a' }] } } }, jsonPath: '$.switches.choiceListLoader.value', problem: '"merge" is not a value of choiceListLoader; allowed: replace, skip, additive' },
    { name: 'a boolean written as a string', content: { ...good, switches: { ...sw, ireSkipDuplicates: { outcome: 'observed', value: 'true', evidence: [{ request: 'r', status: 200, answer: 'a' }] } } }, jsonPath: '$.switches.ireSkipDuplicates.value', problem: '"true" is not a value of ireSkipDuplicates; allowed: true, false' },
    { name: 'observed without evidence', content: { ...good, switches: { ...sw, samPro: { outcome: 'observed', value: 'active', evidence: [] } } }, jsonPath: '$.switches.samPro.evidence', problem: 'Too small' },
    { name: 'an unknown outcome', content: { ...good, switches: { ...sw, samPro: { outcome: 'guessed', value: 'active', evidence: [] } } }, jsonPath: '$.switches.samPro.outcome', problem: "Invalid discriminator value. Expected 'observed' | 'could-not-tell'" },
    { name: 'could-not-tell without a reason', content: { ...good, switches: { ...sw, samPro: { outcome: 'could-not-tell', reason: '', evidence: [] } } }, jsonPath: '$.switches.samPro.reason', problem: 'Too small' },
    { name: 'roles: a name that is no role name', content: { ...good, roles: { 'cmdb read': { outcome: 'observed', contains: [], evidence: ev } } }, jsonPath: '$.roles["cmdb read"]', problem: '"cmdb read" is not a role name (letters, digits, _ and .)' },
    { name: 'roles: a contained name that is no role name', content: { ...good, roles: { cmdb_read: { outcome: 'observed', contains: ['a,b'], evidence: ev } } }, jsonPath: '$.roles.cmdb_read.contains[0]', problem: 'not a role name' },
    { name: 'roles: contained names not sorted', content: { ...good, roles: { cmdb_read: { outcome: 'observed', contains: ['itil', 'asset'], evidence: ev } } }, jsonPath: '$.roles.cmdb_read.contains', problem: 'sorted, without repeats' },
    { name: 'roles: a contained name twice', content: { ...good, roles: { cmdb_read: { outcome: 'observed', contains: ['itil', 'itil'], evidence: ev } } }, jsonPath: '$.roles.cmdb_read.contains', problem: 'sorted, without repeats' },
    { name: 'roles: observed without contains', content: { ...good, roles: { cmdb_read: { outcome: 'observed', evidence: ev } } }, jsonPath: '$.roles.cmdb_read.contains', problem: 'expected array' },
    { name: 'roles: not an object', content: { ...good, roles: ['cmdb_read'] }, jsonPath: '$.roles', problem: 'expected record' },
  ]
}

describe('a profile that cannot be used is refused with the file, the JSON path, what is wrong and the fix', () => {
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])('case %i', async (index) => {
    const c = (await malformedCases())[index]!
    const path = await profileFile(c.content)
    const error = await startEmulator({ profile: path }).then(
      (emu) => emulators.push(emu) && undefined,
      (e: unknown) => e,
    )
    expect(error, c.name).toBeInstanceOf(ProfileError)
    const { message, source, problems } = error as ProfileError
    expect(source).toBe(path)
    expect(problems.map((p) => p.jsonPath), c.name).toEqual([c.jsonPath])
    expect(problems[0]!.problem, c.name).toContain(c.problem)
    expect(message.split('\n')[0]).toBe(`error: the emulator profile ${path} cannot be used:`)
    expect(message.split('\n')[1]).toBe(`  ${c.jsonPath}: ${problems[0]!.problem}`)
    expect(message).toMatch(/\ncause: .+\nfix:   .+$/)
  })

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])('case %i from the CLI: exit 2, the same message, nothing on stdout', async (index) => {
    const c = (await malformedCases())[index]!
    const path = await profileFile(c.content)
    let stdout = ''
    let stderr = ''
    const io = { out: { write: (t: string) => ((stdout += t), true) }, err: { write: (t: string) => ((stderr += t), true) } } as unknown as Parameters<typeof main>[1]
    expect(await main(['--profile', path], io), c.name).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.split('\n')[0]).toBe(`error: the emulator profile ${path} cannot be used:`)
    expect(stderr.split('\n')[1], c.name).toMatch(new RegExp(`^  ${c.jsonPath.replace(/[$.[\]]/g, '\\$&')}: `))
    expect(stderr).toMatch(/\ncause: .+\nfix:   .+\n$/)
  })

  it('a file that does not exist', async () => {
    const path = join(tmpdir(), 'emu-profile-does-not-exist.json')
    await expect(startEmulator({ profile: path })).rejects.toThrow(
      `error: the emulator profile ${path} cannot be used:\n  $: the file does not exist\ncause: the path is wrong or the file is not readable\nfix:   give the path of a profile file, e.g. tools/instance-emulator/profiles/<release>-<patch>-<date>.json`,
    )
  })

  it('every problem is listed, not only the first', async () => {
    const good = await fixture(THIRD_PROFILE)
    const path = await profileFile({ ...good, switches: { ...good.switches, nope: { outcome: 'could-not-tell', reason: 'x', evidence: [] }, samPro: { outcome: 'observed', value: 'on', evidence: [{ request: 'r', status: 200, answer: 'a' }] } } })
    const error = (await startEmulator({ profile: path }).catch((e: unknown) => e)) as ProfileError
    expect(error.problems.map((p) => p.jsonPath)).toEqual(['$.switches.samPro.value', '$.switches.nope'])
  })
})

function run(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((r) => child.once('exit', (code) => r({ code, stdout, stderr })))
}

describe('sn-emulator --profile', () => {
  it('parses --profile FILE and --profile=FILE; it needs a value and is given once', () => {
    expect(parseArgs(['--profile', 'p.json', '--release', 'xanadu'])).toEqual({ profile: 'p.json', release: 'xanadu' })
    expect(parseArgs(['--profile=p.json'])).toEqual({ profile: 'p.json' })
    for (const argv of [['--profile'], ['--profile', ''], ['--profile', 'a', '--profile', 'b'], ['--profile', '--port']]) expect(() => parseArgs(argv), argv.join(' ')).toThrow(/--profile (needs a value|given more than once)/)
  })

  it('--help says flags win over the profile', () => {
    expect(USAGE).toContain('--profile FILE')
    expect(USAGE).toContain('flags win over the profile')
    expect(USAGE).toContain("wins over the profile's release")
  })

  it('starts as the profile says: "listening on" first, then what the profile set on stderr', async () => {
    const child = spawn(process.execPath, [bin, '--profile', THIRD_PROFILE], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const firstLine = await new Promise<string>((resolveLine, reject) => {
      createInterface({ input: child.stdout }).once('line', resolveLine)
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)))
    })
    expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/)
    const exit = new Promise<number | null>((r) => child.once('exit', r))
    for (let i = 0; i < 100 && !stderr.includes('profile'); i++) await new Promise((r) => setTimeout(r, 20))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    expect(stderr.split('\n').slice(0, 2)).toEqual([
      'sn-emulator: australia instance; admin user "admin"',
      `sn-emulator: profile ${THIRD_PROFILE}: 4 observed switches set, ${PROBED_SWITCH_NAMES.length - 4} could not tell (defaults kept)`,
    ])
  }, 60_000)

  it('says when --release wins over the profile, or the profile release is not emulated', async () => {
    const profile = await fixture(THIRD_PROFILE)
    const brazil = await profileFile({ ...profile, instance: { ...profile.instance, release: 'Brazil' } })
    for (const [argv, line] of [
      [['--profile', THIRD_PROFILE, '--release', 'xanadu'], `sn-emulator: profile ${THIRD_PROFILE}: 4 observed switches set, ${PROBED_SWITCH_NAMES.length - 4} could not tell (defaults kept); --release xanadu wins over its release Australia`],
      [['--profile', brazil], `sn-emulator: profile ${brazil}: 4 observed switches set, ${PROBED_SWITCH_NAMES.length - 4} could not tell (defaults kept); its release "Brazil" is not emulated, so the default`],
    ] as const) {
      const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      for (let i = 0; i < 500 && !stderr.includes('profile'); i++) await new Promise((r) => setTimeout(r, 20))
      const exit = new Promise<number | null>((r) => child.once('exit', r))
      child.kill('SIGTERM')
      expect(await exit).toBe(0)
      expect(stderr.split('\n')[1]).toBe(line)
    }
  }, 60_000)

  it('exits 2 on a profile it cannot use, with the file, the JSON path and the fix, and never listens', async () => {
    const good = await fixture(THIRD_PROFILE)
    const path = await profileFile({ ...good, switches: { ...good.switches, samPro: { outcome: 'observed', value: 'on', evidence: [{ request: 'r', status: 200, answer: 'a' }] } } })
    const result = await run(['--profile', path])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n').slice(0, 2)).toEqual([`error: the emulator profile ${path} cannot be used:`, '  $.switches.samPro.value: "on" is not a value of samPro; allowed: inactive, active'])
    expect(result.stderr).toMatch(/\nfix:   produce the profile with `deploy-integration probe --out FILE`/)
    const missing = await run(['--profile', join(tmpdir(), 'emu-profile-missing.json')])
    expect([missing.code, missing.stdout, missing.stderr.split('\n')[1]]).toEqual([2, '', '  $: the file does not exist'])
    const notJson = await run(['--profile', await profileFile('not json')])
    expect([notJson.code, notJson.stdout]).toEqual([2, ''])
    expect(notJson.stderr.split('\n')[1]).toMatch(/^ {2}\$: not valid JSON \(/)
  }, 60_000)
})

/** What profiles/README.md "Review it" asks for, as far as a program can tell: problems of one contributed file. */
async function reviewProblems(path: string, text: string): Promise<string[]> {
  const problems: string[] = []
  const name = basename(path)
  const profile = await readProfile(path).catch((e: unknown) => (problems.push((e as Error).message), undefined))
  if (!/^[a-z]+-[a-z0-9-]+-\d{4}-\d{2}-\d{2}(-\d+)?\.json$/.test(name)) problems.push(`${name}: not named <release>-<patch>-<date>.json`)
  if (profile && profileRelease(profile) !== null && !name.startsWith(`${profileRelease(profile)}-`)) problems.push(`${name}: named for another release than its ${profile.instance.release}`)
  if (/service-now\.com|servicenowservices\.com|https?:\/\//i.test(text)) problems.push(`${name}: names a host`)
  if (/"(password|client_secret|access_token|refresh_token|x-usertoken|jsessionid)"\s*:\s*"[^"]+"/i.test(text) || /Bearer [A-Za-z0-9._-]{8,}|Basic [A-Za-z0-9+/=]{8,}/.test(text)) problems.push(`${name}: carries a secret`)
  if (profile?.tool.name.includes('synthetic')) problems.push(`${name}: a synthetic profile (test fixtures only)`)
  return problems
}

describe('profiles/ holds only reviewed real probe output', () => {
  it('every file there is a usable profile, named for its release, with no host, no secret and nothing synthetic', async () => {
    const files = readdirSync(CONTRIBUTED).filter((f) => f !== 'README.md')
    expect(files.filter((f) => !f.endsWith('.json'))).toEqual([])
    for (const f of files) expect(await reviewProblems(join(CONTRIBUTED, f), await readFile(join(CONTRIBUTED, f), 'utf8')), f).toEqual([])
  })

  it('the review catches a host, a secret, a synthetic profile and a wrong name', async () => {
    const good = await fixture(FLIPPED_PROFILE)
    // A host in the evidence and a stray secret key (the schema drops unknown keys, so only a review sees it).
    const evidence = [{ request: 'GET https://dev12345.service-now.com/api/now/table/cmdb_sam_sw_install', status: 200, answer: '200 []' }]
    const path = await profileFile({ ...good, password: 'hunter2', switches: { ...good.switches, samPro: { outcome: 'observed', value: 'active', evidence } } }, 'my-profile.json')
    const text = await readFile(path, 'utf8')
    expect(await reviewProblems(path, text)).toEqual([
      'my-profile.json: not named <release>-<patch>-<date>.json',
      'my-profile.json: named for another release than its Zurich',
      'my-profile.json: names a host',
      'my-profile.json: carries a secret',
      'my-profile.json: a synthetic profile (test fixtures only)',
    ])
    const named = await profileFile(JSON.stringify({ ...good, tool: { name: 'deploy-integration probe', version: '1.0.0' } }), 'zurich-patch4-2026-12-01.json')
    expect(await reviewProblems(named, await readFile(named, 'utf8'))).toEqual([])
  })
})
