// Two edges of the plans and their application: an update that also carries a secret writes both (fields first,
// then the secret with display-value input), and a release with the scope-restriction column gets no note about it.
import { describe, expect, it } from 'vitest'
import type { ServiceNowClient } from '@kandji-sn/servicenow-client'
import { planOAuthClient } from './oauth-client.ts'
import { applyTableChange, type ApplyContext, type TableChange } from './types.ts'

function patches() {
  const calls: unknown[][] = []
  const admin = { table: { patch: async (...args: unknown[]) => (calls.push(args), {}) } } as unknown as ServiceNowClient
  const ctx: ApplyContext = { admin, out: {} as ApplyContext['out'], state: {} }
  return { ctx, calls }
}
const update = (extra: Partial<TableChange>): TableChange => ({ step: 'oauth-client', table: 'oauth_entity', key: 'name=k', action: 'update', sysId: 'c1', fields: [], reason: 'r', ...extra }) as TableChange

describe('applyTableChange: update with a secret', () => {
  it('drifted fields and the secret: two patches, fields first, the secret as display-value input', async () => {
    const { ctx, calls } = patches()
    expect(await applyTableChange(update({ data: { refresh_token_lifespan: '8640000' }, secretData: { client_secret: 'S' } }), ctx)).toBe('c1')
    expect(calls).toEqual([
      ['oauth_entity', 'c1', { refresh_token_lifespan: '8640000' }, undefined],
      ['oauth_entity', 'c1', { client_secret: 'S' }, { inputDisplayValue: true }],
    ])
  })

  it('only the secret: one patch, the secret', async () => {
    const { ctx, calls } = patches()
    await applyTableChange(update({ data: {}, secretData: { client_secret: 'S' } }), ctx)
    expect(calls).toEqual([['oauth_entity', 'c1', { client_secret: 'S' }, { inputDisplayValue: true }]])
  })
})

describe('planOAuthClient notes', () => {
  it('a release with the scope-restriction column: no note about a missing column', () => {
    const current = { sys_id: 'c1', scope_restriction_status: 'restricted' }
    expect(planOAuthClient(current, { name: 'c', scopeRestrictionColumn: true, secretOnCreate: undefined }).notes).toEqual([])
  })
})
