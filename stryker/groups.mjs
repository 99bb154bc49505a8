// The module groups `npm run mutate` scores: the code a customer's instance depends on (issue 14).
// Each group lists the files Stryker mutates and the FAST vitest tests (unit tests with fakes) that must
// kill those mutants. Stryker never runs the e2e project or a test that starts an emulator: those are
// minutes per run, and a mutant in these modules must be caught by a unit test next to the module.

/** Test files of deploy-integration that start the instance emulator (slow): not run by Stryker. */
const DEPLOY_EMULATOR_TESTS = ['test/emulator.test.ts', 'test/emulator-install.test.ts', 'test/vendor-store-app.test.ts']

/**
 * servicenow-app tests that Stryker cannot run: built-app.test.ts builds the app with the SDK (tens of seconds,
 * and it packs the generated copies, not the mutated sources); contract-names.test.ts compares the generated
 * files with the text of their sources, which Stryker has instrumented, so it would fail the dry run.
 */
const APP_UNRUNNABLE_TESTS = ['test/built-app.test.ts', 'test/contract-names.test.ts']

export const GROUPS = {
  steps: {
    title: 'deploy steps (apps/deploy-integration/src/steps)',
    mutate: ['apps/deploy-integration/src/steps/*.ts', '!apps/deploy-integration/src/steps/*.test.ts'],
    projects: [
      { name: 'deploy-integration', root: 'apps/deploy-integration', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: DEPLOY_EMULATOR_TESTS },
    ],
  },
  checks: {
    title: "verify's checks (packages/contract/src/checks)",
    // index.ts only re-exports.
    mutate: ['packages/contract/src/checks/*.ts', '!packages/contract/src/checks/index.ts', '!packages/contract/src/checks/*.test.ts'],
    projects: [
      { name: 'contract', root: 'packages/contract', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
      // The app runs generated copies of the checks; for this group its tests import the mutated sources instead.
      { name: 'servicenow-app', root: 'apps/servicenow-app', include: ['test/**/*.test.ts', 'scripts/**/*.test.ts'], exclude: APP_UNRUNNABLE_TESTS, checksFromSource: true },
      { name: 'deploy-integration', root: 'apps/deploy-integration', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: DEPLOY_EMULATOR_TESTS },
    ],
  },
  client: {
    title: "the client's transport, errors and redaction (packages/servicenow-client/src)",
    mutate: ['packages/servicenow-client/src/transport.ts', 'packages/servicenow-client/src/errors.ts', 'packages/servicenow-client/src/redact.ts'],
    projects: [{ name: 'servicenow-client', root: 'packages/servicenow-client', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] }],
  },
  import: {
    title: 'the transform logic (apps/servicenow-app/src/server/import)',
    mutate: ['apps/servicenow-app/src/server/import/*.ts'],
    projects: [
      { name: 'servicenow-app', root: 'apps/servicenow-app', include: ['test/**/*.test.ts', 'scripts/**/*.test.ts'], exclude: APP_UNRUNNABLE_TESTS },
    ],
  },
}

export const GROUP_NAMES = Object.keys(GROUPS)

/** The group named by MUTATE_GROUP (set by stryker/run.mjs). */
export function currentGroup() {
  const name = process.env.MUTATE_GROUP
  if (!name || !(name in GROUPS)) {
    throw new Error(`MUTATE_GROUP is ${name === undefined ? 'not set' : `"${name}"`}; expected one of ${GROUP_NAMES.join(', ')}. Run it through \`npm run mutate -- <group>\`.`)
  }
  return { name, ...GROUPS[name] }
}
