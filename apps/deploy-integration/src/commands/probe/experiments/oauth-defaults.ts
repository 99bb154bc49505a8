// defaultScopeRestriction: what a new OAuth client's scope_restriction_status is when the request sets none (Zurich+,
// facts 3.2); its evidence also says which stored value the field's "Broadly scoped" choice has (sys_choice), which
// OAUTH_CLIENT.broadlyScopedValue assumes (facts 3.2, open item 4): a different one is a note of the run.
// choiceInputDisplayValue: whether sysparm_input_display_value=true stores a choice VALUE that is no
// choice's label ("Treats input values as display values", Table API; silent on values). One throw-away client;
// the answer to its creation also shows whether the release has the column.
import { randomBytes } from 'node:crypto'
import { OAUTH_CLIENT, PLATFORM_TABLES, PROBE } from '@kandji-sn/contract/constants'
import { query } from '@kandji-sn/servicenow-client'
import { PROBED_SWITCHES, type ProbedSwitchValue, type ProbeEvidence } from '@kandji-sn/contract'
import { checkAborted, recordsOf, send } from '../evidence.ts'
import { couldNotTell, observed } from '../outcome.ts'
import type { SwitchProbe } from '../types.ts'

const FIELD = OAUTH_CLIENT.scopeRestrictionField
const NAME = `${PROBE.namePrefix}scope_client`
const VALUES: readonly string[] = PROBED_SWITCHES.defaultScopeRestriction
/** The UI label of the choice the product needs (facts 3.2, KB2731346). */
export const BROADLY_SCOPED_LABEL = 'Broadly scoped'

/** The stored value of the "Broadly scoped" choice, from the field's sys_choice rows (undefined: none, or several). */
export function broadlyScopedValue(choices: readonly Record<string, unknown>[]): string | undefined {
  const values = new Set(choices.filter((c) => String(c.label ?? '').trim().toLowerCase() === BROADLY_SCOPED_LABEL.toLowerCase()).map((c) => String(c.value ?? '')))
  return values.size === 1 ? [...values][0] : undefined
}

export const oauthDefaultsProbe: SwitchProbe = {
  id: 'oauth-client-defaults',
  switches: ['defaultScopeRestriction', 'choiceInputDisplayValue'],
  tables: [{ table: PLATFORM_TABLES.oauthEntity, nameField: 'name' }],
  async run(ctx) {
    const created = await send(ctx.admin, {
      method: 'POST',
      path: `/api/now/v2/table/${PLATFORM_TABLES.oauthEntity}`,
      query: { sysparm_fields: `sys_id,name,${FIELD}`, sysparm_exclude_reference_link: true },
      body: { name: NAME, type: OAUTH_CLIENT.type, client_id: randomBytes(16).toString('hex'), redirect_url: OAUTH_CLIENT.redirectUrl },
    }, `no ${FIELD} given`)
    const row = (created.answer.body as { result?: Record<string, unknown> } | undefined)?.result
    const sysId = typeof row?.sys_id === 'string' ? row.sys_id : undefined
    if (sysId) ctx.created(PLATFORM_TABLES.oauthEntity, sysId, NAME)
    if (created.answer.status !== 201 || !sysId) {
      const reason = `the OAuth client could not be created (${created.answer.status})`
      return { defaultScopeRestriction: couldNotTell(reason, [created.evidence]), choiceInputDisplayValue: couldNotTell(reason, [created.evidence]) }
    }
    // The Table API leaves out fields the table does not have (facts 4.1): then the release has no such column.
    if (!row || !(FIELD in row)) {
      const reason = `this release has no ${PLATFORM_TABLES.oauthEntity}.${FIELD} (it came with Zurich and patched Yokohama)`
      return { defaultScopeRestriction: couldNotTell(reason, [created.evidence]), choiceInputDisplayValue: couldNotTell(`${reason}, the choice field this experiment writes`, [created.evidence]) }
    }
    const initial = typeof row?.[FIELD] === 'string' ? row[FIELD] : ''
    const withValue = (e: ProbeEvidence, value: string): ProbeEvidence => ({ ...e, answer: `${e.answer} ${FIELD}=${JSON.stringify(value)}` })
    const createdEvidence = withValue(created.evidence, initial)
    checkAborted(ctx.signal)
    const choices = await send(ctx.admin, {
      method: 'GET',
      path: `/api/now/v2/table/${PLATFORM_TABLES.choice}`,
      query: { sysparm_query: query().eq('name', PLATFORM_TABLES.oauthEntity).eq('element', FIELD).toString(), sysparm_fields: 'value,label' },
    })
    const choiceRows = recordsOf(choices.answer)
    const broad = choices.answer.status === 200 ? broadlyScopedValue(choiceRows) : undefined
    const choicesEvidence: ProbeEvidence = { ...choices.evidence, answer: `${choices.evidence.answer} ${JSON.stringify(BROADLY_SCOPED_LABEL)}=${broad === undefined ? '(no single choice)' : JSON.stringify(broad)}` }
    if (broad !== OAUTH_CLIENT.broadlyScopedValue) {
      ctx.note?.(
        broad === undefined
          ? `${PLATFORM_TABLES.oauthEntity}.${FIELD} has no single "${BROADLY_SCOPED_LABEL}" choice (sys_choice), so the stored value the product writes ("${OAUTH_CLIENT.broadlyScopedValue}", OAUTH_CLIENT.broadlyScopedValue) is not confirmed`
          : `the "${BROADLY_SCOPED_LABEL}" choice of ${PLATFORM_TABLES.oauthEntity}.${FIELD} stores "${broad}", not "${OAUTH_CLIENT.broadlyScopedValue}" as the product assumes (OAUTH_CLIENT.broadlyScopedValue): please report this profile`,
      )
    }
    const defaultScopeRestriction = VALUES.includes(initial)
      ? observed('defaultScopeRestriction', initial as ProbedSwitchValue<'defaultScopeRestriction'>, [createdEvidence, choicesEvidence])
      : couldNotTell(`a new client got ${JSON.stringify(initial)}, which is none of ${VALUES.join(', ')}`, [createdEvidence, choicesEvidence])

    // A value that differs from what the client has and is no choice's label: stored only by 'label-or-value'.
    const target = initial === 'unrestricted' ? 'restricted' : 'unrestricted'
    const labels = choiceRows.map((c) => String(c.label ?? '').toLowerCase())
    if (labels.includes(target)) {
      return { defaultScopeRestriction, choiceInputDisplayValue: couldNotTell(`"${target}" is also a label of ${FIELD}, so a write of it cannot tell a label from a value`, [choices.evidence]) }
    }
    checkAborted(ctx.signal)
    const patched = await send(ctx.admin, {
      method: 'PATCH',
      path: `/api/now/v2/table/${PLATFORM_TABLES.oauthEntity}/${sysId}`,
      query: { sysparm_input_display_value: true, sysparm_fields: FIELD },
      body: { [FIELD]: target },
    }, `${FIELD}=${target}, a value that is no label`)
    const after = (patched.answer.body as { result?: Record<string, unknown> } | undefined)?.result?.[FIELD]
    const stored = typeof after === 'string' ? after : ''
    const evidence = [choices.evidence, withValue({ ...patched.evidence, request: patched.evidence.request.replace(sysId, '<probe client>') }, stored)]
    const choiceInputDisplayValue =
      patched.answer.status !== 200
        ? couldNotTell(`the write was refused (${patched.answer.status})`, evidence)
        : stored === target
          ? observed('choiceInputDisplayValue', 'label-or-value', evidence)
          : stored === initial
            ? observed('choiceInputDisplayValue', 'label-only', evidence)
            : couldNotTell(`the field became ${JSON.stringify(stored)}, neither the value written nor the one it had`, evidence)
    return { defaultScopeRestriction, choiceInputDisplayValue }
  },
}
