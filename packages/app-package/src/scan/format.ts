import type { AppPackage } from '../types.ts'
import { toSarif } from './sarif.ts'
import type { Finding } from './types.ts'

export const FORMATS = ['text', 'json', 'sarif'] as const
export type Format = (typeof FORMATS)[number]

export function countBySeverity(findings: Finding[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  }
}

/** One finding as text: `<severity>: <file>: <message> [<rule>]` and the fix on the next line. */
export function findingText(f: Finding): string {
  return `${f.severity}: ${f.file ? `${f.file}: ` : ''}${f.message} [${f.ruleId}]\n  fix: ${f.fix}`
}

/** The machine-readable report (json or sarif) as one document. */
export function report(format: Exclude<Format, 'text'>, pkg: AppPackage, findings: Finding[]): string {
  if (format === 'sarif') return `${JSON.stringify(toSarif(pkg, findings), null, 2)}\n`
  return `${JSON.stringify({ scope: pkg.scope, version: pkg.version, summary: countBySeverity(findings), findings }, null, 2)}\n`
}
