import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import LongFirstSequencer from './test/support/long-first-sequencer.ts'

/** Project roots are absolute so a workspace's `npm test` (run from its own folder) finds them too. */
const at = (dir: string) => fileURLToPath(new URL(`./${dir}/`, import.meta.url))

/** The `security` project's suites (issue 19): `npm run test:security`; kept out of `e2e` so `npm test` runs them once. */
const SECURITY = ['security/**/*.test.ts', 'hostile/**/*.test.ts']

// One config, one project per workspace; tests run against TypeScript source.
// `e2e` holds the cross-package suites (slower: they start emulators and run the built app).
export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: on a 2-core CI machine, one file at a time. The suites are
    // mostly CPU (emulator and CLI in one process): a worker per core. Not more: several suites time their requests
    // out after 250 ms to 1 s, and starving the workers of CPU makes those fire (issue 18). `--maxWorkers N` overrides.
    maxWorkers: availableParallelism(),
    sequence: { sequencer: LongFirstSequencer },
    // The default reporter plus one block repeating every suite's `security: ` summary line at the end of the run.
    reporters: ['default', './test/support/security-summary-reporter.ts'],
    projects: [
      { test: { name: 'contract', root: at('packages/contract'), include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { test: { name: 'servicenow-client', root: at('packages/servicenow-client'), include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { test: { name: 'app-package', root: at('packages/app-package'), include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { test: { name: 'servicenow-app', root: at('apps/servicenow-app'), include: ['test/**/*.test.ts', 'scripts/**/*.test.ts'] } },
      { test: { name: 'deploy-integration', root: at('apps/deploy-integration'), include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } },
      { test: { name: 'instance-emulator', root: at('tools/instance-emulator'), include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'iru-simulator', root: at('tools/iru-simulator'), include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { test: { name: 'e2e', root: at('test'), include: ['**/*.test.ts'], exclude: [...SECURITY, '**/node_modules/**'], testTimeout: 120_000, hookTimeout: 120_000 } },
      { test: { name: 'security', root: at('test'), include: SECURITY, testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
})
