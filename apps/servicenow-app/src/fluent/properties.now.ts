import '@servicenow/sdk/global'
import { Property } from '@servicenow/sdk/core'
import { APP_PROPERTIES, OAUTH_CLIENT, SERVICE_ACCOUNT } from '@kandji-sn/contract/constants'
import { adminRole, viewerRole } from './roles.now.ts'

export const serviceAccountProperty = Property({
  $id: Now.ID['property_service_account'],
  name: APP_PROPERTIES.serviceAccount,
  type: 'string',
  value: SERVICE_ACCOUNT.defaultUserName,
  description: 'User name of the account Iru Endpoint logs in as; GET verify checks this account.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const oauthClientProperty = Property({
  $id: Now.ID['property_oauth_client'],
  name: APP_PROPERTIES.oauthClient,
  type: 'string',
  value: OAUTH_CLIENT.defaultName,
  description: 'Name of the OAuth client (Application Registry) Iru Endpoint uses; GET verify checks this client.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})
