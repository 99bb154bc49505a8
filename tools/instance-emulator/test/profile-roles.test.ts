// A profile's `roles` section (what deploy-integration probe read from sys_user_role_contains) replaces the seed's
// containment of the roles it names (src/db/fixtures/role-containment.ts); roles it names that the seed lacks are
// created; roles it could not tell keep the seed's; a user granted such a role inherits what the profile says.
import { afterEach, describe, expect, it } from 'vitest'
import { PROFILE_FORMAT, type EmulatorProfile } from '@kandji-sn/contract'
import { containmentLinks, ROLE_CONTAINMENT } from '../src/db/fixtures/role-containment.ts'
import { grantRole, startEmulator, type Emulator } from '../src/index.ts'
import { userRoleNames } from '../src/db/roles.ts'

const emulators: Emulator[] = []
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})

function profile(roles: EmulatorProfile['roles']): EmulatorProfile {
  return { format: PROFILE_FORMAT, probedAt: new Date(0).toISOString(), tool: { name: 'profile-roles.test.ts (synthetic)', version: '0' }, instance: { release: 'Zurich', buildName: 'Zurich', buildTag: null, patch: null }, switches: {}, ...(roles ? { roles } : {}) }
}
const ev = [{ request: 'synthetic', status: null, answer: 'synthetic' }]

function contains(emu: Emulator, role: string): string[] {
  const id = emu.db.query('sys_user_role', `name=${role}`)[0]?.sys_id
  return emu.db.query('sys_user_role_contains', `role=${String(id)}`).map((l) => String(emu.db.query('sys_user_role', `sys_id=${String(l.contains)}`)[0]?.name)).sort()
}

async function start(roles: EmulatorProfile['roles']): Promise<Emulator> {
  const emu = await startEmulator({ profile: profile(roles), updateMutexHoldMs: 0 })
  emulators.push(emu)
  return emu
}

describe('startEmulator({ profile }) with roles', () => {
  it('replaces the containment of the observed roles, creates the roles it lacks, keeps the rest', async () => {
    const emu = await start({
      cmdb_read: { outcome: 'observed', contains: [], evidence: ev },
      import_transformer: { outcome: 'observed', contains: ['import_scheduler', 'sn_probe_new_role'], evidence: ev },
      rest_api_explorer: { outcome: 'could-not-tell', reason: 'synthetic', evidence: [] },
    })
    expect(contains(emu, 'cmdb_read')).toEqual([])
    expect(contains(emu, 'import_transformer')).toEqual(['import_scheduler', 'sn_probe_new_role'])
    expect(contains(emu, 'rest_api_explorer')).toEqual(['api_analytics_read'])
    expect(contains(emu, 'admin')).toEqual(ROLE_CONTAINMENT.filter((l) => l.role === 'admin').map((l) => l.contains).sort())
    expect(emu.db.query('sys_user_role', 'name=sn_probe_new_role').map((r) => r.name)).toEqual(['sn_probe_new_role'])
    expect(emu.profile?.roles).toEqual({ cmdb_read: [], import_transformer: ['import_scheduler', 'sn_probe_new_role'] })
  })

  it('a user granted an observed role inherits exactly what the profile says (and what that contains)', async () => {
    const emu = await start({ import_transformer: { outcome: 'observed', contains: ['import_admin'], evidence: ev } })
    const user = emu.db.insert('sys_user', { user_name: 'roles_probe_user' })
    grantRole(emu.db, String(user.sys_id), 'import_transformer')
    // import_admin contains import_transformer, import_set_loader and import_scheduler in the seed.
    expect([...userRoleNames(emu.db, String(user.sys_id))].sort()).toEqual(['import_admin', 'import_scheduler', 'import_set_loader', 'import_transformer'])
  })

  it('a profile without roles leaves the seed as it is', async () => {
    const emu = await start(undefined)
    expect(contains(emu, 'cmdb_read')).toEqual(['cmdb_query_builder_read'])
    expect(emu.profile?.roles).toEqual({})
  })
})

describe('containmentLinks', () => {
  it('no override: the fixture', () => {
    expect(containmentLinks({})).toEqual(ROLE_CONTAINMENT)
  })
  it('an override replaces every entry of its roles, once each, tagged profile', () => {
    const links = containmentLinks({ admin: ['itil', 'itil'], x_new: ['y'] })
    expect(links.filter((l) => l.role === 'admin' || l.role === 'x_new')).toEqual([
      { role: 'admin', contains: 'itil', source: 'profile' },
      { role: 'x_new', contains: 'y', source: 'profile' },
    ])
    expect(links.filter((l) => l.role !== 'admin' && l.role !== 'x_new')).toEqual(ROLE_CONTAINMENT.filter((l) => l.role !== 'admin'))
  })
})
