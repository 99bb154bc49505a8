import { describe, expect, it } from 'vitest'
import { lintAppScripts, readAppPackageFromFiles, type Finding } from '../src/index.ts'
import { FIX_SCRIPT_FILE, SCRIPT_INCLUDE_FILE, editedFiles, recordFile, replaceIn } from './fixture.ts'

const lint = (edit: (f: Map<string, string>) => void = () => {}) => lintAppScripts(readAppPackageFromFiles(editedFiles(edit)))
const brief = (f: Finding) => [f.severity, f.ruleId, f.file, f.message]
const SI_RECORD = { table: 'sys_script_include', sysId: '7adc4712f74742859ca890228b803a3d', name: 'KandjiSetup' }

describe('script lint with @admc.com/eslint-plugin-sn', () => {
  it('reports the sample build\'s scripts by table (scoped ES2021: sys_app js_level es_latest)', async () => {
    const findings = await lint()
    expect(findings.map(brief)).toEqual([
      ['warning', 'eslint/no-var', FIX_SCRIPT_FILE, 'sys_script_fix script line 1:1: Unexpected var, use let or const instead.'],
      ['warning', 'eslint/prefer-template', FIX_SCRIPT_FILE, 'sys_script_fix script line 1:75: Unexpected string concatenation.'],
      ['warning', 'eslint/object-shorthand', SCRIPT_INCLUDE_FILE, 'sys_script_include script line 3:3: Expected method shorthand.'],
      ['error', 'eslint/@admc.com/sn/legacy-use-this', SCRIPT_INCLUDE_FILE, "sys_script_include script line 3:15: Prototype function should use 'this'.  Otherwise implement ClassName.functionName"],
      ['warning', 'eslint/object-shorthand', SCRIPT_INCLUDE_FILE, 'sys_script_include script line 4:3: Expected method shorthand.'],
      ['error', 'eslint/@admc.com/sn/legacy-use-this', SCRIPT_INCLUDE_FILE, "sys_script_include script line 4:26: Prototype function should use 'this'.  Otherwise implement ClassName.functionName"],
    ])
    expect(findings[3]).toEqual({
      ruleId: 'eslint/@admc.com/sn/legacy-use-this',
      severity: 'error',
      file: SCRIPT_INCLUDE_FILE,
      record: SI_RECORD,
      message: "sys_script_include script line 3:15: Prototype function should use 'this'.  Otherwise implement ClassName.functionName",
      fix: 'fix the script in the app\'s source (rule @admc.com/sn/legacy-use-this: @admc.com/eslint-plugin-sn README "Provided Rules")',
    })
  })

  it('the static script include the app ships is clean; var on its definition line is accepted', async () => {
    const findings = await lint((f) => replaceIn(f, SCRIPT_INCLUDE_FILE, /<script><!\[CDATA\[[\s\S]*?\]\]>/, "<script><![CDATA[var KandjiSetup = Class.create();\nKandjiSetup.ensureDiscoverySource = function () { return 'ok'; };\nKandjiSetup.prototype = { type: 'KandjiSetup' };\n]]>"))
    expect(findings.filter((f) => f.file === SCRIPT_INCLUDE_FILE)).toEqual([])
  })

  it('gs.log in a scoped script is the plugin\'s no-log-global error, an undefined name no-undef', async () => {
    const findings = await lint((f) => replaceIn(f, FIX_SCRIPT_FILE, /<script>[\s\S]*?<\/script>/, "<script>gs.log('x');\nnotDefined();\n</script>"))
    expect(findings.filter((f) => f.file === FIX_SCRIPT_FILE).map(brief)).toEqual([
      ['error', 'eslint/@admc.com/sn/no-log-global', FIX_SCRIPT_FILE, expect.stringMatching(/^sys_script_fix script line 1:1: /)],
      ['error', 'eslint/no-undef', FIX_SCRIPT_FILE, "sys_script_fix script line 2:1: 'notDefined' is not defined."],
    ])
  })

  it('a syntax error is a parse-error finding', async () => {
    const findings = await lint((f) => replaceIn(f, FIX_SCRIPT_FILE, /<script>[\s\S]*?<\/script>/, '<script>(function () {</script>'))
    expect(findings.filter((f) => f.file === FIX_SCRIPT_FILE).map((f) => [f.severity, f.ruleId, f.fix])).toEqual([['error', 'eslint/parse-error', "fix the syntax error in the app's source"]])
  })

  it('does not lint scripts the platform does not run (transform entry without use_source_script)', async () => {
    const [path, xml] = recordFile('sys_transform_entry', 'b0000000000000000000000000000001', { use_source_script: 'false', source_script: '(function(){ // Add your code here\n})()' })
    expect(await lint((f) => f.set(path, xml))).toEqual(await lint())
    const [activePath, activeXml] = recordFile('sys_transform_entry', 'b0000000000000000000000000000001', { use_source_script: 'true', source_script: 'answer = notDefined;' })
    expect((await lint((f) => f.set(activePath, activeXml))).filter((f) => f.file === activePath).map((f) => f.ruleId)).toEqual(['eslint/no-undef'])
  })

  it('accepts require() and SDK bridges in a scoped ES2021 app that ships modules', async () => {
    const bridge = "// @fluent-module verify;false;x_kandj_kandji/kandji-sample/0.0.1/src/server/api.ts\nconst { verify } = require('x_kandj_kandji/kandji-sample/0.0.1/src/server/api.ts');\nverify(request, response);"
    const [path, xml] = recordFile('sys_ws_operation', 'b0000000000000000000000000000002', { operation_script: bridge })
    expect((await lint((f) => f.set(path, xml))).filter((f) => f.file === path)).toEqual([])
  })

  it('lints ES5 when the app is not in es_latest mode', async () => {
    const findings = await lint((f) => {
      for (const [p, text] of f) if (p.startsWith('scope/')) f.set(p, text.replace('<js_level>es_latest</js_level>', '<js_level>helsinki_es5</js_level>'))
      replaceIn(f, FIX_SCRIPT_FILE, /<script>[\s\S]*?<\/script>/, '<script>const x = 1; gs.info(x);</script>')
    })
    expect(findings.filter((f) => f.file === FIX_SCRIPT_FILE).map((f) => f.ruleId)).toEqual(['eslint/parse-error'])
  })
})
