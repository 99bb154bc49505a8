// The probe's experiments with its throw-away app x_kandj_probe (issue 20): the loader and install behaviours.
import { PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import type { SwitchProbe } from '../types.ts'
import { APP_SWITCHES, removeProbeApp, runAppExperiments } from './experiments.ts'
import { INSERT_MULTIPLE_TABLES, removeInsertMultipleSets } from './insert-multiple.ts'
import { findProbeApp, removeProbeImportSets } from './lifecycle.ts'
import { PROBE_APP } from './package.ts'

export const probeAppExperiment: SwitchProbe = {
  id: 'probe-app',
  switches: APP_SWITCHES,
  // The customer-style choice lives on sys_choice, outside the app; the insertMultiple rows are named in the app's tables
  // (a table that is gone, with the app, holds none).
  tables: [{ table: PLATFORM_TABLES.choice, nameField: 'value' }, ...INSERT_MULTIPLE_TABLES],
  run: (ctx) => runAppExperiments(ctx),
  async cleanup(ctx) {
    await removeProbeImportSets(ctx.admin)
    await removeInsertMultipleSets(ctx.admin)
    await removeProbeApp(ctx.admin)
    const left = await findProbeApp(ctx.admin)
    if (left) {
      throw new Error(
        `the probe app ${PROBE_APP.scope} (${left.table} ${left.sysId}) is still on the instance${left.active ? '' : ', inactive: its uninstall deactivated it instead of deleting it'}; ` +
          `remove it in System Applications > My Company Applications (it is a throw-away app with no data of yours)`,
      )
    }
  },
}

export const APP_PROBES: SwitchProbe[] = [probeAppExperiment]
export { PROBE_APP, probeAppZip } from './package.ts'
