// What `deploy-integration probe` observes (README "What deploy-integration probe observes"): the instance_name
// property, IRE's skip_duplicates property per switch, and insertMultiple's missing resource before its table.
import { afterEach, describe, expect, it } from 'vitest'
import { INSTANCE_PROPERTIES } from '@kandji-sn/contract/constants'
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/index.ts'
import { ADMIN, api } from './helpers/http.ts'

let emu: Emulator | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})
async function instance(options: EmulatorOptions = {}) {
  emu = await startEmulator(options)
  return emu
}
const property = (e: Emulator, name: string) => e.db.query('sys_properties', `name=${name}`).map((r) => r.value)

describe('probe-facing seed', () => {
  it('instance_name is seeded only when instanceName is given', async () => {
    expect(property(await instance({ instanceName: 'dev12345' }), INSTANCE_PROPERTIES.instanceName)).toEqual(['dev12345'])
    await emu?.close()
    expect(property(await instance(), INSTANCE_PROPERTIES.instanceName)).toEqual([])
  })

  it('glide.identification_engine.skip_duplicates: absent (true by default) unless the switch turns it off', async () => {
    expect(property(await instance(), INSTANCE_PROPERTIES.ireSkipDuplicates)).toEqual([])
    await emu?.close()
    expect(property(await instance({ switches: { ireSkipDuplicates: false } }), INSTANCE_PROPERTIES.ireSkipDuplicates)).toEqual(['false'])
  })
})

describe('insertMultiple on a table that does not exist', () => {
  const path = '/api/now/import/x_no_such_table/insertMultiple'
  it('without the plugin: no resource, before the table is looked at', async () => {
    const e = await instance({ switches: { insertMultiplePlugin: 'absent' } })
    const res = await api(e, path, { method: 'POST', body: { records: [] }, auth: ADMIN })
    expect([res.status, res.body.error.message]).toEqual([400, 'Requested URI does not represent any resource'])
  })
  it('with the plugin: an invalid table', async () => {
    const e = await instance()
    const res = await api(e, path, { method: 'POST', body: { records: [] }, auth: ADMIN })
    expect([res.status, res.body.error.message]).toEqual([400, 'Invalid table x_no_such_table'])
  })
})
