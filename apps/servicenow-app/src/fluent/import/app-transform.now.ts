import '@servicenow/sdk/global'
import { ImportSet } from '@servicenow/sdk/core'
import { PLATFORM_TABLES, TABLES, TRANSFORM_MAPS } from '@kandji-sn/contract/constants'
import { appOnBefore } from '../bridges.ts'

// Application inventory -> SAM Pro software installs, one per (computer, name, version). installed_on is
// resolved from the serial number against the CI (referenceValueField) and never created from here
// (choiceAction 'reject'). Without SAM Pro the onBefore script skips every row with a clear status.
export const appTransform = ImportSet({
  $id: Now.ID['transform_app'],
  name: TRANSFORM_MAPS.app,
  sourceTable: TABLES.appImport,
  targetTable: PLATFORM_TABLES.softwareInstall,
  active: true,
  runBusinessRules: true,
  enforceMandatoryFields: 'no',
  copyEmptyFields: false,
  runScript: false,
  fields: {
    installed_on: { sourceField: 'serial_number', coalesce: true, referenceValueField: 'serial_number', choiceAction: 'reject' },
    display_name: { sourceField: 'app_name', coalesce: true },
    version: { sourceField: 'version', coalesce: true },
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
