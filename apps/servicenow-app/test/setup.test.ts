import { describe, expect, it } from 'vitest'
import { DISCOVERY_SOURCE, PLATFORM_TABLES, repairResultSchema } from '@kandji-sn/contract'
import { decideDiscoverySource, ensureDiscoverySource, runSetup } from '../src/server/setup/discovery-source.ts'
import { handleRepair } from '../src/server/rest/handlers.ts'
import { FakeDb, fakePlatform } from './fake-platform.ts'

const choiceRow = (inactive: string) => ({
  name: DISCOVERY_SOURCE.table, element: DISCOVERY_SOURCE.element, value: DISCOVERY_SOURCE.value,
  label: DISCOVERY_SOURCE.label, language: DISCOVERY_SOURCE.language, inactive,
})

describe('setup decisions (pure)', () => {
  it('creates when no row matches, reactivates an inactive row, leaves an active row alone', () => {
    expect(decideDiscoverySource([])).toEqual({ kind: 'create' })
    expect(decideDiscoverySource([{ inactive: 'true' }])).toEqual({ kind: 'reactivate' })
    expect(decideDiscoverySource([{ inactive: 'false' }])).toEqual({ kind: 'unchanged' })
    expect(decideDiscoverySource([{ inactive: '' }])).toEqual({ kind: 'unchanged' })
    expect(decideDiscoverySource([{ inactive: null }])).toEqual({ kind: 'unchanged' })
  })

  it('refuses to pick when more than one row has the natural key', () => {
    expect(decideDiscoverySource([{ inactive: 'false' }, { inactive: 'true' }])).toEqual({ kind: 'refuse', matches: 2 })
  })
})

describe('ensureDiscoverySource', () => {
  it('inserts the Kandji choice on an instance without it, and a second run changes nothing', () => {
    const p = fakePlatform()
    const first = runSetup(p)
    expect(first.changed).toBe(true)
    expect(first.actions[0]?.action).toBe('created')
    const rows = p.db.rows(PLATFORM_TABLES.choice)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject(choiceRow('false'))
    const second = runSetup(p)
    expect(second).toMatchObject({ changed: false, actions: [{ action: 'unchanged' }] })
    expect(p.db.rows(PLATFORM_TABLES.choice)).toHaveLength(1)
  })

  it('reactivates an inactive choice without touching a customised label', () => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.choice, { ...choiceRow('true'), label: 'Kandji (Iru)' })
    const action = ensureDiscoverySource(fakePlatform(db))
    expect(action.action).toBe('reactivated')
    expect(db.rows(PLATFORM_TABLES.choice)[0]).toMatchObject({ inactive: 'false', label: 'Kandji (Iru)' })
  })

  it('never removes or edits the other discovery-source choices', () => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.choice, { ...choiceRow('false'), value: 'ServiceNow', label: 'ServiceNow' })
    runSetup(fakePlatform(db))
    expect(db.rows(PLATFORM_TABLES.choice).map((r) => r.value).sort()).toEqual(['Kandji', 'ServiceNow'])
  })

  it('reports failed, changing nothing, when duplicates exist', () => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.choice, choiceRow('true'))
    db.add(PLATFORM_TABLES.choice, choiceRow('true'))
    const action = ensureDiscoverySource(fakePlatform(db))
    expect(action.action).toBe('failed')
    expect(action.detail).toMatch(/Delete the duplicates/)
    expect(db.rows(PLATFORM_TABLES.choice).every((r) => r.inactive === 'true')).toBe(true)
  })

  it('reports failed, with what to do instead, when the platform refuses the insert', () => {
    const db = new FakeDb()
    db.refuseWrites.add(PLATFORM_TABLES.choice)
    const result = runSetup(fakePlatform(db))
    expect(result).toMatchObject({ changed: false, actions: [{ action: 'failed', detail: expect.stringContaining('run deploy-integration deploy (it adds it through the Table API)') }] })
  })

  it('reports failed, never throws, when the platform throws a cross-scope refusal, and keeps its message', () => {
    const db = new FakeDb()
    const refusal = "Security restricted: Create operation against 'sys_choice' from scope 'x_kandj_kandji' has been refused due to the table's cross-scope access policy"
    db.throwOnWrite.set(PLATFORM_TABLES.choice, refusal)
    const result = runSetup(fakePlatform(db))
    expect(result.changed).toBe(false)
    expect(result.actions).toEqual([{ target: 'sys_choice cmdb_ci.discovery_source=Kandji', action: 'failed', detail: expect.stringMatching(new RegExp(`^${refusal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. The instance refused`)) }])
    expect(handleRepair(fakePlatform(db)).status).toBe(409)
  })

  it('does not dress up any other error as a refusal: it propagates (repair answers 500 through its guard)', () => {
    const db = new FakeDb()
    db.throwOnWrite.set(PLATFORM_TABLES.choice, 'Cannot read properties of undefined')
    expect(() => runSetup(fakePlatform(db))).toThrow('Cannot read properties of undefined')
  })
})

describe('POST repair', () => {
  it('answers 200 with a contract-shaped result and logs what it did', () => {
    const p = fakePlatform()
    const reply = handleRepair(p)
    expect(reply.status).toBe(200)
    expect(repairResultSchema.parse(reply.body)).toMatchObject({ changed: true })
    expect(p.logs.some((l) => l.startsWith('info: Kandji repair') && l.includes('created'))).toBe(true)
  })

  it('answers 409 when the repair could not be done, with the reason in the body', () => {
    const db = new FakeDb()
    db.add(PLATFORM_TABLES.choice, choiceRow('false'))
    db.add(PLATFORM_TABLES.choice, choiceRow('false'))
    const p = fakePlatform(db)
    const reply = handleRepair(p)
    expect(reply.status).toBe(409)
    expect(repairResultSchema.parse(reply.body).actions[0]?.action).toBe('failed')
    expect(p.logs.some((l) => l.startsWith('error:'))).toBe(true)
  })
})
