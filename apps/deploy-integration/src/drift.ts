import type { CheckId, CheckResult, DriftEntry, DriftKind } from '@kandji-sn/contract'
import type { Change, FieldDiff, StepPlan, TableChange } from './steps/types.ts'

/**
 * How the instance differs from the desired state, named: every change of the plan (a created object is one entry,
 * an updated one an entry per field), then the drift deploy leaves alone (the steps' own `drift`), then failing
 * checks of the app's records that no planned install or upgrade repairs.
 */
export function driftOf(steps: readonly StepPlan[], checks: readonly CheckResult[] = []): DriftEntry[] {
  const entries = steps.flatMap((step) => [...step.changes.flatMap((c) => changeDrift(step, c)), ...(step.drift ?? [])])
  const appPlanned = steps.some((s) => s.step === 'app' && s.changes.length > 0)
  if (!appPlanned) {
    for (const check of checks) if (check.status === 'fail' && APP_RECORD_CHECKS.has(check.id)) entries.push({ kind: 'app-incomplete', detail: `${check.id}: ${check.detail}` })
  }
  return entries
}

/** Checks of records the app install brings; the other checks follow a plan step or are about data, not setup. */
const APP_RECORD_CHECKS = new Set<CheckId>(['fix_script', 'staging_tables', 'transform_maps', 'insert_multiple'])

const show = (value: string | undefined) => (value === undefined ? '(none)' : `"${value}"`)
const fieldDetail = (step: StepPlan, f: FieldDiff) => `${step.object}: ${f.field} is ${show(f.from)}, wanted ${show(f.to)}`
const entry = (kind: DriftKind, detail: string): DriftEntry => ({ kind, detail })

function changeDrift(step: StepPlan, change: Change): DriftEntry[] {
  if (change.step === 'app') {
    switch (change.action) {
      case 'install':
        return [entry('app-missing', `${step.object} is not installed (wanted ${change.version ?? 'the latest in the app repository'})`)]
      case 'upgrade':
        return [entry('app-outdated', `${step.object} is ${change.fromVersion ?? 'installed'}, wanted ${change.version ?? 'the latest'}`)]
      case 'replace':
      case 'uninstall':
        return [entry('app-foreign', `${step.object}: another application holds the scope (${change.reason ?? change.key})`)]
    }
  }
  return tableChangeDrift(step, change)
}

/** For each step: the kind of a missing object, and of each field of an update (the default is the step's `changed`). */
const TABLE_KINDS: Partial<Record<StepPlan['step'], { missing: DriftKind; changed: DriftKind; fields?: Record<string, DriftKind> }>> = {
  'oauth-client': { missing: 'client-missing', changed: 'client-changed', fields: { active: 'client-inactive', client_secret: 'client-secret-pending' } },
  'service-account': { missing: 'account-missing', changed: 'account-changed', fields: { active: 'account-inactive', locked_out: 'account-locked' } },
  'app-properties': { missing: 'property-missing', changed: 'property-changed' },
  'discovery-source': { missing: 'choice-missing', changed: 'choice-inactive' },
}

function tableChangeDrift(step: StepPlan, change: TableChange): DriftEntry[] {
  if (change.step === 'role-grants') {
    // A delete is an extra role with --prune-roles: the step names it in its own drift, with or without the flag.
    if (change.action === 'delete') return []
    return [entry('role-missing', `${step.object}: ${change.fields[0]?.to ?? change.key} is not granted directly`)]
  }
  const kinds = TABLE_KINDS[change.step]
  if (!kinds) throw new Error(`internal: no drift kind for a ${change.step} change`)
  const object = change.step === 'app-properties' ? `property ${change.key.replace(/^name=/, '')}` : step.object
  switch (change.action) {
    case 'create':
      return [entry(kinds.missing, `${object} does not exist`)]
    case 'delete':
      throw new Error(`internal: no drift kind for a delete of ${change.table} ${change.key}`)
    case 'update':
      if (change.step === 'discovery-source') return [entry('choice-inactive', `${object} is inactive`)]
      return change.fields.map((f) => {
        const kind = kinds.fields?.[f.field] ?? kinds.changed
        if (kind === 'client-inactive' || kind === 'account-inactive') return entry(kind, `${object} is inactive`)
        if (kind === 'account-locked') return entry(kind, `${object} is locked out`)
        if (kind === 'client-secret-pending') return entry(kind, `${object}: the secret an interrupted deploy generated may never have been set`)
        return entry(kind, change.step === 'app-properties' ? `${object} is ${show(f.from)}, wanted ${show(f.to)}` : fieldDetail({ ...step, object }, f))
      })
  }
}
