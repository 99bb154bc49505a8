// Mutation testing (issue 14): `npm run mutate [-- <group>...]` (stryker/run.mjs) runs this once per group
// with MUTATE_GROUP set; the groups, their files and their tests are in stryker/groups.mjs. See docs/testing.md.
import { currentGroup } from './stryker/groups.mjs'

const group = currentGroup()
const out = `reports/mutation/${group.name}`

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker/vitest.config.ts', related: false },
  mutate: group.mutate,
  coverageAnalysis: 'perTest',
  // The machine has 2 cores shared with other work.
  concurrency: 1,
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: `${out}/mutation.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  // Build output and caches are not sources the fast tests read.
  ignorePatterns: ['dist', 'target', '.turbo', '.now-sdk', 'coverage', 'reports', 'bench/results.json'],
  cleanTempDir: 'always',
}
