import { defineConfig } from 'vitest/config'

// One config, one project per workspace; tests run against TypeScript source.
// `e2e` holds the cross-package suites (slower: they start emulators and run the built app).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'contract', root: 'packages/contract', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { test: { name: 'servicenow-client', root: 'packages/servicenow-client', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { test: { name: 'app-package', root: 'packages/app-package', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { test: { name: 'servicenow-app', root: 'apps/servicenow-app', include: ['test/**/*.test.ts', 'scripts/**/*.test.ts'] } },
      { test: { name: 'deploy-integration', root: 'apps/deploy-integration', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'instance-emulator', root: 'tools/instance-emulator', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'iru-simulator', root: 'tools/iru-simulator', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { test: { name: 'e2e', root: 'test', include: ['**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
})
