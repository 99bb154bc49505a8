import type { AppPackage } from '../types.ts'
import { lintAppScripts } from './lint.ts'
import { scanAppPackage, type ScanOptions } from './scan.ts'
import type { Finding } from './types.ts'

export type { AppProject, Finding, FindingRecord, ScanRule, Severity } from './types.ts'
export { SCAN_RULES } from './rules/index.ts'
export { findAppProject, readAppProject, scanAppPackage, STRUCTURE_RULE, type ScanOptions } from './scan.ts'
export { lintAppScripts, LINT_TABLES } from './lint.ts'
export { toSarif, type SarifLog } from './sarif.ts'
export { countBySeverity, findingText, FORMATS, report, type Format } from './format.ts'

/** scanAppPackage plus the ESLint findings (`lint: false` skips them). */
export async function scanWithLint(pkg: AppPackage, options: ScanOptions & { lint?: boolean } = {}): Promise<Finding[]> {
  const findings = scanAppPackage(pkg, options)
  if (options.lint === false) return findings
  return [...findings, ...(await lintAppScripts(pkg))]
}
