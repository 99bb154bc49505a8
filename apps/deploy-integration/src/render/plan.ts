import type { InstanceFacts } from '../steps/preflight.ts'
import type { Change, StepPlan } from '../steps/types.ts'
import type { Output } from './output.ts'
import { hangingLines } from './table.ts'

const SYMBOL: Record<Change['action'], string> = { create: '+', install: '+', update: '~', upgrade: '~', delete: '-', uninstall: '-', replace: '-+' }

function show(value: string | undefined): string {
  return value === undefined ? '(none)' : value === '' ? '""' : value
}

export function renderFacts(out: Output, facts: InstanceFacts): void {
  out.line(`  release: ${facts.release ?? 'unknown'}${facts.buildTag ? ` (${facts.buildTag})` : ''}; oauth_entity.scope_restriction_status: ${facts.scopeRestrictionColumn ? 'present' : 'absent'}`)
  out.line(`  admin: ${facts.adminUser} (admin role present); app: ${facts.app ? `${facts.app.scope} ${facts.app.version}` : 'not installed'}`)
  if (facts.basicAuthRestriction === 'enforced') out.line(`  basic auth restriction: enforced; the admin signs in with ${SIGN_IN_LABEL[facts.signIn]}`)
}

const SIGN_IN_LABEL: Record<InstanceFacts['signIn'], string> = {
  basic: 'basic auth (an exempt account)',
  password: 'an OAuth client (password grant)',
  client_credentials: 'an OAuth client (client credentials)',
  bearer: 'a bearer token',
  apikey: 'an API key',
}

/** The plan as a diff per object; `+` create, `~` change, `-` remove. Secret values never appear in a Change. */
export function renderPlan(out: Output, steps: readonly StepPlan[]): void {
  for (const step of steps) {
    out.line()
    out.line(out.style(step.object, 'bold'))
    if (step.changes.length === 0) out.line(out.style('  = in sync', 'dim'))
    for (const change of step.changes) {
      const colour = change.action === 'delete' || change.action === 'uninstall' ? 'red' : change.action === 'create' || change.action === 'install' ? 'green' : 'yellow'
      const where = change.table ? `${change.table} ${change.key}` : change.key
      out.line(out.style(`  ${SYMBOL[change.action]} ${change.action} ${where}${change.reason ? `  (${change.reason})` : ''}`, colour))
      for (const f of change.fields) {
        out.line(change.action === 'create' ? `      ${f.field}: ${show(f.to)}` : `      ${f.field}: ${show(f.from)} -> ${show(f.to)}`)
      }
    }
    for (const note of step.notes) for (const l of hangingLines('  note: ', note, out.width)) out.line(out.style(l, 'dim'))
    for (const warning of step.warnings) for (const l of hangingLines('  warning: ', warning, out.width)) out.line(out.style(l, 'yellow'))
  }
}

/** The plan for --json: the same diff, without anything apply-only (data may hold secrets). */
export function planToJson(steps: readonly StepPlan[]) {
  return steps.map((s) => ({
    step: s.step,
    object: s.object,
    changes: s.changes.map((c) => ({ action: c.action, ...(c.table ? { table: c.table } : {}), key: c.key, ...(c.reason ? { reason: c.reason } : {}), fields: c.fields })),
    notes: s.notes,
    warnings: s.warnings,
  }))
}
