import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.ts'
import { CROSS_SCOPE_PRIVILEGES } from '@kandji-sn/contract/constants'
import type { SarifLog } from '../src/index.ts'
import { FIX_SCRIPT_FILE, FIXTURE_DIR, SCRIPT_INCLUDE_FILE, VERIFY_ACL_FILE, editedFiles, replaceIn, scanCleanFiles, zipOf } from './fixture.ts'

async function run(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** Writes the files as a dist/app folder; returns its path. */
function distApp(files: Map<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'app-package-cli-')), 'dist', 'app')
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

const PRIVILEGES = CROSS_SCOPE_PRIVILEGES.map((p) => `${p.table}:${p.operation}`).sort()
const NOTE = 'info: the app project (package.json, src/fluent/generated/keys.ts) was not found next to the package, so the app-version-mismatch and keys-not-current rules did not run [project-not-found]\n  fix: scan the app folder, its dist/app or its target/*.zip in place, or pass --project <app folder>'

describe('app-package CLI', () => {
  it('scans a dist/app folder and summarises it, with the cross-scope privileges it asks for', async () => {
    const r = await run(distApp(scanCleanFiles()), '--no-lint')
    expect(r.code).toBe(0)
    expect(r.out.split('\n')).toEqual([
      'x_kandj_kandji 0.0.1: 41 records, 2 tables, 0 errors, 6 warnings, 1 notes',
      `cross-scope privileges (${PRIVILEGES.length}): ${PRIVILEGES.join(', ')}`,
    ])
    expect(r.err.split('\n').filter((l) => l.startsWith('info:'))).toEqual([NOTE.split('\n')[0]])
  })

  it('exits 1 on an error-level finding, listing it with its rule and fix', async () => {
    const r = await run(FIXTURE_DIR, '--no-lint')
    expect(r.code).toBe(1)
    const lines = r.err.split('\n')
    const first = lines.findIndex((l) => l.startsWith('error:'))
    expect(lines.slice(first, first + 2)).toEqual([
      `error: ${VERIFY_ACL_FILE}: REST_Endpoint ACL x_kandj_kandji.integration_verify (execute) requires no role and has no condition or script, so it grants every user [acl-without-roles]`,
      '  fix: add roles: [<the app role>] to the Acl (and keep the condition/script for what roles cannot express)',
    ])
    expect(r.out.split('\n')[0]).toBe('x_kandj_kandji 0.0.1: 36 records, 2 tables, 3 errors, 6 warnings, 1 notes')
  })

  it('reports script lint findings (the sample script include is not lint-clean)', async () => {
    const r = await run(distApp(scanCleanFiles()), '--format', 'json')
    expect(r.code).toBe(1)
    const report = JSON.parse(r.out) as { findings: { ruleId: string; severity: string; file: string }[] }
    expect(report.findings.filter((f) => f.ruleId === 'eslint/@admc.com/sn/legacy-use-this')).toEqual([
      expect.objectContaining({ severity: 'error', file: SCRIPT_INCLUDE_FILE }),
      expect.objectContaining({ severity: 'error', file: SCRIPT_INCLUDE_FILE }),
    ])
  })

  it('--format json: the report alone on stdout, the summary on stderr', async () => {
    const r = await run(distApp(scanCleanFiles()), '--no-lint', '--format', 'json')
    expect(r.code).toBe(0)
    const report = JSON.parse(r.out) as { scope: string; version: string; summary: unknown; findings: unknown[] }
    expect({ scope: report.scope, version: report.version, summary: report.summary, count: report.findings.length }).toEqual({
      scope: 'x_kandj_kandji', version: '0.0.1', summary: { errors: 0, warnings: 6, infos: 1 }, count: 7,
    })
    expect(r.err.split('\n')[0]).toBe('x_kandj_kandji 0.0.1: 41 records, 2 tables, 0 errors, 6 warnings, 1 notes')
  })

  it('--format sarif: a SARIF 2.1.0 log with the required fields, one result per finding', async () => {
    const files = scanCleanFiles()
    replaceIn(files, FIX_SCRIPT_FILE, /<script>/, "<script>gs.log('x');\n")
    const r = await run(distApp(files), '--no-lint', '--format', 'sarif')
    expect(r.code).toBe(1)
    const log = JSON.parse(r.out) as SarifLog
    expect(sarifProblems(log, [...files.keys()])).toEqual([])
    const results = log.runs[0]!.results
    expect(results.map((x) => [x.ruleId, x.level, x.locations?.[0]?.physicalLocation.artifactLocation.uri ?? null])).toEqual([
      ['package-structure', 'warning', null],
      ['package-structure', 'warning', null],
      ['package-structure', 'warning', null],
      ['package-structure', 'warning', null],
      ['package-structure', 'warning', null],
      ['package-structure', 'warning', null],
      ['scoped-app-logging', 'error', FIX_SCRIPT_FILE],
      ['project-not-found', 'note', null],
    ])
    expect(results[6]!.message.text).toBe(
      'sys_script_fix "kandji_fix_script" script line 1 calls gs.log(), which is not available to scoped applications: the call throws on the instance, so the script stops there. Fix: use gs.info(), gs.warn(), gs.error() or gs.debug() instead of gs.log()',
    )
    expect(results[6]!.locations![0]!.logicalLocations).toEqual([{ name: 'kandji_fix_script', fullyQualifiedName: 'sys_script_fix/e06e526a8bf3423bb079100f2a068b01', kind: 'object' }])
  })

  it('finds the project of a dist/app and checks the version against its package.json', async () => {
    const dir = distApp(scanCleanFiles())
    const app = dirname(dirname(dir))
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'kandji-sample', version: '0.0.2' }))
    writeFileSync(join(app, 'now.config.json'), '{}')
    const r = await run(dir, '--no-lint', '--format', 'json')
    expect(r.code).toBe(1)
    const ids = (JSON.parse(r.out) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId).filter((id) => id !== 'package-structure')
    // no keys.ts in this project: keys-not-current says so; the version differs
    expect(ids).toEqual(['app-version-mismatch', 'keys-not-current'])
  })

  it('writes the update set beside the newest zip of an app folder', async () => {
    const app = mkdtempSync(join(tmpdir(), 'app-package-cli-'))
    mkdirSync(join(app, 'target'))
    writeFileSync(join(app, 'target', 'kandji_0_0_1.zip'), zipOf(scanCleanFiles()))
    const r = await run(app, '--no-lint', '--update-set', '--date', '2025-01-01 00:00:00')
    expect(r.code).toBe(0)
    const written = readFileSync(join(app, 'target', 'kandji_0_0_1_update_set.xml'), 'utf8')
    expect(written).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<unload unload_date="2025-01-01 00:00:00">/)
  })

  it('exits 1 and writes nothing when the package has errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-package-cli-'))
    const zip = join(dir, 'bad.zip')
    writeFileSync(zip, zipOf(editedFiles((f) => replaceIn(f, FIX_SCRIPT_FILE, '<sys_id>', '<sys_idx>'))))
    const r = await run(zip, '--update-set')
    expect(r.code).toBe(1)
    expect(r.err).toContain(`error: ${FIX_SCRIPT_FILE}: malformed XML`)
    expect(() => readFileSync(join(dir, 'bad_update_set.xml'))).toThrow()
  })

  it('exits 2 with error/cause/fix for a path that is not an app, or a --project that is not one', async () => {
    for (const r of [await run('/nonexistent/app'), await run(FIXTURE_DIR, '--project', '/nonexistent/project')]) {
      expect(r.code).toBe(2)
      expect(r.err.split('\n').map((l) => l.split(':')[0])).toEqual(['error', 'cause', 'fix'])
    }
  })

  it.each([
    ['not JSON', '{ "version": ', /^error: cannot read the app project's .*package\.json \(.*JSON.*\)$/],
    ['without a version', '{ "name": "kandji-sample" }', /^error: .*package\.json has no "version"$/],
    ['with a numeric version', '{ "version": 1 }', /^error: .*package\.json has no "version"$/],
  ])('exits 2 when the project found around the package has a package.json %s', async (_what, json, first) => {
    const dir = distApp(scanCleanFiles())
    const app = dirname(dirname(dir))
    writeFileSync(join(app, 'package.json'), json)
    writeFileSync(join(app, 'now.config.json'), '{}')
    const r = await run(dir, '--no-lint')
    expect(r.code).toBe(2)
    const lines = r.err.split('\n')
    expect(lines[0]).toMatch(first)
    expect(lines.map((l) => l.split(':')[0])).toEqual(['error', 'cause', 'fix'])
  })

  it('exits 2 on usage errors', async () => {
    expect((await run()).code).toBe(2)
    expect((await run(FIXTURE_DIR, '--date')).err).toContain('--date needs a value')
    expect((await run(FIXTURE_DIR, '--update-set')).err).toContain('--update-set needs a FILE')
    expect((await run(FIXTURE_DIR, 'extra')).err).toContain('unexpected argument extra')
    for (const argv of [['--format'], ['--format', 'xml'], ['--format', '--no-lint'], ['--project']]) {
      const r = await run(FIXTURE_DIR, ...argv)
      expect(r.code).toBe(2)
      expect(r.err.split('\n')[0]).toBe(argv[1] === 'xml' ? 'error: --format must be one of text, json, sarif, not "xml"' : `error: ${argv[0]} needs a value`)
    }
  })
})

/**
 * The required properties of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) for what this log uses: sarifLog
 * {version, runs}, run {tool}, tool {driver}, toolComponent {name}, reportingDescriptor {id}, result {message},
 * message {text}, level enum, artifactLocation.uri; plus ruleIndex pointing at the rule named by ruleId.
 */
function sarifProblems(log: SarifLog, packageFiles: string[]): string[] {
  const problems: string[] = []
  if (log.version !== '2.1.0') problems.push(`version is ${String(log.version)}`)
  if (!Array.isArray(log.runs) || log.runs.length === 0) return [...problems, 'no runs']
  for (const run of log.runs) {
    const driver = run.tool?.driver
    if (typeof driver?.name !== 'string' || driver.name === '') problems.push('tool.driver.name missing')
    const rules = driver?.rules ?? []
    rules.forEach((r, i) => { if (typeof r.id !== 'string' || r.id === '') problems.push(`rules[${i}].id missing`) })
    if (new Set(rules.map((r) => r.id)).size !== rules.length) problems.push('duplicate rule ids')
    run.results.forEach((x, i) => {
      if (typeof x.message?.text !== 'string' || x.message.text === '') problems.push(`results[${i}].message.text missing`)
      if (!['none', 'note', 'warning', 'error'].includes(x.level)) problems.push(`results[${i}].level ${x.level}`)
      if (rules[x.ruleIndex]?.id !== x.ruleId) problems.push(`results[${i}].ruleIndex does not point at ${x.ruleId}`)
      for (const loc of x.locations ?? []) {
        const uri = loc.physicalLocation?.artifactLocation?.uri
        if (typeof uri !== 'string' || !packageFiles.includes(uri)) problems.push(`results[${i}] uri ${String(uri)} is not a file of the package`)
      }
    })
  }
  return problems
}
