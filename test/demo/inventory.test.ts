// Reading import outcomes as an admin: grouping messages per cause, waiting for asynchronous transforms.
import { describe, expect, it } from 'vitest'
import { groupKey, groupMessages, readImportOutcome } from '@kandji-sn/demo'

type Row = Record<string, string>

/** A table API that answers from a script of successive snapshots (one per list call per import set). */
function scripted(snapshots: Row[][]) {
  let call = 0
  const queries: string[] = []
  return {
    queries,
    client: {
      table: {
        async list(_table: string, options?: { query?: string }) {
          queries.push(options?.query ?? '')
          return snapshots[Math.min(call++, snapshots.length - 1)]!
        },
      },
    } as never,
  }
}

describe('import outcome', () => {
  it('groups one cause per line: device ids and sys_ids that differ per row are dropped or replaced', () => {
    expect(groupKey('Row has no serial_number (device_id 60ea9fe9-b39a-41a9-bb2f-fa51a0245bb2); send it again.')).toBe('Row has no serial_number; send it again.')
    expect(groupKey('CI 0ef957a8b26e8f059405a95fd685c103 refused')).toBe('CI <id> refused')
    expect(groupKey('   ')).toBe('(no message)')
    expect(
      groupMessages([
        'No serial (device_id 11111111-1111-1111-1111-111111111111)',
        'No serial (device_id 22222222-2222-2222-2222-222222222222)',
        'Bad platform',
      ]),
    ).toEqual([
      { message: 'No serial', count: 2 },
      { message: 'Bad platform', count: 1 },
    ])
  })

  it('waits while rows are pending, then counts by state with the errors grouped', async () => {
    const pending = [{ sys_import_state: 'pending' }, { sys_import_state: 'inserted' }]
    const done = [{ sys_import_state: 'inserted' }, { sys_import_state: 'error', sys_import_state_comment: 'No serial (device_id 11111111-1111-1111-1111-111111111111)' }]
    const { client, queries } = scripted([pending, pending, done])
    const sleeps: number[] = []
    const outcome = await readImportOutcome(client, ['0123456789abcdef0123456789abcdef'], { sleep: async (ms) => void sleeps.push(ms), intervalMs: 10 })
    expect(outcome).toMatchObject({ rows: 2, byState: { inserted: 1, error: 1 }, errors: [{ message: 'No serial', count: 1 }] })
    expect(sleeps).toEqual([10, 10])
    expect(queries[0]).toBe('sys_import_set=0123456789abcdef0123456789abcdef')
  })

  it('gives up after the timeout and reports what is still pending instead of guessing', async () => {
    const { client } = scripted([[{ sys_import_state: 'pending' }, { sys_import_state: '' }]])
    const outcome = await readImportOutcome(client, ['ISET0010001'], { sleep: async () => {}, timeoutMs: 30, intervalMs: 10 })
    expect(outcome.byState).toEqual({ pending: 2 })
  })

  it('refuses an import set id that could inject a query condition', async () => {
    const { client } = scripted([[]])
    await expect(readImportOutcome(client, ['x^ORsys_id!=0'], { sleep: async () => {} })).rejects.toThrow(/unexpected import set id/)
  })
})
