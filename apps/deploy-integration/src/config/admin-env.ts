import { ENV } from '@kandji-sn/contract/constants'

/** The variables holding the admin's credentials: SN_ADMIN_*, or a fleet entry's adminEnvPrefix ones. */
export interface AdminEnvNames {
  user: string
  password: string
  clientId: string
  clientSecret: string
  token: string
  apiKey: string
}

/** ACME -> ACME_USER, ACME_PASSWORD, ACME_CLIENT_ID, ACME_CLIENT_SECRET, ACME_TOKEN, ACME_API_KEY (a fleet entry's adminEnvPrefix). */
export function adminEnvNames(prefix: string): AdminEnvNames {
  return { user: `${prefix}_USER`, password: `${prefix}_PASSWORD`, clientId: `${prefix}_CLIENT_ID`, clientSecret: `${prefix}_CLIENT_SECRET`, token: `${prefix}_TOKEN`, apiKey: `${prefix}_API_KEY` }
}

export const DEFAULT_ADMIN_ENV: AdminEnvNames = {
  user: ENV.adminUser,
  password: ENV.adminPassword,
  clientId: ENV.adminClientId,
  clientSecret: ENV.adminClientSecret,
  token: ENV.adminToken,
  apiKey: ENV.adminApiKey,
}
