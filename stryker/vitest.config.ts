// The vitest config Stryker runs: only the fast projects of the group in MUTATE_GROUP (stryker/groups.mjs).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { currentGroup } from './groups.mjs'

/** Absolute paths inside the tree this config sits in: Stryker's sandbox copy, not the worktree. */
const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

// The sandbox's node_modules is a link to the worktree's, so '@kandji-sn/...' would resolve to the worktree's
// unmutated sources; these aliases point the workspace packages the mutated modules live in at the sandbox.
const workspaceAliases = [
  { find: /^@kandji-sn\/contract\/checks$/, replacement: at('packages/contract/src/checks/index.ts') },
  { find: /^@kandji-sn\/servicenow-client$/, replacement: at('packages/servicenow-client/src/index.ts') },
]

// The app's verify imports src/server/generated/checks/*.ts, generated copies of packages/contract/src/checks
// that differ only in importing '../contract.ts' (the generated constants) for '../constants.ts'.
const checksFromSource = { find: /^.*\/generated\/checks\/([a-z-]+)\.ts$/, replacement: at('packages/contract/src/checks/$1.ts') }

const group = currentGroup()

/**
 * Unit tests next to the module (src/**) before the suites in test/ (fake HTTP servers, real timeouts): Stryker stops
 * at the first failing test, so a mutant a millisecond test kills is not also run through a one-second one.
 */
class UnitTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => (f.moduleId.includes('/src/') ? 0 : 1)
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId))
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: UnitTestsFirst },
    projects: group.projects.map((p) => ({
      resolve: { alias: p.checksFromSource ? [checksFromSource, ...workspaceAliases] : workspaceAliases },
      test: { name: p.name, root: at(p.root), include: p.include, exclude: p.exclude ?? [], testTimeout: 30_000 },
    })),
  },
})
