// Issue 6, "Done when": the BUILT Kandji app installed into the emulator, its shipped server code executed by the
// runtime (verify, repair, fix script, device transform with IRE), and verify's database operations counted.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DISCOVERY_SOURCE,
  IMPORT_PROBE,
  IMPORT_REJECTED_PREFIX,
  SERVICE_ACCOUNT,
  SERVICE_ACCOUNT_ROLES,
  TABLES,
  verificationReportSchema,
  repairPath,
  verifyPath,
} from '@kandji-sn/contract'
import { defaultRuntime, grantRole, loadKandjiApp, startEmulator, type Emulator, type EmulatorOptions } from '../src/index.ts'
import { ADMIN, api, type Auth } from './helpers/http.ts'

const PASSWORD = 'Service-account-password-1!'
const SERVICE: Auth = { user: SERVICE_ACCOUNT.defaultUserName, password: PASSWORD }
let zip: Uint8Array
let emulator: Emulator | undefined

beforeAll(async () => {
  zip = (await loadKandjiApp()).bytes
})

afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

/**
 * The app installed as `deploy` leaves it: the app packages no choice (a packaged sys_choice travels as the field's
 * whole choice list), so the Kandji discovery source is added by the admin through the Table API.
 */
async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emulator = await startEmulator(options)
  await emulator.installApp(zip)
  const added = await api(emulator, '/api/now/table/sys_choice', {
    method: 'POST',
    auth: ADMIN,
    body: { name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value: DISCOVERY_SOURCE.value, label: DISCOVERY_SOURCE.label, language: DISCOVERY_SOURCE.language },
  })
  expect(added.status).toBe(201)
  const user = emulator.db.insert('sys_user', { user_name: SERVICE_ACCOUNT.defaultUserName, first_name: 'Kandji', last_name: 'Integration', user_password: PASSWORD }, { inputDisplayValue: true })
  for (const role of [...SERVICE_ACCOUNT_ROLES, 'snc_internal']) grantRole(emulator.db, user.sys_id as string, role)
  return emulator
}

function kandjiChoices(emu: Emulator) {
  return emu.db.query('sys_choice', `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}`)
}

async function verify(emu: Emulator) {
  const res = await api(emu, verifyPath, { auth: ADMIN })
  expect(res.status).toBe(200)
  return verificationReportSchema.parse(res.body.result)
}

function check(report: Awaited<ReturnType<typeof verify>>, id: string) {
  return report.checks.find((c) => c.id === id)
}

function device(serial: string | undefined, extra: Record<string, string> = {}) {
  return { device_id: `dev-${serial ?? 'none'}`, device_name: `Mac ${serial ?? 'none'}`, platform: 'Mac', os_version: '15.1', ...(serial === undefined ? {} : { serial_number: serial }), ...extra }
}

async function push(emu: Emulator, row: Record<string, string>) {
  const res = await api(emu, `/api/now/import/${TABLES.deviceImport}`, { method: 'POST', body: row, auth: SERVICE })
  expect(res.status).toBe(201)
  return res.body.result as Array<{ status: string; sys_id?: string; error_message?: string; status_message?: string }>
}

describe('the built app on the emulator', () => {
  it('GET verify runs the shipped module code and returns a report valid under the contract schema', async () => {
    const emu = await start()
    const report = await verify(emu)
    expect(report.app.scope).toBe('x_kandj_kandji')
    expect(check(report, 'discovery_source')?.status).toBe('pass')
    expect(check(report, 'fix_script')?.status).toBe('pass')
    expect(check(report, 'transform_maps')?.status).toBe('pass')
  })

  it('removing the Kandji choice fails its check and makes IRE refuse imports; POST repair brings it back where sys_choice lets the app create', async () => {
    const emu = await start({ switches: { globalTableAccess: 'open' } })
    for (const row of kandjiChoices(emu)) emu.db.delete('sys_choice', row.sys_id as string)
    expect(check(await verify(emu), 'discovery_source')?.status).toBe('fail')

    const [refused] = await push(emu, device('C02REFUSED'))
    expect(refused?.status).toBe('ignored')
    expect(refused?.status_message).toMatch(new RegExp(`^${IMPORT_REJECTED_PREFIX}IRE rejected the device: INVALID_INPUT_DATA: In payload invalid data source \\[Kandji\\] exist`))
    expect(emu.db.query('cmdb_ci_computer', 'serial_number=C02REFUSED')).toHaveLength(0)

    const repaired = await api(emu, repairPath, { method: 'POST', auth: ADMIN })
    expect(repaired.status).toBe(200)
    expect(repaired.body.result).toMatchObject({ changed: true, actions: [{ action: 'created' }] })
    expect(check(await verify(emu), 'discovery_source')?.status).toBe('pass')
    expect((await push(emu, device('C02REFUSED')))[0]?.status).toBe('inserted')

    const again = await api(emu, repairPath, { method: 'POST', auth: ADMIN })
    expect(again.body.result).toMatchObject({ changed: false, actions: [{ action: 'unchanged' }] })
  })

  it("where sys_choice refuses other scopes' creates (the default), POST repair answers 409, says what to do and changes nothing", async () => {
    const emu = await start()
    for (const row of kandjiChoices(emu)) emu.db.delete('sys_choice', row.sys_id as string)
    const choices = emu.db.count('sys_choice')
    const repaired = await api(emu, repairPath, { method: 'POST', auth: ADMIN })
    expect(repaired.status).toBe(409)
    expect(repaired.body.result.actions).toEqual([{ target: 'sys_choice cmdb_ci.discovery_source=Kandji', action: 'failed', detail: expect.stringContaining('run deploy-integration deploy (it adds it through the Table API)') }])
    expect(emu.db.count('sys_choice')).toBe(choices)
    expect(emu.db.count('syslog', "messageSTARTSWITHSecurity restricted: Create operation against 'sys_choice' from scope 'x_kandj_kandji'")).toBe(1)
  })

  it('a device lands once in cmdb_ci_computer (discovery source Kandji) and in the MDM table; pushing it again updates without a duplicate', async () => {
    const emu = await start()
    const [first] = await push(emu, device('C02ONE', { os_version: '15.1', mdm_enabled: 'true' }))
    expect(first?.status).toBe('inserted')
    const cis = emu.db.query('cmdb_ci_computer', 'serial_number=C02ONE')
    expect(cis).toHaveLength(1)
    expect(cis[0]?.discovery_source).toBe(DISCOVERY_SOURCE.value)
    const mdm = emu.db.query(TABLES.mdm, 'serial_number=C02ONE')
    expect(mdm).toHaveLength(1)
    expect(mdm[0]).toMatchObject({ ci: cis[0]?.sys_id, mdm_enabled: 'true', os_version: '15.1', sys_id: first?.sys_id })

    const [second] = await push(emu, device('C02ONE', { os_version: '15.2', mdm_enabled: 'true' }))
    expect(second?.status).toBe('updated')
    expect(second?.sys_id).toBe(first?.sys_id)
    expect(emu.db.query('cmdb_ci_computer', 'serial_number=C02ONE')).toHaveLength(1)
    expect(emu.db.query(TABLES.mdm, 'serial_number=C02ONE')).toHaveLength(1)
    expect(emu.db.query(TABLES.mdm, 'serial_number=C02ONE')[0]?.os_version).toBe('15.2')
  })

  it('the Import Set outcome for the MDM table names its display field (device_name, display=true in the dictionary) and the device', async () => {
    const emu = await start()
    const outcomes = await push(emu, device('C02DISP'))
    const mdm = outcomes.find((o) => (o as { table?: string }).table === TABLES.mdm) as Record<string, string> | undefined
    expect(mdm, JSON.stringify(outcomes)).toBeDefined()
    expect(mdm).toMatchObject({ display_name: 'device_name', display_value: 'Mac C02DISP' })
  })

  it('a row without a serial number is rejected (ignored, never error = true) with its reason, on the staging row too', async () => {
    const emu = await start()
    const [outcome] = await push(emu, device(undefined))
    expect(outcome?.status).toBe('ignored')
    expect(outcome?.status_message).toMatch(new RegExp(`^${IMPORT_REJECTED_PREFIX}Row has no serial_number`))
    expect(outcome?.error_message).toBeUndefined()
    const staged = emu.db.query(TABLES.deviceImport, 'device_id=dev-none')
    expect(staged[0]).toMatchObject({ sys_import_state: 'ignored' })
    expect(staged[0]?.sys_import_state_comment).toMatch(new RegExp(`^${IMPORT_REJECTED_PREFIX}Row has no serial_number`))
    expect(emu.db.query('cmdb_ci_computer')).toHaveLength(0)
  })

  it('ignores the import probe row: no CI, no MDM row', async () => {
    const emu = await start()
    const [outcome] = await push(emu, { [IMPORT_PROBE.field]: IMPORT_PROBE.value, serial_number: 'PROBE' })
    expect(outcome?.status).toBe('ignored')
    expect(emu.db.query('cmdb_ci_computer')).toHaveLength(0)
    expect(emu.db.query(TABLES.mdm)).toHaveLength(0)
  })
})

describe('the part-1 seam stays reachable', () => {
  it('with runtime: defaultRuntime the same install answers 501 instead of running the code', async () => {
    const emu = await start({ runtime: defaultRuntime })
    const res = await api(emu, verifyPath, { auth: ADMIN })
    expect(res.status).toBe(501)
    expect(kandjiChoices(emu)).toHaveLength(1)
  })
})

describe('verify stays constant in the number of CIs', () => {
  async function verifyOperations(emu: Emulator) {
    emu.resetCounters()
    await verify(emu)
    return { ...emu.counters.db }
  }

  /** Kandji devices: a CI each (one in ten found first by SCCM) and the MDM row linking it. */
  function seedCis(emu: Emulator, from: number, to: number) {
    for (let i = from; i < to; i++) {
      const ci = emu.db.insert('cmdb_ci_computer', { name: `mac-${i}`, serial_number: `SEED${i}`, discovery_source: i % 10 === 0 ? 'SCCM' : DISCOVERY_SOURCE.value })
      emu.db.insert(TABLES.mdm, { serial_number: `SEED${i}`, ci: ci.sys_id })
    }
  }

  it('the same number of selects (and no writes) with 10 and with 10 000 CIs', async () => {
    const emu = await start()
    await verify(emu) // the first login writes snc_internal for admin (facts 2.2); measure afterwards
    seedCis(emu, 0, 10)
    const small = await verifyOperations(emu)
    seedCis(emu, 10, 10_000)
    const large = await verifyOperations(emu)
    expect(large).toEqual(small)
    expect(small.select).toBeGreaterThan(0)
    expect(small.insert + small.update + small.delete).toBe(0)
    const report = await verify(emu)
    expect(check(report, 'kandji_cis')?.data).toEqual({ count: 10_000, kandji_source: 9_000, other_source: 1_000, via: 'mdm' })
  }, 120_000)
})

describe('devices that share a name', () => {
  // Fleets are full of Macs called "MacBook Pro". The base system's Hardware Rule tries serial_number, then name,
  // so without the app's guard the second device would be identified by name as the first one's CI.
  it('two same-named devices with different serials land as two CIs, each MDM row pointing at its own; pushing both again adds nothing', async () => {
    const emu = await start()
    const first = device('C02SAMEA', { device_name: 'MacBook Pro' })
    const second = device('C02SAMEB', { device_name: 'MacBook Pro' })
    expect((await push(emu, first))[0]?.status).toBe('inserted')
    const [outcome] = await push(emu, second)
    expect(outcome?.status).toBe('inserted')

    const ciA = emu.db.query('cmdb_ci_computer', 'serial_number=C02SAMEA')
    const ciB = emu.db.query('cmdb_ci_computer', 'serial_number=C02SAMEB')
    expect(ciA).toHaveLength(1)
    expect(ciB).toHaveLength(1)
    expect(ciA[0]?.sys_id).not.toBe(ciB[0]?.sys_id)
    expect(ciA[0]?.name).toBe('MacBook Pro')
    expect(ciB[0]?.name).toBe('MacBook Pro (C02SAMEB)')
    expect(emu.db.query(TABLES.mdm, 'serial_number=C02SAMEA')[0]).toMatchObject({ ci: ciA[0]?.sys_id, device_name: 'MacBook Pro' })
    expect(emu.db.query(TABLES.mdm, 'serial_number=C02SAMEB')[0]).toMatchObject({ ci: ciB[0]?.sys_id, device_name: 'MacBook Pro' })

    // Identical rows: the MDM row is unchanged (reported "ignored") and IRE finds each device by serial again.
    for (const row of [first, second, second, first]) expect((await push(emu, row))[0]?.status).toBe('ignored')
    expect(emu.db.query('cmdb_ci_computer')).toHaveLength(2)
    expect(emu.db.query(TABLES.mdm)).toHaveLength(2)
    expect(emu.db.query('cmdb_ci_computer', 'serial_number=C02SAMEA')[0]).toMatchObject({ sys_id: ciA[0]?.sys_id, name: 'MacBook Pro' })
    expect(emu.db.query('cmdb_ci_computer', 'serial_number=C02SAMEB')[0]).toMatchObject({ sys_id: ciB[0]?.sys_id, name: 'MacBook Pro (C02SAMEB)' })
    expect(emu.db.query(TABLES.mdm, 'serial_number=C02SAMEB')[0]?.ci).toBe(ciB[0]?.sys_id)

    expect((await push(emu, { ...second, os_version: '15.2' }))[0]?.status).toBe('updated')
    expect(emu.db.query('cmdb_ci_computer')).toHaveLength(2)
    expect(emu.db.query('cmdb_ci_computer', 'serial_number=C02SAMEB')[0]).toMatchObject({ sys_id: ciB[0]?.sys_id, name: 'MacBook Pro (C02SAMEB)', os_version: '15.2' })
    expect(emu.db.query('cmdb_ci_computer', 'serial_number=C02SAMEA')[0]).toMatchObject({ sys_id: ciA[0]?.sys_id, os_version: '15.1' })
  })
})
