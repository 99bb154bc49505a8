export { run, mainHelp } from './cli.ts'
export type { Io } from './context.ts'
export { defaultDeps, type Deps, type AppPackageSummary } from './deps.ts'
export { CliError, toCliError, formatError } from './errors.ts'
