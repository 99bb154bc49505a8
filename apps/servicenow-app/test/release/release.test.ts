// `npm run release -- <version>` (scripts/release): run in a temporary git repository shaped like this one (the app's
// package.json, the lock file, now.config.json), with a build that packs a tiny app, so the real app is not built.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '@kandji-sn/app-package/cli'
import { systemGit } from '../../scripts/release/git.ts'
import { packedZipName, runRelease, type ReleaseDeps } from '../../scripts/release/run.ts'
import { checkIncrease, parseVersion } from '../../scripts/release/version.ts'
import { prependEntry } from '../../scripts/release/changelog.ts'

const SCOPE_ID = '6b0f1ad4c3f24e9a8a1d2f3b4c5d6e7f'
const SCRIPT_ID = '0123456789abcdef0123456789abcdef'
const GONE_ID = 'fedcba9876543210fedcba9876543210'
const NOW = new Date('2026-12-01T12:34:56Z')
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } })
}

function write(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true })
  writeFileSync(join(root, path), text)
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** A repository with this one's version files at 1.3.0 and two commits. */
function fixtureRepo(options: { nowConfigVersion?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'kandji-release-'))
  dirs.push(root)
  git(root, 'init', '-q', '-b', 'main')
  write(root, '.gitignore', 'releases/\ntarget/\n')
  write(root, 'apps/servicenow-app/package.json', json({ name: 'kandji-servicenow-app', version: '1.3.0', private: true }))
  write(root, 'package-lock.json', json({ name: 'kandji-servicenow', lockfileVersion: 3, packages: { '': { name: 'kandji-servicenow' }, 'apps/servicenow-app': { name: 'kandji-servicenow-app', version: '1.3.0' }, 'node_modules/x': { version: '1.3.0' } } }))
  write(root, 'apps/servicenow-app/now.config.json', json({ scope: 'x_kandj_kandji', scopeId: SCOPE_ID, ...(options.nowConfigVersion ? { version: '1.3.0' } : {}) }))
  git(root, 'add', '-A')
  git(root, 'commit', '-qm', 'First commit')
  write(root, 'src.txt', 'feature\n')
  git(root, 'add', '-A')
  git(root, 'commit', '-qm', 'Add the feature')
  return root
}

function appXml(version: string): string {
  return `<?xml version="1.0"?><record_update table="sys_app"><sys_app action="INSERT_OR_UPDATE"><sys_id>${SCOPE_ID}</sys_id><name>Kandji</name><scope>x_kandj_kandji</scope><version>${version}</version></sys_app></record_update>`
}
const scriptXml = `<?xml version="1.0"?><record_update table="sys_script_include"><sys_script_include action="INSERT_OR_UPDATE"><sys_id>${SCRIPT_ID}</sys_id><sys_scope display_value="x_kandj_kandji">${SCOPE_ID}</sys_scope><name>Util</name><script><![CDATA[var x = 1;]]></script></sys_script_include></record_update>`
const deleteXml = `<?xml version="1.0"?><record_update table="sys_module"><sys_module action="DELETE"><sys_id>${GONE_ID}</sys_id></sys_module></record_update>`

/** The build: packs a tiny app at the version package.json has now (or at `packAs`). */
function fakeBuild(root: string, calls: { n: number }, packAs?: string): () => boolean {
  return () => {
    calls.n++
    const { name, version } = JSON.parse(readFileSync(join(root, 'apps/servicenow-app/package.json'), 'utf8')) as { name: string; version: string }
    const enc = (s: string) => new TextEncoder().encode(s)
    const zip = zipSync({ [`/scope/sys_app_${SCOPE_ID}.xml`]: enc(appXml(packAs ?? version)), [`/update/sys_script_include_${SCRIPT_ID}.xml`]: enc(scriptXml), [`/update/sys_module_${GONE_ID}.xml`]: enc(deleteXml) })
    write(root, `apps/servicenow-app/target/${packedZipName(name, version)}`, '')
    writeFileSync(join(root, `apps/servicenow-app/target/${packedZipName(name, version)}`), zip)
    return true
  }
}

function deps(root: string, overrides: Partial<ReleaseDeps> = {}) {
  const out: string[] = []
  const err: string[] = []
  const calls = { n: 0 }
  const d: ReleaseDeps = {
    root,
    git: systemGit(root),
    build: fakeBuild(root, calls),
    // The validator's rules are Kandji-specific (the tiny app breaks them): the real CLI runs in its own test below.
    validate: async () => 0,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    now: () => NOW,
    ...overrides,
  }
  return { d, out, err, calls }
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex')

describe('a release on a clean tree', () => {
  it('bumps the version files, writes the zip, the update set and the manifest, adds the CHANGELOG entry and commits nothing', async () => {
    const root = fixtureRepo()
    const head = git(root, 'rev-parse', 'HEAD').trim()
    const { d, out, err, calls } = deps(root)
    expect(await runRelease(['1.4.0'], d), err.join('\n')).toBe(0)
    expect(calls.n).toBe(1)

    expect(JSON.parse(readFileSync(join(root, 'apps/servicenow-app/package.json'), 'utf8'))).toEqual({ name: 'kandji-servicenow-app', version: '1.4.0', private: true })
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> }
    expect([lock.packages['apps/servicenow-app']?.version, lock.packages['node_modules/x']?.version]).toEqual(['1.4.0', '1.3.0'])
    // now.config.json carries no version, so it stays as it was
    expect(git(root, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual(['?? CHANGELOG.md', ' M apps/servicenow-app/package.json', ' M package-lock.json'].sort())

    const dir = join(root, 'releases/1.4.0')
    const zipName = 'kandji_servicenow_app_1_4_0.zip'
    expect(readdirSync(dir).sort()).toEqual([zipName, 'kandji_servicenow_app_1_4_0_update_set.xml', 'release-manifest.json'])
    const zip = new Uint8Array(readFileSync(join(dir, zipName)))
    const updateSet = readFileSync(join(dir, 'kandji_servicenow_app_1_4_0_update_set.xml'), 'utf8')
    expect(updateSet).toContain('<application_version>1.4.0</application_version>')
    expect(updateSet).toContain('<unload unload_date="2026-12-01 12:34:56">')
    expect(JSON.parse(readFileSync(join(dir, 'release-manifest.json'), 'utf8'))).toEqual({
      version: '1.4.0',
      scope: 'x_kandj_kandji',
      scopeId: SCOPE_ID,
      gitCommit: head,
      date: NOW.toISOString(),
      records: { sys_app: 1, sys_script_include: 1 },
      deletes: { sys_module: 1 },
      artefacts: [
        { file: zipName, bytes: zip.length, sha256: sha256(zip) },
        { file: 'kandji_servicenow_app_1_4_0_update_set.xml', bytes: Buffer.byteLength(updateSet), sha256: sha256(updateSet) },
      ],
    })

    const log = git(root, 'log', '--format=%h %s').trim().split('\n')
    expect(readFileSync(join(root, 'CHANGELOG.md'), 'utf8')).toBe(
      '# Changelog\n\nEach release lists the commits since the previous one (`npm run release -- <version>`, docs/publishing.md).\n\n' +
        `## 1.4.0 (2026-12-01)\n\n<!-- release 1.4.0 commit ${head} -->\nCommits the whole history (no v* tag and no earlier CHANGELOG entry):\n\n` +
        `- Add the feature (${log[0]!.split(' ')[0]})\n- First commit (${log[1]!.split(' ')[0]})\n`,
    )
    expect(git(root, 'rev-parse', 'HEAD').trim()).toBe(head)
    expect(git(root, 'tag')).toBe('')
    expect(out.slice(-4)).toEqual([
      'nothing was committed or tagged; read the CHANGELOG entry, then:',
      '  git add CHANGELOG.md apps/servicenow-app/package.json package-lock.json',
      '  git commit -m "Release 1.4.0"',
      '  git tag -a v1.4.0 -m "Release 1.4.0"',
    ])
  })

  it('the next release lists the commits since the v* tag, without the release commit; a version-carrying now.config.json is bumped too', async () => {
    const root = fixtureRepo({ nowConfigVersion: true })
    expect(await runRelease(['1.4.0'], deps(root).d)).toBe(0)
    expect(JSON.parse(readFileSync(join(root, 'apps/servicenow-app/now.config.json'), 'utf8')).version).toBe('1.4.0')
    git(root, 'add', '-A')
    git(root, 'commit', '-qm', 'Release 1.4.0')
    git(root, 'tag', '-a', 'v1.4.0', '-m', 'Release 1.4.0')
    write(root, 'src.txt', 'fix\n')
    git(root, 'commit', '-qam', 'Fix the feature')
    const fix = git(root, 'rev-parse', '--short=7', 'HEAD').trim()
    expect(await runRelease(['1.4.1'], deps(root).d)).toBe(0)
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8')
    const entry = changelog.slice(changelog.indexOf('## 1.4.1'), changelog.indexOf('## 1.4.0'))
    expect(entry.split('\n').slice(3)).toEqual(['Commits since tag v1.4.0:', '', `- Fix the feature (${fix})`, '', ''])
  })

  it('without tags, the next release starts at the commit the last CHANGELOG entry records', async () => {
    const root = fixtureRepo()
    expect(await runRelease(['1.4.0'], deps(root).d)).toBe(0)
    const recorded = git(root, 'rev-parse', 'HEAD').trim()
    git(root, 'add', '-A')
    git(root, 'commit', '-qm', 'Release 1.4.0')
    write(root, 'src.txt', 'more\n')
    git(root, 'commit', '-qam', 'More work')
    const more = git(root, 'rev-parse', '--short=7', 'HEAD').trim()
    expect(await runRelease(['2.0.0'], deps(root).d)).toBe(0)
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8')
    expect(changelog.slice(changelog.indexOf('## 2.0.0'), changelog.indexOf('## 1.4.0')).split('\n').slice(3)).toEqual([`Commits since ${recorded.slice(0, 12)} (the last CHANGELOG entry):`, '', `- More work (${more})`, '', ''])
  })
})

describe('refusals: what happened, why, and what to do; nothing is changed', () => {
  function unchanged(root: string): void {
    expect(JSON.parse(readFileSync(join(root, 'apps/servicenow-app/package.json'), 'utf8')).version).toBe('1.3.0')
    expect(existsSync(join(root, 'releases'))).toBe(false)
    expect(existsSync(join(root, 'CHANGELOG.md'))).toBe(false)
  }

  it('a dirty working tree', async () => {
    const root = fixtureRepo()
    write(root, 'src.txt', 'uncommitted\n')
    write(root, 'new.txt', 'untracked\n')
    const { d, err, calls } = deps(root)
    expect(await runRelease(['1.4.0'], d)).toBe(1)
    expect(err).toEqual([
      "error: the working tree is not clean (2 changes: M src.txt, ?? new.txt)\ncause: a release is built from committed sources only, so that its manifest's git commit says exactly what it holds\nfix:   commit or stash the changes (git stash -u), then run the release again",
    ])
    expect(calls.n).toBe(0)
    expect(JSON.parse(readFileSync(join(root, 'apps/servicenow-app/package.json'), 'utf8')).version).toBe('1.3.0')
  })

  it.each([
    ['1.0.0', 'version 1.0.0 does not increase over the current app version 1.3.0', 'it is lower'],
    ['1.1.0', 'version 1.1.0 does not increase over the current app version 1.3.0', 'it is lower'],
    ['1.2.9', 'version 1.2.9 does not increase over the current app version 1.3.0', 'it is lower'],
    ['1.3.0', 'version 1.3.0 does not increase over the current app version 1.3.0', 'that is the current version'],
  ])('%s', async (version, error, cause) => {
    const root = fixtureRepo()
    const { d, err, calls } = deps(root)
    expect(await runRelease([version], d)).toBe(1)
    expect(err).toHaveLength(1)
    expect(err[0]).toMatch(new RegExp(`^error: ${error.replace(/\./g, '\\.')}\ncause: ${cause}.*\nfix:   pass a higher version, e\\.g\\. 1\\.3\\.1, 1\\.4\\.0, 2\\.0\\.0$`))
    expect(calls.n).toBe(0)
    unchanged(root)
  })

  it.each([
    ['1.2', 'an app version is three numbers', 'pass MAJOR.MINOR.PATCH, e.g. 1.4.0'],
    ['v1.4.0', 'the version carries a "v" prefix', 'pass MAJOR.MINOR.PATCH, e.g. 1.4.0'],
    ['1.4.0-beta', 'pre-release and build suffixes', 'pass MAJOR.MINOR.PATCH, e.g. 1.4.0'],
    ['1.4.0+build.7', 'pre-release and build suffixes', 'pass MAJOR.MINOR.PATCH, e.g. 1.4.0'],
    ['01.4.0', 'an app version is three numbers', 'pass MAJOR.MINOR.PATCH, e.g. 1.4.0'],
    ['1.4.x', 'an app version is three numbers', 'pass MAJOR.MINOR.PATCH, e.g. 1.4.0'],
    ['', 'an app version is three numbers', 'pass MAJOR.MINOR.PATCH, e.g. 1.4.0'],
    [' 1.4.0', 'an app version is three numbers', 'pass MAJOR.MINOR.PATCH, e.g. 1.4.0'],
  ])('malformed %j', async (version, cause, fix) => {
    const root = fixtureRepo()
    const { d, err } = deps(root)
    expect(await runRelease([version], d)).toBe(2)
    expect(err).toEqual([`error: "${version}" is not a release version\ncause: ${err[0]?.split('\ncause: ')[1]?.split('\n')[0]}\nfix:   ${fix}: npm run release -- <version>`])
    expect(err[0]).toContain(`cause: ${cause}`)
    unchanged(root)
  })

  it.each([[[]], [['1.4.0', '1.5.0']], [['--force']]])('usage %j', async (argv) => {
    const root = fixtureRepo()
    const { d, err } = deps(root)
    expect(await runRelease(argv, d)).toBe(2)
    expect(err[0]).toMatch(/^error: (which version\? pass it after --|expected one version, got .*)\nusage: npm run release -- <MAJOR\.MINOR\.PATCH>/)
    unchanged(root)
  })

  it('a build that fails: the bump stays, with the command that undoes it', async () => {
    const root = fixtureRepo()
    const { d, err } = deps(root, { build: () => false })
    expect(await runRelease(['1.4.0'], d)).toBe(1)
    expect(err).toEqual(['error: the build failed (its output is above)\ncause: the sources do not build at this commit\nfix:   fix the build and commit it; undo the bump with: git checkout -- apps/servicenow-app/package.json package-lock.json'])
    expect(existsSync(join(root, 'releases'))).toBe(false)
  })

  it('a package that does not validate (the app-package CLI exits 1: the tiny app is no Kandji app)', async () => {
    const root = fixtureRepo()
    const findings: string[] = []
    const codes: number[] = []
    const validate = async (zip: string) => {
      codes.push(await runCli([zip], { out: () => {}, err: (l) => findings.push(l) }))
      return codes.at(-1)!
    }
    const { d, err } = deps(root, { validate })
    expect(await runRelease(['1.4.0'], d)).toBe(1)
    expect(codes).toEqual([1])
    expect(findings.length).toBeGreaterThan(0)
    expect(err[0]).toMatch(/^error: the packed app kandji_servicenow_app_1_4_0\.zip does not validate \(the findings are above\)\ncause: .*\nfix:   fix the source each finding names and commit it; undo the bump with: git checkout -- /)
    expect(existsSync(join(root, 'releases'))).toBe(false)
  })

  it('a build that packed another version', async () => {
    const root = fixtureRepo()
    const calls = { n: 0 }
    const { d, err } = deps(root, { build: fakeBuild(root, calls, '1.3.0') })
    expect(await runRelease(['1.4.0'], d)).toBe(1)
    expect(err[0]).toMatch(/^error: the packed app is version 1\.3\.0, not 1\.4\.0\ncause: the build did not pick up the bumped package\.json/)
  })

  it('a release folder that exists already', async () => {
    const root = fixtureRepo()
    mkdirSync(join(root, 'releases/1.4.0'), { recursive: true })
    const { d, err, calls } = deps(root)
    expect(await runRelease(['1.4.0'], d)).toBe(1)
    expect(err[0]).toMatch(/^error: releases\/1\.4\.0 exists already\ncause: .*\nfix:   remove releases\/1\.4\.0 and run the release again$/)
    expect(calls.n).toBe(0)
  })
})

describe('the pieces', () => {
  it('parseVersion and checkIncrease', () => {
    expect(parseVersion('1.4.0')).toEqual([1, 4, 0])
    expect(parseVersion('10.0.12')).toEqual([10, 0, 12])
    expect(checkIncrease([1, 3, 1], [1, 3, 0])).toBeUndefined()
    expect(checkIncrease([1, 10, 0], [1, 9, 9])).toBeUndefined()
    expect(checkIncrease([1, 9, 9], [1, 10, 0])?.error).toBe('version 1.9.9 does not increase over the current app version 1.10.0')
  })

  it('prependEntry keeps the older entries below the new one', () => {
    const first = prependEntry('', '## 1.0.0 (d)\n\n- a\n')
    const second = prependEntry(first, '## 1.1.0 (d)\n\n- b\n')
    expect(second.indexOf('## 1.1.0')).toBeLessThan(second.indexOf('## 1.0.0'))
    expect(second.match(/^# Changelog/gm)).toHaveLength(1)
    expect(second.endsWith('## 1.0.0 (d)\n\n- a\n')).toBe(true)
  })
})
