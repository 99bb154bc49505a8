// The setup logic shared by kandji_fix_script (through the KandjiSetup Script Include) and POST /repair.
// IRE only accepts a data source that is a choice of cmdb_ci.discovery_source (IdentifyReconcile API docs,
// facts 1.2), so the `Kandji` choice must exist and be active before any device import.
import { DISCOVERY_SOURCE, PLATFORM_TABLES } from '../generated/contract.ts'
import { decideDiscoverySource, DISCOVERY_SOURCE_KEY, isTrue, type ChoiceRowState } from '../generated/checks/discovery-source.ts'
import type { Platform, RecordLike } from '../platform/types.ts'

export type RepairActionKind = 'created' | 'reactivated' | 'updated' | 'unchanged' | 'failed'

export interface RepairAction {
  target: string
  action: RepairActionKind
  detail: string
}

export interface RepairResult {
  changed: boolean
  actions: RepairAction[]
}

export { decideDiscoverySource, isTrue, DISCOVERY_SOURCE_KEY, type ChoiceRowState, type DiscoverySourceDecision } from '../generated/checks/discovery-source.ts'

const TARGET = `${PLATFORM_TABLES.choice} ${DISCOVERY_SOURCE_KEY}`

/**
 * Why the instance refuses a write to sys_choice from this app, and what works instead. Two layers can refuse it
 * (KB1641480): the app's cross-scope privilege (Enforcing once installed, KB0717945) and sys_choice's own
 * application access for other scopes (KB0727180), which no app can grant itself.
 */
function refusedDetail(operation: 'insert' | 'update' | 'write'): string {
  return (
    `The instance refused the ${operation} of the choice into ${PLATFORM_TABLES.choice} from this app's scope; the system log's ` +
    `"Security restricted" line says which layer: the app's cross-scope privilege (System Applications > Application Cross-Scope Access) ` +
    `or the ${PLATFORM_TABLES.choice} table's application access for other scopes. Add the choice as an admin instead: run ` +
    `deploy-integration deploy (it adds it through the Table API), or add "${DISCOVERY_SOURCE.value}" to the ${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element} ` +
    'choice list by hand (form field Discovery source > Show Choice List > New).'
  )
}

/** The sys_choice rows with the choice's natural key (table, element, value, language); at most two. */
export function queryDiscoverySourceChoice(platform: Platform): RecordLike {
  const gr = platform.record(PLATFORM_TABLES.choice)
  gr.addQuery('name', DISCOVERY_SOURCE.table)
  gr.addQuery('element', DISCOVERY_SOURCE.element)
  gr.addQuery('value', DISCOVERY_SOURCE.value)
  gr.addQuery('language', DISCOVERY_SOURCE.language)
  // Two rows are enough to know the key is ambiguous.
  gr.setLimit(2)
  gr.query()
  return gr
}

/**
 * Inserts the discovery-source choice when it is missing, reactivates it when it is inactive, and otherwise
 * leaves it alone (never touches the label a customer may have translated). Idempotent.
 */
export function ensureDiscoverySource(platform: Platform): RepairAction {
  const gr = queryDiscoverySourceChoice(platform)
  const rows: ChoiceRowState[] = []
  let first: { inactive: string | null; sysId: string } | undefined
  while (gr.next()) {
    const state = { inactive: gr.getValue('inactive'), sysId: gr.getUniqueValue() }
    rows.push(state)
    first ??= state
  }
  const decision = decideDiscoverySource(rows)
  switch (decision.kind) {
    case 'unchanged':
      return { target: TARGET, action: 'unchanged', detail: `The ${DISCOVERY_SOURCE.value} discovery source is present and active.` }
    case 'refuse':
      return {
        target: TARGET,
        action: 'failed',
        detail:
          `Found ${decision.matches} ${PLATFORM_TABLES.choice} rows for ${DISCOVERY_SOURCE_KEY} ` +
          `(language ${DISCOVERY_SOURCE.language}); changed nothing. Delete the duplicates so one row remains, then repair again.`,
      }
    case 'reactivate': {
      const row = platform.record(PLATFORM_TABLES.choice)
      // `first` is set whenever the decision is 'reactivate' (exactly one row matched).
      if (!first || !getById(row, first.sysId)) {
        return { target: TARGET, action: 'failed', detail: 'The inactive choice row disappeared while repairing; run repair again.' }
      }
      row.setValue('inactive', false)
      if (!row.update()) {
        return { target: TARGET, action: 'failed', detail: refusedDetail('update') }
      }
      return { target: TARGET, action: 'reactivated', detail: `Reactivated the ${DISCOVERY_SOURCE.value} discovery source.` }
    }
    case 'create': {
      const row = platform.record(PLATFORM_TABLES.choice)
      row.setValue('name', DISCOVERY_SOURCE.table)
      row.setValue('element', DISCOVERY_SOURCE.element)
      row.setValue('value', DISCOVERY_SOURCE.value)
      row.setValue('label', DISCOVERY_SOURCE.label)
      row.setValue('language', DISCOVERY_SOURCE.language)
      row.setValue('sequence', DISCOVERY_SOURCE.sequence)
      row.setValue('inactive', false)
      if (!row.insert()) {
        return { target: TARGET, action: 'failed', detail: refusedDetail('insert') }
      }
      return { target: TARGET, action: 'created', detail: `Added ${DISCOVERY_SOURCE.value} to the ${DISCOVERY_SOURCE.table}.${DISCOVERY_SOURCE.element} choices.` }
    }
  }
}

function getById(gr: RecordLike, sysId: string): boolean {
  gr.addQuery('sys_id', sysId)
  gr.setLimit(1)
  gr.query()
  return gr.next()
}

/**
 * ensureDiscoverySource, with a refusal the platform throws (a cross-scope "Security restricted" exception,
 * KB1641480) turned into a failed action that says what to do, so repair answers 409 and the fix script logs it.
 */
function ensureDiscoverySourceSafely(platform: Platform): RepairAction {
  try {
    return ensureDiscoverySource(platform)
  } catch (err) {
    // The platform's exception need not be an Error of this script's realm: read its message wherever it comes from.
    const message = typeof err === 'object' && err !== null && 'message' in err ? String((err as { message: unknown }).message) : String(err)
    // Only the platform's refusal is an answer; anything else is a bug that repair reports as a 500.
    if (!message.includes('Security restricted')) throw err
    return { target: TARGET, action: 'failed', detail: `${message}. ${refusedDetail('write')}` }
  }
}

/** Everything the setup logic ensures, as the repair result the contract describes. */
export function runSetup(platform: Platform): RepairResult {
  const actions = [ensureDiscoverySourceSafely(platform)]
  return {
    changed: actions.some((a) => a.action === 'created' || a.action === 'reactivated' || a.action === 'updated'),
    actions,
  }
}
