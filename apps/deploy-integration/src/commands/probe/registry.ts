// Every experiment the probe runs, in order: the Table-API ones (experiments/), then those that need a throw-away
// app install (app/, APP_PROBES).
import { APP_PROBES } from './app/index.ts'
import { accountsProbe } from './experiments/accounts.ts'
import { oauthDefaultsProbe } from './experiments/oauth-defaults.ts'
import { platformProbe } from './experiments/platform.ts'
import { propertyUniqueProbe } from './experiments/property-unique.ts'
import { rolesProbe } from './experiments/roles.ts'
import { tableApiProbe } from './experiments/table-api.ts'
import { uiSessionProbe } from './experiments/ui-session.ts'
import type { SwitchProbe } from './types.ts'

/** The experiments that settle their switches (and the roles' containment) through the Table API and the sign-in endpoints alone. */
export const TABLE_API_PROBES: readonly SwitchProbe[] = [tableApiProbe, platformProbe, propertyUniqueProbe, uiSessionProbe, oauthDefaultsProbe, accountsProbe, rolesProbe]

export const PROBES: readonly SwitchProbe[] = [...TABLE_API_PROBES, ...APP_PROBES]
