import { DISCOVERY_SOURCE, FIX_SCRIPT_NAME, PLATFORM_TABLES, repairPath } from '@kandji-sn/contract/constants'
import { appEndpointDenied } from './verification.ts'
import { repairResultSchema, type RepairResult } from '@kandji-sn/contract'
import { query, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import { CliError } from '../errors.ts'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import { isTrue, type StepPlan } from './types.ts'

/**
 * The `Kandji` choice on cmdb_ci.discovery_source: read-only here. Several rows can legitimately match (one per
 * language), so this is a list, not a natural-key lookup; the fix is the app's own repair (kandji_fix_script logic).
 */
export async function readDiscoverySource(admin: ServiceNowClient): Promise<TableRecord[]> {
  return admin.table.list(PLATFORM_TABLES.choice, {
    query: query().eq('name', DISCOVERY_SOURCE.table).eq('element', DISCOVERY_SOURCE.element).eq('value', DISCOVERY_SOURCE.value).toString(),
    fields: ['sys_id', 'value', 'label', 'language', 'inactive'],
  })
}

export function discoverySourcePresent(rows: readonly TableRecord[]): boolean {
  return rows.some((r) => !isTrue(r.inactive))
}

export function planDiscoverySource(rows: readonly TableRecord[], context: { appInstalledNow: boolean }): StepPlan {
  const plan: StepPlan = { step: 'discovery-source', object: `discovery source "${DISCOVERY_SOURCE.value}"`, changes: [], notes: [], warnings: [] }
  if (discoverySourcePresent(rows)) return plan
  plan.changes.push({
    step: 'discovery-source',
    action: 'repair',
    key: `sys_choice name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}`,
    fields: [{ field: 'choice', from: rows.length > 0 ? 'inactive' : undefined, to: DISCOVERY_SOURCE.value }],
    reason: context.appInstalledNow ? `missing: POST ${repairPath} (the logic of ${FIX_SCRIPT_NAME})` : `missing until the app is installed; repaired with POST ${repairPath} if the install does not add it`,
  })
  return plan
}

/** Runs the app's repair endpoint (same logic as kandji_fix_script) and checks the choice is there afterwards. */
export async function repairDiscoverySource(admin: ServiceNowClient): Promise<RepairResult> {
  const raw = await admin.rest.post<unknown>(repairPath, {}).catch((error: unknown) => {
    throw appEndpointDenied(error, 'repair') ?? error
  })
  const parsed = repairResultSchema.safeParse(raw)
  if (!parsed.success) {
    throw new CliError(
      EXIT_CODES.instance,
      `the repair endpoint ${repairPath} answered in an unexpected shape`,
      'the installed app is older or newer than this CLI expects',
      'install the matching app version (deploy --app-source package), then re-run',
    )
  }
  if (!discoverySourcePresent(await readDiscoverySource(admin))) {
    throw new CliError(
      EXIT_CODES.instance,
      `the repair ran but "${DISCOVERY_SOURCE.value}" is still not a ${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element} choice`,
      `the repair failed on the instance: ${parsed.data.actions.filter((a) => a.action === 'failed').map((a) => `${a.target}: ${a.detail}`).join('; ') || 'no action reported a failure'}`,
      `run the fix script ${FIX_SCRIPT_NAME} by hand (System Definition > Fix Scripts) and check System Logs for errors`,
    )
  }
  return parsed.data
}
