import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { AppPackageError } from '../errors.ts'
import type { AppPackage, ValidationIssue } from '../types.ts'
import { validateAppPackage } from '../validate.ts'
import { SCAN_RULES } from './rules/index.ts'
import { recordRef } from './scripts.ts'
import type { AppProject, Finding, ScanRule } from './types.ts'

/** validateAppPackage's structural problems (files, ids, names, the Kandji app's parts) as findings of one rule. */
export const STRUCTURE_RULE: Omit<ScanRule, 'check'> = {
  id: 'package-structure',
  severity: 'error',
  title: 'package structure (validateAppPackage)',
  source: 'what the instance needs to install the package (sys_app, sys_ids, scope prefixes, inventory); see packages/app-package/README.md "Validation"',
}

export interface ScanOptions {
  /** The app project the package was built from; enables the version and keys.ts rules. */
  project?: AppProject
  /** Rules to run (default SCAN_RULES). */
  rules?: readonly ScanRule[]
}

/** Every finding for the package: structural validation, then each scan rule. */
export function scanAppPackage(pkg: AppPackage, options: ScanOptions = {}): Finding[] {
  const findings: Finding[] = validateAppPackage(pkg).map((issue) => fromIssue(pkg, issue))
  const ctx = options.project ? { pkg, project: options.project } : { pkg }
  for (const rule of options.rules ?? SCAN_RULES) {
    for (const f of rule.check(ctx)) findings.push({ ruleId: rule.id, ...f, severity: f.severity ?? rule.severity })
  }
  if (!options.project) {
    findings.push({
      ruleId: 'project-not-found',
      severity: 'info',
      file: '',
      message: 'the app project (package.json, src/fluent/generated/keys.ts) was not found next to the package, so the app-version-mismatch and keys-not-current rules did not run',
      fix: 'scan the app folder, its dist/app or its target/*.zip in place, or pass --project <app folder>',
    })
  }
  return findings
}

function fromIssue(pkg: AppPackage, issue: ValidationIssue): Finding {
  const record = issue.path ? pkg.records.find((r) => r.path === issue.path) : undefined
  // validate's messages end with the fix after the last ': ' (what happened; why: fix)
  const cut = issue.message.lastIndexOf(': ')
  const finding: Finding = {
    ruleId: STRUCTURE_RULE.id,
    severity: issue.severity,
    file: issue.path,
    message: issue.message,
    fix: cut > 0 ? issue.message.slice(cut + 2) : 'rebuild the app with `now-sdk build` and `now-sdk pack`',
  }
  if (record) finding.record = recordRef(record)
  return finding
}

/**
 * The app project a package belongs to: the folder itself, or the project of `<app>/dist/app` or
 * `<app>/target/<name>.zip` (now-sdk's layout). A folder is a project when it holds package.json and now.config.json.
 */
export function findAppProject(source: string): AppProject | undefined {
  const full = resolve(source)
  const candidates = [full]
  if (basename(full) === 'app' && basename(dirname(full)) === 'dist') candidates.push(dirname(dirname(full)))
  if (full.toLowerCase().endsWith('.zip') && basename(dirname(full)) === 'target') candidates.push(dirname(dirname(full)))
  const dir = candidates.find((d) => existsSync(join(d, 'package.json')) && existsSync(join(d, 'now.config.json')))
  return dir === undefined ? undefined : readAppProject(relative(process.cwd(), dir) || '.')
}

/** Reads an app project's package.json version and keys.ts; a project that cannot be read is an AppPackageError. */
export function readAppProject(dir: string): AppProject {
  const pkgPath = join(dir, 'package.json')
  let pkgJson: unknown
  try {
    pkgJson = JSON.parse(readFileSync(pkgPath, 'utf8'))
  } catch (e) {
    throw new AppPackageError(
      pkgPath,
      `cannot read the app project's ${pkgPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      'the project folder must hold a package.json with the app\'s version (now-sdk build reads it)',
      'pass the app folder (e.g. --project apps/servicenow-app), or fix its package.json',
    )
  }
  const version = (pkgJson as { version?: unknown } | null)?.version
  if (typeof version !== 'string' || version === '') {
    throw new AppPackageError(pkgPath, `${pkgPath} has no "version"`, 'now-sdk build takes the app version from package.json', 'set "version" in package.json')
  }
  const keysPath = join(dir, 'src', 'fluent', 'generated', 'keys.ts')
  const project: AppProject = { dir, version }
  if (existsSync(keysPath)) project.keysTs = readFileSync(keysPath, 'utf8')
  return project
}
