import '@servicenow/sdk/global'
import { ImportSet } from '@servicenow/sdk/core'
import { TABLES, TRANSFORM_MAPS } from '@kandji-sn/contract/constants'
import { appOnBefore } from '../bridges.ts'

// Application inventory -> IRE (the computer with its software installation as a related item, SAM's documented
// way) -> the app's software table, one row per (serial number, application, version). The onBefore script
// (src/server/import/app-transform.ts) calls IRE and fills ci and software_install; without SAM every row is
// skipped with a clear status. The target is the app's own table, so coalesce works whether SAM is active or not.
export const appTransform = ImportSet({
  $id: Now.ID['transform_app'],
  name: TRANSFORM_MAPS.app,
  sourceTable: TABLES.appImport,
  targetTable: TABLES.software,
  active: true,
  runBusinessRules: true,
  enforceMandatoryFields: 'no',
  copyEmptyFields: false,
  createOnEmptyCoalesce: false,
  runScript: false,
  fields: {
    serial_number: { sourceField: 'serial_number', coalesce: true, coalesceCaseSensitive: false },
    app_name: { sourceField: 'app_name', coalesce: true },
    version: { sourceField: 'version', coalesce: true },
    device_id: { sourceField: 'device_id' },
    bundle_id: { sourceField: 'bundle_id' },
    publisher: { sourceField: 'publisher' },
  },
  scripts: [
    {
      $id: Now.ID['transform_app_on_before'],
      when: 'onBefore',
      order: 100,
      script: appOnBefore,
    },
  ],
})
