import { describe, expect, it } from 'vitest'
import { APP, APP_ROLES, CROSS_SCOPE_PRIVILEGES, FIX_SCRIPT_NAME, PLATFORM_TABLES, TABLES } from '@kandji-sn/contract/constants'
import { crossScopePrivilegesOf, readAppPackageFromFiles, validateAppPackage, type AppPackage, type ValidationIssue } from '../src/index.ts'
import {
  ADMIN_ROLE_FILE,
  APP_FILE,
  ATF_STEP_FILE,
  CHOICE_CREATE_PRIVILEGE_FILE,
  CHOICE_FILE,
  CHOICE_XML,
  DEVICE_IMPORT_BOOTSTRAP,
  DEVICE_IMPORT_TABLE_FILE,
  FIX_SCRIPT_FILE,
  VIEWER_ROLE_FILE,
  editedFiles,
  fixtureFiles,
  replaceIn,
} from './fixture.ts'

const VIEWER_ID = '0e2b90af56ae419a858e407ef47ec332'
const OTHER_SCOPE_ID = '0123456789abcdef0123456789abcdef'

function issuesOf(edit: (f: Map<string, string>) => void, keepInventory = false): ValidationIssue[] {
  return validateAppPackage(readAppPackageFromFiles(editedFiles(edit, keepInventory)))
}
const errors = (issues: ValidationIssue[]) => issues.filter((i) => i.severity === 'error')
const warnings = (issues: ValidationIssue[]) => issues.filter((i) => i.severity === 'warning')

describe('validateAppPackage on the real build output', () => {
  it('finds no errors, and warns only about the parts the sample app does not ship', () => {
    const issues = validateAppPackage(readAppPackageFromFiles(fixtureFiles()))
    expect(errors(issues)).toEqual([])
    expect(warnings(issues).map((w) => w.message)).toEqual([
      expect.stringContaining(`table ${TABLES.appImport} is missing`),
      expect.stringContaining(`table ${TABLES.software} is missing`),
      expect.stringContaining('transform map "Kandji Application to Software Install" is missing'),
      expect.stringContaining('REST operation POST /api/x_kandj_kandji/integration/repair is missing'),
      expect.stringContaining('REST operation GET /api/x_kandj_kandji/integration/import_sets/{sys_id} is missing'),
      expect.stringContaining('REST operation GET /api/x_kandj_kandji/integration/status is missing'),
    ])
  })
})

describe('generic checks', () => {
  it('a record without sys_id', () => {
    const issues = issuesOf((f) => replaceIn(f, FIX_SCRIPT_FILE, /<sys_id>\w+<\/sys_id>/, ''))
    expect(errors(issues)).toEqual([
      { severity: 'error', path: FIX_SCRIPT_FILE, message: expect.stringMatching(/the sys_script_fix record has no sys_id.*Now\.ID/) },
    ])
  })

  it('an embedded row without sys_id, but not the delete_multiple clean-up row', () => {
    const issues = issuesOf((f) => replaceIn(f, ATF_STEP_FILE, '<sys_id>317a3583c3e141e584c8440cd5fedecb</sys_id>', ''))
    expect(errors(issues)).toEqual([
      { severity: 'error', path: ATF_STEP_FILE, message: expect.stringContaining('the sys_variable_value row embedded in it has no sys_id') },
    ])
  })

  it('a sys_id that is not 32 hex characters', () => {
    const issues = issuesOf((f) => replaceIn(f, FIX_SCRIPT_FILE, /<sys_id>\w+<\/sys_id>/, '<sys_id>fix-1</sys_id>'))
    expect(errors(issues)[0]).toMatchObject({ path: FIX_SCRIPT_FILE, message: expect.stringContaining('sys_id "fix-1", which is not 32 hex') })
  })

  it('two records with the same sys_id', () => {
    const issues = issuesOf((f) => replaceIn(f, ADMIN_ROLE_FILE, /<sys_id>\w+<\/sys_id>/, `<sys_id>${VIEWER_ID}</sys_id>`))
    const duplicate = errors(issues).find((i) => i.message.includes(`sys_id ${VIEWER_ID}`))
    expect(duplicate).toBeDefined()
    expect(duplicate!.message).toMatch(/also used by sys_user_role in update\/sys_user_role_.*keys\.ts/)
  })

  // a record of another scope is the scan's record-outside-scope rule (scan.test.ts)

  it('a record without sys_scope is a warning', () => {
    const issues = issuesOf((f) => replaceIn(f, FIX_SCRIPT_FILE, /<sys_scope [^>]*>\w+<\/sys_scope>/, ''))
    expect(errors(issues)).toEqual([])
    expect(warnings(issues).find((w) => w.path === FIX_SCRIPT_FILE)?.message).toContain('has no sys_scope')
  })

  it('a package without sys_app (built by hand or filtered)', () => {
    const pkg = readAppPackageFromFiles(fixtureFiles())
    const filtered: AppPackage = { ...pkg, records: pkg.records.filter((r) => r.table !== PLATFORM_TABLES.app) }
    expect(errors(validateAppPackage(filtered))).toEqual([
      { severity: 'error', path: '', message: expect.stringContaining('has no sys_app record') },
    ])
  })

  it('two sys_app records', () => {
    const issues = issuesOf((f) => f.set('scope/sys_app_copy.xml', f.get(APP_FILE)!.replace(/6b0f1ad4c3f24e9a8a1d2f3b4c5d6e7f/g, OTHER_SCOPE_ID)))
    expect(errors(issues).map((i) => i.message)).toContainEqual(expect.stringContaining('has 2 sys_app records'))
  })

  it('a role not prefixed with the scope', () => {
    const issues = issuesOf((f) => replaceIn(f, VIEWER_ROLE_FILE, `<name>${APP_ROLES.viewer}</name>`, '<name>kandji_viewer</name>'))
    expect(errors(issues)).toContainEqual({
      severity: 'error',
      path: VIEWER_ROLE_FILE,
      message: expect.stringContaining(`role "kandji_viewer" is not prefixed with "${APP.scope}."; a scoped app may only define roles in its own namespace: rename it to "${APP.scope}.kandji_viewer"`),
    })
  })

  it('a table not prefixed with the scope', () => {
    const issues = issuesOf((f) => {
      replaceIn(f, DEVICE_IMPORT_TABLE_FILE, `<name>${TABLES.deviceImport}</name>`, '<name>u_device_import</name>')
    })
    expect(errors(issues)).toContainEqual({
      severity: 'error',
      path: DEVICE_IMPORT_TABLE_FILE,
      message: expect.stringContaining(`table "u_device_import" is not prefixed with "${APP.scope}_"`),
    })
  })

  it('a table only the bootstrap defines, not prefixed with the scope', () => {
    const issues = issuesOf((f) => f.set('dictionary/u_other.xml', '<database><element name="u_other" type="collection" label="Other"/></database>'))
    expect(errors(issues)).toContainEqual(expect.objectContaining({ path: 'dictionary/u_other.xml', message: expect.stringContaining('table "u_other"') }))
  })
})

describe("choices on another scope's field", () => {
  const withChoice = (f: Map<string, string>) => f.set(CHOICE_FILE, CHOICE_XML)
  const foreign = expect.stringContaining('cmdb_ci.discovery_source, a field of a table outside x_kandj_kandji; an installer may apply it as the whole choice list')

  it("a packaged sys_choice on cmdb_ci.discovery_source is an error (it may replace the field's other choices)", () => {
    expect(errors(issuesOf(withChoice))).toEqual([{ severity: 'error', path: CHOICE_FILE, message: foreign }])
  })

  it('so is a DELETE of one, which a removed Record leaves behind', () => {
    const issues = issuesOf((f) => {
      withChoice(f)
      replaceIn(f, CHOICE_FILE, 'action="INSERT_OR_UPDATE"', 'action="DELETE"')
    })
    expect(errors(issues)).toEqual([{ severity: 'error', path: CHOICE_FILE, message: expect.stringContaining('ships a sys_choice deletion for cmdb_ci.discovery_source') }])
  })

  it('on any other table of another scope too (incident.state)', () => {
    const issues = issuesOf((f) => {
      withChoice(f)
      replaceIn(f, CHOICE_FILE, '<name>cmdb_ci</name>', '<name>incident</name>')
      replaceIn(f, CHOICE_FILE, '<element>discovery_source</element>', '<element>state</element>')
    })
    expect(errors(issues)).toEqual([{ severity: 'error', path: CHOICE_FILE, message: expect.stringContaining('for incident.state, a field of a table outside x_kandj_kandji') }])
  })

  it("a choice on the app's own table is fine", () => {
    const issues = issuesOf((f) => {
      withChoice(f)
      replaceIn(f, CHOICE_FILE, '<name>cmdb_ci</name>', `<name>${TABLES.mdm}</name>`)
    })
    expect(errors(issues)).toEqual([])
  })

  it('applies to any app, not only the Kandji scope', () => {
    const pkg = readAppPackageFromFiles(editedFiles(withChoice))
    const other: AppPackage = { ...pkg, scope: 'x_other_app' }
    expect(validateAppPackage(other).filter((i) => i.path === CHOICE_FILE).map((i) => i.message)).toContainEqual(expect.stringContaining('cmdb_ci.discovery_source, a field of a table outside x_other_app'))
  })
})

describe('cross-scope privileges', () => {
  it("lists the package's allowed table privileges", () => {
    expect(crossScopePrivilegesOf(readAppPackageFromFiles(fixtureFiles()))).toEqual(CROSS_SCOPE_PRIVILEGES.map((p) => `${p.table}:${p.operation}`).sort())
  })

  it('a privilege the scripts need and the package lacks is an error that names it', () => {
    const issues = issuesOf((f) => f.delete(CHOICE_CREATE_PRIVILEGE_FILE))
    expect(errors(issues)).toEqual([{ severity: 'error', path: '', message: expect.stringContaining('no allowed sys_scope_privilege for create on sys_choice, which the app\'s scripts need (repair and kandji_fix_script add the Kandji discovery source)') }])
  })

  it('a privilege not allowed is refused until an admin allows it (one no script uses: scan.test.ts)', () => {
    const extra = 'update/sys_scope_privilege_00000000000000000000000000000001.xml'
    const issues = issuesOf((f) => {
      f.set(extra, (f.get(CHOICE_CREATE_PRIVILEGE_FILE) ?? '').replace(/d63a91b9907740c7b54837174a6fadb2/g, '00000000000000000000000000000001').replace('<operation>create</operation>', '<operation>delete</operation>'))
      replaceIn(f, CHOICE_CREATE_PRIVILEGE_FILE, '<status>allowed</status>', '<status>requested</status>')
    })
    expect(new Set(errors(issues))).toEqual(new Set([
      { severity: 'error', path: '', message: expect.stringContaining('no allowed sys_scope_privilege for create on sys_choice') },
      { severity: 'error', path: CHOICE_CREATE_PRIVILEGE_FILE, message: expect.stringContaining('sys_choice:create has status "requested"') },
    ]))
  })
})

describe('Kandji app checks (scope from the contract)', () => {
  it('a missing fix script', () => {
    const issues = issuesOf((f) => f.delete(FIX_SCRIPT_FILE))
    expect(errors(issues)).toEqual([expect.objectContaining({ message: expect.stringContaining(`the fix script ${FIX_SCRIPT_NAME} is missing`) })])
  })

  it('a missing role', () => {
    const issues = issuesOf((f) => f.delete(VIEWER_ROLE_FILE))
    expect(errors(issues).map((i) => i.message)).toContainEqual(expect.stringContaining(`role ${APP_ROLES.viewer} is missing`))
  })

  it('a scopeId other than the contract', () => {
    const issues = issuesOf((f) => {
      for (const [path, text] of f) f.set(path, text.replaceAll(APP.scopeId, OTHER_SCOPE_ID))
    })
    expect(errors(issues)).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`scopeId is ${OTHER_SCOPE_ID} but the contract fixes ${APP.scopeId}`) }),
    ])
  })

  it('a staging table that does not extend sys_import_set_row', () => {
    const issues = issuesOf((f) => {
      replaceIn(f, DEVICE_IMPORT_BOOTSTRAP, 'extends="sys_import_set_row"', 'extends="sys_metadata"')
    })
    expect(errors(issues)).toContainEqual(expect.objectContaining({ message: expect.stringContaining(`staging table ${TABLES.deviceImport} extends sys_metadata`) }))
  })

  it('do not apply to another app', () => {
    const pkg = readAppPackageFromFiles(editedFiles((f) => f.delete(FIX_SCRIPT_FILE)))
    const other: AppPackage = { ...pkg, scope: 'x_other_app' }
    const messages = validateAppPackage(other).map((i) => i.message)
    expect(messages.some((m) => m.includes(FIX_SCRIPT_NAME))).toBe(false)
  })
})

describe('package_inventory.csv', () => {
  it('a file edited after pack', () => {
    const issues = issuesOf((f) => replaceIn(f, FIX_SCRIPT_FILE, 'Kandji repair', 'Kandji repair (edited)'), true)
    expect(errors(issues)).toEqual([
      { severity: 'error', path: 'package_inventory.csv', message: expect.stringContaining(`${FIX_SCRIPT_FILE} differs from the file that was packed (sha256 mismatch)`) },
    ])
  })

  it('a file missing from the package', () => {
    const issues = issuesOf((f) => f.delete(ATF_STEP_FILE), true)
    expect(errors(issues)).toContainEqual(expect.objectContaining({ message: expect.stringContaining(`lists ${ATF_STEP_FILE}, which is not in the package`) }))
  })

  it('a file added after pack is a warning', () => {
    const issues = issuesOf((f) => f.set('update/sys_user_role_extra.xml', f.get(VIEWER_ROLE_FILE)!.replace(/0e2b90af/g, '1e2b90af').replace('.viewer<', '.extra<')), true)
    expect(warnings(issues)).toContainEqual(expect.objectContaining({ path: 'update/sys_user_role_extra.xml', message: expect.stringContaining('is not listed in package_inventory.csv') }))
  })

  it('a malformed line', () => {
    const issues = issuesOf((f) => f.set('package_inventory.csv', `${f.get('package_inventory.csv')}update/x.xml\n`), true)
    expect(errors(issues)).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/line \d+ is not "<path>;<sha256>"/) }))
  })

  it('an inventory of another app', () => {
    const issues = issuesOf((f) => replaceIn(f, 'package_inventory.csv', '#build=x_kandj_kandji', '#build=x_other'), true)
    expect(errors(issues)).toContainEqual(expect.objectContaining({ message: expect.stringContaining('#build=x_other') }))
  })
})
