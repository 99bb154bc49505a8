import '@servicenow/sdk/global'
import { Record } from '@servicenow/sdk/core'
import { DISCOVERY_SOURCE, PLATFORM_TABLES } from '@kandji-sn/contract/constants'

// One sys_choice row, not a ChoiceSet: a ChoiceSet on cmdb_ci (a global table) fails the build and would own the
// whole choice list (fluent-sdk-findings e). This adds the Kandji option and leaves the others alone.
export const discoverySourceChoice = Record({
  $id: Now.ID['discovery_source_choice'],
  table: PLATFORM_TABLES.choice,
  data: {
    name: DISCOVERY_SOURCE.table,
    element: DISCOVERY_SOURCE.element,
    value: DISCOVERY_SOURCE.value,
    label: DISCOVERY_SOURCE.label,
    language: DISCOVERY_SOURCE.language,
    sequence: DISCOVERY_SOURCE.sequence,
    inactive: false,
  },
})
