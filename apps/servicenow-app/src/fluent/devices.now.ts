import '@servicenow/sdk/global'
import { Property, Record, ScriptInclude } from '@servicenow/sdk/core'
import { APP, APP_SETTINGS, DEVICES_SCRIPT_INCLUDE, PLATFORMS, RETIREMENT_JOB } from '@kandji-sn/contract/constants'
import { devicesScriptInclude, retirementJobScript } from './bridges.ts'
import { adminRole, viewerRole } from './roles.now.ts'

// Issue 16, "devices": stale device retirement, device classes, user matching.
const PLATFORM_LIST = PLATFORMS.join(', ')

export const retireAfterDaysProperty = Property({
  $id: Now.ID['property_retire_after_days'],
  name: APP_SETTINGS.retireAfterDays,
  type: 'integer',
  value: '0',
  description: 'Days without a push from Iru Endpoint after which a Kandji device is retired (install_status and operational_status Retired; nothing is deleted). 0 = off; suggested 30.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const retireDryRunProperty = Property({
  $id: Now.ID['property_retire_dry_run'],
  name: APP_SETTINGS.retireDryRun,
  type: 'boolean',
  value: 'false',
  description: 'When true, the retirement job only logs the devices it would retire and changes nothing.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const deviceClassesProperty = Property({
  $id: Now.ID['property_device_classes'],
  name: APP_SETTINGS.deviceClasses,
  type: 'string',
  value: '',
  description: `JSON object mapping Kandji platforms (${PLATFORM_LIST}) to a CMDB class: cmdb_ci_computer, cmdb_ci_handheld_computing or cmdb_ci_media_player. Empty = every device a computer. Example: {"iPhone":"cmdb_ci_handheld_computing","iPad":"cmdb_ci_handheld_computing","AppleTV":"cmdb_ci_media_player"}.`,
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const userMatchProperty = Property({
  $id: Now.ID['property_user_match'],
  name: APP_SETTINGS.userMatch,
  type: 'string',
  value: 'email',
  description: "How a device's user is matched to a user record for assigned_to: email, user_name, or off. The outcome is recorded on the MDM row (user_match).",
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

/** The one entry point to the device logic (src/server/devices/) for non-module scripts. */
export const kandjiDevices = ScriptInclude({
  $id: Now.ID['script_include_kandji_devices'],
  name: DEVICES_SCRIPT_INCLUDE,
  apiName: `${APP.scope}.${DEVICES_SCRIPT_INCLUDE}`,
  accessibleFrom: 'package_private',
  active: true,
  description: 'Retires Kandji devices Iru Endpoint has not pushed for the configured number of days; used by the retirement job.',
  script: devicesScriptInclude,
})

// No ScheduledScript API in SDK 4.9.0 that this app uses; a generic Record on sysauto_script, as for the fix script.
export const retirementJob = Record({
  $id: Now.ID['retirement_job'],
  table: 'sysauto_script',
  data: {
    name: RETIREMENT_JOB.name,
    active: true,
    run_type: 'daily',
    run_time: '1970-01-01 03:00:00',
    script: retirementJobScript,
  },
})
