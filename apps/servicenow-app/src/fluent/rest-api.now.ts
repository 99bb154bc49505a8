import '@servicenow/sdk/global'
import { RestApi } from '@servicenow/sdk/core'
import { REST_API } from '@kandji-sn/contract/constants'
import { importStatus, repair, status, verify } from '../server/entry/rest.ts'
import { importStatusAcl, repairAcl, statusAcl, verifyAcl } from './acls.now.ts'

// /api/x_kandj_kandji/integration/{verify,repair,status,import_sets/{sys_id}}. Routes keep the SDK defaults: authentication and ACL
// authorization required, and the caller needs snc_internal (every real user gets it; findings c).
export const integrationApi = RestApi({
  $id: Now.ID['rest_api_integration'],
  name: REST_API.name,
  serviceId: REST_API.serviceId,
  consumes: 'application/json',
  produces: 'application/json',
  enforceAcl: [verifyAcl],
  routes: [
    {
      $id: Now.ID['rest_route_import_status'],
      name: REST_API.routes.importStatus.name,
      path: REST_API.routes.importStatus.path,
      method: REST_API.routes.importStatus.method,
      script: importStatus,
      enforceAcl: [importStatusAcl],
    },
    {
      $id: Now.ID['rest_route_verify'],
      name: REST_API.routes.verify.name,
      path: REST_API.routes.verify.path,
      method: REST_API.routes.verify.method,
      script: verify,
      enforceAcl: [verifyAcl],
    },
    {
      $id: Now.ID['rest_route_status'],
      name: REST_API.routes.status.name,
      path: REST_API.routes.status.path,
      method: REST_API.routes.status.method,
      script: status,
      enforceAcl: [statusAcl],
    },
    {
      $id: Now.ID['rest_route_repair'],
      name: REST_API.routes.repair.name,
      path: REST_API.routes.repair.path,
      method: REST_API.routes.repair.method,
      script: repair,
      enforceAcl: [repairAcl],
    },
  ],
})
