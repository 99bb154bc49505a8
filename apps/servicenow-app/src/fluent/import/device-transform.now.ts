import '@servicenow/sdk/global'
import { ImportSet } from '@servicenow/sdk/core'
import { TABLES, TRANSFORM_MAPS } from '@kandji-sn/contract/constants'
import { deviceOnBefore } from '../bridges.ts'

// Staging row -> IRE (cmdb_ci_computer, identified by serial number, discovery source Kandji) -> MDM row.
// The target is the app's MDM table, coalesced on serial number, so each device has one MDM row. The CI itself
// is written only by IRE in the onBefore script (src/server/import/device-transform.ts), never by this map,
// which keeps IRE's identification and reconciliation rules in charge of the CMDB.
export const deviceTransform = ImportSet({
  $id: Now.ID['transform_device'],
  name: TRANSFORM_MAPS.device,
  sourceTable: TABLES.deviceImport,
  targetTable: TABLES.mdm,
  active: true,
  runBusinessRules: true,
  enforceMandatoryFields: 'no',
  copyEmptyFields: false,
  createOnEmptyCoalesce: false,
  runScript: false,
  fields: {
    serial_number: { sourceField: 'serial_number', coalesce: true, coalesceCaseSensitive: false },
  },
  scripts: [
    {
      $id: Now.ID['transform_device_on_before'],
      when: 'onBefore',
      order: 100,
      script: deviceOnBefore,
    },
  ],
})
