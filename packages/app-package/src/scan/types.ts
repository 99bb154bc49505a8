import type { AppPackage } from '../types.ts'

export type Severity = 'error' | 'warning' | 'info'

/** The record a finding points at (the primary record of its file). */
export interface FindingRecord {
  table: string
  sysId: string
  name: string
}

/** One scan finding: what is wrong where, and what to do about it. */
export interface Finding {
  ruleId: string
  severity: Severity
  /** File path inside the package ('' when the finding is about the package as a whole). */
  file: string
  record?: FindingRecord
  message: string
  fix: string
}

/** What a rule sees: the package, plus the app project when the scan was started from one. */
export interface ScanContext {
  pkg: AppPackage
  project?: AppProject
}

/** The source side of a built app: what the build was made from (package.json, the SDK's keys file). */
export interface AppProject {
  dir: string
  /** package.json "version" */
  version: string
  /** src/fluent/generated/keys.ts, or undefined when the project has none */
  keysTs?: string
}

export interface ScanRule {
  id: string
  severity: Severity
  title: string
  /** The ServiceNow check this rule is modelled on (HealthScan HSD number or Instance Scan check name, and where it is published). */
  source: string
  /** Findings without ruleId; severity defaults to the rule's. */
  check: (ctx: ScanContext) => RuleFinding[]
}

export type RuleFinding = Omit<Finding, 'ruleId' | 'severity'> & { severity?: Severity }
