// Issue 20: what the service-account roles contain is undocumented (emulator README Assumption 1); a probe profile's
// `roles` section replaces the emulator's guess. The product, on an instance whose roles contain something else, still
// deploys, verifies and takes Iru Endpoint's push, or says clearly what is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES, PROFILE_FORMAT, SERVICE_ACCOUNT, SERVICE_ACCOUNT_ROLES, type EmulatorProfile } from '@kandji-sn/contract'
import { generateDevices, pushInventory } from '@kandji-sn/iru-simulator'
import { cmdbSnapshot, readImportOutcome } from '@kandji-sn/demo'
import { explain, startInstance, type Instance } from './support/instance.ts'

function rolesProfile(roles: Readonly<Record<string, readonly string[]>>): EmulatorProfile {
  const evidence = [{ request: 'synthetic', status: null, answer: 'synthetic' }]
  return {
    format: PROFILE_FORMAT,
    probedAt: new Date(0).toISOString(),
    tool: { name: 'role-containment.test.ts (synthetic)', version: '0' },
    instance: { release: 'Zurich', buildName: 'Zurich', buildTag: null, patch: null },
    switches: {},
    roles: Object.fromEntries(Object.entries(roles).map(([name, contains]) => [name, { outcome: 'observed', contains: [...contains], evidence }])),
  }
}

const NOTHING = Object.fromEntries(SERVICE_ACCOUNT_ROLES.map((r) => [r, [] as string[]]))

describe.each([
  ['contain nothing', NOTHING, 'pass'],
  ['contain other base roles', { cmdb_read: ['itil'], import_transformer: ['import_scheduler', 'import_set_loader'], rest_api_explorer: ['sn_probe_api_role'] }, 'pass'],
  ['contain a privileged role (import_transformer contains import_admin)', { ...NOTHING, import_transformer: ['import_admin'] }, 'warn'],
] as const)('the service-account roles %s', (_, roles, rolesCheck) => {
  let inst: Instance

  beforeAll(async () => {
    inst = await startInstance({ profile: rolesProfile(roles) })
  })
  afterAll(async () => {
    await inst?.close()
  })

  it('the emulator contains what the profile says', () => {
    const db = inst.emulator.db
    const names = (ids: unknown[]) => ids.map((id) => db.query('sys_user_role', `sys_id=${String(id)}`)[0]?.name).sort()
    for (const [role, contains] of Object.entries(roles)) {
      const id = db.query('sys_user_role', `name=${role}`)[0]?.sys_id
      expect([role, names(db.query('sys_user_role_contains', `role=${String(id)}`).map((l) => l.contains))]).toEqual([role, [...contains].sort()])
    }
  })

  it(`deploys; verify ${rolesCheck === 'pass' ? 'passes every check' : 'warns only about the inherited privileged role'}; a push lands`, async () => {
    const deploy = await inst.deploy(['--json'])
    expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
    const verify = await inst.verify()
    const notPassed = verify.report!.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status}`)
    expect(notPassed).toEqual(rolesCheck === 'pass' ? [] : ['service_account_roles: warn'])
    expect(verify.code, explain(verify)).toBe(EXIT_CODES.ok)
    if (rolesCheck === 'warn') {
      const check = verify.report!.checks.find((c) => c.id === 'service_account_roles')
      expect(check?.detail).toBe(`${SERVICE_ACCOUNT.defaultUserName} inherits the privileged role(s) import_admin. It should have exactly ${SERVICE_ACCOUNT_ROLES.join(', ')} directly.`)
    }
    const devices = generateDevices({ count: 5, seed: `e2e-roles-${rolesCheck}-${Object.values(roles).flat().join('-')}` })
    const report = await pushInventory({ handoff: inst.handoff(), devices, mode: 'bulk', poll: { timeoutMs: 0 } })
    expect((await readImportOutcome(inst.client, report.importSets)).byState).toEqual({ inserted: devices.length })
    expect((await cmdbSnapshot(inst.client)).computers).toBe(devices.length)
  })
})
