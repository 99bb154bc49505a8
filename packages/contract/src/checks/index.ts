// The check catalogue (ids, statuses, fixes) with its one implementation, for the app (as a generated copy) and the CLI.
export * from './checks.ts'
export * from './discovery-source.ts'
export * from './push.ts'
export * from './report.ts'
export type * from './snapshots.ts'
