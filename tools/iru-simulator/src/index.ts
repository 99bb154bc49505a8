// Library API for the demo (`npm start`) and the end-to-end suites.
export { generateDevices, SERIAL_PATTERN, type DeviceUser, type GenerateOptions, type KandjiDevice } from './devices.ts'
export { mutateDevices, CHANGE_KINDS, type ChangeKind, type ChangedDevice, type MutateOptions } from './mutate.ts'
export { malformedRows, MALFORMED_DEFECTS, type MalformedDefect, type MalformedRow } from './malformed.ts'
export { generateApps, type AppInstall } from './apps.ts'
export {
  toStagingRow,
  toAppStagingRow,
  toGlideDateTime,
  keyRow,
  DEVICE_STAGING_COLUMNS,
  APP_STAGING_COLUMNS,
  type ColumnKeys,
  type StagingColumn,
  type StagingRow,
} from './staging-row.ts'
export { pushInventory, pushApps, type PushClient, type PushInventoryOptions, type PushAppsOptions, type PushProgress, type PollOptions } from './push.ts'
export { OUTCOMES, emptyCounts, unexpectedFailures, type Outcome, type OutcomeCounts, type MessageGroup, type PushReport, type ResultsState } from './report.ts'
export { renderReport } from './render.ts'
export { readHandoff, parseHandoff } from './handoff.ts'
export { connect } from './connect.ts'
export { SimulatorError, isSimulatorError } from './errors.ts'
export { main as runCli, USAGE } from './cli.ts'
export { createRng, type Rng, type Seed } from './prng.ts'
export { UNKNOWN_USER_DOMAIN } from './catalog.ts'
