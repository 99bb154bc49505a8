import '@servicenow/sdk/global'
import { Record } from '@servicenow/sdk/core'
import { REST_INSERT_MULTIPLE, TABLES } from '@kandji-sn/contract/constants'

// insertMultiple maps a pushed row's keys by column label unless the staging table has a Rest Insert Multiples
// [sys_rest_insert_multiple] record with Column mapping "Column name" (c_ImportSetAPI.md); Iru Endpoint's rows
// are keyed by column name, so without these records they would land empty. The transform stays asynchronous
// (the platform default): the outcome is read from the import status endpoint, not the HTTP answer.
// The field names are literal because the SDK cannot evaluate computed keys; test/built-app.test.ts checks them
// against the contract's REST_INSERT_MULTIPLE.
export const deviceInsertMultiple = Record({
  $id: Now.ID['insert_multiple_device'],
  table: REST_INSERT_MULTIPLE.table,
  data: {
    source_table: TABLES.deviceImport,
    column_mapping: REST_INSERT_MULTIPLE.columnNameValue,
  },
})

export const appInsertMultiple = Record({
  $id: Now.ID['insert_multiple_app'],
  table: REST_INSERT_MULTIPLE.table,
  data: {
    source_table: TABLES.appImport,
    column_mapping: REST_INSERT_MULTIPLE.columnNameValue,
  },
})
