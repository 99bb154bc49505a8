import '@servicenow/sdk/global'
import { Role } from '@servicenow/sdk/core'
import { APP_ROLES } from '@kandji-sn/contract/constants'

/** May read the integration's health (GET verify) and the MDM table. */
export const viewerRole = Role({
  name: APP_ROLES.viewer,
  description: 'Reads the Kandji integration health report and the Kandji MDM table',
})

/** Everything the viewer may do, plus repair and the staging tables. */
export const adminRole = Role({
  name: APP_ROLES.admin,
  description: 'Administers the Kandji integration: repair, staging tables, and everything the viewer may do',
  containsRoles: [viewerRole],
})
