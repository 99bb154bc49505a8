// `npm run release -- <version>`: clean tree -> version check -> bump -> build -> validate -> release folder
// (zip, update set, manifest) -> CHANGELOG entry. It commits and tags nothing: it prints the commands, so the
// entry and the bump can be read first. Exit 0 released, 1 refused or failed, 2 usage.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readAppPackage, toUpdateSetXml, updateSetPathFor } from '@kandji-sn/app-package'
import type { Problem } from '../build.ts'
import { APP_DIR, bumpVersion, currentVersion } from './bump.ts'
import { CHANGELOG, prependEntry, releaseCommitMessage, releaseRange, renderEntry } from './changelog.ts'
import type { Git } from './git.ts'
import { artefact, buildManifest, MANIFEST_FILE } from './manifest.ts'
import { checkIncrease, isVersion, parseVersion } from './version.ts'

export const RELEASES_DIR = 'releases'
export const USAGE = `usage: npm run release -- <MAJOR.MINOR.PATCH>
  Bumps the app version, builds, validates, writes ${RELEASES_DIR}/<version>/ (zip, update set, ${MANIFEST_FILE})
  and a ${CHANGELOG} entry; prints the commit and tag commands. Needs a clean working tree.`

export interface ReleaseDeps {
  /** The repository root. */
  root: string
  git: Git
  /** `npx turbo run build`; false when it failed (it printed why). */
  build(): boolean
  /** The app-package CLI on the zip: 0 valid, 1 validation errors, 2 unreadable. */
  validate(zip: string): Promise<number>
  out(line: string): void
  err(line: string): void
  now(): Date
}

/** now-sdk pack's zip name: snake_case(package name + '_' + version) (fluent-sdk-findings §3, as after-build.ts). */
export function packedZipName(name: string, version: string): string {
  return `${`${name}_${version}`.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase()}.zip`
}

function report(deps: ReleaseDeps, problem: Problem, code: number): number {
  deps.err(`error: ${problem.error}\ncause: ${problem.cause}\nfix:   ${problem.fix}`)
  return code
}

export async function runRelease(argv: readonly string[], deps: ReleaseDeps): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    deps.out(USAGE)
    return 0
  }
  if (argv.length !== 1 || argv[0]!.startsWith('--')) {
    deps.err(`error: ${argv.length === 0 ? 'which version? pass it after --' : `expected one version, got ${argv.join(' ')}`}\n${USAGE}`)
    return 2
  }
  const text = argv[0]!
  const wanted = parseVersion(text)
  if (!isVersion(wanted)) return report(deps, wanted, 2)

  const dirty = deps.git.status()
  if (dirty.length > 0) {
    return report(deps, {
      error: `the working tree is not clean (${dirty.length} change${dirty.length === 1 ? '' : 's'}: ${dirty.slice(0, 5).map((l) => l.trim()).join(', ')}${dirty.length > 5 ? ', …' : ''})`,
      cause: 'a release is built from committed sources only, so that its manifest\'s git commit says exactly what it holds',
      fix: 'commit or stash the changes (git stash -u), then run the release again',
    }, 1)
  }

  const currentText = currentVersion(deps.root)
  const current = parseVersion(currentText)
  if (!isVersion(current)) {
    return report(deps, { error: `${APP_DIR}/package.json has the version "${currentText}", which is not MAJOR.MINOR.PATCH`, cause: 'the file was edited by hand', fix: `set "version" in ${APP_DIR}/package.json to the last released version and commit it` }, 1)
  }
  const notHigher = checkIncrease(wanted, current)
  if (notHigher) return report(deps, notHigher, 1)
  const releaseDir = join(deps.root, RELEASES_DIR, text)
  if (existsSync(releaseDir)) {
    return report(deps, { error: `${RELEASES_DIR}/${text} exists already`, cause: 'an earlier run of this release stopped after writing it, or it was copied there', fix: `remove ${RELEASES_DIR}/${text} and run the release again` }, 1)
  }

  const changed = bumpVersion(deps.root, text)
  deps.out(`version ${currentText} -> ${text} in ${changed.join(', ')}`)
  const undo = `undo the bump with: git checkout -- ${changed.join(' ')}`
  if (!deps.build()) return report(deps, { error: 'the build failed (its output is above)', cause: 'the sources do not build at this commit', fix: `fix the build and commit it; ${undo}` }, 1)

  const appPackageJson = JSON.parse(readFileSync(join(deps.root, APP_DIR, 'package.json'), 'utf8')) as { name: string }
  const zipName = packedZipName(appPackageJson.name, text)
  const zip = join(deps.root, APP_DIR, 'target', zipName)
  if (!existsSync(zip)) {
    return report(deps, { error: `the build wrote no ${APP_DIR}/target/${zipName}`, cause: 'now-sdk pack did not run, or named the zip differently', fix: `run \`npm run build -w ${APP_DIR}\` and look at its output; ${undo}` }, 1)
  }
  if ((await deps.validate(zip)) !== 0) {
    return report(deps, { error: `the packed app ${zipName} does not validate (the findings are above)`, cause: 'the build produced records the app-package validator rejects', fix: `fix the source each finding names and commit it; ${undo}` }, 1)
  }
  const pkg = await readAppPackage(zip)
  if (pkg.version !== text) {
    return report(deps, { error: `the packed app is version ${pkg.version}, not ${text}`, cause: 'the build did not pick up the bumped package.json (a stale turbo cache or build output)', fix: `run \`npx turbo run build --force\`; ${undo}` }, 1)
  }

  const date = deps.now().toISOString()
  const zipBytes = new Uint8Array(readFileSync(zip))
  const updateSetName = updateSetPathFor(zipName)
  const updateSet = toUpdateSetXml(pkg, { date: date.slice(0, 19).replace('T', ' ') })
  mkdirSync(releaseDir, { recursive: true })
  copyFileSync(zip, join(releaseDir, zipName))
  writeFileSync(join(releaseDir, updateSetName), updateSet)
  const head = deps.git.head()
  const manifest = buildManifest(pkg, head, date, [artefact(zipName, zipBytes), artefact(updateSetName, updateSet)])
  writeFileSync(join(releaseDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)

  const changelogPath = join(deps.root, CHANGELOG)
  const changelog = existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : ''
  const range = releaseRange(deps.git, changelog)
  const commits = deps.git.commitsSince(range.since)
  writeFileSync(changelogPath, prependEntry(changelog, renderEntry(text, date.slice(0, 10), head, range.basis, commits)))

  const toCommit = [...new Set([...changed, ...deps.git.status().map((l) => l.slice(3).trim())])].sort()
  deps.out(`released ${pkg.scope} ${text} into ${RELEASES_DIR}/${text}: ${zipName}, ${updateSetName}, ${MANIFEST_FILE}`)
  deps.out(`${CHANGELOG}: ${commits.length} commit${commits.length === 1 ? '' : 's'} ${range.basis}`)
  deps.out('nothing was committed or tagged; read the CHANGELOG entry, then:')
  deps.out(`  git add ${toCommit.join(' ')}`)
  deps.out(`  git commit -m "${releaseCommitMessage(text)}"`)
  deps.out(`  git tag -a v${text} -m "${releaseCommitMessage(text)}"`)
  return 0
}
