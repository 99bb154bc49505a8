// Issue 11: the app ships exactly the cross-scope privileges its scripts need. An installed app runs under Enforcing
// runtime access tracking (KB0717945), so every operation of its scripts on a global table needs an allowed
// sys_scope_privilege. The flows below are everything the app's code does in an instance: verify, repair (reactivate
// and create the choice), a device import (IRE, user by e-mail), an application import (SAM active; IRE writes the
// software installation) pushed with insertMultiple, and the import status of that push.
//  - with every shipped privilege the flows run without one refusal;
//  - without any one of them, the flows are refused exactly there (one named test per privilege);
//  - under Tracking, the flows record exactly the contract's list: no shipped privilege is unused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP, CROSS_SCOPE_PRIVILEGES, DISCOVERY_SOURCE, EXIT_CODES, PLATFORM_TABLES, SAM_PRO_PLUGIN, TABLES, importStatusPath, repairPath, verifyPath } from '@kandji-sn/contract'
import { privilegesOf, type Emulator } from '@kandji-sn/instance-emulator'
import { explain, request, startInstance, type Instance } from './support/instance.ts'

const REFUSAL = /^Security restricted: (Read|Write|Create|Delete) operation on table '([^']+)' from scope/

async function call(inst: Instance, path: string, init: Parameters<typeof request>[2] = {}): Promise<number> {
  return (await request(inst, path, init)).status
}

function kandjiChoice(emu: Emulator) {
  return emu.db.query(PLATFORM_TABLES.choice, `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}`)
}

/** Runs every flow of the app's code once; returns the cross-scope refusals it caused, as "operation table". */
async function runFlows(inst: Instance, serial: string): Promise<string[]> {
  const emu = inst.emulator
  const marker = emu.db.tableExists('syslog') ? new Set(emu.db.query('syslog').map((r) => r.sys_id)) : new Set<string | undefined>()
  const handoff = inst.handoff()
  const service = { user: handoff.username, password: handoff.password }
  await call(inst, verifyPath)
  for (const row of kandjiChoice(emu)) emu.db.update(PLATFORM_TABLES.choice, row.sys_id as string, { inactive: 'true' })
  await call(inst, repairPath, { method: 'POST', body: {} })
  for (const row of kandjiChoice(emu)) emu.db.delete(PLATFORM_TABLES.choice, row.sys_id as string)
  await call(inst, repairPath, { method: 'POST', body: {} })
  if (kandjiChoice(emu).length === 0) emu.db.insert(PLATFORM_TABLES.choice, { name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value: DISCOVERY_SOURCE.value, label: DISCOVERY_SOURCE.label, language: DISCOVERY_SOURCE.language })
  await call(inst, `/api/now/import/${TABLES.deviceImport}`, { method: 'POST', ...service, body: { device_id: `dev-${serial}`, device_name: `Mac ${serial}`, serial_number: serial, platform: 'Mac', user_email: 'jane.doe@example.com' } })
  // The second push changes the publisher: IRE updates the software installation it inserted.
  for (const publisher of ['Apple', 'Apple Inc.']) {
    const pushed = await request(inst, `/api/now/import/${TABLES.appImport}/insertMultiple`, { method: 'POST', ...service, body: { records: [{ device_id: `dev-${serial}`, serial_number: serial, app_name: 'Safari', version: '18.0', bundle_id: 'com.apple.Safari', publisher }] } })
    await emu.importsIdle()
    await call(inst, importStatusPath((pushed.body as { import_set_id: string }).import_set_id), service)
  }
  if (!emu.db.tableExists('syslog')) return []
  return emu.db
    .query('syslog', 'ORDERBYsys_created_on')
    .filter((r) => !marker.has(r.sys_id))
    .flatMap((r) => {
      const m = REFUSAL.exec(r.message ?? '')
      return m ? [`${(m[1] as string).toLowerCase()} ${m[2]}`] : []
    })
}

async function deployedInstance(switches: Parameters<typeof startInstance>[0] = {}): Promise<Instance> {
  const inst = await startInstance({ ...switches, switches: { globalTableAccess: 'open', ...switches.switches } })
  const deploy = await inst.deploy()
  expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
  inst.emulator.db.insert(PLATFORM_TABLES.user, { user_name: 'jane.doe', email: 'jane.doe@example.com', active: 'true' })
  const sam = inst.emulator.db.query('sys_plugins', `source=${SAM_PRO_PLUGIN}`)[0]
  inst.emulator.db.update('sys_plugins', sam?.sys_id as string, { active: 'active' })
  return inst
}

function shipped(emu: Emulator) {
  const scope = emu.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`)[0]?.sys_id as string
  return emu.db.query('sys_scope_privilege', `source_scope=${scope}`)
}

describe('Enforcing runtime access tracking (an installed app)', () => {
  let inst: Instance
  let serial = 0
  beforeAll(async () => {
    inst = await deployedInstance()
  })
  afterAll(async () => {
    await inst?.close()
  })

  it('with every shipped privilege the app reads and writes what it needs and is refused nothing', async () => {
    expect(await runFlows(inst, `C02ALL${serial++}`)).toEqual([])
    expect(kandjiChoice(inst.emulator)).toHaveLength(1)
    expect(inst.emulator.db.count(PLATFORM_TABLES.softwareInstall)).toBeGreaterThan(0)
  })

  it.each(CROSS_SCOPE_PRIVILEGES.map((p) => ({ ...p })))('without $operation on $table the instance refuses exactly that ($why)', async ({ table, operation }) => {
    const row = shipped(inst.emulator).find((p) => p.target_name === table && p.operation === operation)
    expect(row, `${operation} ${table} is shipped`).toBeDefined()
    inst.emulator.db.update('sys_scope_privilege', row?.sys_id as string, { status: 'denied' })
    try {
      const refused = await runFlows(inst, `C02NO${serial++}`)
      expect(new Set(refused)).toEqual(new Set([`${operation} ${table}`]))
    } finally {
      inst.emulator.db.update('sys_scope_privilege', row?.sys_id as string, { status: 'allowed' })
    }
  })
})

describe('Tracking runtime access (a development instance)', () => {
  it("records exactly the contract's privileges when the shipped ones are gone: none is unused", async () => {
    const inst = await deployedInstance({ switches: { runtimeAccessTracking: 'tracking' } })
    try {
      for (const p of shipped(inst.emulator)) inst.emulator.db.delete('sys_scope_privilege', p.sys_id as string)
      expect(privilegesOf(inst.emulator.db, APP.scope)).toEqual([])
      await runFlows(inst, 'C02TRACK')
      expect(privilegesOf(inst.emulator.db, APP.scope)).toEqual(CROSS_SCOPE_PRIVILEGES.map((p) => `${p.table}:${p.operation}`).sort())
    } finally {
      await inst.close()
    }
  })
})

describe("SAM active, cmdb_sam_sw_install closed to other scopes' writes (the default; the docs are silent)", () => {
  it('software installations still land: IRE writes them, not the app, so no cross-scope write is refused', async () => {
    const inst = await deployedInstance({ switches: { globalTableAccess: 'read-only' } })
    try {
      const handoff = inst.handoff()
      const service = { user: handoff.username, password: handoff.password }
      await call(inst, `/api/now/import/${TABLES.deviceImport}`, { method: 'POST', ...service, body: { device_id: 'dev-SAM1', device_name: 'Mac SAM1', serial_number: 'C02SAM1', platform: 'Mac' } })
      const syslog = () => (inst.emulator.db.tableExists('syslog') ? inst.emulator.db.query('syslog') : [])
      const marker = new Set(syslog().map((r) => r.sys_id))
      await call(inst, `/api/now/import/${TABLES.appImport}`, { method: 'POST', ...service, body: { device_id: 'dev-SAM1', serial_number: 'C02SAM1', app_name: 'Safari', version: '18.0' } })
      const [row] = inst.emulator.db.query(TABLES.appImport, 'serial_number=C02SAM1')
      expect(row?.sys_import_state).toBe('inserted')
      expect(inst.emulator.db.query(PLATFORM_TABLES.softwareInstall).map((r) => [r.display_name, r.version])).toEqual([['Safari', '18.0']])
      expect(syslog().filter((r) => !marker.has(r.sys_id) && REFUSAL.test(r.message ?? ''))).toEqual([])
    } finally {
      await inst.close()
    }
  })
})
