import type { EmulatorSwitches } from './types.ts'

/** Defaults of the [U] behaviours; README.md "Switches" explains each one. */
export const DEFAULT_SWITCHES: EmulatorSwitches = {
  ropcRefusedForWebServiceOnly: false,
  addSncInternalOnFirstLogin: true,
  defaultScopeRestriction: 'restricted',
  unversionedTableApi: 'v2',
  importSetRequiresWsAccess: true,
  runFixScriptsOnInstall: false,
  listReadDenied: 'filter',
  upgradeKeepsCustomerChanges: true,
  enforceMandatoryOnTableApi: false,
  installPollsToComplete: 2,
  choiceListLoader: 'replace',
  runtimeAccessTracking: 'enforcing',
  crossScopeRefusal: 'throw',
  globalTableAccess: 'read-only',
  onBeforeError: 'halt-import-set',
  insertMultipleTransform: 'asynchronous',
  insertMultiplePlugin: 'active',
  samPro: 'inactive',
  ireSkipDuplicates: true,
  ireDiscoverySource: 'insert-only',
  basicAuthRestriction: 'upgraded',
  apiKeyBindsUiSession: false,
}
