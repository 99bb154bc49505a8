// The vitest config Stryker runs: only the fast projects of the group in MUTATE_GROUP (stryker/groups.mjs).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
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

export default defineConfig({
  test: {
    projects: group.projects.map((p) => ({
      resolve: { alias: p.checksFromSource ? [checksFromSource, ...workspaceAliases] : workspaceAliases },
      test: { name: p.name, root: at(p.root), include: p.include, exclude: p.exclude ?? [], testTimeout: 30_000 },
    })),
  },
})
