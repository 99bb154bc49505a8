import { describe, expect, it } from 'vitest'
import { readAppPackageFromFiles, scanAppPackage, type AppProject, type Finding } from '../src/index.ts'
import {
  APP_FILE,
  FIX_SCRIPT_FILE,
  MODULE_FILE,
  SCRIPT_INCLUDE_FILE,
  VERIFY_ACL_FILE,
  WS_OPERATION_FILE,
  editedFiles,
  fixtureFiles,
  recordFile,
  replaceIn,
} from './fixture.ts'

/** keys.ts as the SDK writes it, holding every sys_id of the sample build (the sample has none committed). */
function keysFor(files: Map<string, string>): string {
  const ids = [...files.values()].flatMap((xml) => [...xml.matchAll(/<sys_id>([0-9a-f]{32})<\/sys_id>/g)].map((m) => m[1]!))
  return `explicit: {\n${ids.map((id, i) => `  k${i}: { table: 'x', id: '${id}' }`).join('\n')}\n}\n`
}
const PROJECT: AppProject = { dir: 'apps/kandji-sample', version: '0.0.1', keysTs: keysFor(fixtureFiles()) }

/** Scans the files; by default the project is one whose keys.ts holds every record of them (it built them). */
const scan = (files: Map<string, string>, project: AppProject = { ...PROJECT, keysTs: keysFor(files) }) =>
  scanAppPackage(readAppPackageFromFiles(files), { project })
const key = (f: Finding) => JSON.stringify(f)
const BASELINE = scan(editedFiles(() => {}))
/** What the edit adds to the sample build's findings. */
function added(edit: (f: Map<string, string>) => void, project?: AppProject): Finding[] {
  const before = new Set(BASELINE.map(key))
  return scan(editedFiles(edit), project).filter((f) => !before.has(key(f)))
}
const SI = { table: 'sys_script_include', sysId: '7adc4712f74742859ca890228b803a3d', name: 'KandjiSetup' }
/** Puts `code` at the start of the sample's script include. */
const inScriptInclude = (code: string) => (f: Map<string, string>) => replaceIn(f, SCRIPT_INCLUDE_FILE, '<script><![CDATA[', `<script><![CDATA[${code}\n`)

describe('scan of the sample build', () => {
  it('reports exactly what the sample (a subset of a real build) lacks: roles on the verify ACL and ACLs on its tables', () => {
    expect(BASELINE.filter((f) => f.ruleId !== 'package-structure')).toEqual([
      {
        ruleId: 'acl-without-roles',
        severity: 'error',
        file: VERIFY_ACL_FILE,
        record: { table: 'sys_security_acl', sysId: 'ce4a47c20d394537afc07b2a5c47b139', name: 'x_kandj_kandji.integration_verify' },
        message: 'REST_Endpoint ACL x_kandj_kandji.integration_verify (execute) requires no role and has no condition or script, so it grants every user',
        fix: 'add roles: [<the app role>] to the Acl (and keep the condition/script for what roles cannot express)',
      },
      {
        ruleId: 'table-without-acl',
        severity: 'error',
        file: 'update/sys_db_object_001b71977d5349e1b25dc1599a52d70d.xml',
        record: { table: 'sys_db_object', sysId: '001b71977d5349e1b25dc1599a52d70d', name: 'x_kandj_kandji_mdm' },
        message: "table x_kandj_kandji_mdm has no record ACL, so access to it falls back to the table's application access settings and the platform defaults",
        fix: "add Acl records (type 'record', table 'x_kandj_kandji_mdm') for each operation the app allows, each requiring the app's role",
      },
      {
        ruleId: 'table-without-acl',
        severity: 'error',
        file: 'update/sys_db_object_87edb65b67bf486f92d39f26490179f4.xml',
        record: { table: 'sys_db_object', sysId: '87edb65b67bf486f92d39f26490179f4', name: 'x_kandj_kandji_device_import' },
        message: "table x_kandj_kandji_device_import has no record ACL, so access to it falls back to the table's application access settings and the platform defaults",
        fix: "add Acl records (type 'record', table 'x_kandj_kandji_device_import') for each operation the app allows, each requiring the app's role",
      },
    ])
  })

  it("carries validate's structural findings with their path, and the fix their message ends with", () => {
    expect(BASELINE.filter((f) => f.ruleId === 'package-structure').map((f) => [f.severity, f.file, f.fix])).toEqual([
      ['warning', '', 'add it from TABLES in @kandji-sn/contract'],
      ['warning', '', 'add it from TABLES in @kandji-sn/contract'],
      ['warning', '', 'add an ImportSet named from TRANSFORM_MAPS'],
      ['warning', '', 'add the route from REST_API.routes'],
      ['warning', '', 'add the route from REST_API.routes'],
      ['warning', '', 'add the route from REST_API.routes'],
    ])
  })

  it('says when the version and keys rules could not run (no project), as a note', () => {
    const findings = scanAppPackage(readAppPackageFromFiles(editedFiles(() => {})))
    expect(findings.filter((f) => f.severity === 'info')).toEqual([
      {
        ruleId: 'project-not-found',
        severity: 'info',
        file: '',
        message: 'the app project (package.json, src/fluent/generated/keys.ts) was not found next to the package, so the app-version-mismatch and keys-not-current rules did not run',
        fix: 'scan the app folder, its dist/app or its target/*.zip in place, or pass --project <app folder>',
      },
    ])
  })
})

describe('seeded mistakes, one per rule', () => {
  it('gs.log in a script include', () => {
    expect(added(inScriptInclude("gs.log('setup');"))).toEqual([
      {
        ruleId: 'scoped-app-logging',
        severity: 'error',
        file: SCRIPT_INCLUDE_FILE,
        record: SI,
        message: 'sys_script_include "KandjiSetup" script line 1 calls gs.log(), which is not available to scoped applications: the call throws on the instance, so the script stops there',
        fix: 'use gs.info(), gs.warn(), gs.error() or gs.debug() instead of gs.log()',
      },
    ])
  })

  it('gs.print in a server module; not gs.log in a comment, nor gs.info', () => {
    const findings = added((f) => replaceIn(f, MODULE_FILE, /<content><!\[CDATA\[/, "<content><![CDATA[// gs.log('old')\ngs.info('ok');\n/* gs.log() */ gs.print('x');\n"))
    expect(findings.map((f) => [f.ruleId, f.file, f.record?.name, f.message.split(' calls ')[0]])).toEqual([
      ['scoped-app-logging', MODULE_FILE, 'x_kandj_kandji/kandji-sample/0.0.1/src/server/api.ts', 'sys_module "x_kandj_kandji/kandji-sample/0.0.1/src/server/api.ts" content line 3'],
    ])
  })

  it('a password in a script, without repeating it', () => {
    const findings = added(inScriptInclude("var password = 'hunter2-secret';"))
    expect(findings).toEqual([
      {
        ruleId: 'hardcoded-credentials',
        severity: 'error',
        file: SCRIPT_INCLUDE_FILE,
        record: SI,
        message: 'sys_script_include "KandjiSetup" script line 1 holds a credential assigned from a literal; everyone who can read the app (and every customer instance it is installed on) can read it',
        fix: 'remove it from the script; read credentials at runtime from a connection & credential alias or a password2 system property the admin sets',
      },
    ])
    expect(JSON.stringify(findings)).not.toContain('hunter2')
  })

  it.each([
    ['a bearer token', "r.setRequestHeader('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.abc');", 'an Authorization header value'],
    ['basic-auth literals', "r.setBasicAuth('svc', 'pa55word');", 'basic-auth credentials passed as literals'],
    ['a long base64 key', "var k = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqaw==';", 'a long base64/hex literal (a key or token)'],
    ['a client secret in an object', "var c = { client_secret: 's3cr3tvalue' };", 'a credential assigned from a literal'],
  ])('%s', (_name, code, what) => {
    expect(added(inScriptInclude(code)).map((f) => [f.ruleId, f.message.split(' holds ')[1]?.split(';')[0]])).toEqual([['hardcoded-credentials', what]])
  })

  it('not credentials: an empty password, a property read, a 32-hex sys_id', () => {
    expect(added(inScriptInclude("var password = ''; var p = gs.getProperty('x_kandj_kandji.password'); var id = '0e2b90af56ae419a858e407ef47ec332';"))).toEqual([])
  })

  it('an instance URL', () => {
    expect(added(inScriptInclude("var u = 'https://acme.service-now.com/api/now/table/incident';"))).toEqual([
      {
        ruleId: 'hardcoded-instance-url',
        severity: 'error',
        file: SCRIPT_INCLUDE_FILE,
        record: SI,
        message: 'sys_script_include "KandjiSetup" script line 1 names the instance acme.service-now.com; on any other instance (a customer\'s, or a clone) the script calls the wrong one',
        fix: "build the URL from gs.getProperty('glide.servlet.uri') (the running instance) or a system property",
      },
    ])
  })

  it('eval and GlideEvaluator', () => {
    expect(added(inScriptInclude('eval(code);\nvar e = new GlideEvaluator();')).map((f) => [f.ruleId, f.message])).toEqual([
      ['no-eval', 'sys_script_include "KandjiSetup" script line 1 evaluates a string as code (eval(); whatever builds that string can run arbitrary script with the app\'s rights'],
      ['no-eval', 'sys_script_include "KandjiSetup" script line 2 evaluates a string as code (new GlideEvaluator); whatever builds that string can run arbitrary script with the app\'s rights'],
    ])
  })

  it('an insert whose result is discarded, but not one that is checked or kept', () => {
    const findings = added(inScriptInclude('var gr = new GlideRecord(\'x_kandj_kandji_mdm\');\ngr.insert();\nif (!gr.insert()) {}\nvar id = gr.insert();\nreturn gr.insert();'))
    expect(findings).toEqual([
      {
        ruleId: 'insert-result-unchecked',
        severity: 'warning',
        file: SCRIPT_INCLUDE_FILE,
        record: SI,
        message: 'sys_script_include "KandjiSetup" script line 2 calls gr.insert() and discards the result, so a failed insert (a business rule abort, an ACL, a mandatory field) goes unnoticed',
        fix: 'check the result: `if (!gr.insert()) { /* report the failure */ }`',
      },
    ])
  })

  it('an onBefore transform script that inserts into another table, directly and through a module it requires', () => {
    const [path, xml] = recordFile('sys_transform_script', 'a0000000000000000000000000000001', {
      active: 'true',
      map: 'ffada5e713ac442d93713556cc0d6388',
      order: '100',
      when: 'onBefore',
      script: "(function (source, map, log, target) {\n  var gr = new GlideRecord('incident');\n  if (!gr.insert()) ignore = true;\n  require('x_kandj_kandji/kandji-sample/0.0.1/src/server/api.ts').verify();\n})(source, map, log, target);",
    })
    const findings = added((f) => {
      f.set(path, xml)
      replaceIn(f, MODULE_FILE, /<content><!\[CDATA\[/, '<content><![CDATA[export function touch(gr) { gr.update(); }\n')
    })
    expect(findings).toEqual([
      {
        ruleId: 'onbefore-transform-writes',
        severity: 'error',
        file: path,
        record: { table: 'sys_transform_script', sysId: 'a0000000000000000000000000000001', name: 'sys_transform_script_a0000000000000000000000000000001' },
        message: 'onBefore transform script sys_transform_script_a0000000000000000000000000000001 line 3 calls insert(), a write that happens before the row is transformed and stays even when the row is then ignored or fails',
        fix: 'move the write to an onAfter script or a field map; if it must happen first, add it with its reason to ONBEFORE_WRITES in packages/contract/src/scan-allowlist.ts',
      },
      {
        ruleId: 'onbefore-transform-writes',
        severity: 'error',
        file: MODULE_FILE,
        record: { table: 'sys_module', sysId: '938593fe2a25413fa986243cf83b3ed1', name: 'x_kandj_kandji/kandji-sample/0.0.1/src/server/api.ts' },
        message: 'module x_kandj_kandji/kandji-sample/0.0.1/src/server/api.ts, reached from onBefore transform script sys_transform_script_a0000000000000000000000000000001, line 1 calls update(), a write that happens before the row is transformed and stays even when the row is then ignored or fails',
        fix: 'move the write to an onAfter script or a field map; if it must happen first, add it with its reason to ONBEFORE_WRITES in packages/contract/src/scan-allowlist.ts',
      },
    ])
  })

  it('the same write in an onAfter script is not reported', () => {
    const [path, xml] = recordFile('sys_transform_script', 'a0000000000000000000000000000001', { when: 'onAfter', script: "var gr = new GlideRecord('incident'); if (!gr.insert()) {}" })
    expect(added((f) => f.set(path, xml))).toEqual([])
  })

  it('GlideRecord in an ACL script', () => {
    const [path, xml] = recordFile('sys_security_acl', 'a0000000000000000000000000000002', {
      active: 'true', advanced: 'true', name: 'x_kandj_kandji_mdm', operation: 'read', type: 'record',
      script: "var gr = new GlideRecord('sys_user');\nanswer = gr.get(gs.getUserID());",
    })
    const [rolePath, roleXml] = recordFile('sys_security_acl_role', 'a0000000000000000000000000000003', { sys_security_acl: 'a0000000000000000000000000000002', sys_user_role: '5447e11d1daa4e86bd7568628f715a9f' }, { sys_user_role: 'x_kandj_kandji.admin' })
    const findings = added((f) => { f.set(path, xml); f.set(rolePath, roleXml) })
    expect(findings).toEqual([
      {
        ruleId: 'gliderecord-in-acl',
        severity: 'warning',
        file: path,
        record: { table: 'sys_security_acl', sysId: 'a0000000000000000000000000000002', name: 'x_kandj_kandji_mdm' },
        message: 'sys_security_acl "x_kandj_kandji_mdm" script line 1 queries the database (new GlideRecord) in an ACL script, which runs for every record and field it guards and slows every list and form',
        fix: 'grant access by role or condition; if a lookup is unavoidable, cache it in a script include called from the ACL',
      },
    ])
    // …and that ACL is the x_kandj_kandji_mdm table's first: its table-without-acl finding is gone
    expect(scan(editedFiles((f) => { f.set(path, xml); f.set(rolePath, roleXml) })).filter((f) => f.ruleId === 'table-without-acl').map((f) => f.record?.name)).toEqual(['x_kandj_kandji_device_import'])
  })

  it('an ACL granting public', () => {
    const [rolePath, roleXml] = recordFile('sys_security_acl_role', 'a0000000000000000000000000000003', { sys_security_acl: 'ce4a47c20d394537afc07b2a5c47b139', sys_user_role: '2831a114c611228501d4ea6c309d626d' }, { sys_user_role: 'public' })
    expect(scan(editedFiles((f) => f.set(rolePath, roleXml))).filter((f) => f.ruleId === 'acl-without-roles')).toEqual([
      {
        ruleId: 'acl-without-roles',
        severity: 'error',
        file: rolePath,
        record: { table: 'sys_security_acl_role', sysId: 'a0000000000000000000000000000003', name: 'sys_security_acl_role_a0000000000000000000000000000003' },
        message: 'REST_Endpoint ACL x_kandj_kandji.integration_verify (execute) grants the public role, so unauthenticated users get access',
        fix: "remove public from the Acl's roles and require the app's role",
      },
    ])
  })

  it('an ACL without roles but with a script is a warning', () => {
    const findings = scan(editedFiles((f) => {
      replaceIn(f, VERIFY_ACL_FILE, '<advanced>false</advanced>', '<advanced>true</advanced>')
      replaceIn(f, VERIFY_ACL_FILE, '<script/>', '<script>answer = gs.hasRole(\'x_kandj_kandji.viewer\');</script>')
    })).filter((f) => f.ruleId === 'acl-without-roles')
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['warning', 'REST_Endpoint ACL x_kandj_kandji.integration_verify (execute) requires no role; only its script decides, for every user including unprivileged ones'],
    ])
  })

  it('a REST operation without authentication', () => {
    expect(added((f) => replaceIn(f, WS_OPERATION_FILE, '<requires_authentication>true<', '<requires_authentication>false<'))).toEqual([
      {
        ruleId: 'rest-operation-unauthenticated',
        severity: 'error',
        file: WS_OPERATION_FILE,
        record: { table: 'sys_ws_operation', sysId: 'dd211b15e33849158ca8e53635e61d4e', name: 'verify' },
        message: 'REST operation GET /api/x_kandj_kandji/integration/verify has requires_authentication "false": anyone who can reach the instance can call it without signing in',
        fix: 'set requiresAuthentication: true on the route (the SDK default) and rebuild',
      },
    ])
  })

  it('a REST operation without ACL authorization, with no ACL named, or naming an ACL the package lacks', () => {
    const messages = (edit: (f: Map<string, string>) => void) => added(edit).map((f) => [f.ruleId, f.file, f.message])
    expect(messages((f) => replaceIn(f, WS_OPERATION_FILE, '<requires_acl_authorization>true<', '<requires_acl_authorization>false<'))).toEqual([
      ['rest-operation-without-acl', WS_OPERATION_FILE, 'REST operation GET /api/x_kandj_kandji/integration/verify has requires_acl_authorization "false", so no ACL decides who may call it: every signed-in user can'],
    ])
    expect(messages((f) => replaceIn(f, WS_OPERATION_FILE, /<enforce_acl>\w+<\/enforce_acl>/, '<enforce_acl/>'))).toEqual([
      ['rest-operation-without-acl', WS_OPERATION_FILE, "REST operation GET /api/x_kandj_kandji/integration/verify requires ACL authorization but names no ACL (enforce_acl is empty), so only the platform's default REST ACL applies"],
    ])
    expect(messages((f) => replaceIn(f, WS_OPERATION_FILE, /<enforce_acl>\w+<\/enforce_acl>/, '<enforce_acl>ffffffffffffffffffffffffffffffff</enforce_acl>'))).toEqual([
      ['rest-operation-without-acl', WS_OPERATION_FILE, 'REST operation GET /api/x_kandj_kandji/integration/verify enforces ACL ffffffffffffffffffffffffffffffff, which the package does not ship, so on a customer instance it points at nothing'],
    ])
  })

  it('a record in another scope', () => {
    expect(added((f) => replaceIn(f, FIX_SCRIPT_FILE, /<sys_scope display_value="x_kandj_kandji">\w+<\/sys_scope>/, '<sys_scope display_value="global">global</sys_scope>'))).toEqual([
      {
        ruleId: 'record-outside-scope',
        severity: 'error',
        file: FIX_SCRIPT_FILE,
        record: { table: 'sys_script_fix', sysId: 'e06e526a8bf3423bb079100f2a068b01', name: 'kandji_fix_script' },
        message: "the sys_script_fix record belongs to scope global (global), not the app's x_kandj_kandji (6b0f1ad4c3f24e9a8a1d2f3b4c5d6e7f); it would install into another application",
        fix: 'remove it, or rebuild with `now-sdk build` after fixing scope/scopeId in now.config.json',
      },
    ])
  })

  it('a record whose scope display value disagrees with its sys_id', () => {
    expect(added((f) => replaceIn(f, FIX_SCRIPT_FILE, 'display_value="x_kandj_kandji"', 'display_value="x_other"')).map((f) => [f.ruleId, f.file])).toEqual([['record-outside-scope', FIX_SCRIPT_FILE]])
  })

  it('a dictionary entry on a platform table (the app configuring another scope)', () => {
    const [path, xml] = recordFile('sys_dictionary', 'a0000000000000000000000000000004', { name: 'cmdb_ci_computer', element: 'u_kandji_id', internal_type: 'string' })
    expect(added((f) => f.set(path, xml))).toEqual([
      {
        ruleId: 'record-outside-scope',
        severity: 'error',
        file: path,
        record: { table: 'sys_dictionary', sysId: 'a0000000000000000000000000000004', name: 'cmdb_ci_computer' },
        message: 'the sys_dictionary record configures cmdb_ci_computer, a table of another scope; installing the app changes that table for every application on the instance, and uninstalling it may not undo the change',
        fix: "remove it (configure cmdb_ci_computer at runtime if the integration needs it), or add { table: 'sys_dictionary', target: 'cmdb_ci_computer', reason } to FOREIGN_RECORDS in packages/contract/src/scan-allowlist.ts",
      },
    ])
  })

  it('an unused cross-scope privilege', () => {
    const [path, xml] = recordFile('sys_scope_privilege', 'a0000000000000000000000000000005', { operation: 'read', status: 'allowed', target_name: 'incident', target_scope: 'global', target_type: 'sys_db_object' })
    expect(added((f) => f.set(path, xml))).toEqual([
      {
        ruleId: 'cross-scope-privilege-unused',
        severity: 'error',
        file: path,
        record: { table: 'sys_scope_privilege', sysId: 'a0000000000000000000000000000005', name: 'sys_scope_privilege_a0000000000000000000000000000005' },
        message: 'the cross-scope privilege incident:read is not one the app\'s scripts use (not in CROSS_SCOPE_PRIVILEGES; no shipped script names incident); an unused privilege is an over-request that Store review flags',
        fix: 'remove it from src/fluent/cross-scope.now.ts, or add the operation with the script that needs it to CROSS_SCOPE_PRIVILEGES in the contract',
      },
    ])
  })

  it('outside the contract\'s scope, a privilege is used when a script names its table', () => {
    const other = (f: Map<string, string>, withUse: boolean) => {
      for (const [p, text] of f) f.set(p, text.replaceAll('x_kandj_kandji', 'x_other'))
      const [path, xml] = recordFile('sys_scope_privilege', 'a0000000000000000000000000000005', { operation: 'read', status: 'allowed', target_name: 'incident', target_type: 'sys_db_object' })
      f.set(path, xml.replaceAll('x_kandj_kandji', 'x_other'))
      if (withUse) replaceIn(f, SCRIPT_INCLUDE_FILE, '<script><![CDATA[', "<script><![CDATA[var gr = new GlideRecord('incident');\n")
    }
    const unused = (withUse: boolean) => scan(editedFiles((f) => other(f, withUse))).filter((f) => f.ruleId === 'cross-scope-privilege-unused').map((f) => [f.record?.sysId, f.message])
    expect(unused(false)).toContainEqual(['a0000000000000000000000000000005', 'the cross-scope privilege incident:read is not used: no shipped script names incident; an unused privilege is an over-request that Store review flags'])
    expect(unused(true).map(([id]) => id)).not.toContain('a0000000000000000000000000000005')
  })

  it('a version mismatch with package.json', () => {
    expect(added(() => {}, { ...PROJECT, version: '0.0.2' })).toEqual([
      {
        ruleId: 'app-version-mismatch',
        severity: 'error',
        file: APP_FILE,
        record: { table: 'sys_app', sysId: '6b0f1ad4c3f24e9a8a1d2f3b4c5d6e7f', name: 'Kandji' },
        message: "the package's sys_app version is 0.0.1 but apps/kandji-sample/package.json says 0.0.2; the package was built from another version of the source, or the version was bumped without a build",
        fix: 'build the app again (`npm run build -w apps/kandji-sample`) so the package carries 0.0.2',
      },
    ])
  })

  it('keys.ts that lacks a record of the package, and a project without keys.ts', () => {
    const keysTs = PROJECT.keysTs!.replace("id: 'e06e526a8bf3423bb079100f2a068b01'", "id: 'ffffffffffffffffffffffffffffffff'")
    expect(added(() => {}, { ...PROJECT, keysTs })).toEqual([
      {
        ruleId: 'keys-not-current',
        severity: 'error',
        file: FIX_SCRIPT_FILE,
        record: { table: 'sys_script_fix', sysId: 'e06e526a8bf3423bb079100f2a068b01', name: 'kandji_fix_script' },
        message: 'sys_script_fix e06e526a8bf3423bb079100f2a068b01 is in the package but not in apps/kandji-sample/src/fluent/generated/keys.ts: the package was built with keys the committed file does not hold, so the next build assigns the record a different sys_id',
        fix: 'run `npx now-sdk build` in the app folder and commit src/fluent/generated/keys.ts (CI builds with --frozenKeys)',
      },
    ])
    expect(added(() => {}, { dir: 'apps/kandji-sample', version: '0.0.1' })).toEqual([
      {
        ruleId: 'keys-not-current',
        severity: 'error',
        file: '',
        message: 'apps/kandji-sample/src/fluent/generated/keys.ts does not exist, so the next build gives every record a new sys_id and an upgrade installs duplicates',
        fix: 'run `npx now-sdk build` once in the app folder and commit src/fluent/generated/keys.ts',
      },
    ])
  })
})
