import { aclWithoutRoles, restAcl, restAuthentication, tableWithoutAcl } from './access-rules.ts'
import { appVersion, crossScopePrivilegeUnused, keysCurrent, recordOutsideScope } from './package-rules.ts'
import { evalCalls, glideRecordInAcl, hardcodedCredentials, hardcodedInstanceUrl, insertUnchecked, onBeforeWrites, scopedLogging } from './script-rules.ts'
import type { ScanRule } from '../types.ts'

/** Every scan rule, in report order. */
export const SCAN_RULES: readonly ScanRule[] = [
  scopedLogging,
  onBeforeWrites,
  glideRecordInAcl,
  insertUnchecked,
  hardcodedCredentials,
  hardcodedInstanceUrl,
  evalCalls,
  restAuthentication,
  restAcl,
  aclWithoutRoles,
  tableWithoutAcl,
  recordOutsideScope,
  crossScopePrivilegeUnused,
  appVersion,
  keysCurrent,
]
