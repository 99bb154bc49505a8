// propertyNameUnique: whether the instance keeps sys_properties.name unique, which the instance lock (DEPLOY_LOCK)
// must not rely on. ServiceNowDocs platform-administration/t_RequiringUniqueValuesForAField.md: "By default, fields
// are created without this constraint"; a field is unique only when its dictionary entry says so. Two throw-away
// properties with one name: the second is stored (not unique) or refused (unique).
import { PLATFORM_TABLES, PROBE } from '@kandji-sn/contract/constants'
import type { ProbeContext, SwitchProbe } from '../types.ts'
import { checkAborted, send } from '../evidence.ts'
import { couldNotTell, observed } from '../outcome.ts'

export const UNIQUE_PROPERTY = `${PROBE.namePrefix}unique_name`
const UNIQUE = /unique/i

async function createProperty(ctx: ProbeContext, attempt: number) {
  const created = await send(ctx.admin, {
    method: 'POST',
    path: `/api/now/v2/table/${PLATFORM_TABLES.property}`,
    query: { sysparm_fields: 'sys_id,name' },
    body: { name: UNIQUE_PROPERTY, value: String(attempt), type: 'string', description: 'deploy-integration probe: removed when the probe ends' },
  }, attempt === 1 ? 'the first property of this name' : 'a second property of the same name')
  const row = (created.answer.body as { result?: Record<string, unknown> } | undefined)?.result
  const sysId = typeof row?.sys_id === 'string' ? row.sys_id : undefined
  if (sysId) ctx.created(PLATFORM_TABLES.property, sysId, UNIQUE_PROPERTY)
  return { ...created, sysId }
}

export const propertyUniqueProbe: SwitchProbe = {
  id: 'property-name-unique',
  switches: ['propertyNameUnique'],
  tables: [{ table: PLATFORM_TABLES.property, nameField: 'name' }],
  async run(ctx) {
    const first = await createProperty(ctx, 1)
    checkAborted(ctx.signal)
    if (first.answer.status !== 201 || !first.sysId) {
      return { propertyNameUnique: couldNotTell(`the first throw-away property could not be created (${first.answer.status})`, [first.evidence]) }
    }
    const second = await createProperty(ctx, 2)
    const evidence = [first.evidence, second.evidence]
    if (second.answer.status === 201 && second.sysId) return { propertyNameUnique: observed('propertyNameUnique', false, evidence) }
    if ((second.answer.status === 403 || second.answer.status === 400) && UNIQUE.test(`${second.answer.message ?? ''} ${second.answer.detail ?? ''}`)) {
      return { propertyNameUnique: observed('propertyNameUnique', true, evidence) }
    }
    return { propertyNameUnique: couldNotTell(`the second property of one name was refused (${second.answer.status}) for a reason that does not name uniqueness`, evidence) }
  },
}
