// What a push did, counted per row. Every sent row ends in exactly one outcome, so the counts always add up to
// `sent`; a row whose transform result is not known (async insertMultiple, unreadable staging table) stays
// `pending` instead of being guessed.
import type { Platform } from '@kandji-sn/contract/constants'
import type { MalformedDefect } from './malformed.ts'

export const OUTCOMES = ['inserted', 'updated', 'ignored', 'skipped', 'rejected', 'failed', 'pending'] as const
/**
 * inserted/updated/ignored/skipped: the transform's own status for the row.
 * rejected: the transform set the row to error. failed: the request carrying the row failed (never transformed).
 * pending: the row was accepted by the Import Set API but its transform result is not known (yet).
 */
export type Outcome = (typeof OUTCOMES)[number]

export type OutcomeCounts = { sent: number } & Record<Outcome, number>

export interface MessageGroup {
  message: string
  count: number
  /** Up to three natural keys (serial numbers) of rows with this message. */
  examples: string[]
}

export type ResultsState = 'complete' | 'pending' | 'unreadable'

export interface PushReport {
  instance: string
  table: string
  /** What was pushed: device rows or app rows. */
  kind: 'devices' | 'apps'
  mode: 'bulk' | 'single'
  batchSize: number
  durationMs: number
  totals: OutcomeCounts
  platforms: Partial<Record<Platform | 'unknown', OutcomeCounts>>
  /** Outcomes of the deliberately malformed rows, by defect (empty when none were sent). */
  malformed: Partial<Record<MalformedDefect, OutcomeCounts>>
  /** Rejected and failed rows, grouped by message. */
  errors: MessageGroup[]
  /** status_message of accepted rows (e.g. what IRE did), grouped. */
  messages: MessageGroup[]
  importSets: string[]
  /** Whether every row's outcome is known. */
  results: ResultsState
  resultsNote?: string
  /** HTTP requests made (including retries and token requests), when the simulator created the client. */
  requests?: number
}

export function emptyCounts(): OutcomeCounts {
  return { sent: 0, inserted: 0, updated: 0, ignored: 0, skipped: 0, rejected: 0, failed: 0, pending: 0 }
}

/** Rows that should have landed but did not: rejected or failed rows that were not deliberately malformed. */
export function unexpectedFailures(report: PushReport): number {
  let malformed = 0
  for (const counts of Object.values(report.malformed)) malformed += counts.rejected + counts.failed
  return report.totals.rejected + report.totals.failed - malformed
}

const SYS_ID = /\b[0-9a-f]{32}\b/g

/** Groups messages with row-specific parts (sys_ids, the row's own key) replaced, so one cause is one line. */
export class MessageGrouper {
  private readonly groups = new Map<string, MessageGroup>()

  add(message: string, key: string): void {
    let text = message.trim() || '(no message)'
    text = text.replace(SYS_ID, '<sys_id>')
    if (key && key.length >= 4) text = text.split(key).join('<serial>')
    const group = this.groups.get(text) ?? { message: text, count: 0, examples: [] }
    group.count++
    if (group.examples.length < 3 && key) group.examples.push(key.length > 40 ? `${key.slice(0, 37)}...` : key)
    this.groups.set(text, group)
  }

  list(): MessageGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count || a.message.localeCompare(b.message))
  }
}
