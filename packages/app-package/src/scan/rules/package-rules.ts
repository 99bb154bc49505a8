import * as contract from '@kandji-sn/contract/constants'
import { FOREIGN_RECORDS } from '@kandji-sn/contract/scan-allowlist'
import type { AppPackage, AppRecord } from '../../types.ts'
import { recordRef, shippedScripts, stripComments } from '../scripts.ts'
import type { RuleFinding, ScanRule } from '../types.ts'

const REBUILD = 'rebuild with `now-sdk build`'

function live(pkg: AppPackage, table: string): AppRecord[] {
  return pkg.records.filter((r) => r.table === table && r.action !== 'DELETE')
}

/** Which table a configuration record configures (the field holding the table name, per table). */
const CONFIGURED_TABLE: Readonly<Record<string, (r: AppRecord) => string | undefined>> = {
  sys_dictionary: (r) => r.fields['name'],
  sys_documentation: (r) => r.fields['name'],
  sys_choice: (r) => r.fields['name'],
  sys_choice_set: (r) => r.fields['name'],
  sys_db_object: (r) => r.fields['name'],
  sys_script: (r) => r.fields['collection'],
  sys_script_client: (r) => r.fields['table'],
  sys_ui_policy: (r) => r.fields['table'],
  sys_ui_action: (r) => r.fields['table'],
  sys_data_policy2: (r) => r.fields['model_table'],
  sys_ui_section: (r) => r.fields['name'],
  sys_ui_list: (r) => r.fields['name'],
  sys_security_acl: (r) => (r.fields['type'] === 'record' ? (r.fields['name'] ?? '').split('.')[0] : undefined),
}

export const recordOutsideScope: ScanRule = {
  id: 'record-outside-scope',
  severity: 'error',
  title: 'record outside the app\'s scope',
  source: 'example-instancescan-checks "Updates in wrong update set scope"; Store review: a scoped app changes only its own scope unless justified [U]',
  check: (ctx) => {
    const { pkg } = ctx
    const out: RuleFinding[] = []
    for (const record of pkg.records) {
      const scopeId = record.fields['sys_scope']
      if (scopeId === undefined) continue // no sys_scope: validate warns (installs into the installer's scope)
      const scopeName = record.displayValues['sys_scope']
      if (scopeId !== pkg.scopeId || (scopeName !== undefined && scopeName !== pkg.scope)) {
        out.push({
          file: record.path,
          record: recordRef(record),
          message: `the ${record.table} record belongs to scope ${scopeName ?? '?'} (${scopeId}), not the app's ${pkg.scope} (${pkg.scopeId}); it would install into another application`,
          fix: `remove it, or ${REBUILD} after fixing scope/scopeId in now.config.json`,
        })
      }
    }
    for (const record of pkg.records) {
      if (record.action === 'DELETE') continue
      const target = CONFIGURED_TABLE[record.table]?.(record)
      if (target === undefined || target === '' || target.startsWith(`${pkg.scope}_`)) continue
      if (FOREIGN_RECORDS.some((a) => a.table === record.table && a.target === target)) continue
      out.push({
        file: record.path,
        record: recordRef(record),
        message: `the ${record.table} record configures ${target}, a table of another scope; installing the app changes that table for every application on the instance, and uninstalling it may not undo the change`,
        fix: `remove it (configure ${target} at runtime if the integration needs it), or add { table: '${record.table}', target: '${target}', reason } to FOREIGN_RECORDS in packages/contract/src/scan-allowlist.ts`,
      })
    }
    return out
  },
}

/** Contract constants that name each table: `PLATFORM_TABLES.choice` is how the app's modules spell sys_choice. */
function contractSpellings(table: string): string[] {
  const out: string[] = []
  for (const [name, value] of Object.entries(contract)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) if (v === table) out.push(`${name}.${key}`)
  }
  return out
}

/** Whether any shipped script names the table: a literal passed to a call, or a contract constant holding it. */
function referencedByScripts(table: string, scripts: string[]): boolean {
  const literal = new RegExp(`\\(\\s*['"\`]${table}['"\`]`)
  const spellings = contractSpellings(table).map((s) => new RegExp(`\\b${s.replace('.', '\\s*\\.\\s*')}\\b`))
  return scripts.some((code) => literal.test(code) || spellings.some((s) => s.test(code)))
}

export const crossScopePrivilegeUnused: ScanRule = {
  id: 'cross-scope-privilege-unused',
  severity: 'error',
  title: 'cross-scope privilege no script uses',
  source: 'ServiceNowDocs application restricted caller access / runtime access tracking (KB0717945): a privilege grants an operation on another scope\'s table; one no script needs is an over-request Store review flags [U]',
  check: (ctx) => {
    const { pkg } = ctx
    const scripts = shippedScripts(pkg).map((s) => stripComments(s.script))
    const needed = pkg.scope === contract.APP.scope ? new Set(contract.CROSS_SCOPE_PRIVILEGES.map((p) => `${p.table}:${p.operation}`)) : undefined
    const out: RuleFinding[] = []
    for (const p of live(pkg, 'sys_scope_privilege')) {
      if (p.fields['status'] !== 'allowed' || p.fields['target_type'] !== 'sys_db_object') continue
      const table = p.fields['target_name'] ?? ''
      const key = `${table}:${p.fields['operation'] ?? ''}`
      const referenced = referencedByScripts(table, scripts)
      if (needed ? needed.has(key) : referenced) continue
      out.push({
        file: p.path,
        record: recordRef(p),
        message: needed
          ? `the cross-scope privilege ${key} is not one the app's scripts use (not in CROSS_SCOPE_PRIVILEGES${referenced ? '' : `; no shipped script names ${table}`}); an unused privilege is an over-request that Store review flags`
          : `the cross-scope privilege ${key} is not used: no shipped script names ${table}; an unused privilege is an over-request that Store review flags`,
        fix: needed
          ? 'remove it from src/fluent/cross-scope.now.ts, or add the operation with the script that needs it to CROSS_SCOPE_PRIVILEGES in the contract'
          : 'remove the privilege from the app',
      })
    }
    return out
  },
}

export const appVersion: ScanRule = {
  id: 'app-version-mismatch',
  severity: 'error',
  title: 'sys_app version differs from package.json',
  source: 'now-sdk build takes sys_app.version from package.json "version" (fluent-sdk-findings §3); a stale package installs as the wrong version [U: no HealthScan id]',
  check: (ctx) => {
    const app = live(ctx.pkg, 'sys_app')[0]
    if (!ctx.project || !app) return []
    if (app.fields['version'] === ctx.project.version) return []
    return [{
      file: app.path,
      record: recordRef(app),
      message: `the package's sys_app version is ${app.fields['version'] ?? '(none)'} but ${ctx.project.dir}/package.json says ${ctx.project.version}; the package was built from another version of the source, or the version was bumped without a build`,
      fix: `build the app again (\`npm run build -w ${ctx.project.dir}\`) so the package carries ${ctx.project.version}`,
    }]
  },
}

/** sys_ids keys.ts assigns: `id: '<32 hex>'` in explicit and composite entries. */
function keyIds(keysTs: string): Set<string> {
  return new Set([...keysTs.matchAll(/\bid:\s*['"]([0-9a-f]{32})['"]/g)].map((m) => m[1]!))
}

export const keysCurrent: ScanRule = {
  id: 'keys-not-current',
  severity: 'error',
  title: 'src/fluent/generated/keys.ts is not current',
  source: 'sdk-api dist/orchestrator.js build(): with frozenKeys a build that changes keys.ts fails with "Keys file is out-of-date"',
  check: (ctx) => {
    const { pkg, project } = ctx
    if (!project) return []
    const keysFile = `${project.dir}/src/fluent/generated/keys.ts`
    if (project.keysTs === undefined) {
      return [{ file: '', message: `${keysFile} does not exist, so the next build gives every record a new sys_id and an upgrade installs duplicates`, fix: 'run `npx now-sdk build` once in the app folder and commit src/fluent/generated/keys.ts' }]
    }
    const ids = keyIds(project.keysTs)
    const out: RuleFinding[] = []
    for (const record of pkg.records) {
      // sys_app's sys_id is the scopeId from now.config.json, not a key
      if (record.table === 'sys_app' || record.action === 'DELETE') continue
      for (const row of [record, ...record.children]) {
        if (row.action === 'delete_multiple' || row.sysId === '' || ids.has(row.sysId)) continue
        out.push({
          file: record.path,
          record: recordRef(row),
          message: `${row.table} ${row.sysId} is in the package but not in ${keysFile}: the package was built with keys the committed file does not hold, so the next build assigns the record a different sys_id`,
          fix: 'run `npx now-sdk build` in the app folder and commit src/fluent/generated/keys.ts (CI builds with --frozenKeys)',
        })
      }
    }
    return out
  },
}
