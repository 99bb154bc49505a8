export { run, mainHelp } from './cli.ts'
export type { Io } from './context.ts'
export type { Deps } from './deps.ts'
export { CliError, toCliError, formatError } from './errors.ts'
