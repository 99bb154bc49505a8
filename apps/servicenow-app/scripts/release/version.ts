// The release version: MAJOR.MINOR.PATCH, digits only, and higher than the current one.
import type { Problem } from '../build.ts'

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

export type Version = readonly [number, number, number]

/**
 * Only plain MAJOR.MINOR.PATCH is accepted: the instance compares app versions as dot-separated numbers (the
 * emulator's compareVersions models it; `sys_app.version` holds "1.3.0"), so a `v` prefix or a pre-release suffix
 * such as `-beta` would be compared wrongly or refused there.
 */
export function parseVersion(text: string): Version | Problem {
  const m = SEMVER.exec(text)
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])]
  const cause = text.startsWith('v') && SEMVER.test(text.slice(1))
    ? 'the version carries a "v" prefix; the prefix belongs to the git tag (v<version>), not to the app version'
    : /^\d+\.\d+\.\d+[-+]/.test(text)
      ? 'pre-release and build suffixes (-beta, +build) are not app versions: the instance compares versions as numbers'
      : 'an app version is three numbers, MAJOR.MINOR.PATCH, without leading zeros'
  const suggestion = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text)
  return {
    error: `"${text}" is not a release version`,
    cause,
    fix: `pass MAJOR.MINOR.PATCH${suggestion ? `, e.g. ${Number(suggestion[1])}.${Number(suggestion[2])}.${Number(suggestion[3])}` : ', e.g. 1.4.0'}: npm run release -- <version>`,
  }
}

export function isVersion(v: Version | Problem): v is Version {
  return Array.isArray(v)
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

export function formatVersion(v: Version): string {
  return v.join('.')
}

/** The next versions a user may mean, for the refusal's fix. */
export function nextVersions(current: Version): string[] {
  return [formatVersion([current[0], current[1], current[2] + 1]), formatVersion([current[0], current[1] + 1, 0]), formatVersion([current[0] + 1, 0, 0])]
}

/** Refuses a version that is not above the current one (the same version would overwrite a published release). */
export function checkIncrease(wanted: Version, current: Version): Problem | undefined {
  const order = compareVersions(wanted, current)
  if (order > 0) return undefined
  return {
    error: `version ${formatVersion(wanted)} does not increase over the current app version ${formatVersion(current)}`,
    cause: order === 0 ? 'that is the current version: it was released already (or is being released)' : 'it is lower: an instance with the current version installed would not take it as an upgrade',
    fix: `pass a higher version, e.g. ${nextVersions(current).join(', ')}`,
  }
}
