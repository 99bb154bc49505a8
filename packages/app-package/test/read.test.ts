import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP, APP_ROLES, FIX_SCRIPT_NAME, TABLES } from '@kandji-sn/contract/constants'
import {
  AppPackageError,
  readAppPackage,
  readAppPackageFromFiles,
  readAppPackageFromZip,
  recordsOf,
  validateAppPackage,
} from '../src/index.ts'
import {
  APP_FILE,
  ATF_STEP_FILE,
  DEVICE_IMPORT_BOOTSTRAP,
  FIX_SCRIPT_FILE,
  FIXTURE_DIR,
  TOMBSTONE_FILE,
  editedFiles,
  fixtureFiles,
  replaceIn,
  zipOf,
} from './fixture.ts'

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'app-package-'))
}

async function readError(promise: Promise<unknown>): Promise<AppPackageError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(AppPackageError)
  return error as AppPackageError
}

function syncError(fn: () => unknown): AppPackageError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AppPackageError)
    return e as AppPackageError
  }
  throw new Error('expected an AppPackageError')
}

describe('reading a built app', () => {
  it('identifies the app from scope/sys_app_<scopeId>.xml', async () => {
    const pkg = await readAppPackage(FIXTURE_DIR)
    expect(pkg).toMatchObject({ scope: APP.scope, scopeId: APP.scopeId, name: APP.name, version: '0.0.1' })
    expect(pkg.files).toContain(APP_FILE)
    expect(pkg.files).toContain('package_inventory.csv')
    expect(pkg.files).toEqual([...pkg.files].sort())
    expect(pkg.readProblems).toEqual([])
  })

  it('reads the zip now-sdk pack writes (entries with a leading slash) into the same package as the folder', async () => {
    const fromDir = await readAppPackage(FIXTURE_DIR)
    const fromZip = readAppPackageFromZip(zipOf(fixtureFiles()))
    expect(fromZip).toEqual(fromDir)
    expect(fromZip.files.some((f) => f.startsWith('/'))).toBe(false)
  })

  it('reads a zip file from disk', async () => {
    const path = join(tempDir(), 'kandji_0_0_1.zip')
    writeFileSync(path, zipOf(fixtureFiles()))
    const pkg = await readAppPackage(path)
    expect(recordsOf(pkg, 'sys_user_role').map((r) => r.fields['name']).sort()).toEqual(
      [APP_ROLES.admin, APP_ROLES.viewer].sort(),
    )
  })

  it('gives each record its table, sys_id, action, path and the original XML', async () => {
    const pkg = await readAppPackage(FIXTURE_DIR)
    const [fix] = recordsOf(pkg, 'sys_script_fix')
    expect(fix).toMatchObject({
      table: 'sys_script_fix',
      sysId: 'e06e526a8bf3423bb079100f2a068b01',
      action: 'INSERT_OR_UPDATE',
      path: FIX_SCRIPT_FILE,
      xml: fixtureFiles().get(FIX_SCRIPT_FILE),
    })
    expect(fix!.fields['name']).toBe(FIX_SCRIPT_NAME)
    // the SDK escapes `]]>` in a non-CDATA script; the field holds the decoded text
    expect(fix!.fields['script']).toContain("' ]]> end')")
  })

  it('decodes CDATA script bodies', async () => {
    const pkg = await readAppPackage(FIXTURE_DIR)
    const [include] = recordsOf(pkg, 'sys_script_include')
    expect(include!.fields['script']).toContain("return 'ok & <done>';")
    expect(include!.fields['script']).toMatch(/^var KandjiSetup = Class.create\(\);/)
  })

  it('keeps reference display values apart from the sys_id text', async () => {
    const pkg = await readAppPackage(FIXTURE_DIR)
    const [contains] = recordsOf(pkg, 'sys_user_role_contains')
    const roles = new Map(recordsOf(pkg, 'sys_user_role').map((r) => [r.fields['name'], r.sysId]))
    expect(contains!.fields['role']).toBe(roles.get(APP_ROLES.admin))
    expect(contains!.displayValues['role']).toBe(APP_ROLES.admin)
    expect(contains!.fields['contains']).toBe(roles.get(APP_ROLES.viewer))
    expect(contains!.displayValues['contains']).toBe(APP_ROLES.viewer)
    expect(contains!.displayValues['sys_scope']).toBe(APP.scope)
    const [aclRole] = recordsOf(pkg, 'sys_security_acl_role')
    expect(aclRole!.displayValues['sys_user_role']).toBe('import_transformer')
  })

  it('reads a cross-scope privilege with its fields', async () => {
    const pkg = await readAppPackage(FIXTURE_DIR)
    const choiceCreate = recordsOf(pkg, 'sys_scope_privilege').find((p) => p.fields['target_name'] === 'sys_choice' && p.fields['operation'] === 'create')
    expect(choiceCreate!.fields).toMatchObject({ source_scope: APP.scopeId, target_scope: 'global', target_type: 'sys_db_object', status: 'allowed' })
  })

  it('attaches the rows an ATF step carries inline as its children', async () => {
    const pkg = await readAppPackage(FIXTURE_DIR)
    const step = pkg.records.find((r) => r.path === ATF_STEP_FILE)!
    expect(step.table).toBe('sys_atf_step')
    expect(step.children).toHaveLength(9)
    expect(step.children[0]).toMatchObject({
      table: 'sys_variable_value',
      action: 'delete_multiple',
      sysId: '',
      fields: { query: `document_key=${step.sysId}` },
    })
    const path = step.children.find((c) => c.fields['value'] === '/api/x_kandj_kandji/integration/verify')
    expect(path).toMatchObject({ table: 'sys_variable_value', action: 'INSERT_OR_UPDATE', path: ATF_STEP_FILE })
    expect(path!.fields['document_key']).toBe(step.sysId)
    expect(recordsOf(pkg, 'sys_variable_value')).toEqual([]) // children are not top-level records
  })

  it('reads DELETE tombstones from author_elective_update/', async () => {
    const pkg = await readAppPackage(FIXTURE_DIR)
    const tombstone = pkg.records.find((r) => r.path === TOMBSTONE_FILE)!
    expect(tombstone).toMatchObject({ table: 'sys_atf_step', action: 'DELETE', sysId: '6e8015b76ee04c629bb5939f902e932e' })
    expect(tombstone.children[0]!.action).toBe('delete_multiple')
  })

  it('takes the table from the first element when record_update has no table attribute (the SDK bom.json module)', async () => {
    const pkg = await readAppPackage(FIXTURE_DIR)
    const bom = recordsOf(pkg, 'sys_module').find((m) => m.fields['path']?.endsWith('/bom.json'))
    expect(bom).toBeDefined()
    expect(bom!.fields['content']).toContain('"bomFormat": "CycloneDX"')
  })
})

describe('table definitions', () => {
  it('come from the dictionary bootstrap: label, parent table and columns', async () => {
    const pkg = await readAppPackage(FIXTURE_DIR)
    const staging = pkg.tables.find((t) => t.name === TABLES.deviceImport)
    expect(staging).toMatchObject({ label: 'Kandji Device Import', extends: 'sys_import_set_row' })
    expect(staging!.columns).toContainEqual({ name: 'serial_number', type: 'string', label: 'Serial Number', maxLength: 100, mandatory: true })
    expect(staging!.columns.find((c) => c.name === 'last_check_in')!.type).toBe('glide_date_time')
    const mdm = pkg.tables.find((t) => t.name === TABLES.mdm)!
    expect(mdm.extends).toBeUndefined()
    expect(mdm.columns).toContainEqual(expect.objectContaining({ name: 'computer', type: 'reference', reference: 'cmdb_ci_computer' }))
    expect(mdm.columns).toContainEqual(expect.objectContaining({ name: 'blueprint', defaultValue: 'Standard', maxLength: 200 }))
  })

  it('come from sys_db_object + sys_dictionary records when the bootstrap is absent', () => {
    const pkg = readAppPackageFromFiles(editedFiles((f) => {
      for (const path of [...f.keys()]) if (path.startsWith('dictionary/')) f.delete(path)
    }))
    const staging = pkg.tables.find((t) => t.name === TABLES.deviceImport)!
    expect(staging).toMatchObject({ label: 'Kandji Device Import', extends: 'sys_import_set_row' })
    expect(staging.columns).toEqual([{ name: 'serial_number', type: 'string', label: 'Serial Number', maxLength: 100, mandatory: true }])
    const mdm = pkg.tables.find((t) => t.name === TABLES.mdm)!
    expect(mdm.columns).toEqual([{ name: 'computer', type: 'reference', label: 'Computer', maxLength: 32, reference: 'cmdb_ci_computer', mandatory: false }])
  })

  it('merge both sources: records fill what the bootstrap leaves out', () => {
    const pkg = readAppPackageFromFiles(editedFiles((f) => {
      replaceIn(f, DEVICE_IMPORT_BOOTSTRAP, ' label="Kandji Device Import" extends="sys_import_set_row"', '')
    }))
    expect(pkg.tables.find((t) => t.name === TABLES.deviceImport)).toMatchObject({
      label: 'Kandji Device Import',
      extends: 'sys_import_set_row',
    })
  })
})

describe('reading refuses what is not a built app, naming the file', () => {
  it('a path that does not exist', async () => {
    const error = await readError(readAppPackage('/nonexistent/dist/app'))
    expect(error.message).toMatch(/^error: cannot read the app package \/nonexistent\/dist\/app \(ENOENT\)\ncause: .+\nfix: {3}.+build/)
  })

  it('a file that is not a zip', async () => {
    const path = join(tempDir(), 'app.xml')
    writeFileSync(path, '<record_update/>')
    const error = await readError(readAppPackage(path))
    expect(error.message).toContain(`${path} is not a zip file`)
    expect(error.path).toBe(path)
  })

  it('a corrupt (truncated) zip', async () => {
    const zip = zipOf(fixtureFiles())
    const path = join(tempDir(), 'broken.zip')
    writeFileSync(path, zip.slice(0, Math.floor(zip.length / 2)))
    const error = await readError(readAppPackage(path))
    expect(error.message).toContain(`${path} is a corrupt zip`)
    expect(error.message).toContain('now-sdk pack')
  })

  it('a zip without sys_app', () => {
    const error = syncError(() => readAppPackageFromZip(zipOf(editedFiles((f) => f.delete(APP_FILE)))))
    expect(error.message).toContain('the zip has no sys_app record')
    expect(error.fix).toContain('dist/app')
  })

  it('a project folder instead of its dist/app, pointing at dist/app', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'dist', 'app', 'scope'), { recursive: true })
    writeFileSync(join(dir, 'now.config.json'), '{}')
    const error = await readError(readAppPackage(dir))
    expect(error.message).toContain('has no scope/ folder, so it holds no sys_app record')
    expect(error.message).toContain('this is the app project folder')
    expect(error.fix).toContain(join(dir, 'dist', 'app'))
  })

  it('an empty folder', async () => {
    const error = await readError(readAppPackage(tempDir()))
    expect(error.message).toContain('holds no sys_app record')
  })

  it('an empty file list', () => {
    expect(syncError(() => readAppPackageFromFiles(new Map())).message).toContain('holds no files')
  })

  it('a sys_app file that is malformed says which file and where', () => {
    const error = syncError(() =>
      readAppPackageFromFiles(editedFiles((f) => replaceIn(f, APP_FILE, '</sys_app>', ''))),
    )
    expect(error.path).toBe(APP_FILE)
    expect(error.message).toContain(`${APP_FILE}: malformed XML at line`)
  })

  it('a non-XML file inside the package', async () => {
    const dir = tempDir()
    for (const [path, text] of fixtureFiles()) {
      mkdirSync(join(dir, path, '..'), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    writeFileSync(join(dir, 'update', 'notes.txt'), 'hello')
    const error = await readError(readAppPackage(dir))
    expect(error.message).toContain('update/notes.txt, which is not an XML file')
    expect(error.path).toBe('update/notes.txt')
  })
})

describe('broken record files are read around and reported by validation', () => {
  const cases: [string, (f: Map<string, string>) => void, RegExp][] = [
    ['truncated XML', (f) => f.set(FIX_SCRIPT_FILE, f.get(FIX_SCRIPT_FILE)!.slice(0, 200)), /malformed XML at line \d+/],
    ['binary content', (f) => f.set(FIX_SCRIPT_FILE, '\u0000\u0001PK'), /binary, not XML/],
    ['text that is not XML', (f) => f.set(FIX_SCRIPT_FILE, 'var x = 1;'), /not XML/],
    ['an empty file', (f) => f.set(FIX_SCRIPT_FILE, ''), /not XML/],
    ['another root element', (f) => f.set(FIX_SCRIPT_FILE, '<unload/>'), /root element is <unload>/],
    ['an empty record_update', (f) => f.set(FIX_SCRIPT_FILE, '<record_update table="sys_script_fix"/>'), /holds no record/],
    ['a table attribute that names no element', (f) => replaceIn(f, FIX_SCRIPT_FILE, 'table="sys_script_fix"', 'table="sys_script"'), /holds no <sys_script> element/],
    ['a malformed table bootstrap', (f) => f.set(DEVICE_IMPORT_BOOTSTRAP, '<database><element></database>'), /malformed XML/],
    ['a bootstrap that is not <database>', (f) => f.set(DEVICE_IMPORT_BOOTSTRAP, '<tables/>'), /must be <database>/],
  ]
  for (const [what, edit, message] of cases) {
    it(`${what}`, () => {
      const files = editedFiles(edit)
      const broken = [...files.keys()].find((p) => files.get(p) !== fixtureFiles().get(p))!
      const pkg = readAppPackageFromFiles(files)
      expect(pkg.records.some((r) => r.path === broken)).toBe(false)
      const errors = validateAppPackage(pkg).filter((i) => i.severity === 'error' && i.path === broken)
      expect(errors).toHaveLength(1)
      expect(errors[0]!.message).toMatch(message)
      expect(errors[0]!.message).toContain('now-sdk build')
    })
  }
})
