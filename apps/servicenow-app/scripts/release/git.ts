// The git questions a release asks, behind an interface so tests can answer them.
import { spawnSync } from 'node:child_process'

export interface Commit {
  sha: string
  subject: string
}

export interface Git {
  /** `git status --porcelain` lines (empty: clean). */
  status(): string[]
  head(): string
  /** The newest tag matching v* reachable from HEAD, if any. */
  lastReleaseTag(): string | undefined
  /** Commits after `since` (exclusive) up to HEAD, newest first; all of them when `since` is undefined. */
  commitsSince(since: string | undefined): Commit[]
  /** Whether `ref` names a commit of this repository. */
  isCommit(ref: string): boolean
}

export function systemGit(cwd: string): Git {
  const git = (args: string[]): { ok: boolean; out: string } => {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    if (r.error) throw new Error(`could not run git ${args.join(' ')}: ${r.error.message}`)
    return { ok: r.status === 0, out: r.stdout ?? '' }
  }
  const must = (args: string[]): string => {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    if (r.error || r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim()}`)
    return r.stdout
  }
  return {
    status: () => must(['status', '--porcelain']).split('\n').filter((l) => l.trim() !== ''),
    head: () => must(['rev-parse', 'HEAD']).trim(),
    lastReleaseTag() {
      const r = git(['describe', '--tags', '--abbrev=0', '--match', 'v*'])
      return r.ok ? r.out.trim() || undefined : undefined
    },
    commitsSince(since) {
      const out = must(['log', '--format=%H%x09%s', ...(since ? [`${since}..HEAD`] : ['HEAD'])])
      return out.split('\n').filter(Boolean).map((line) => {
        const [sha = '', ...subject] = line.split('\t')
        return { sha, subject: subject.join('\t') }
      })
    },
    isCommit: (ref) => git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).ok,
  }
}
