import type { AppPackage } from '../types.ts'
import { SCAN_RULES } from './rules/index.ts'
import { STRUCTURE_RULE } from './scan.ts'
import type { Finding, Severity } from './types.ts'

/** The parts of SARIF 2.1.0 (OASIS sarif-v2.1.0 schema) this report uses. */
export interface SarifLog {
  $schema: string
  version: '2.1.0'
  runs: SarifRun[]
}
export interface SarifRun {
  tool: { driver: { name: string; informationUri: string; rules: SarifRule[] } }
  results: SarifResult[]
}
export interface SarifRule {
  id: string
  shortDescription: { text: string }
  help: { text: string }
  defaultConfiguration: { level: SarifLevel }
}
export interface SarifResult {
  ruleId: string
  ruleIndex: number
  level: SarifLevel
  message: { text: string }
  locations?: { physicalLocation: { artifactLocation: { uri: string } }; logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[] }[]
  properties: { fix: string }
}
export type SarifLevel = 'error' | 'warning' | 'note'

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' }

/** Rules that are not in SCAN_RULES: the structural checks, the project notice, and each ESLint rule reported. */
const EXTRA_RULES = [
  STRUCTURE_RULE,
  { id: 'project-not-found', severity: 'info' as const, title: 'app project not found (version and keys.ts rules skipped)', source: 'app-package scan' },
]

/**
 * The findings as a SARIF 2.1.0 log for CI annotations. `uri` is the file inside the package; a SARIF `fix`
 * needs concrete text replacements, which a built package cannot offer, so the fix is in the message (and in
 * properties.fix).
 */
export function toSarif(pkg: AppPackage, findings: Finding[]): SarifLog {
  const rules: SarifRule[] = [...SCAN_RULES, ...EXTRA_RULES].map((r) => ({
    id: r.id,
    shortDescription: { text: r.title },
    help: { text: `Modelled on: ${r.source}` },
    defaultConfiguration: { level: LEVEL[r.severity] },
  }))
  for (const f of findings) {
    if (!rules.some((r) => r.id === f.ruleId)) {
      rules.push({
        id: f.ruleId,
        shortDescription: { text: `ESLint rule ${f.ruleId.replace(/^eslint\//, '')}` },
        help: { text: 'Reported by ESLint with the @admc.com/eslint-plugin-sn configuration for the script\'s table' },
        defaultConfiguration: { level: LEVEL[f.severity] },
      })
    }
  }
  const results = findings.map((f): SarifResult => {
    const result: SarifResult = {
      ruleId: f.ruleId,
      ruleIndex: rules.findIndex((r) => r.id === f.ruleId),
      level: LEVEL[f.severity],
      message: { text: `${f.message}. Fix: ${f.fix}` },
      properties: { fix: f.fix },
    }
    if (f.file) {
      const location: NonNullable<SarifResult['locations']>[number] = { physicalLocation: { artifactLocation: { uri: f.file } } }
      if (f.record) location.logicalLocations = [{ name: f.record.name || f.record.sysId, fullyQualifiedName: `${f.record.table}/${f.record.sysId}`, kind: 'object' }]
      result.locations = [location]
    }
    return result
  })
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: `app-package scan (${pkg.scope} ${pkg.version})`, informationUri: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html', rules } }, results }],
  }
}
