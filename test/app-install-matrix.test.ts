// Issue 11: installing, upgrading and uninstalling the Kandji app never harms an instance. One matrix over the
// platform behaviours the sources leave open (emulator switches, tools/instance-emulator/README.md):
//   choiceListLoader    replace (v3, default) | skip | additive: what a packaged choice list would do
//   install path        upload (deploy --app-source package: no fix script) | repo (CI/CD app repository: fix scripts run)
//   globalTableAccess   read-only (default) | open: whether sys_choice lets the app's scope create the choice
// On every combination the other discovery-source choices stay byte for byte what they were, deploy leaves exactly
// one active Kandji choice (added by the fix script where the instance lets it, otherwise by deploy as the admin),
// verify passes, repair works where the instance lets the app write sys_choice and refuses cleanly elsewhere, and
// uninstall keeps the choice while a CI names it.
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { APP, DISCOVERY_SOURCE, EXIT_CODES, FIX_SCRIPT_NAME, PLATFORM_TABLES, repairPath } from '@kandji-sn/contract'
import { loadKandjiApp, runFixScript, type Emulator, type EmulatorSwitches } from '@kandji-sn/instance-emulator'
import { checkStatus, explain, REPO_ROOT, request, startInstance, type Instance } from './support/instance.ts'

const temp: string[] = []
afterAll(async () => {
  await Promise.all(temp.map((d) => rm(d, { recursive: true, force: true })))
})

const FIELD = `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}`

/** Every other choice of the field as stored, every column: what "byte for byte" compares. */
function otherChoices(emu: Emulator) {
  return emu.db.query(PLATFORM_TABLES.choice, `${FIELD}^value!=${DISCOVERY_SOURCE.value}^ORDERBYsys_id`).map((r) => ({ ...r }))
}

function kandjiChoices(emu: Emulator) {
  return emu.db.query(PLATFORM_TABLES.choice, `${FIELD}^value=${DISCOVERY_SOURCE.value}`)
}

/** The choices' identity and values, without the system columns a re-created row gets anew. */
function choiceValues(rows: ReturnType<typeof otherChoices>) {
  return rows.map((r) => ({ sys_id: r.sys_id, value: r.value, label: r.label, sequence: r.sequence, inactive: r.inactive, language: r.language }))
}

/** A copy of the built app (same scope and sys_id) at `version`, or at the next patch version: an upgrade. */
async function builtAppAt(version?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kandji-upgrade-'))
  temp.push(dir)
  await cp(join(REPO_ROOT, 'apps/servicenow-app/dist/app'), dir, { recursive: true })
  await rm(join(dir, 'package_inventory.csv'), { force: true })
  for (const f of await readdir(join(dir, 'scope'))) {
    const path = join(dir, 'scope', f)
    const next = (_m: string, a: string, b: string, c: string) => `<version>${version ?? `${a}.${b}.${Number(c) + 1}`}</version>`
    await writeFile(path, (await readFile(path, 'utf8')).replace(/<version>(\d+)\.(\d+)\.(\d+)<\/version>/, next))
  }
  return dir
}

type Combination = { loader: EmulatorSwitches['choiceListLoader']; install: 'upload' | 'repo'; tables: EmulatorSwitches['globalTableAccess'] }
const COMBINATIONS: Combination[] = (['replace', 'skip', 'additive'] as const).flatMap((loader) =>
  (['upload', 'repo'] as const).flatMap((install) => (['read-only', 'open'] as const).map((tables) => ({ loader, install, tables }))),
)

describe.each(COMBINATIONS)('loader $loader, $install install, global tables $tables', ({ loader, install, tables }) => {
  // The fix script can add the choice only when it runs (repository installs) and sys_choice lets the app create.
  const fixScriptAdds = install === 'repo' && tables === 'open'

  it('deploy, repair, upgrade and uninstall leave every other discovery source untouched; Kandji is there after deploy and kept while CIs name it', async () => {
    let inst: Instance | undefined
    try {
      inst = await startInstance({ switches: { choiceListLoader: loader, globalTableAccess: tables } })
      const emu = inst.emulator
      const before = otherChoices(emu)
      expect(before.map((c) => c.value)).toEqual(expect.arrayContaining(['ServiceNow', 'SCCM', 'Manual Entry']))

      if (install === 'repo') await emu.publishApp((await loadKandjiApp()).bytes)
      const deploy = await inst.cli(['deploy', '--yes', '--json', '--app-source', install === 'repo' ? 'repo' : 'package', ...(install === 'upload' ? ['--app-package', (await loadKandjiApp()).zip] : []), '--credentials-out', inst.handoffPath])
      expect(deploy.code, explain(deploy)).toBe(EXIT_CODES.ok)
      expect(otherChoices(emu)).toEqual(before)
      expect(kandjiChoices(emu).map((c) => ({ label: c.label, language: c.language, inactive: c.inactive }))).toEqual([{ label: DISCOVERY_SOURCE.label, language: DISCOVERY_SOURCE.language, inactive: 'false' }])
      // Who added it: the fix script where it could, deploy (as the admin, through the Table API) everywhere else.
      const added = (deploy.json?.applied as Array<{ step: string; action: string }>).filter((a) => a.step === 'discovery-source')
      expect(added).toEqual(fixScriptAdds ? [] : [{ step: 'discovery-source', action: 'create', key: `${PLATFORM_TABLES.choice} ${FIELD}^value=${DISCOVERY_SOURCE.value}^language=${DISCOVERY_SOURCE.language}` }])
      const refusedByTable = emu.db.tableExists('syslog') ? emu.db.count('syslog', `messageSTARTSWITHSecurity restricted: Create operation against 'sys_choice'`) : 0
      expect(refusedByTable).toBe(install === 'repo' && tables === 'read-only' ? 1 : 0)
      const verified = await inst.verify()
      expect(verified.code, explain(verified)).toBe(EXIT_CODES.ok)
      expect(checkStatus(verified.report, 'discovery_source')).toBe('pass')

      // Someone deletes the choice by hand. POST repair (the fix script's logic) adds it back where sys_choice lets
      // the app's scope create; elsewhere it answers 409, says what to do and changes nothing; deploy converges.
      for (const c of kandjiChoices(emu)) emu.db.delete(PLATFORM_TABLES.choice, c.sys_id as string)
      const repair = await request(inst, repairPath, { method: 'POST', body: {} })
      const repaired = repair.body as { result: { actions: Array<{ action: string; detail: string }> } }
      expect([repair.status, repaired.result.actions.map((a) => a.action)]).toEqual(tables === 'open' ? [200, ['created']] : [409, ['failed']])
      expect(kandjiChoices(emu)).toHaveLength(tables === 'open' ? 1 : 0)
      expect(otherChoices(emu)).toEqual(before)
      if (tables === 'read-only') expect((await inst.deploy()).code).toBe(EXIT_CODES.ok)
      expect(kandjiChoices(emu).map((c) => c.inactive)).toEqual(['false'])

      // An upgrade of the app (the next patch version) touches no choice at all.
      const kandji = kandjiChoices(emu).map((c) => ({ ...c }))
      await emu.installApp(await builtAppAt())
      expect(otherChoices(emu)).toEqual(before)
      expect(kandjiChoices(emu)).toEqual(kandji)

      // A CI names the source: uninstall keeps the choice and says why.
      emu.db.insert(PLATFORM_TABLES.computer, { name: 'mac-1', serial_number: 'C02MATRIX', discovery_source: DISCOVERY_SOURCE.value })
      const gone = await inst.cli(['uninstall', '--yes', '--app'])
      expect(gone.code, explain(gone)).toBe(EXIT_CODES.ok)
      expect(gone.stdout).toContain('kept: 1 CI still names it as discovery source')
      expect(emu.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`)).toEqual([])
      expect(otherChoices(emu)).toEqual(before)
      expect(kandjiChoices(emu)).toEqual(kandji)
    } finally {
      await inst?.close()
    }
  })
})

/**
 * The built app (builtAppAt) zipped with the choice list Kandji 1.0.0 carried: its real build output,
 * update/sys_choice_cmdb_ci_discovery_source.xml, kept in packages/app-package/test/fixtures.
 */
async function withChoiceList(version?: string): Promise<string> {
  const dir = await builtAppAt(version)
  const choice = await readFile(join(REPO_ROOT, 'packages/app-package/test/fixtures/foreign-choice/sys_choice_cmdb_ci_discovery_source.xml'))
  const files: Record<string, Uint8Array> = { '/update/sys_choice_cmdb_ci_discovery_source.xml': new Uint8Array(choice) }
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[`/${join(entry.parentPath, entry.name).slice(dir.length + 1)}`] = new Uint8Array(await readFile(join(entry.parentPath, entry.name)))
  }
  const zip = join(dir, 'kandji_with_choice_list.zip')
  await writeFile(zip, zipSync(files))
  return zip
}

/** An instance with the v3 loader (choiceListLoader 'replace') and a deploy done; `before`: its other choices. */
async function onDeployedV3Instance(body: (inst: Instance, emu: Emulator, before: ReturnType<typeof choiceValues>) => Promise<void>): Promise<void> {
  const inst = await startInstance({ switches: { choiceListLoader: 'replace' } })
  try {
    expect((await inst.deploy()).code).toBe(EXIT_CODES.ok)
    await body(inst, inst.emulator, choiceValues(otherChoices(inst.emulator)))
  } finally {
    await inst.close()
  }
}

describe('deploy guards the shared choice list whatever the package does', () => {
  it('a package applied as the whole choice list (v3 loader) removes the other discovery sources; deploy restores each with its sys_id and says so', async () => {
    await onDeployedV3Instance(async (inst, emu, before) => {
      const upgrade = await inst.cli(['deploy', '--yes', '--app-package', await withChoiceList(), '--credentials-out', inst.handoffPath])
      expect(upgrade.code, explain(upgrade)).toBe(EXIT_CODES.ok)
      expect(upgrade.stderr).toMatch(new RegExp(`warning: the app install removed ${before.length} cmdb_ci\\.discovery_source choices \\(ServiceNow, `))
      expect(upgrade.stderr).toContain('restored with their sys_ids')
      expect(choiceValues(otherChoices(emu))).toEqual(before)
      expect(kandjiChoices(emu).filter((c) => c.inactive !== 'true')).toHaveLength(1)
      const verified = await inst.verify()
      expect(checkStatus(verified.report, 'discovery_source')).toBe('pass')
    })
  })
})

describe('the choice-list guard when things go wrong', () => {
  it('an install whose outcome the CLI never learns (progress unreachable): the choices are restored anyway, and deploy says to check again', async () => {
    await onDeployedV3Instance(async (inst, emu, before) => {
      emu.addFault({ path: '/api/sn_cicd/progress', kind: 'status', status: 400 })
      const run = await inst.cli(['deploy', '--yes', '--app-package', await withChoiceList(), '--credentials-out', inst.handoffPath])
      expect(run.code).not.toBe(EXIT_CODES.ok)
      expect(run.stderr).toMatch(/warning: the app install removed 7 cmdb_ci\.discovery_source choices \(ServiceNow, .*restored with their sys_ids.*may still be running/)
      expect(choiceValues(otherChoices(emu))).toEqual(before)
    })
  })

  it('a re-created choice whose create is refused once is sent again after a look-up by sys_id; refused for good, deploy fails (exit 4) with the list to add by hand', async () => {
    await onDeployedV3Instance(async (inst, emu, before) => {
      emu.addFault({ method: 'POST', path: '/api/now/table/sys_choice', kind: 'status', status: 503, nth: 1, times: 1 })
      const once = await inst.cli(['deploy', '--yes', '--app-package', await withChoiceList(), '--credentials-out', inst.handoffPath])
      expect(once.code, explain(once)).toBe(EXIT_CODES.ok)
      expect(choiceValues(otherChoices(emu))).toEqual(before)

      emu.clearFaults()
      emu.addFault({ method: 'POST', path: '/api/now/table/sys_choice', kind: 'status', status: 503 })
      const refused = await inst.cli(['deploy', '--yes', '--app-package', await withChoiceList('9.9.9'), '--credentials-out', inst.handoffPath])
      expect(refused.code).toBe(EXIT_CODES.instance)
      expect(refused.stderr).toMatch(/^error: the app install removed 7 cmdb_ci\.discovery_source choices and restoring them failed; add them back by hand \(Discovery source > Show Choice List\): .*value=ServiceNow/m)
    })
  })
})

describe.each(['replace', 'skip', 'additive'] as const)('an instance that has Kandji 1.0.0 (it packaged the choice list), loader %s', (loader) => {
  it('deploy of 1.0.0 and then of the current build leave the other discovery sources as they were and one active Kandji choice', async () => {
    const inst = await startInstance({ switches: { choiceListLoader: loader } })
    try {
      const emu = inst.emulator
      const before = choiceValues(otherChoices(emu))
      const old = await withChoiceList('1.0.0')
      const first = await inst.cli(['deploy', '--yes', '--app-package', old, '--credentials-out', inst.handoffPath])
      expect(first.code, explain(first)).toBe(EXIT_CODES.ok)
      expect(choiceValues(otherChoices(emu))).toEqual(before)
      // The upgrade removes 1.0.0's own Kandji choice (a file the new version no longer ships); deploy adds it back.
      const upgrade = await inst.deploy()
      expect(upgrade.code, explain(upgrade)).toBe(EXIT_CODES.ok)
      expect(choiceValues(otherChoices(emu))).toEqual(before)
      expect(kandjiChoices(emu).map((c) => c.inactive)).toEqual(['false'])
      expect(checkStatus((await inst.verify()).report, 'discovery_source')).toBe('pass')
    } finally {
      await inst.close()
    }
  })
})

describe('uninstall without CIs from Kandji', () => {
  it('keeps the choice when the app uninstall fails (IRE still needs it), and keeps rows the customer relabelled or translated', async () => {
    const inst = await startInstance({})
    try {
      expect((await inst.deploy()).code).toBe(EXIT_CODES.ok)
      inst.emulator.addFault({ path: '/xmlhttp.do', kind: 'status', status: 500 })
      const failed = await inst.cli(['uninstall', '--yes', '--app'])
      expect(failed.code).not.toBe(EXIT_CODES.ok)
      expect(kandjiChoices(inst.emulator)).toHaveLength(1)
      inst.emulator.clearFaults()
      const [row] = kandjiChoices(inst.emulator)
      inst.emulator.db.update(PLATFORM_TABLES.choice, row?.sys_id as string, { label: 'Kandji MDM' })
      inst.emulator.db.insert(PLATFORM_TABLES.choice, { name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value: DISCOVERY_SOURCE.value, label: DISCOVERY_SOURCE.label, language: 'de' })
      const gone = await inst.cli(['uninstall', '--yes', '--app'])
      expect(gone.code, explain(gone)).toBe(EXIT_CODES.ok)
      expect(gone.stdout).toContain('kept 2 translated or relabelled rows of the choice')
      expect(kandjiChoices(inst.emulator).map((c) => `${c.label}/${c.language}`).sort()).toEqual(['Kandji MDM/en', 'Kandji/de'])
    } finally {
      await inst.close()
    }
  })

  it('removes the Kandji choice by sys_id with the app, and nothing else of the field', async () => {
    const inst = await startInstance({})
    try {
      const before = otherChoices(inst.emulator)
      expect((await inst.deploy()).code).toBe(EXIT_CODES.ok)
      expect(kandjiChoices(inst.emulator)).toHaveLength(1)
      const gone = await inst.cli(['uninstall', '--yes', '--app'])
      expect(gone.code, explain(gone)).toBe(EXIT_CODES.ok)
      expect(gone.stdout).toMatch(/removed sys_choice name=cmdb_ci\^element=discovery_source\^value=Kandji\^language=en/)
      expect(kandjiChoices(inst.emulator)).toEqual([])
      expect(otherChoices(inst.emulator)).toEqual(before)
    } finally {
      await inst.close()
    }
  })
})

describe('the fix script, run by hand', () => {
  it.each(['read-only', 'open'] as const)('with global tables %s: adds the choice where sys_choice allows it, otherwise says what to do and changes nothing', async (tables) => {
    const inst = await startInstance({ switches: { globalTableAccess: tables } })
    try {
      const emu = inst.emulator
      await emu.installApp((await loadKandjiApp()).bytes)
      const before = otherChoices(emu)
      const run = runFixScript(emu, FIX_SCRIPT_NAME)
      expect(run.ok).toBe(true)
      const messages = run.log.map((l) => `${l.level} ${l.message}`)
      if (tables === 'open') {
        expect(kandjiChoices(emu)).toHaveLength(1)
        expect(messages).toContain(`info ${FIX_SCRIPT_NAME}: ${PLATFORM_TABLES.choice} ${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element}=${DISCOVERY_SOURCE.value}: created: Added ${DISCOVERY_SOURCE.value} to the ${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element} choices.`)
      } else {
        expect(kandjiChoices(emu)).toEqual([])
        expect(messages).toContain("error Security restricted: Create operation against 'sys_choice' from scope 'x_kandj_kandji' has been refused due to the table's cross-scope access policy")
        expect(messages.find((m) => m.includes(': failed: '))).toMatch(/run deploy-integration deploy/)
      }
      expect(otherChoices(emu)).toEqual(before)
    } finally {
      await inst.close()
    }
  })
})
