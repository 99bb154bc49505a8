import type { AppPackage, AppRecord } from '../types.ts'
import type { FindingRecord } from './types.ts'

/**
 * The script fields of each table a scoped app can ship (the field names are the platform's; the same tables
 * and fields @admc.com/eslint-plugin-sn lints, README "Supported ServiceNow scriptlet types"). sys_module
 * holds the Fluent SDK's server modules (ES modules, src/server/**); the SDK packs package.json and bom.json
 * as sys_module too, which are not scripts.
 */
export const SCRIPT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  sys_script_include: ['script'],
  sys_ws_operation: ['operation_script'],
  sys_script_fix: ['script'],
  sysauto_script: ['script', 'condition'],
  sys_script: ['script', 'condition'],
  sys_transform_script: ['script'],
  sys_transform_map: ['script'],
  sys_transform_entry: ['source_script'],
  sys_security_acl: ['script', 'condition'],
  sys_script_email: ['script'],
  sysevent_script_action: ['script'],
  sys_processor: ['script'],
  sys_ui_action: ['script', 'condition'],
  sys_script_client: ['script'],
  sys_ui_script: ['script'],
  sys_module: ['content'],
}

/** Tables whose scripts run in the browser (the scan's server-side rules do not apply to them). */
export const CLIENT_TABLES = new Set(['sys_script_client', 'sys_ui_script'])

export interface ShippedScript {
  record: AppRecord
  table: string
  field: string
  script: string
}

export function recordRef(record: AppRecord): FindingRecord {
  const f = record.fields
  return { table: record.table, sysId: record.sysId, name: f['name'] || f['path'] || f['sys_name'] || f['sys_update_name'] || '' }
}

/** Every non-empty script field of the package's live records. */
export function shippedScripts(pkg: AppPackage): ShippedScript[] {
  const out: ShippedScript[] = []
  for (const record of pkg.records) {
    if (record.action === 'DELETE') continue
    const fields = SCRIPT_FIELDS[record.table]
    if (!fields) continue
    if (record.table === 'sys_module' && !isModuleScript(record)) continue
    for (const field of fields) {
      const script = record.fields[field]
      if (script !== undefined && script.trim() !== '') out.push({ record, table: record.table, field, script })
    }
  }
  return out
}

function isModuleScript(record: AppRecord): boolean {
  return /\.(m?js|ts)$/.test(record.fields['path'] ?? '')
}

/** Removes // and /* *\/ comments, keeping line breaks and string literals (so line numbers stay right). */
export function stripComments(code: string): string {
  return code.replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m, str: string | undefined) =>
    str !== undefined ? m : m.replace(/[^\n]/g, ' '),
  )
}

/** 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/**
 * The sys_module records a script reaches, transitively: `require('<scope>/<pkg>/<version>/src/…')` from a
 * string script (the SDK's bridge, fluent-sdk-findings §8) and relative `import … from './x.ts'` between modules.
 */
export function reachableModules(pkg: AppPackage, script: string, fromPath?: string): AppRecord[] {
  const modules = new Map(
    pkg.records.filter((r) => r.table === 'sys_module' && r.action !== 'DELETE').map((r) => [r.fields['path'] ?? '', r]),
  )
  const seen = new Map<string, AppRecord>()
  const queue: { code: string; from?: string }[] = [{ code: script, from: fromPath }]
  while (queue.length > 0) {
    const { code, from } = queue.shift()!
    for (const target of referencedPaths(stripComments(code), from)) {
      const module = modules.get(target)
      if (!module || seen.has(target)) continue
      seen.set(target, module)
      queue.push({ code: module.fields['content'] ?? '', from: target })
    }
  }
  return [...seen.values()]
}

function referencedPaths(code: string, from: string | undefined): string[] {
  const out: string[] = []
  for (const m of code.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!)
  if (from !== undefined) {
    for (const m of code.matchAll(/\b(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g)) out.push(resolve(from, m[1]!))
  }
  return out
}

function resolve(from: string, relative: string): string {
  const parts = from.split('/').slice(0, -1)
  for (const part of relative.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.') parts.push(part)
  }
  return parts.join('/')
}
