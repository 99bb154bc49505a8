// The generated probe app is a package the project's own reader, validator and the emulator's loader accept.
import { describe, expect, it } from 'vitest'
import { readAppPackageFromZip, validateAppPackage } from '@kandji-sn/app-package'
import { startEmulator } from '@kandji-sn/instance-emulator'
import { PROBE_APP, PROBE_IMPORT, probeAppFiles, probeAppZip } from '../../src/commands/probe/app/package.ts'

describe.each(['v1', 'v2'] as const)('the probe app %s', (version) => {
  const pkg = readAppPackageFromZip(probeAppZip(version))

  it('reads as the scope, sys_id and version it is generated for, with no problems', () => {
    expect({ scope: pkg.scope, scopeId: pkg.scopeId, version: pkg.version, problems: pkg.readProblems }).toEqual({
      scope: PROBE_APP.scope,
      scopeId: PROBE_APP.scopeId,
      version: PROBE_APP.versions[version],
      problems: [],
    })
  })

  it('passes validateAppPackage without an error or a warning', () => {
    expect(validateAppPackage(pkg)).toEqual([])
  })

  it('holds exactly the minimal records', () => {
    const counts: Record<string, number> = {}
    for (const r of pkg.records) counts[r.table] = (counts[r.table] ?? 0) + 1
    expect(counts).toEqual({ sys_app: 1, sys_db_object: 4, sys_dictionary: 6, sys_choice: version === 'v1' ? 1 : 2, sys_properties: 2, sys_script_fix: 1, sys_transform_map: 1, sys_transform_entry: 1, sys_user_role: 1, sys_security_acl: 1, sys_security_acl_role: 1, sys_ws_definition: 1, sys_ws_operation: 1, sys_scope_privilege: 1 })
    expect(pkg.tables.map((t) => ({ name: t.name, extends: t.extends, columns: t.columns.map((c) => `${c.name}${c.mandatory ? '!' : ''}`) }))).toEqual([
      { name: PROBE_IMPORT.stagingTable, extends: 'sys_import_set_row', columns: [PROBE_IMPORT.keyColumn] },
      { name: PROBE_APP.itemTable, extends: undefined, columns: ['name', 'status', 'code!'] },
      { name: PROBE_APP.stagingTable, extends: 'sys_import_set_row', columns: ['name'] },
      { name: PROBE_IMPORT.targetTable, extends: undefined, columns: [PROBE_IMPORT.targetField] },
    ])
  })

  it('lists every file in package_inventory.csv', () => {
    const files = probeAppFiles(version)
    const listed = (files.get('package_inventory.csv') ?? '').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(';')[0])
    expect(listed).toEqual([...files.keys()].filter((f) => f !== 'package_inventory.csv'))
  })
})

describe('the emulator loader', () => {
  it('installs v1 and upgrades to v2 next to no other app, and uninstalls it', async () => {
    const emu = await startEmulator({ updateMutexHoldMs: 0 })
    try {
      expect(await emu.installApp(probeAppZip('v1'))).toEqual({ scope: PROBE_APP.scope, version: '1.0.0' })
      expect(await emu.installApp(probeAppZip('v2'))).toEqual({ scope: PROBE_APP.scope, version: '1.1.0' })
      expect(emu.db.query('sys_choice', `name=${PROBE_APP.itemTable}`).map((c) => c.value).sort()).toEqual([PROBE_APP.choiceV1, PROBE_APP.choiceV2])
      expect(emu.db.dictionary.get(PROBE_APP.stagingTable)?.wsAccess).toBe(false)
      expect(emu.db.dictionary.get(PROBE_IMPORT.stagingTable)?.wsAccess).toBe(true)
      // The insertMultiple experiment's column: its label differs from its name.
      expect(emu.db.dictionary.columns(PROBE_IMPORT.stagingTable).filter((c) => !c.name.startsWith('sys_')).map((c) => [c.name, c.label])).toEqual([[PROBE_IMPORT.keyColumn, PROBE_IMPORT.keyLabel]])
      expect(emu.db.query('sys_transform_map', `source_table=${PROBE_IMPORT.stagingTable}`).map((m) => [m.target_table, m.active])).toEqual([[PROBE_IMPORT.targetTable, 'true']])
      await emu.uninstallApp(PROBE_APP.scope)
      expect(emu.db.tableExists(PROBE_APP.itemTable)).toBe(false)
    } finally {
      await emu.close()
    }
  })
})
