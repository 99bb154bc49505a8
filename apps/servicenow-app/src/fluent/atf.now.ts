import '@servicenow/sdk/global'
import { Test } from '@servicenow/sdk/core'
import { APP, CI_LIFECYCLE, DISCOVERY_SOURCE, HEALTH_RUN, HEALTH_STATUSES, MDM_FIELDS, PLATFORM_TABLES, TABLES, USER_MATCH_OUTCOMES, repairPath, statusPath, verifyPath } from '@kandji-sn/contract/constants'
import { healthModule } from './bridges.ts'

// ATF runs on non-production instances with ATF enabled. The REST steps use the SDK default (basic auth with
// the test runner's profile); whether an instance needs a sys_auth_profile_basic is open (findings g, §6.5).

// Inside a Test body the SDK reads any non-literal expression as a reference to an earlier step's output
// (TS211), so every computed value is a top-level constant here.
const ATF_SERIAL = 'ATFKANDJI0001'
const APP_SCOPE = APP.scope
const CHOICE_ACTIVE_QUERY = `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}^inactive=false`
const IMPORT_PATH = `/api/now/import/${TABLES.deviceImport}`
const DEVICE_BODY = `{"device_id":"atf-kandji-device-1","serial_number":"${ATF_SERIAL}","device_name":"ATF Kandji Mac","platform":"Mac","os_version":"15.1","model":"MacBook Pro (14-inch, 2023)","last_check_in":"2025-01-02T03:04:05Z","mdm_enabled":"true"}`
const CI_QUERY = `serial_number=${ATF_SERIAL}^${DISCOVERY_SOURCE.element}=${DISCOVERY_SOURCE.value}`
const MDM_QUERY = `serial_number=${ATF_SERIAL}^ciISNOTEMPTY`
const MDM_TABLE = TABLES.mdm
const CHOICE_TABLE = PLATFORM_TABLES.choice
const COMPUTER_TABLE = PLATFORM_TABLES.computer
const ATF_REMOVED_SERIAL = 'ATFKANDJI0002'
const REMOVED_BODY = `{"device_id":"atf-kandji-device-3","serial_number":"${ATF_REMOVED_SERIAL}","device_name":"ATF Kandji removed Mac","platform":"Mac","is_removed":"true"}`
const RETIRED_CI_QUERY = `serial_number=${ATF_REMOVED_SERIAL}^install_status=${CI_LIFECYCLE.retiredInstallStatus}^operational_status=${CI_LIFECYCLE.retiredOperationalStatus}`
const NO_USER = USER_MATCH_OUTCOMES[2]
const RETIRED_MDM_QUERY = `serial_number=${ATF_REMOVED_SERIAL}^${MDM_FIELDS.retiredReason}ISNOTEMPTY^${MDM_FIELDS.lastPushed}ISNOTEMPTY^${MDM_FIELDS.userMatch}=${NO_USER}`
const HARDWARE_TABLE = PLATFORM_TABLES.hardware
const HEALTH_TABLE = HEALTH_RUN.table
const HEALTH_STATUS_QUERY = `${HEALTH_RUN.fields.status}IN${HEALTH_STATUSES.join(',')}`
const HEALTH_STATUSES_JSON = JSON.stringify(HEALTH_STATUSES)
// The documented template of a "Run Server Side Script" step: return false fails the step. A run is skipped while the
// last one is younger than the interval property; then the newest recorded run must carry a known status.
const HEALTH_SCRIPT = `(function (outputs, steps, params, stepResult, assertEqual) {
    var outcome = require('${healthModule}').runHealth();
    stepResult.setOutputMessage(JSON.stringify(outcome));
    if (outcome.ran) return outcome.sysId !== '' && ${HEALTH_STATUSES_JSON}.indexOf(outcome.status) >= 0;
    return outcome.reason.indexOf('minutes old') >= 0;
})(outputs, steps, params, stepResult, assertEqual);`

export const verifyTest = Test(
  {
    $id: Now.ID['atf_verify'],
    name: 'Kandji - GET verify returns a report with every check',
    description: `Calls GET ${verifyPath} and checks the report's shape and app scope.`,
    active: true,
    failOnServerError: true,
  },
  (atf) => {
    atf.rest.sendRestRequest({ $id: Now.ID['atf_verify_send'], path: verifyPath, method: 'get', headers: { Accept: 'application/json' } })
    atf.rest.assertStatusCode({ $id: Now.ID['atf_verify_status'], operation: 'equals', statusCode: 200 })
    atf.rest.assertJsonResponsePayloadElement({ $id: Now.ID['atf_verify_scope'], elementName: '/result/app/scope', operation: 'equals', elementValue: APP_SCOPE })
    atf.rest.assertJsonResponsePayloadElement({ $id: Now.ID['atf_verify_checks'], elementName: '/result/checks', operation: 'exists', elementValue: '' })
    atf.rest.assertJsonResponsePayloadElement({ $id: Now.ID['atf_verify_status_field'], elementName: '/result/status', operation: 'exists', elementValue: '' })
  },
)

export const statusTest = Test(
  {
    $id: Now.ID['atf_status'],
    name: 'Kandji - GET status returns the integration figures',
    description: `Calls GET ${statusPath} and checks that every section of the status is there.`,
    active: true,
    failOnServerError: true,
  },
  (atf) => {
    atf.rest.sendRestRequest({ $id: Now.ID['atf_status_send'], path: statusPath, method: 'get', headers: { Accept: 'application/json' } })
    atf.rest.assertStatusCode({ $id: Now.ID['atf_status_status'], operation: 'equals', statusCode: 200 })
    atf.rest.assertJsonResponsePayloadElement({ $id: Now.ID['atf_status_generated'], elementName: '/result/generated_at', operation: 'exists', elementValue: '' })
    atf.rest.assertJsonResponsePayloadElement({ $id: Now.ID['atf_status_imports'], elementName: '/result/imports', operation: 'exists', elementValue: '' })
    atf.rest.assertJsonResponsePayloadElement({ $id: Now.ID['atf_status_cis'], elementName: '/result/cis/by_class', operation: 'exists', elementValue: '' })
    atf.rest.assertJsonResponsePayloadElement({ $id: Now.ID['atf_status_health'], elementName: '/result/health/available', operation: 'exists', elementValue: '' })
  },
)

export const repairTest = Test(
  {
    $id: Now.ID['atf_repair'],
    name: 'Kandji - POST repair leaves an active Kandji discovery source',
    description: `Calls POST ${repairPath} and checks the choice ${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element}=${DISCOVERY_SOURCE.value} is active.`,
    active: true,
    failOnServerError: true,
  },
  (atf) => {
    atf.rest.sendRestRequest({ $id: Now.ID['atf_repair_send'], path: repairPath, method: 'post', body: '{}', headers: { Accept: 'application/json', 'Content-Type': 'application/json' } })
    atf.rest.assertStatusCode({ $id: Now.ID['atf_repair_status'], operation: 'equals', statusCode: 200 })
    atf.rest.assertJsonResponsePayloadElement({ $id: Now.ID['atf_repair_changed'], elementName: '/result/changed', operation: 'exists', elementValue: '' })
    atf.server.recordQuery({
      $id: Now.ID['atf_repair_choice'],
      table: CHOICE_TABLE,
      fieldValues: CHOICE_ACTIVE_QUERY,
      assert: 'records_match_query',
    })
  },
)

export const deviceImportTest = Test(
  {
    $id: Now.ID['atf_device_import'],
    name: 'Kandji - a device import lands in the CMDB through IRE and in the MDM table',
    description: `Posts one device to /api/now/import/${TABLES.deviceImport}, then finds its computer CI (discovery source ${DISCOVERY_SOURCE.value}) and MDM row; a row without a serial number is rejected (ignored with the reason), never in error.`,
    active: true,
    failOnServerError: true,
  },
  (atf) => {
    atf.rest.sendRestRequest({
      $id: Now.ID['atf_import_send'],
      path: IMPORT_PATH,
      method: 'post',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: DEVICE_BODY,
    })
    atf.rest.assertStatusCode({ $id: Now.ID['atf_import_status'], operation: 'equals', statusCode: 201 })
    atf.server.recordQuery({
      $id: Now.ID['atf_import_ci'],
      table: COMPUTER_TABLE,
      fieldValues: CI_QUERY,
      assert: 'records_match_query',
    })
    atf.server.recordQuery({
      $id: Now.ID['atf_import_mdm'],
      table: MDM_TABLE,
      fieldValues: MDM_QUERY,
      assert: 'records_match_query',
    })
    atf.rest.sendRestRequest({
      $id: Now.ID['atf_import_no_serial_send'],
      path: IMPORT_PATH,
      method: 'post',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: '{"device_id":"atf-kandji-device-2","device_name":"ATF Kandji Mac without serial"}',
    })
    atf.rest.assertJsonResponsePayloadElement({ $id: Now.ID['atf_import_no_serial_error'], elementName: '/result/0/status', operation: 'equals', elementValue: 'ignored' })
  },
)

export const removedDeviceTest = Test(
  {
    $id: Now.ID['atf_removed_device'],
    name: 'Kandji - a device sent with is_removed true is retired at once, never deleted',
    description: `Posts one device with is_removed true to /api/now/import/${TABLES.deviceImport}, then finds its CI with install_status and operational_status Retired and its MDM row with the reason, last_pushed and the user match outcome.`,
    active: true,
    failOnServerError: true,
  },
  (atf) => {
    atf.rest.sendRestRequest({
      $id: Now.ID['atf_removed_send'],
      path: IMPORT_PATH,
      method: 'post',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: REMOVED_BODY,
    })
    atf.rest.assertStatusCode({ $id: Now.ID['atf_removed_status'], operation: 'equals', statusCode: 201 })
    atf.server.recordQuery({ $id: Now.ID['atf_removed_ci'], table: HARDWARE_TABLE, fieldValues: RETIRED_CI_QUERY, assert: 'records_match_query' })
    atf.server.recordQuery({ $id: Now.ID['atf_removed_mdm'], table: MDM_TABLE, fieldValues: RETIRED_MDM_QUERY, assert: 'records_match_query' })
  },
)

export const healthMonitorTest = Test(
  {
    $id: Now.ID['atf_health_monitor'],
    name: 'Kandji - the health monitor records a run',
    description: `Runs the health monitor's job script, then checks its outcome and finds a recorded run in ${HEALTH_RUN.table} with a status of ${HEALTH_STATUSES.join(' or ')}.`,
    active: true,
    failOnServerError: true,
  },
  (atf) => {
    atf.server.runServerSideScript({ $id: Now.ID['atf_health_run'], script: HEALTH_SCRIPT })
    atf.server.recordQuery({ $id: Now.ID['atf_health_recorded'], table: HEALTH_TABLE, fieldValues: HEALTH_STATUS_QUERY, assert: 'records_match_query' })
  },
)
