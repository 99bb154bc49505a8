import '@servicenow/sdk/global'
import { Record, ScriptInclude } from '@servicenow/sdk/core'
import { APP, FIX_SCRIPT_NAME, PLATFORM_TABLES, SETUP_SCRIPT_INCLUDE } from '@kandji-sn/contract/constants'
import { fixScript, setupScriptInclude } from './bridges.ts'

/** The one entry point to the setup logic (src/server/setup/discovery-source.ts) for non-module scripts. */
export const kandjiSetup = ScriptInclude({
  $id: Now.ID['script_include_kandji_setup'],
  name: SETUP_SCRIPT_INCLUDE,
  apiName: `${APP.scope}.${SETUP_SCRIPT_INCLUDE}`,
  accessibleFrom: 'package_private',
  active: true,
  description: 'Ensures the Kandji discovery source exists and is active; used by the fix script and POST repair.',
  script: setupScriptInclude,
})

// No FixScript API in SDK 4.9.0; a generic Record on sys_script_fix builds (fluent-sdk-findings d).
export const kandjiFixScript = Record({
  $id: Now.ID['setup_fix_script'],
  table: PLATFORM_TABLES.fixScript,
  data: {
    name: FIX_SCRIPT_NAME,
    description: 'Adds or reactivates the Kandji discovery source (cmdb_ci.discovery_source). Safe to run again.',
    script: fixScript,
    unloadable: false,
    before: false,
  },
})
