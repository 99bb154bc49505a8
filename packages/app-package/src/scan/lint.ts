import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AppPackage } from '../types.ts'
import { recordRef, shippedScripts, type ShippedScript } from './scripts.ts'
import type { Finding } from './types.ts'

/**
 * How @admc.com/eslint-plugin-sn lints a script: it picks globals and rules from the pseudo path
 * `<table>/<alt>/<name>.js` (plugin README "Supported ServiceNow scriptlet types", exports.js overrides).
 * The alt follows the record's scope and the app's JavaScript mode (sys_app.js_level): `es_latest` runs
 * ECMAScript 2021 (the plugin's scoped-es12), anything else ES5. Tables the plugin does not know (sys_module:
 * the SDK's ES modules, which TypeScript and the repository's own ESLint check at the source) are not linted.
 */
export const LINT_TABLES: Readonly<Record<string, { field: string; pseudoTable: string }[]>> = {
  sys_script_include: [{ field: 'script', pseudoTable: 'sys_script_include' }],
  sys_ws_operation: [{ field: 'operation_script', pseudoTable: 'sys_ws_operation' }],
  sys_script_fix: [{ field: 'script', pseudoTable: 'sys_script_fix' }],
  sysauto_script: [{ field: 'script', pseudoTable: 'sysauto_script' }, { field: 'condition', pseudoTable: 'sysauto_script.condition' }],
  sys_script: [{ field: 'script', pseudoTable: 'sys_script' }, { field: 'condition', pseudoTable: 'sys_script.condition' }],
  sys_transform_script: [{ field: 'script', pseudoTable: 'sys_transform_script' }],
  sys_transform_map: [{ field: 'script', pseudoTable: 'sys_transform_map' }],
  sys_transform_entry: [{ field: 'source_script', pseudoTable: 'sys_transform_entry' }],
  sys_security_acl: [{ field: 'script', pseudoTable: 'sys_security_acl' }, { field: 'condition', pseudoTable: 'sys_security_acl.condition' }],
  sys_script_email: [{ field: 'script', pseudoTable: 'sys_script_email' }],
  sysevent_script_action: [{ field: 'script', pseudoTable: 'sysevent_script_action' }],
  sys_processor: [{ field: 'script', pseudoTable: 'sys_processor' }],
}

interface LintMessage {
  ruleId: string | null
  severity: 1 | 2
  message: string
  line: number
  column: number
  fatal?: boolean
}
interface EslintApi {
  ESLint: new (options: Record<string, unknown>) => {
    lintText: (code: string, options: { filePath: string }) => Promise<{ messages: LintMessage[] }[]>
  }
}

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(join(packageDir, 'package.json'))
// the plugin needs ESLint 8 (its peer dependency); the repository's own lint runs ESLint 9, so this one is nested
const { ESLint } = require('eslint') as EslintApi

/**
 * The plugin reads its lists of platform globals from the first `snglobals` folder above the process's working
 * directory (its lib/resolveGlobalsDir.js; `snLint -g` copies one there). The scan runs from any folder, so that
 * module is answered with the lists the plugin ships (resources/snglobals) before ESLint loads the plugin.
 */
function useShippedGlobals(): void {
  const pluginDir = dirname(require.resolve('@admc.com/eslint-plugin-sn/package.json'))
  const resolver = join(pluginDir, 'lib', 'resolveGlobalsDir.js')
  require.cache[resolver] ??= { id: resolver, filename: resolver, loaded: true, exports: join(pluginDir, 'resources', 'snglobals') } as NodeJS.Module
}

/** The plugin's altscope for a record: global, or scoped ES5 / ES2021 by the app's js_level. */
export function altOf(pkg: AppPackage, s: ShippedScript): string {
  const app = pkg.records.find((r) => r.table === 'sys_app' && r.action !== 'DELETE')
  if (s.record.displayValues['sys_scope'] === 'global' || s.record.fields['sys_scope'] === 'global') return 'global'
  return app?.fields['js_level'] === 'es_latest' ? 'scoped-es12' : 'scoped-es5'
}

/**
 * A script include defines its own name as a global (`var KandjiSetup = Class.create()`); the plugin's snLint
 * marks that definition with this directive (snLint.js ALLOW_DEFINE_CMT) so no-redeclare/no-unused-vars accept it.
 * no-var is added: `var` is how the platform and every SDK example define a script include.
 */
const ALLOW_DEFINE = '/* eslint-disable-line no-redeclare, no-unused-vars, no-var */'

function prepare(s: ShippedScript): string {
  if (s.table !== 'sys_script_include') return s.script
  const name = s.record.fields['name'] ?? ''
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return s.script
  return s.script.replace(new RegExp(`\\b(${name})(\\s*=[^=])`), `$1 ${ALLOW_DEFINE}$2`).replace(new RegExp(`\\b(function\\s+${name})(\\s*\\()`), `$1 ${ALLOW_DEFINE}$2`)
}

/** A script the platform does not run: the field's switch is off (the SDK still writes its default boilerplate). */
export function isDormant(s: ShippedScript): boolean {
  const f = s.record.fields
  if (s.table === 'sys_transform_entry') return f['use_source_script'] !== 'true'
  if (s.table === 'sys_transform_map') return f['run_script'] !== 'true'
  if (s.table === 'sys_security_acl' && s.field === 'script') return f['advanced'] !== 'true'
  return false
}

/** The SDK's generated bridge to a server module (sdk "@fluent-module" header); regenerated on every build. */
const SDK_BRIDGE = /^\s*\/\/ @fluent-module /

/**
 * Where this scan departs from the plugin's configuration, and why (packages/app-package/README.md "Script lint"):
 * - globals: the app's own scope namespace (`x_kandj_kandji.KandjiSetup`), and `require` in scoped ES2021 apps
 *   that ship server modules (the SDK's bridges call it, fluent-sdk-findings §8); the plugin's lists predate both.
 * - camelcase accepts the scope name (scope names are lower_snake by platform rule).
 * - strict off: the plugin asks for 'use strict' (warn); transform scripts talk to the platform by assigning
 *   undeclared variables (ignore, status_message), which strict mode turns into ReferenceErrors.
 * - sn-workaround-iife off for SDK bridges: their shape is the SDK's, rewritten on every build.
 */
function configFor(pkg: AppPackage, s: ShippedScript, alt: string): Record<string, unknown> {
  const globals: Record<string, string> = { [pkg.scope]: 'readonly' }
  if (alt === 'scoped-es12' && pkg.records.some((r) => r.table === 'sys_module')) globals['require'] = 'readonly'
  const rules: Record<string, unknown> = {
    camelcase: ['warn', { properties: 'never', ignoreGlobals: true, allow: [`^${pkg.scope}$`] }],
    strict: 'off',
  }
  if (SDK_BRIDGE.test(s.script)) rules['@admc.com/sn/sn-workaround-iife'] = 'off'
  return { globals, rules }
}


const linters = new Map<string, InstanceType<EslintApi['ESLint']>>()

function eslint(overrides: Record<string, unknown>): InstanceType<EslintApi['ESLint']> {
  const key = JSON.stringify(overrides)
  let linter = linters.get(key)
  if (linter) return linter
  useShippedGlobals()
  linter = new ESLint({
    cwd: packageDir,
    useEslintrc: false,
    resolvePluginsRelativeTo: packageDir,
    baseConfig: { root: true, plugins: ['@admc.com/sn'], extends: ['plugin:@admc.com/sn/servicenow'] },
    overrideConfig: overrides,
  })
  linters.set(key, linter)
  return linter
}

/** The plugin's rules print diagnostics with console.warn (sn-workaround-iife); they are not findings. */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const warn = console.warn
  console.warn = () => {}
  try {
    return await run()
  } finally {
    console.warn = warn
  }
}

function ruleDoc(ruleId: string): string {
  return ruleId.startsWith('@admc.com/sn/')
    ? `rule ${ruleId}: @admc.com/eslint-plugin-sn README "Provided Rules"`
    : `rule ${ruleId}: https://eslint.org/docs/latest/rules/${ruleId}`
}

/** Lints every script of the package with the plugin's configuration for its table; each message is a finding `eslint/<rule>`. */
export async function lintAppScripts(pkg: AppPackage): Promise<Finding[]> {
  const findings: Finding[] = []
  for (const s of shippedScripts(pkg)) {
    const target = LINT_TABLES[s.table]?.find((t) => t.field === s.field)
    if (!target || isDormant(s)) continue
    const alt = altOf(pkg, s)
    const filePath = join(packageDir, 'sn-lint', target.pseudoTable, alt, `${s.record.sysId || 'script'}.js`)
    const [result] = await quietly(() => eslint(configFor(pkg, s, alt)).lintText(prepare(s), { filePath }))
    for (const m of result?.messages ?? []) {
      const rule = m.ruleId ?? (m.fatal ? 'parse-error' : 'unknown')
      findings.push({
        ruleId: `eslint/${rule}`,
        severity: m.severity === 2 ? 'error' : 'warning',
        file: s.record.path,
        record: recordRef(s.record),
        message: `${s.table} ${s.field} line ${m.line}:${m.column}: ${m.message}`,
        fix: m.ruleId ? `fix the script in the app's source (${ruleDoc(m.ruleId)})` : 'fix the syntax error in the app\'s source',
      })
    }
  }
  return findings
}
