// @ts-check
// Lint for bugs the compiler lets through, not for style: type-aware typescript-eslint rules (promises and `any`)
// on every workspace's TypeScript, and ServiceNow's Rhino-compatibility rules on the code that runs on an instance.
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { fixupPluginRules } from '@eslint/compat'
import snAppPlugin from '@servicenow/eslint-plugin-sdk-app-plugin'

const unsafeAny = {
  '@typescript-eslint/no-unsafe-argument': 'error',
  '@typescript-eslint/no-unsafe-assignment': 'error',
  '@typescript-eslint/no-unsafe-call': 'error',
  '@typescript-eslint/no-unsafe-member-access': 'error',
  '@typescript-eslint/no-unsafe-return': 'error',
}

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/target/**',
      '**/.turbo/**',
      'coverage/**',
      // Stryker's sandbox copies and reports (npm run mutate).
      '.stryker-tmp/**',
      'reports/**',
      // A Fluent app the emulator's install tests build; excluded from its tsconfig too.
      'tools/instance-emulator/test/fixtures/**',
    ],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        // Each file is checked with the nearest tsconfig.json (every workspace's, test's, bench's, the app's server one).
        projectService: { allowDefaultProject: ['vitest.config.ts', 'stryker/vitest.config.ts'], defaultProject: 'tsconfig.base.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      ...unsafeAny,
    },
  },
  {
    // Tests read replies as `any` (`res.body`, `JSON.parse(stdout)`) and then pin them with exact matchers (`toEqual`):
    // the matcher is what checks the shape, so typing every reply would add casts, not safety. Promise rules stay on.
    files: ['**/*.test.ts', '**/test/**/*.ts', 'test/**/*.ts'],
    rules: Object.fromEntries(Object.keys(unsafeAny).map((rule) => [rule, 'off'])),
  },
  {
    // The mutation-testing config reads its groups from stryker/groups.mjs, plain JavaScript without types; it runs
    // tests only, never ships.
    files: ['stryker/**/*.ts'],
    rules: Object.fromEntries(Object.keys(unsafeAny).map((rule) => [rule, 'off'])),
  },
  {
    // The code a ServiceNow instance runs (server modules) or the SDK compiles into records (.now.ts, bridges).
    files: ['apps/servicenow-app/src/**/*.ts'],
    // Node's globals declared as the SDK's own lint does (`env: { node: true }`, sdk-build-plugins/src/repack/lint/Rules.ts),
    // so no-unsupported-node-builtins sees `process`, `Buffer`, … as the globals they would be.
    languageOptions: { globals: globals.node },
    // fixupPluginRules: eslint-plugin-es-x 7.2.0, which the plugin pins, calls context.getScope (removed in ESLint 9).
    plugins: { '@servicenow/sdk-app-plugin': fixupPluginRules(snAppPlugin) },
    rules: {
      // The plugin's `recommended` is an eslintrc config (plugins as names); its rules are taken as they are.
      ...snAppPlugin.configs.recommended.rules,
      // no-unsupported-node-builtins knows `fs`, not `node:fs`.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^node:', message: 'Node.js APIs are not supported by the now platform' }] }],
    },
  },
)
