// The discovery-source reads against a Table API that may ignore a query clause, the natural key that decides a
// choice was replaced rather than removed, and what a restore sends.
import { describe, expect, it } from 'vitest'
import type { ServiceNowClient, TableRecord } from '@kandji-sn/servicenow-client'
import { countKandjiCis, readDiscoverySource, removedChoices, restoreRemovedChoices } from './discovery-source.ts'

function stub(list: (q: string) => TableRecord[], count = 0) {
  const calls: unknown[][] = []
  const admin = {
    table: {
      list: async (table: string, opts: { query: string }) => (calls.push(['list', table, opts]), list(opts.query)),
      count: async (table: string, q: string) => (calls.push(['count', table, q]), count),
      create: async (table: string, data: Record<string, string>) => (calls.push(['create', table, data]), { sys_id: data.sys_id }),
      get: async () => undefined,
    },
  } as unknown as ServiceNowClient
  return { admin, calls }
}

describe('readDiscoverySource', () => {
  it('asks for the one choice by its natural key, with the columns the plan reads', async () => {
    const kandji = { sys_id: 'c1', name: 'cmdb_ci', element: 'discovery_source', value: 'Kandji', label: 'Kandji', language: 'en', inactive: 'false' }
    const { admin, calls } = stub(() => [kandji])
    expect(await readDiscoverySource(admin)).toEqual([kandji])
    expect(calls).toEqual([
      ['list', 'sys_choice', { query: 'name=cmdb_ci^element=discovery_source^value=Kandji', fields: ['sys_id', 'name', 'element', 'value', 'label', 'language', 'inactive'] }],
    ])
  })

  it('keeps only rows that are the choice when the instance ignored a clause (table, field and value each checked)', async () => {
    const kandji = { sys_id: 'c1', name: 'cmdb_ci', element: 'discovery_source', value: 'Kandji' }
    const others = [
      { sys_id: 'o1', name: 'cmdb_ci_computer', element: 'discovery_source', value: 'Kandji' },
      { sys_id: 'o2', name: 'cmdb_ci', element: 'install_status', value: 'Kandji' },
      { sys_id: 'o3', name: 'cmdb_ci', element: 'discovery_source', value: 'SCCM' },
    ]
    const { admin } = stub(() => [others[0]!, kandji, others[1]!, others[2]!])
    expect(await readDiscoverySource(admin)).toEqual([kandji])
  })
})

describe('countKandjiCis', () => {
  it('counts CIs of any class naming the Kandji source', async () => {
    const { admin, calls } = stub(() => [], 4)
    expect(await countKandjiCis(admin)).toBe(4)
    expect(calls).toEqual([['count', 'cmdb_ci', 'discovery_source=Kandji']])
  })
})

describe('removedChoices: the natural key', () => {
  const row = (sysId: string, extra: TableRecord = {}): TableRecord => ({ sys_id: sysId, value: 'SCCM', label: 'SCCM', ...extra })

  it('an empty language is English: a row re-created with language "en" replaced it', () => {
    expect(removedChoices([row('a', { language: '' })], [row('b', { language: 'en' })], 'app')).toEqual([])
    expect(removedChoices([row('a', { language: 'en' })], [row('b')], 'app')).toEqual([])
  })

  it('another language or another dependent value is another choice', () => {
    expect(removedChoices([row('a', { language: 'de' })], [row('b', { language: 'en' })], 'app')).toEqual([row('a', { language: 'de' })])
    expect(removedChoices([row('a', { dependent_value: 'x' })], [row('b')], 'app')).toEqual([row('a', { dependent_value: 'x' })])
    expect(removedChoices([row('a')], [row('b', { dependent_value: 'x' })], 'app')).toEqual([row('a')])
  })
})

describe('restoreRemovedChoices: what a create sends', () => {
  it('the sys_id and only the columns the row has (no empty ones), without system columns', async () => {
    const gone: TableRecord = { sys_id: 'a', sys_scope: 'global', name: 'cmdb_ci', element: 'discovery_source', value: 'SCCM', label: 'SCCM', sequence: '20', sys_updated_on: '2026-01-01' }
    let reads = 0
    const { admin, calls } = stub(() => (reads++ === 0 ? [] : [gone]))
    expect(await restoreRemovedChoices(admin, [gone], 'app-scope')).toEqual({ kind: 'restored', rows: [gone] })
    const create = calls.find((c) => c[0] === 'create')
    expect(create?.[2]).toStrictEqual({ sys_id: 'a', name: 'cmdb_ci', element: 'discovery_source', value: 'SCCM', label: 'SCCM', sequence: '20' })
  })
})
