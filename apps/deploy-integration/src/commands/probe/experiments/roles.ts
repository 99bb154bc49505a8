// Role containment (emulator README Assumption 1, tools/instance-emulator/src/db/fixtures/role-containment.ts): what
// each of the service-account roles (SERVICE_ACCOUNT_ROLES) contains, read from sys_user_role_contains (the roles a
// user granted the role inherits). Reads only. The profile's `roles` section carries it; startEmulator({ profile })
// seeds it in place of the fixture's guess.
import { PLATFORM_TABLES, SERVICE_ACCOUNT_ROLES } from '@kandji-sn/contract/constants'
import { ROLE_NAME, type RoleObservation } from '@kandji-sn/contract'
import { query } from '@kandji-sn/servicenow-client'
import { checkAborted, recordsOf, send } from '../evidence.ts'
import type { ProbeContext, SwitchProbe } from '../types.ts'

const ROLES: readonly string[] = SERVICE_ACCOUNT_ROLES

/** Reads what each service-account role contains; each role's finding goes to ctx.role. */
export async function readRoleContainment(ctx: ProbeContext): Promise<Record<string, RoleObservation>> {
  const exists = await send(ctx.admin, {
    method: 'GET',
    path: `/api/now/v2/table/${PLATFORM_TABLES.role}`,
    query: { sysparm_query: query().in('name', ROLES).toString(), sysparm_fields: 'name' },
  })
  checkAborted(ctx.signal)
  const links = await send(ctx.admin, {
    method: 'GET',
    path: `/api/now/v2/table/${PLATFORM_TABLES.roleContains}`,
    query: { sysparm_query: query().in('role.name', ROLES).toString(), sysparm_fields: 'role.name,contains.name' },
  })
  const found = new Set(recordsOf(exists.answer).map((r) => String(r.name ?? '')))
  const rows = recordsOf(links.answer).map((r) => ({ role: String(r['role.name'] ?? ''), contains: String(r['contains.name'] ?? '') }))
  const result: Record<string, RoleObservation> = {}
  for (const role of ROLES) {
    const contains = [...new Set(rows.filter((r) => r.role === role).map((r) => r.contains))].sort()
    const evidence = [exists.evidence, { ...links.evidence, answer: `${links.evidence.answer} ${role}: ${contains.join(', ') || '(nothing)'}` }]
    let observation: RoleObservation
    if (exists.answer.status !== 200 || links.answer.status !== 200) {
      observation = { outcome: 'could-not-tell', reason: `the roles could not be read (${PLATFORM_TABLES.role} ${exists.answer.status}, ${PLATFORM_TABLES.roleContains} ${links.answer.status})`, evidence }
    } else if (!found.has(role)) {
      observation = { outcome: 'could-not-tell', reason: `the instance has no role ${role}`, evidence }
    } else if (contains.some((c) => !ROLE_NAME.test(c))) {
      observation = { outcome: 'could-not-tell', reason: `${role} contains a role whose name could not be read (${PLATFORM_TABLES.roleContains} contains.name)`, evidence }
    } else {
      observation = { outcome: 'observed', contains, evidence }
    }
    result[role] = observation
    ctx.role?.(role, observation)
  }
  return result
}

export const rolesProbe: SwitchProbe = {
  id: 'role-containment',
  switches: [],
  tables: [],
  async run(ctx) {
    await readRoleContainment(ctx)
    return {}
  },
}
