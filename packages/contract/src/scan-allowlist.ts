// What the app-package scan (packages/app-package/src/scan) accepts although its rules would flag it, each with
// the reason. Kept out of constants.ts because scripts/generate.ts copies every constant into the shipped app.
import { PLATFORM_TABLES } from './constants.ts'

/**
 * Records the app ships that configure a table of another scope (a dictionary entry, choice, business rule,
 * record ACL, UI policy … on a platform table). None today: the Kandji choice on cmdb_ci.discovery_source is
 * deliberately not shipped (a packaged choice list can delete the field's other choices, see
 * app-package validate checkForeignChoiceLists); deploy-integration and repair add it at runtime instead.
 * What the app ships that names other tables without configuring them is not listed: the menu module listing
 * cmdb_ci_computer, ATF steps that query sys_choice and cmdb_ci_computer, and the cross-scope privileges (their
 * own rule, cross-scope-privilege-unused).
 */
export const FOREIGN_RECORDS: readonly { table: string; target: string; reason: string }[] = []

/**
 * Writes to other tables that onBefore transform scripts may make (they run before the target row is written,
 * so a write there happens even when the row is then ignored or fails). `module` is the server module path
 * under src/server, `call` the method called.
 */
export const ONBEFORE_WRITES: readonly { module: string; call: string; writes: string; reason: string }[] = [
  {
    module: 'src/server/import/device-transform.ts',
    call: 'createOrUpdateCI',
    writes: PLATFORM_TABLES.computer,
    reason:
      'the MDM row the transform writes references the computer CI, so IRE must identify or create it first; IRE ' +
      '(sn_cmdb.IdentificationEngine) is the supported way to write CMDB CIs, de-duplicates them, and a row rejected afterwards leaves only an identified CI',
  },
  {
    module: 'src/server/import/app-transform.ts',
    call: 'createOrUpdateCI',
    writes: PLATFORM_TABLES.softwareInstall,
    reason:
      'the software row the transform writes references the software install IRE creates on the computer; the same IRE path as the device transform',
  },
  {
    module: 'src/server/platform/glide.ts',
    call: 'createOrUpdateCI',
    writes: `${PLATFORM_TABLES.computer}, ${PLATFORM_TABLES.softwareInstall}`,
    reason: 'the platform adapter through which the two transforms above call IRE; it writes nothing of its own',
  },
]
