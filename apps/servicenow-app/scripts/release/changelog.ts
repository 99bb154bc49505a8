// The CHANGELOG entry: the commits since the last release. The last release is the newest v* tag reachable from HEAD;
// without one, the commit the newest CHANGELOG entry records (its `<!-- release … commit … -->` line); without
// either, the whole history (the first release).
import type { Commit, Git } from './git.ts'

export const CHANGELOG = 'CHANGELOG.md'
const HEADER = '# Changelog\n\nEach release lists the commits since the previous one (`npm run release -- <version>`, docs/publishing.md).\n'
const MARKER = /<!-- release (\S+) commit ([0-9a-f]{7,40}) -->/

/** The release commit this command suggests; left out of the next entry. */
export function releaseCommitMessage(version: string): string {
  return `Release ${version}`
}

export function lastRecordedCommit(changelog: string): string | undefined {
  return MARKER.exec(changelog)?.[2]
}

export interface ChangelogRange {
  since: string | undefined
  /** How the range was found, for the entry and the output. */
  basis: string
}

export function releaseRange(git: Git, changelog: string): ChangelogRange {
  const tag = git.lastReleaseTag()
  if (tag) return { since: tag, basis: `since tag ${tag}` }
  const recorded = lastRecordedCommit(changelog)
  if (recorded && git.isCommit(recorded)) return { since: recorded, basis: `since ${recorded.slice(0, 12)} (the last CHANGELOG entry)` }
  return { since: undefined, basis: 'the whole history (no v* tag and no earlier CHANGELOG entry)' }
}

export function renderEntry(version: string, date: string, head: string, basis: string, commits: readonly Commit[]): string {
  const listed = commits.filter((c) => !/^Release \d+\.\d+\.\d+$/.test(c.subject))
  const lines = [`## ${version} (${date})`, '', `<!-- release ${version} commit ${head} -->`, `Commits ${basis}:`, '']
  lines.push(...(listed.length > 0 ? listed.map((c) => `- ${c.subject} (${c.sha.slice(0, 7)})`) : ['- no commits since the last release']))
  return `${lines.join('\n')}\n`
}

/** The changelog with the entry above the newest one (a new file gets the header). */
export function prependEntry(changelog: string, entry: string): string {
  if (changelog.trim() === '') return `${HEADER}\n${entry}`
  const first = changelog.search(/^## /m)
  if (first === -1) return `${changelog.replace(/\n*$/, '\n')}\n${entry}`
  return `${changelog.slice(0, first)}${entry}\n${changelog.slice(first)}`
}
