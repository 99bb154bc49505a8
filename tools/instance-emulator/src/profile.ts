// Emulator profiles (issue 20): what `deploy-integration probe` observed on a real instance, applied as switches.
// Observed switches set the switch; `could-not-tell` keeps the default; explicit `switches` win over the profile.
import { readFile } from 'node:fs/promises'
import { emulatorProfileSchema, PROBED_SWITCH_NAMES, PROFILE_FORMAT, type EmulatorProfile, type ProbedSwitch } from '@kandji-sn/contract'
import { EMULATED_RELEASES, type AppliedProfile, type EmulatedRelease, type EmulatorSwitches } from './types.ts'

/** A profile the emulator refuses: `source` is the file (or `the profile option`), `jsonPath` where in it. */
export class ProfileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ReadonlyArray<{ jsonPath: string; problem: string }>,
    cause: string,
    fix: string,
  ) {
    const lines = problems.map((p) => `  ${p.jsonPath}: ${p.problem}`).join('\n')
    super(`error: the emulator profile ${source} cannot be used:\n${lines}\ncause: ${cause}\nfix:   ${fix}`)
    this.name = 'ProfileError'
  }
}

const OBJECT_SOURCE = 'the profile option'
const SCHEMA_FIX = `produce the profile with \`deploy-integration probe --out FILE\` (format "${PROFILE_FORMAT}"), or correct the value named above (the switches and their values: packages/contract/src/schemas/emulator-profile.ts PROBED_SWITCHES)`

function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `${acc}.${String(key)}` : `${acc}[${JSON.stringify(String(key))}]`), '$')
}

/** Validates a parsed profile; `source` names it in errors. */
export function parseProfile(value: unknown, source = OBJECT_SOURCE): EmulatorProfile {
  const parsed = emulatorProfileSchema.safeParse(value)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((issue) => ({ jsonPath: jsonPath(issue.path), problem: issue.message }))
  throw new ProfileError(source, problems, 'it is not an emulator profile this emulator understands (a hand edit, another format version, or a switch this emulator does not have)', SCHEMA_FIX)
}

/** Reads and validates a profile file. */
export async function readProfile(path: string): Promise<EmulatorProfile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ProfileError(path, [{ jsonPath: '$', problem: code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code ?? (error as Error).message})` }], 'the path is wrong or the file is not readable', 'give the path of a profile file, e.g. tools/instance-emulator/profiles/<release>-<patch>-<date>.json')
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ProfileError(path, [{ jsonPath: '$', problem: `not valid JSON (${(error as Error).message})` }], 'the file was cut short or edited by hand', `produce it again with \`deploy-integration probe --out ${path}\`, or repair the JSON`)
  }
  return parseProfile(json, path)
}

/** The profile's release when the emulator emulates it. */
export function profileRelease(profile: EmulatorProfile): EmulatedRelease | null {
  const name = profile.instance.release?.trim().toLowerCase()
  return EMULATED_RELEASES.find((r) => r === name) ?? null
}

/**
 * The switches a profile sets. Every PROBED_SWITCHES value is an EmulatorSwitches value (test/profile.test.ts keeps
 * them in step), so the cast only widens what the schema already checked.
 */
export function profileSwitches(profile: EmulatorProfile): Partial<EmulatorSwitches> {
  const switches: Record<string, string | boolean> = {}
  for (const name of PROBED_SWITCH_NAMES) {
    const observation = profile.switches[name]
    if (observation?.outcome === 'observed') switches[name] = observation.value
  }
  return switches as Partial<EmulatorSwitches>
}

/** What each role the profile observed contains (a role it could not tell keeps the seed's containment). */
export function profileRoles(profile: EmulatorProfile): Record<string, string[]> {
  const roles: Record<string, string[]> = {}
  for (const [name, observation] of Object.entries(profile.roles ?? {})) if (observation.outcome === 'observed') roles[name] = [...observation.contains]
  return roles
}

/** Loads `profile` (a path or a parsed object) and says what it sets. */
export async function loadProfile(profile: string | EmulatorProfile): Promise<{ switches: Partial<EmulatorSwitches>; applied: AppliedProfile }> {
  const source = typeof profile === 'string' ? profile : OBJECT_SOURCE
  const parsed = typeof profile === 'string' ? await readProfile(profile) : parseProfile(profile)
  const switches = profileSwitches(parsed)
  const couldNotTell = PROBED_SWITCH_NAMES.filter((name) => parsed.switches[name]?.outcome === 'could-not-tell')
  return { switches, applied: { source, release: profileRelease(parsed), profileRelease: parsed.instance.release, observed: { ...switches } as AppliedProfile['observed'], couldNotTell, roles: profileRoles(parsed) } }
}
