// Every experiment the probe runs, in order. The experiments that need a throw-away app install live in ./app/ and
// join this list (APP_PROBES) once they exist: the lead adds them here.
import { accountsProbe } from './experiments/accounts.ts'
import { oauthDefaultsProbe } from './experiments/oauth-defaults.ts'
import { platformProbe } from './experiments/platform.ts'
import { tableApiProbe } from './experiments/table-api.ts'
import { uiSessionProbe } from './experiments/ui-session.ts'
import type { SwitchProbe } from './types.ts'

export const PROBES: readonly SwitchProbe[] = [tableApiProbe, platformProbe, uiSessionProbe, oauthDefaultsProbe, accountsProbe]
