import { afterEach, describe, expect, it } from 'vitest'
import { EXIT_CODES, TABLES, type Handoff } from '@kandji-sn/contract'
import { generateApps, generateDevices, malformedRows, mutateDevices, pushApps, pushInventory, type PushReport } from '../src/index.ts'
import { SimulatorError } from '../src/errors.ts'
import { FAKE_CREDENTIALS, fakeHandoff, startFakeInstance, type FakeInstance, type FakeOptions } from './fake-instance.ts'

const { password: PASSWORD, client_secret: SECRET } = FAKE_CREDENTIALS
const instant = async (): Promise<void> => {}
let fake: FakeInstance | undefined

afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function start(options: FakeOptions = {}): Promise<Handoff> {
  fake = await startFakeInstance(options)
  return fakeHandoff(fake)
}

const devices = generateDevices({ count: 450, seed: 'push-test', referenceTime: '2026-02-01T00:00:00Z' })

function expectCountsAddUp(report: PushReport): void {
  const t = report.totals
  expect(t.inserted + t.updated + t.ignored + t.skipped + t.rejected + t.failed + t.pending).toBe(t.sent)
  const platformSent = Object.values(report.platforms).reduce((sum, c) => sum + c.sent, 0)
  expect(platformSent).toBe(t.sent)
}

describe('bulk push (insertMultiple)', () => {
  it('authenticates with the hand-off credentials through the OAuth password grant', async () => {
    const handoff = await start()
    await pushInventory({ handoff, devices: devices.slice(0, 3), poll: { timeoutMs: 10, intervalMs: 1 }, sleep: instant })
    expect(fake!.tokenRequests).toHaveLength(1)
    expect(fake!.tokenRequests[0]).toMatchObject({ grant_type: 'password', username: 'kandji_rest_api_user', client_id: 'client-id' })
  })

  it('sends batches of at most batchSize rows and waits for the asynchronous transform before counting', async () => {
    const handoff = await start({ pollsUntilTransformed: 2 })
    const report = await pushInventory({ handoff, devices, batchSize: 200, poll: { timeoutMs: 100, intervalMs: 10 }, sleep: instant })
    expect(fake!.insertMultipleCalls).toBe(3)
    expect(report.importSets).toHaveLength(3)
    expect(report.results).toBe('complete')
    expect(report.totals).toMatchObject({ sent: 450, inserted: 450, pending: 0, rejected: 0 })
    expect(report.table).toBe(TABLES.deviceImport)
    expectCountsAddUp(report)
  })

  it('counts devices per platform from the devices it sent', async () => {
    const handoff = await start()
    const report = await pushInventory({ handoff, devices, poll: { timeoutMs: 100, intervalMs: 10 }, sleep: instant })
    for (const platform of ['Mac', 'iPhone', 'iPad', 'AppleTV'] as const) {
      const expected = devices.filter((d) => d.platform === platform).length
      expect(report.platforms[platform]?.sent).toBe(expected)
      expect(report.platforms[platform]?.inserted).toBe(expected)
    }
  })

  it('reports malformed rows by defect and groups the transform errors by message', async () => {
    const handoff = await start()
    const malformed = malformedRows(8, 'push-test')
    const report = await pushInventory({ handoff, devices: devices.slice(0, 20), malformed, poll: { timeoutMs: 100, intervalMs: 10 }, sleep: instant })
    expect(report.totals).toMatchObject({ sent: 28, inserted: 20, rejected: 8 })
    expect(report.malformed.missing_serial).toMatchObject({ sent: 2, rejected: 2 })
    expect(report.malformed.bad_dates).toMatchObject({ sent: 2, rejected: 2 })
    const empty = report.errors.find((e) => e.message.startsWith('Rejected: Serial number is empty'))
    expect(empty?.count).toBe(4)
    expect(report.errors.find((e) => e.message === 'Invalid date in last_check_in')?.count).toBe(2)
    expectCountsAddUp(report)
  })

  it('spreads malformed rows evenly among the devices when asked (the first row is a bad one), and appends them by default', async () => {
    const handoff = await start()
    const good = devices.slice(0, 6)
    const bad = malformedRows(3, 'spread')
    await pushInventory({ handoff, devices: good, malformed: bad, malformedAt: 'spread', poll: { timeoutMs: 0 }, sleep: instant })
    await pushInventory({ handoff, devices: good, malformed: bad, poll: { timeoutMs: 0 }, sleep: instant })
    const ids = (d: readonly { device_id: string }[]) => d.map((x) => x.device_id)
    const [g, b] = [ids(good), bad.map((m) => m.row.device_id ?? '')]
    expect(fake!.insertMultipleDeviceIds[0]).toEqual([b[0], g[0], g[1], b[1], g[2], g[3], b[2], g[4], g[5]])
    expect(fake!.insertMultipleDeviceIds[1]).toEqual([...g, ...b])
  })

  it("keys insertMultiple records by column name by default (the app's mapping) and by label when asked", async () => {
    const handoff = await start()
    await pushInventory({ handoff, devices: devices.slice(0, 2), poll: { timeoutMs: 10, intervalMs: 1 }, sleep: instant })
    await pushInventory({ handoff, devices: devices.slice(0, 2), keys: 'label', poll: { timeoutMs: 10, intervalMs: 1 }, sleep: instant })
    expect(fake!.insertMultipleKeys[0]).toContain('serial_number')
    expect(fake!.insertMultipleKeys[0]).not.toContain('Serial Number')
    expect(fake!.insertMultipleKeys[1]).toContain('Serial Number')
  })

  it('leaves rows pending, and says so, when the transform does not finish in time', async () => {
    const handoff = await start({ neverTransform: true })
    const report = await pushInventory({ handoff, devices: devices.slice(0, 10), poll: { timeoutMs: 50, intervalMs: 10 }, sleep: instant })
    expect(report.results).toBe('pending')
    expect(report.totals).toMatchObject({ sent: 10, pending: 10, inserted: 0 })
    expect(report.resultsNote).toMatch(/10 row\(s\) not transformed/)
    // polls after 0, 10, 20, 30, 40 and 50 ms of intended waiting, then gives up
    expect(fake!.statusReads).toBe(6)
  })

  it('reports results as unreadable (not as inserted) when the account may not read the import status', async () => {
    const handoff = await start({ statusReadStatus: 403 })
    const report = await pushInventory({ handoff, devices: devices.slice(0, 10), poll: { timeoutMs: 50, intervalMs: 10 }, sleep: instant })
    expect(report.results).toBe('unreadable')
    expect(report.totals).toMatchObject({ sent: 10, pending: 10 })
    expect(report.resultsNote).toContain('"kandji_rest_api_user" may not read the import status (403)')
    expect(report.resultsNote).toContain('Import Set Runs')
    expect(fake!.statusReads).toBe(1)
  })

  it('says the app is too old when the import status endpoint is not there, and refuses an answer of the wrong shape', async () => {
    const handoff = await start({ statusReadStatus: 404 })
    const report = await pushInventory({ handoff, devices: devices.slice(0, 3), poll: { timeoutMs: 60_000, intervalMs: 10 }, sleep: instant })
    expect(report).toMatchObject({ results: 'unreadable', totals: { pending: 3 } })
    expect(report.resultsNote).toContain('older than 1.2.0')
    await fake!.close()
    fake = undefined
    const malformed = await start({ statusMalformed: true })
    const second = await pushInventory({ handoff: malformed, devices: devices.slice(0, 3), poll: { timeoutMs: 60_000, intervalMs: 10 }, sleep: instant })
    expect(second).toMatchObject({ results: 'unreadable', totals: { pending: 3, inserted: 0 } })
    expect(second.resultsNote).toMatch(/^results unknown: the import status of [0-9a-f]{32} is not what the Kandji app answers/)
  })

  it('matches outcomes by device_id when the instance numbers the rows otherwise than the batch order', async () => {
    const handoff = await start({ reverseRowNumbers: true })
    const bad = malformedRows(4, 'order').filter((m) => !m.row.serial_number)
    const report = await pushInventory({ handoff, devices: devices.slice(0, 6), malformed: bad, malformedAt: 'spread', poll: { timeoutMs: 60_000, intervalMs: 10 }, sleep: instant })
    expect(report.totals).toMatchObject({ sent: 8, inserted: 6, rejected: 2, pending: 0 })
    expect(report.malformed.missing_serial?.rejected).toBe(1)
    expect(report.malformed.empty_serial?.rejected).toBe(1)
  })

  it('is done when the run ends: rows a halted run never transformed stay pending with the reason', async () => {
    const handoff = await start({ haltAfterRows: 3 })
    const report = await pushInventory({ handoff, devices: devices.slice(0, 5), poll: { timeoutMs: 60_000, intervalMs: 10 }, sleep: instant })
    expect(report.totals).toMatchObject({ sent: 5, inserted: 3, pending: 2 })
    expect(report.results).toBe('pending')
    expect(report.resultsNote).toMatch(/^results pending: 2 row\(s\) were not transformed although their import set's run ended \(a transform halted the set\); send them again/)
    expect(report.messages).toContainEqual(expect.objectContaining({ message: expect.stringContaining('ended (complete_with_errors) before this row'), count: 2 }))
    expect(fake!.statusReads).toBe(2)
  })

  it('skips polling with wait 0 and reports the rows as pending', async () => {
    const handoff = await start()
    const report = await pushInventory({ handoff, devices: devices.slice(0, 5), poll: { timeoutMs: 0 } })
    expect(report.results).toBe('pending')
    expect(report.totals.pending).toBe(5)
    expect(fake!.statusReads).toBe(0)
  })

  it('marks only the rows of a failed batch as failed and carries on with the next batch', async () => {
    const handoff = await start({ failInsertMultipleCalls: [2] })
    const report = await pushInventory({ handoff, devices: devices.slice(0, 25), batchSize: 10, poll: { timeoutMs: 100, intervalMs: 10 }, sleep: instant })
    expect(report.totals).toMatchObject({ sent: 25, inserted: 15, failed: 10 })
    expect(report.errors[0]?.message).toMatch(/^request failed: 500/)
    expect(report.errors[0]?.message).toContain('may still have been imported')
    expectCountsAddUp(report)
  })
})

describe('single-row push (insert)', () => {
  it('counts the synchronous transform status of every row: a second push of changed devices is all updates', async () => {
    const handoff = await start()
    const fleet = devices.slice(0, 30)
    const first = await pushInventory({ handoff, devices: fleet, mode: 'single' })
    expect(first.totals).toMatchObject({ sent: 30, inserted: 30 })
    expect(first.results).toBe('complete')
    const changed = mutateDevices(fleet, { seed: 'push-test', count: 7 })
    const second = await pushInventory({ handoff, devices: changed, mode: 'single' })
    expect(second.totals).toMatchObject({ sent: 7, updated: 7, inserted: 0 })
    expect(fake!.singleInserts).toBe(37)
    expect(second.messages[0]).toMatchObject({ message: 'IRE updated the CI', count: 7 })
  })

  it('counts rows the transform rejects, with their messages', async () => {
    const handoff = await start()
    const report = await pushInventory({ handoff, devices: devices.slice(0, 3), malformed: malformedRows(4, 's'), mode: 'single' })
    expect(report.totals).toMatchObject({ sent: 7, inserted: 3, rejected: 4 })
    expect(report.errors.map((e) => e.message).sort()).toEqual([
      'Invalid date in last_check_in',
      'Rejected: Serial number is empty: the row cannot be identified',
      'Serial number is longer than 100 characters',
    ])
  })
})

describe('failures that stop a push', () => {
  it('stops with an authentication error (exit 3) that never contains the password or client secret', async () => {
    const handoff = await start({ password: 'a-different-password' })
    const error = await pushInventory({ handoff, devices: devices.slice(0, 3), mode: 'single' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SimulatorError)
    const e = error as SimulatorError
    expect(e.exitCode).toBe(EXIT_CODES.auth)
    expect(e.format()).toMatch(/^error: the instance refused the hand-off credentials/)
    expect(e.format()).not.toContain(PASSWORD)
    expect(e.format()).not.toContain(SECRET)
    expect(fake!.singleInserts).toBe(0)
  })

  it('stops with a permission error naming the account and table when the import is refused (403)', async () => {
    const handoff = await start({ importStatus: 403 })
    const error = (await pushInventory({ handoff, devices: devices.slice(0, 3), poll: { timeoutMs: 0 } }).catch((e: unknown) => e)) as SimulatorError
    expect(error).toBeInstanceOf(SimulatorError)
    expect(error.exitCode).toBe(EXIT_CODES.auth)
    expect(error.message).toContain(`"kandji_rest_api_user" may not write ${TABLES.deviceImport}`)
    expect(error.fix).toContain('deploy-integration')
  })

  it('stops with an instance error when the staging table does not exist (404)', async () => {
    const handoff = await start({ importStatus: 404 })
    const error = (await pushInventory({ handoff, devices: devices.slice(0, 1), mode: 'single' }).catch((e: unknown) => e)) as SimulatorError
    expect(error.exitCode).toBe(EXIT_CODES.instance)
    expect(error.message).toContain('does not exist')
  })

  it('stops with an instance error when nothing listens at the instance URL', async () => {
    const handoff = await start()
    await fake!.close()
    fake = undefined
    const error = (await pushInventory({ handoff, devices: devices.slice(0, 1), mode: 'single' }).catch((e: unknown) => e)) as SimulatorError
    expect(error).toBeInstanceOf(SimulatorError)
    expect(error.exitCode).toBe(EXIT_CODES.instance)
  })
})

describe('application inventory', () => {
  it('pushes Mac apps to the app staging table and counts them', async () => {
    const handoff = await start()
    const fleet = devices.slice(0, 40)
    const apps = generateApps(fleet, 'push-test')
    const report = await pushApps({ handoff, apps, poll: { timeoutMs: 100, intervalMs: 10 }, sleep: instant })
    expect(report.table).toBe(TABLES.appImport)
    expect(report.kind).toBe('apps')
    expect(report.totals).toMatchObject({ sent: apps.length, inserted: apps.length })
  })
})
