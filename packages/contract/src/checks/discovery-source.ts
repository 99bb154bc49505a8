// The decision about the `Kandji` discovery-source choice, from the rows that match its natural key. Shared by the
// app's repair (setup), its verify endpoint and the CLI's own verify (checks.ts).
import { DISCOVERY_SOURCE } from '../constants.ts'

export type DiscoverySourceDecision =
  | { kind: 'create' }
  | { kind: 'reactivate' }
  | { kind: 'unchanged' }
  | { kind: 'refuse'; matches: number }

export interface ChoiceRowState {
  /** sys_choice.inactive as stored: 'true' / 'false' / '' / null */
  inactive: string | null
}

export function decideDiscoverySource(matches: readonly ChoiceRowState[]): DiscoverySourceDecision {
  if (matches.length === 0) return { kind: 'create' }
  // More than one row with the same table/element/value/language: we cannot know which one the customer
  // means, so we refuse instead of guessing (project rule: refuse when more than one record matches).
  if (matches.length > 1) return { kind: 'refuse', matches: matches.length }
  return isTrue(matches[0]?.inactive ?? null) ? { kind: 'reactivate' } : { kind: 'unchanged' }
}

export function isTrue(value: string | null | undefined): boolean {
  return value === 'true' || value === '1'
}

/** The choice as people read it: cmdb_ci.discovery_source=Kandji. */
export const DISCOVERY_SOURCE_KEY = `${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element}=${DISCOVERY_SOURCE.value}`
