// Assembles the verification report (contract: verificationReportSchema) from the contract's check catalogue.
import { APP_VERSION } from '../generated/contract.ts'
import { buildReport, type VerificationReportData } from '../generated/checks/report.ts'
import type { Subject } from '../generated/checks/snapshots.ts'
import type { Platform } from '../platform/types.ts'
import { lookupAll } from './lookups.ts'

export type VerificationReport = VerificationReportData

export function verifyInstance(platform: Platform, subject: Subject): VerificationReport {
  return buildReport(lookupAll(platform, subject), subject, platform.nowUtc(), APP_VERSION, 'instance')
}
