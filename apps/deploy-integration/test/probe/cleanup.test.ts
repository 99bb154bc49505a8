// What an earlier, interrupted run left is removed first, by sys_id after a name check, and reported; an object that
// only looks like the probe's (another case) stays.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PLATFORM_TABLES, PROBE } from '@kandji-sn/contract'
import { grantRole, type Emulator } from '@kandji-sn/instance-emulator'
import { CreatedObjects } from '../../src/commands/probe/cleanup.ts'
import { pdi, probeObjects, runProbe } from './support.ts'

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

describe('probe cleanup', () => {
  it('removes an earlier run\'s leftovers first and says so; a look-alike in another case stays', async () => {
    emulator = await pdi()
    const db = emulator.db
    const user = db.insert(PLATFORM_TABLES.user, { user_name: `${PROBE.namePrefix}ws_user`, active: 'true' })
    grantRole(db, String(user.sys_id), 'snc_internal')
    db.insert(PLATFORM_TABLES.oauthEntity, { name: `${PROBE.namePrefix}scope_client`, type: 'client' })
    const lookAlike = db.insert(PLATFORM_TABLES.user, { user_name: 'KANDJI_PROBE_someone_else', active: 'true' })
    const r = await runProbe(emulator, mkdtempSync(join(tmpdir(), 'probe-')))
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`removed what an earlier run left: ${PLATFORM_TABLES.oauthEntity} kandji_probe_scope_client, ${PLATFORM_TABLES.userRole} kandji_probe_ws_user, ${PLATFORM_TABLES.user} kandji_probe_ws_user`)
    expect(probeObjects(emulator)).toEqual([`${PLATFORM_TABLES.user} user_name=KANDJI_PROBE_someone_else`])
    expect(db.get(PLATFORM_TABLES.user, String(lookAlike.sys_id))?.user_name).toBe('KANDJI_PROBE_someone_else')
    expect(db.query(PLATFORM_TABLES.userRole, `user=${String(user.sys_id)}`)).toEqual([])
  })

  it('refuses to record an object that is not named as the probe\'s', () => {
    const created = new CreatedObjects()
    expect(() => created.record('sys_user', 'a'.repeat(32), 'admin')).toThrow('internal: probe object "admin" in sys_user does not start with kandji_probe_')
    created.record('sys_user', 'b'.repeat(32), `${PROBE.namePrefix}x`)
    created.record('sys_user', 'b'.repeat(32), `${PROBE.namePrefix}x`)
    created.record('sys_user_has_role', 'c'.repeat(32), `${PROBE.namePrefix}x`)
    expect(created.take().map((o) => o.table)).toEqual(['sys_user_has_role', 'sys_user'])
    expect(created.take()).toEqual([])
  })
})
