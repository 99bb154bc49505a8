// Role containment: the probe reads what each service-account role contains (sys_user_role_contains) and writes it to
// the profile's `roles`; an emulator started with that profile contains the same, so a second probe reads it again.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PLATFORM_TABLES, PROFILE_FORMAT, SERVICE_ACCOUNT_ROLES, type EmulatorProfile } from '@kandji-sn/contract'
import type { EmulatorOptions } from '@kandji-sn/instance-emulator'
import { pdi, probeObjects, readProfile, runProbe } from './support.ts'

type Containment = Record<string, string[]>

/** A profile that observed only `roles` (every switch left to the emulator's default). */
function rolesProfile(roles: Containment): EmulatorProfile {
  const evidence = [{ request: 'synthetic', status: null, answer: 'synthetic' }]
  return {
    format: PROFILE_FORMAT,
    probedAt: new Date(0).toISOString(),
    tool: { name: 'roles.test.ts (synthetic)', version: '0' },
    instance: { release: 'Zurich', buildName: 'Zurich', buildTag: null, patch: null },
    switches: {},
    roles: Object.fromEntries(Object.entries(roles).map(([name, contains]) => [name, { outcome: 'observed', contains, evidence }])),
  }
}

async function probeRoles(options: EmulatorOptions, change?: (e: Awaited<ReturnType<typeof pdi>>) => void) {
  const emulator = await pdi(options)
  try {
    change?.(emulator)
    const run = await runProbe(emulator, mkdtempSync(join(tmpdir(), 'probe-')))
    expect(run.code).toBe(0)
    expect(probeObjects(emulator)).toEqual([])
    const profile = readProfile(run.out)
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('  role '))
    return { roles: profile.roles ?? {}, lines, out: run.out }
  } finally {
    await emulator.close()
  }
}

const contains = (roles: NonNullable<EmulatorProfile['roles']>) => Object.fromEntries(Object.entries(roles).map(([n, o]) => [n, o.outcome === 'observed' ? o.contains : `could-not-tell: ${o.reason}`]))

describe('role containment', () => {
  it("the emulator's fixture: each service-account role and exactly what it contains, with the request as evidence", async () => {
    const { roles, lines } = await probeRoles({})
    expect(contains(roles)).toEqual({ cmdb_read: ['cmdb_query_builder_read'], import_transformer: ['import_set_loader'], rest_api_explorer: ['api_analytics_read'] })
    expect(Object.keys(roles)).toEqual([...SERVICE_ACCOUNT_ROLES])
    expect(roles.cmdb_read?.evidence).toEqual([
      { request: `GET /api/now/v2/table/${PLATFORM_TABLES.role}?sysparm_query=nameINcmdb_read,import_transformer,rest_api_explorer&sysparm_fields=name`, status: 200, answer: '200 {result: [3 records]}' },
      { request: `GET /api/now/v2/table/${PLATFORM_TABLES.roleContains}?sysparm_query=role.nameINcmdb_read,import_transformer,rest_api_explorer&sysparm_fields=role.name,contains.name`, status: 200, answer: '200 {result: [3 records]} cmdb_read: cmdb_query_builder_read' },
    ])
    expect(lines).toEqual(['  role cmdb_read contains: cmdb_query_builder_read', '  role import_transformer contains: import_set_loader', '  role rest_api_explorer contains: api_analytics_read'])
  })

  it.each<[string, Containment]>([
    ['nothing, two roles, and a role the base system lacks', { cmdb_read: [], import_transformer: ['import_set_loader', 'snc_internal'], rest_api_explorer: ['sn_probe_only_role'] }],
    ['the documented import roles, and itil', { cmdb_read: ['cmdb_query_builder_read', 'itil'], import_transformer: ['import_scheduler', 'import_set_loader'], rest_api_explorer: [] }],
  ])('a profile where they contain %s: the probe reports exactly that, and its profile reproduces it', async (_, given) => {
    const first = await probeRoles({ profile: rolesProfile(given) })
    expect(contains(first.roles)).toEqual(given)
    const second = await probeRoles({ profile: first.out })
    expect(contains(second.roles)).toEqual(given)
  })

  it('a role the instance does not have: could not tell, the others observed', async () => {
    const { roles } = await probeRoles({}, (e) => {
      const role = e.db.findOne(PLATFORM_TABLES.role, 'name=rest_api_explorer')
      for (const link of e.db.query(PLATFORM_TABLES.roleContains, `role=${String(role?.sys_id)}`)) e.db.delete(PLATFORM_TABLES.roleContains, String(link.sys_id))
      e.db.delete(PLATFORM_TABLES.role, String(role?.sys_id))
    })
    expect(contains(roles)).toEqual({ cmdb_read: ['cmdb_query_builder_read'], import_transformer: ['import_set_loader'], rest_api_explorer: 'could-not-tell: the instance has no role rest_api_explorer' })
  })

  it('sys_user_role_contains cannot be read (403): could not tell for each role, with the refusal', async () => {
    const emulator = await pdi()
    try {
      emulator.addFault({ kind: 'status', status: 403, method: 'GET', path: `/api/now/v2/table/${PLATFORM_TABLES.roleContains}` })
      const run = await runProbe(emulator, mkdtempSync(join(tmpdir(), 'probe-')))
      expect(run.code).toBe(0)
      const roles = readProfile(run.out).roles ?? {}
      const reason = `the roles could not be read (${PLATFORM_TABLES.role} 200, ${PLATFORM_TABLES.roleContains} 403)`
      expect(contains(roles)).toEqual(Object.fromEntries(SERVICE_ACCOUNT_ROLES.map((r) => [r, `could-not-tell: ${reason}`])))
      expect(roles.cmdb_read?.evidence[1]).toMatchObject({ status: 403, answer: expect.stringMatching(/^403 \{error\.message: /) })
    } finally {
      await emulator.close()
    }
  })
})
