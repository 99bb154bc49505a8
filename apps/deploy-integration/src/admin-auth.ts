// The admin's sign-in method (audit item 19) as the client's AuthConfig.
import { adminSignInMethod, type AdminAuth } from '@kandji-sn/contract'
import type { AuthConfig } from '@kandji-sn/servicenow-client'

/** The client auth for validated admin credentials (contract adminAuthSchema guarantees the fields of its method). */
export function adminClientAuth(a: AdminAuth): AuthConfig {
  const missing = (field: string): never => {
    throw new Error(`internal: admin credentials without ${field} passed validation`)
  }
  switch (adminSignInMethod(a)) {
    case 'bearer':
      return { type: 'bearer', token: a.token ?? missing('token') }
    case 'apikey':
      return { type: 'apikey', key: a.apiKey ?? missing('apiKey') }
    case 'client_credentials':
      return { type: 'client_credentials', clientId: a.clientId ?? missing('clientId'), clientSecret: a.clientSecret ?? missing('clientSecret') }
    case 'password':
      return { type: 'password', clientId: a.clientId ?? missing('clientId'), clientSecret: a.clientSecret ?? missing('clientSecret'), user: a.user ?? missing('user'), password: a.password ?? missing('password') }
    case 'basic':
      return { type: 'basic', user: a.user ?? missing('user'), password: a.password ?? missing('password') }
  }
}
