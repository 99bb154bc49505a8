// The demo's building blocks, reused by the end-to-end suites (test/).
export { Demo, DEFAULT_DEMO_OPTIONS, seconds, type DemoOptions, type DemoResult } from './run-demo.ts'
export { renderSummary, type SummaryOptions } from './summary.ts'
export { parseDemoArgs, USAGE, type ParsedArgs } from './args.ts'
export { ProcessGroup, type ProcessResult, type SpawnOptions } from './processes.ts'
export {
  DEPLOY_INTEGRATION_BIN,
  DEPLOY_INTEGRATION_BUNDLE,
  cliEnv,
  cliErrorText,
  requireBuiltCli,
  runDeployIntegration,
  type AdminAccess,
  type CliRun,
} from './deploy-integration.ts'
export { cmdbSnapshot, ensureDirectoryUsers, groupKey, groupMessages, readImportOutcome, DEMO_DIRECTORY, type CmdbSnapshot, type ImportOutcome, type MessageCount } from './inventory.ts'
export { DemoError } from './errors.ts'
