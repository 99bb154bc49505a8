import '@servicenow/sdk/global'
import { Acl } from '@servicenow/sdk/core'
import { ACL_GRANTS, APP, REST_API, TABLES } from '@kandji-sn/contract/constants'
import { adminRole, viewerRole } from './roles.now.ts'

// Exactly the access issue 3 asks for, nothing wider and nothing anonymous. Admins keep admin_overrides
// (the SDK default). Server-side GlideRecord in the transforms is not subject to these ACLs.

/** GET verify: viewer or admin (admin contains viewer; listed for clarity). */
export const verifyAcl = Acl({
  $id: Now.ID['acl_rest_verify'],
  type: 'rest_endpoint',
  name: `${APP.scope}.${REST_API.serviceId}.${REST_API.routes.verify.name}`,
  operation: 'execute',
  roles: [viewerRole, adminRole],
  description: 'Who may read the Kandji integration health report',
})

/** GET status: viewer or admin, like verify. */
export const statusAcl = Acl({
  $id: Now.ID['acl_rest_status'],
  type: 'rest_endpoint',
  name: `${APP.scope}.${REST_API.serviceId}.${REST_API.routes.status.name}`,
  operation: 'execute',
  roles: [viewerRole, adminRole],
  description: 'Who may read the Kandji integration status (last push, rows by state, CIs, health runs)',
})

/** POST repair: admin only. */
export const repairAcl = Acl({
  $id: Now.ID['acl_rest_repair'],
  type: 'rest_endpoint',
  name: `${APP.scope}.${REST_API.serviceId}.${REST_API.routes.repair.name}`,
  operation: 'execute',
  roles: [adminRole],
  description: 'Who may repair the Kandji discovery source',
})

/** Iru Endpoint's service account (import_transformer) inserts staging rows through the Import Set API. */
export const deviceImportCreateAcl = Acl({
  $id: Now.ID['acl_device_import_create'],
  type: 'record',
  table: TABLES.deviceImport,
  operation: 'create',
  roles: [ACL_GRANTS.stagingCreate, adminRole],
})

export const appImportCreateAcl = Acl({
  $id: Now.ID['acl_app_import_create'],
  type: 'record',
  table: TABLES.appImport,
  operation: 'create',
  roles: [ACL_GRANTS.stagingCreate, adminRole],
})

/** Admins read staging rows (the "Device imports" menu shows rows in error with their message). */
export const deviceImportReadAcl = Acl({
  $id: Now.ID['acl_device_import_read'],
  type: 'record',
  table: TABLES.deviceImport,
  operation: 'read',
  roles: [adminRole],
})

export const appImportReadAcl = Acl({
  $id: Now.ID['acl_app_import_read'],
  type: 'record',
  table: TABLES.appImport,
  operation: 'read',
  roles: [adminRole],
})

/** The MDM table: read for CMDB readers and the app's viewer (and so admin). Only the transform writes it. */
export const mdmReadAcl = Acl({
  $id: Now.ID['acl_mdm_read'],
  type: 'record',
  table: TABLES.mdm,
  operation: 'read',
  roles: [ACL_GRANTS.mdmRead, viewerRole],
})

/** The software table: read like the MDM table. Only the transform writes it. */
export const softwareReadAcl = Acl({
  $id: Now.ID['acl_software_read'],
  type: 'record',
  table: TABLES.software,
  operation: 'read',
  roles: [ACL_GRANTS.mdmRead, viewerRole],
})

/**
 * GET import status: the service account that pushed (import_transformer; it may not read the staging rows or
 * sys_import_set_run itself), the app's viewer and admin.
 */
export const importStatusAcl = Acl({
  $id: Now.ID['acl_rest_import_status'],
  type: 'rest_endpoint',
  name: `${APP.scope}.${REST_API.serviceId}.${REST_API.routes.importStatus.name}`,
  operation: 'execute',
  roles: [ACL_GRANTS.stagingCreate, viewerRole, adminRole],
  description: 'Who may read the outcome of an import set pushed to the Kandji staging tables',
})
