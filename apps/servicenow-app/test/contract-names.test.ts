// Names come from the contract: spelled once in packages/contract, generated into the places that cannot import it.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as contract from '@kandji-sn/contract/constants'
import { appRoot, renderGeneratedFiles, staleGeneratedFiles } from '../scripts/generate.ts'
import * as generated from '../src/server/generated/contract.ts'

/** Every string value in the contract's constants, with where it lives. */
function contractStrings(): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (value: unknown, where: string): void => {
    if (typeof value === 'string') out.set(value, out.get(value) ?? where)
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`))
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`)
  }
  for (const [name, value] of Object.entries(contract)) walk(value, name)
  return out
}

/**
 * Contract values that are also ordinary words or column names in code, where equality is a coincidence, not a
 * second spelling: check statuses and HTTP verbs are the vocabulary itself; `device_id` is a staging column
 * (the probe names the column, the column list defines it), and so are `is_missing`/`is_removed` (staging columns as
 * well as MDM_FIELDS); user match modes and outcomes are the vocabulary itself ('email' and 'user_name' are also
 * sys_user's columns); `status` is a route name, a common column and a word; short values like 'en' are too generic to
 * search; table operations (CROSS_SCOPE_PRIVILEGES, ACL operations) are the platform's vocabulary.
 */
const GENERIC = new Set<string>([...contract.CHECK_STATUSES, ...contract.USER_MATCH_MODES, ...contract.USER_MATCH_OUTCOMES, ...contract.IMPORT_ROW_STATES, ...contract.IMPORT_RUN_FINAL_STATES, 'GET', 'POST', 'verify', 'repair', 'status', 'client', 'device_id', 'is_missing', 'is_removed', 'package', 'repo', 'store', 'read', 'create', 'write', 'delete', 'name', 'active'])

function sourceFiles(): string[] {
  const files: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) {
        if (name !== 'generated') walk(path)
      } else if (/\.(ts|js)$/.test(name) && !name.endsWith('.test.ts')) files.push(path)
    }
  }
  walk(join(appRoot, 'src'))
  walk(join(appRoot, 'scripts'))
  return files
}

/** String literals and the static parts of template literals (comments stripped). */
function literals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
  const found: string[] = []
  for (const m of code.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) {
    const text = m[1] ?? m[2] ?? m[3] ?? ''
    if (m[3] !== undefined) found.push(...text.split(/\$\{[^}]*\}/))
    else found.push(text)
  }
  return found
}

describe('contract names in the app', () => {
  it('are never spelled again in app source (src/**, scripts/**; generated files excluded)', () => {
    const names = contractStrings()
    const scope = contract.APP.scope
    const offences: string[] = []
    for (const file of sourceFiles()) {
      for (const literal of literals(readFileSync(file, 'utf8'))) {
        const where = relative(appRoot, file)
        if (literal.includes(scope)) offences.push(`${where}: "${literal}" contains the scope`)
        else if (names.has(literal) && literal.length >= 4 && !GENERIC.has(literal)) offences.push(`${where}: "${literal}" is ${names.get(literal)}`)
      }
    }
    expect(offences).toEqual([])
  })

  it('catches a second spelling (the scan is not vacuous)', () => {
    expect(literals(`const t = 'cmdb_ci_computer'; const u = \`x \${a} sys_choice\``)).toEqual(['cmdb_ci_computer', 'x ', ' sys_choice'])
    expect(contractStrings().get('cmdb_ci_computer')).toBe('PLATFORM_TABLES.computer')
  })

  it('keeps now.config.json and the server copy of the contract equal to the contract', () => {
    expect(staleGeneratedFiles()).toEqual([])
    const config = JSON.parse(renderGeneratedFiles()['now.config.json']!)
    expect(config).toMatchObject({ scope: contract.APP.scope, scopeId: contract.APP.scopeId, name: contract.APP.name })
    expect(JSON.parse(readFileSync(join(appRoot, 'now.config.json'), 'utf8'))).toEqual(config)
    for (const [name, value] of Object.entries(contract)) {
      if (typeof value !== 'function') expect((generated as { [k: string]: unknown })[name], name).toEqual(value)
    }
  })

  it('grants ACLs only to roles the service account is meant to have', () => {
    for (const role of Object.values(contract.ACL_GRANTS)) expect(contract.SERVICE_ACCOUNT_ROLES as readonly string[]).toContain(role)
  })
})
