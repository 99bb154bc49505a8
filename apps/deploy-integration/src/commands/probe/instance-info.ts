// The release and patch level a profile was observed on, from the build properties (no host name: profiles are shared).
import type { EmulatorProfile } from '@kandji-sn/contract'
import { INSTANCE_PROPERTIES, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import { parseRelease } from '../../steps/preflight.ts'

/** `glide-zurich-07-01-2025__patch4-11-14-2025` -> `patch4`; `…__patch4-hotfix2-…` -> `patch4-hotfix2`. */
export function patchOf(tag: string | undefined): string | null {
  const match = tag?.match(/__(patch\d+(?:[-_]hotfix\d+)?)/i)
  return match?.[1]?.toLowerCase() ?? null
}

export async function instanceInfo(admin: ServiceNowClient): Promise<EmulatorProfile['instance']> {
  const names = [INSTANCE_PROPERTIES.buildName, INSTANCE_PROPERTIES.buildTag, INSTANCE_PROPERTIES.war]
  const rows = await admin.table.list(PLATFORM_TABLES.property, { query: query().in('name', names).toString(), fields: ['name', 'value'] })
  const get = (name: string) => rows.find((r) => r.name === name)?.value || undefined
  const buildname = get(INSTANCE_PROPERTIES.buildName)
  const buildtag = get(INSTANCE_PROPERTIES.buildTag)
  const war = get(INSTANCE_PROPERTIES.war)
  return {
    release: parseRelease({ ...(buildname ? { buildname } : {}), ...(buildtag ? { buildtag } : {}), ...(war ? { war } : {}) }) ?? null,
    buildName: buildname ?? null,
    buildTag: buildtag ?? null,
    patch: patchOf(buildtag ?? war),
  }
}
