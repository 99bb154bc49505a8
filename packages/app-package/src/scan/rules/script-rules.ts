import { ONBEFORE_WRITES } from '@kandji-sn/contract/scan-allowlist'
import type { AppRecord } from '../../types.ts'
import { CLIENT_TABLES, lineOf, reachableModules, recordRef, shippedScripts, stripComments, type ShippedScript } from '../scripts.ts'
import type { RuleFinding, ScanContext, ScanRule } from '../types.ts'

const EXAMPLE_CHECKS = 'ServiceNowDevProgram/example-instancescan-checks README'

function where(s: ShippedScript, line: number): string {
  const { name } = recordRef(s.record)
  return `${s.table}${name ? ` "${name}"` : ''} ${s.field} line ${line}`
}

/** One finding per match of `pattern` in the comment-free code of each script `applies` to. */
function matchScripts(
  ctx: ScanContext,
  applies: (s: ShippedScript) => boolean,
  pattern: RegExp,
  describe: (s: ShippedScript, match: RegExpMatchArray, line: number) => { message: string; fix: string },
): RuleFinding[] {
  const out: RuleFinding[] = []
  for (const s of shippedScripts(ctx.pkg).filter(applies)) {
    const code = stripComments(s.script)
    for (const m of code.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))) {
      out.push({ file: s.record.path, record: recordRef(s.record), ...describe(s, m, lineOf(code, m.index ?? 0)) })
    }
  }
  return out
}

const isScoped = (s: ShippedScript) => !CLIENT_TABLES.has(s.table) && s.record.displayValues['sys_scope'] !== 'global' && s.record.fields['sys_scope'] !== 'global'
const isServer = (s: ShippedScript) => !CLIENT_TABLES.has(s.table)

export const scopedLogging: ScanRule = {
  id: 'scoped-app-logging',
  severity: 'error',
  title: 'gs.log / gs.print in a scoped script',
  source: `${EXAMPLE_CHECKS} "Avoid gs.log() Statement" / "Scripts should not contain gs.log statements"; ServiceNow API reference "GlideSystem - Scoped" has no log()/print()`,
  check: (ctx) =>
    matchScripts(ctx, isScoped, /\bgs\s*\.\s*(log|print|logError|logWarning)\s*\(/, (s, m, line) => ({
      message: `${where(s, line)} calls gs.${m[1]}(), which is not available to scoped applications: the call throws on the instance, so the script stops there`,
      fix: `use gs.info(), gs.warn(), gs.error() or gs.debug() instead of gs.${m[1]}()`,
    })),
}

export const evalCalls: ScanRule = {
  id: 'no-eval',
  severity: 'error',
  title: 'eval() or GlideEvaluator',
  source: '[U] no published HealthScan id found; Store review and ServiceNow secure-coding guidance reject evaluating strings as code',
  check: (ctx) =>
    matchScripts(ctx, () => true, /\beval\s*\(|\bnew\s+GlideEvaluator\b|\bGlideEvaluator\s*\.\s*evaluateString\s*\(/, (s, m, line) => ({
      message: `${where(s, line)} evaluates a string as code (${m[0].replace(/\s+/g, ' ').trim()}); whatever builds that string can run arbitrary script with the app's rights`,
      fix: 'call the function directly (look it up in an object of allowed functions) instead of evaluating text',
    })),
}

export const glideRecordInAcl: ScanRule = {
  id: 'gliderecord-in-acl',
  severity: 'warning',
  title: 'GlideRecord / GlideAggregate in an ACL script',
  source: `${EXAMPLE_CHECKS} "Glide-API in ACL"`,
  check: (ctx) =>
    matchScripts(ctx, (s) => s.table === 'sys_security_acl', /\bnew\s+(GlideRecord|GlideRecordSecure|GlideAggregate)\s*\(/, (s, m, line) => ({
      message: `${where(s, line)} queries the database (new ${m[1]}) in an ACL script, which runs for every record and field it guards and slows every list and form`,
      fix: 'grant access by role or condition; if a lookup is unavoidable, cache it in a script include called from the ACL',
    })),
}

export const insertUnchecked: ScanRule = {
  id: 'insert-result-unchecked',
  severity: 'warning',
  title: 'insert() result discarded',
  source: '[U] no published HealthScan id found; GlideRecord.insert() returns the new sys_id, or null when the insert fails (API reference "GlideRecord - Scoped")',
  check: (ctx) =>
    matchScripts(ctx, isServer, /(?:^|[;{}])[ \t]*([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\.\s*insert\s*\(\s*\)\s*(?:;|$)/m, (s, m, line) => ({
      message: `${where(s, line)} calls ${m[1]!.replace(/\s+/g, '')}.insert() and discards the result, so a failed insert (a business rule abort, an ACL, a mandatory field) goes unnoticed`,
      fix: `check the result: \`if (!${m[1]!.replace(/\s+/g, '')}.insert()) { /* report the failure */ }\``,
    })),
}

const SECRET_PATTERNS: { pattern: RegExp; what: string }[] = [
  { pattern: /\b(password|passwd|pwd|secret|client_secret|api_?key|access_?token|refresh_?token|token)\b['"]?\s*[:=]\s*(['"`])([^'"`\s]{4,})\2/i, what: 'a credential assigned from a literal' },
  { pattern: /['"`](Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*['"`]/, what: 'an Authorization header value' },
  { pattern: /\bsetBasicAuth\s*\(\s*['"][^'"]*['"]\s*,\s*['"][^'"]+['"]\s*\)/, what: 'basic-auth credentials passed as literals' },
  { pattern: /['"`](?:[A-Za-z0-9+/]{40,}={0,2}|[0-9a-fA-F]{40,})['"`]/, what: 'a long base64/hex literal (a key or token)' },
]

export const hardcodedCredentials: ScanRule = {
  id: 'hardcoded-credentials',
  severity: 'error',
  title: 'credential or token in a script',
  source: 'HealthScan HSD0003076 "Basic authentication credentials on SOAP Message definition" (ServiceNowDocs markdown/impact/healthscan-definitions-may-store.md); [U] no published id for scripts',
  check: (ctx) =>
    SECRET_PATTERNS.flatMap(({ pattern, what }) =>
      matchScripts(ctx, () => true, pattern, (s, _m, line) => ({
        // the matched text is a secret: never echo it
        message: `${where(s, line)} holds ${what}; everyone who can read the app (and every customer instance it is installed on) can read it`,
        fix: 'remove it from the script; read credentials at runtime from a connection & credential alias or a password2 system property the admin sets',
      })),
    ),
}

export const hardcodedInstanceUrl: ScanRule = {
  id: 'hardcoded-instance-url',
  severity: 'error',
  title: 'hard-coded instance URL',
  source: `${EXAMPLE_CHECKS} "Hard coded Instance URL"`,
  check: (ctx) =>
    matchScripts(ctx, () => true, /\b[a-z0-9][a-z0-9-]*\.service-now\.com\b/i, (s, m, line) => ({
      message: `${where(s, line)} names the instance ${m[0]}; on any other instance (a customer's, or a clone) the script calls the wrong one`,
      fix: "build the URL from gs.getProperty('glide.servlet.uri') (the running instance) or a system property",
    })),
}

/** Calls that write a row: GlideRecord writes and IRE's createOrUpdateCI. */
const WRITE_CALL = /\.\s*(insert|update|deleteRecord|updateMultiple|deleteMultiple|createOrUpdateCI)\s*\(/g

export const onBeforeWrites: ScanRule = {
  id: 'onbefore-transform-writes',
  severity: 'error',
  title: 'writes to other tables in an onBefore transform script',
  source: `${EXAMPLE_CHECKS} "Before Business rules should not insert() records in any tables" (the same reasoning for onBefore transform scripts)`,
  check: (ctx) => {
    // one finding per call site, naming every onBefore script that reaches it
    const sites = new Map<string, { record: AppRecord; module?: string; call: string; line: number; scripts: string[] }>()
    const scripts = ctx.pkg.records.filter((r) => r.table === 'sys_transform_script' && r.action !== 'DELETE' && r.fields['when'] === 'onBefore')
    for (const script of scripts) {
      const code = script.fields['script'] ?? ''
      const places: { record: AppRecord; code: string; module?: string }[] = [{ record: script, code }]
      for (const m of reachableModules(ctx.pkg, code)) places.push({ record: m, code: m.fields['content'] ?? '', module: m.fields['path'] ?? '' })
      for (const place of places) {
        const clean = stripComments(place.code)
        for (const m of clean.matchAll(WRITE_CALL)) {
          const call = m[1]!
          if (place.module !== undefined && ONBEFORE_WRITES.some((w) => w.call === call && place.module!.endsWith(`/${w.module}`))) continue
          const line = lineOf(clean, m.index ?? 0)
          const key = `${place.record.path}:${line}:${call}`
          const site = sites.get(key) ?? { record: place.record, module: place.module, call, line, scripts: [] }
          site.scripts.push(recordRef(script).name || script.sysId)
          sites.set(key, site)
        }
      }
    }
    return [...sites.values()].map((site) => ({
      file: site.record.path,
      record: recordRef(site.record),
      message: `${site.module !== undefined ? `module ${site.module}, reached from onBefore transform script ${site.scripts.join(', ')},` : `onBefore transform script ${site.scripts[0]}`} line ${site.line} calls ${site.call}(), a write that happens before the row is transformed and stays even when the row is then ignored or fails`,
      fix: 'move the write to an onAfter script or a field map; if it must happen first, add it with its reason to ONBEFORE_WRITES in packages/contract/src/scan-allowlist.ts',
    }))
  },
}
