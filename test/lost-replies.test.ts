// A call the instance processed whose answer was lost is never sent again blindly: one case per non-repeatable
// call class (servicenow-client calls.ts), each under the three ways an answer gets lost after the work was done
// (reset-after, hang-after, slow past the timeout). The instance did the work exactly once, the client sent the call
// exactly once, and its error says the request may have been processed. The table of cases is keyed by the call
// classes, so a new non-repeatable call without a case here does not compile.
import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { APP, DISCOVERY_SOURCE, IMPORT_PROBE, PLATFORM_TABLES, repairPath, TABLES } from '@kandji-sn/contract'
import { readAppPackage } from '@kandji-sn/app-package'
import { CALLS, createClient, isServiceNowError, NON_REPEATABLE_CALLS, type CallName, type ServiceNowClient, type ServiceNowError } from '@kandji-sn/servicenow-client'
import { loadKandjiApp, startEmulator, type Emulator, type EmulatorSwitches, type FaultRule } from '@kandji-sn/instance-emulator'

type NonRepeatable = Exclude<CallName, { [K in CallName]: (typeof CALLS)[K]['repeatable'] extends true ? K : never }[CallName]>

const TIMEOUT_MS = 1_000
const PASSWORD = 'Lost-Replies-1'

interface Case {
  /** The request that carries the call: its method and path (and, for the uninstall, which of its two POSTs). */
  fault: Pick<FaultRule, 'method' | 'path' | 'nth'>
  /** The emulator's route name of that request. */
  route: string
  /** Emulator switches the call needs to do its work. */
  switches?: Partial<EmulatorSwitches>
  /** Requests of that route the call makes (default 1). */
  requests?: number
  /** The instance as the call needs it before it is made. */
  prepare?(emu: Emulator): Promise<void>
  call(client: ServiceNowClient): Promise<unknown>
  /** How many times the instance did the work (rows created, installs run) after the call. */
  done(emu: Emulator): number
}

const app = await loadKandjiApp()
const pkg = await readAppPackage(app.zip)
const KANDJI_CHOICE = `name=${DISCOVERY_SOURCE.table}^element=${DISCOVERY_SOURCE.element}^value=${DISCOVERY_SOURCE.value}`
const installs = (emu: Emulator) => emu.db.query(PLATFORM_TABLES.upgradeHistory, '').length

const CASES: Record<NonRepeatable, Case> = {
  create: {
    fault: { method: 'POST', path: '/api/now/table/sys_user' },
    route: 'POST /api/now/table/{table}',
    call: (client) => client.table.create('sys_user', { user_name: 'lost.reply' }),
    done: (emu) => emu.db.query('sys_user', 'user_name=lost.reply').length,
  },
  rawPost: {
    fault: { method: 'POST', path: '/api/now/table/sys_user' },
    route: 'POST /api/now/table/{table}',
    call: (client) => client.request({ method: 'POST', path: '/api/now/table/sys_user', body: { user_name: 'lost.raw' } }),
    done: (emu) => emu.db.query('sys_user', 'user_name=lost.raw').length,
  },
  uploadInstall: {
    fault: { method: 'POST', path: '/sn_appclient_upload_processor.do' },
    route: 'POST /sn_appclient_upload_processor.do',
    call: async (client) => client.app.uploadPackage(new Uint8Array(await readFile(app.zip)), { scopeId: pkg.scopeId, scope: pkg.scope, version: pkg.version }),
    done: (emu) => installs(emu),
  },
  repoInstall: {
    fault: { method: 'POST', path: '/api/sn_cicd/app_repo/install' },
    route: 'POST /api/sn_cicd/app_repo/install',
    prepare: async (emu) => {
      await emu.publishApp(app.bytes)
    },
    call: (client) => client.app.installFromRepo({ scope: APP.scope, version: pkg.version }),
    done: (emu) => emu.db.query(PLATFORM_TABLES.executionTracker, '').length,
  },
  uninstallStart: {
    // The first POST switches the session's application; the second starts the uninstall.
    fault: { method: 'POST', path: '/xmlhttp.do', nth: 2 },
    route: 'POST /xmlhttp.do',
    requests: 2,
    prepare: async (emu) => {
      await emu.installApp(app.bytes)
    },
    call: (client) => client.app.uninstall({ scopeId: pkg.scopeId }),
    done: (emu) => emu.db.query(PLATFORM_TABLES.executionTracker, '').length,
  },
  scriptedPost: {
    fault: { method: 'POST', path: repairPath },
    route: `POST ${repairPath}`,
    // Someone removed the Kandji discovery source: repair adds it back (where the app may write sys_choice).
    switches: { globalTableAccess: 'open' },
    prepare: async (emu) => {
      await emu.installApp(app.bytes)
      for (const row of emu.db.query(PLATFORM_TABLES.choice, KANDJI_CHOICE)) emu.db.delete(PLATFORM_TABLES.choice, row.sys_id!)
    },
    call: (client) => client.rest.post(repairPath, {}),
    done: (emu) => emu.db.query(PLATFORM_TABLES.choice, KANDJI_CHOICE).length,
  },
  importInsert: {
    fault: { method: 'POST', path: `/api/now/import/${TABLES.deviceImport}` },
    route: 'POST /api/now/import/{table}',
    prepare: async (emu) => {
      await emu.installApp(app.bytes)
    },
    call: (client) => client.importSet.insert(TABLES.deviceImport, { [IMPORT_PROBE.field]: IMPORT_PROBE.value }),
    done: (emu) => emu.db.query(TABLES.deviceImport, `${IMPORT_PROBE.field}=${IMPORT_PROBE.value}`).length,
  },
  importBatch: {
    fault: { method: 'POST', path: `/api/now/import/${TABLES.deviceImport}/insertMultiple` },
    route: 'POST /api/now/import/{table}/insertMultiple',
    prepare: async (emu) => {
      await emu.installApp(app.bytes)
    },
    call: (client) => client.importSet.insertMultiple(TABLES.deviceImport, [{ device_id: 'lost-1' }, { device_id: 'lost-2' }]),
    done: (emu) => emu.db.query(TABLES.deviceImport, 'device_idINlost-1,lost-2').length / 2,
  },
}

const LOSSES: ReadonlyArray<{ name: string; rule: (at: Case['fault']) => FaultRule }> = [
  { name: 'the connection is reset after the work (reset-after)', rule: (at) => ({ ...at, kind: 'reset-after', times: 1 }) },
  { name: 'half the answer comes and the rest never does (hang-after)', rule: (at) => ({ ...at, kind: 'hang-after', times: 1 }) },
  { name: 'the answer comes after the client gave up (slow)', rule: (at) => ({ ...at, kind: 'slow', delayMs: TIMEOUT_MS + 500, times: 1 }) },
]

const emulators: Emulator[] = []
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})

async function instance(switches: Partial<EmulatorSwitches> = {}): Promise<{ emu: Emulator; client: ServiceNowClient }> {
  const emu = await startEmulator({ release: 'zurich', adminPassword: PASSWORD, importTransformDelayMs: 5, updateMutexHoldMs: 0, switches })
  emulators.push(emu)
  const client = createClient({
    instance: emu.url,
    auth: { type: 'basic', user: 'admin', password: PASSWORD },
    timeoutMs: TIMEOUT_MS,
    installTimeoutMs: TIMEOUT_MS,
    sleep: async () => undefined,
  })
  return { emu, client }
}

describe('a lost answer to a call that is not repeatable is never followed by a blind resend', () => {
  it('every non-repeatable call class has a case here, and the classification is the one this suite expects', () => {
    expect([...NON_REPEATABLE_CALLS].sort()).toEqual(Object.keys(CASES).sort())
    expect(NON_REPEATABLE_CALLS.map((name) => CALLS[name].repeatable)).toEqual(NON_REPEATABLE_CALLS.map(() => false))
  })

  for (const [name, c] of Object.entries(CASES) as Array<[NonRepeatable, Case]>) {
    describe(`${name} (${CALLS[name].does})`, () => {
      for (const loss of LOSSES) {
        it(`${loss.name}: done once, sent once, and the error says it may have been processed`, async () => {
          const { emu, client } = await instance(c.switches)
          await c.prepare?.(emu)
          const before = emu.counters.byRoute[c.route] ?? 0
          const doneBefore = c.done(emu)
          emu.addFault(loss.rule(c.fault))
          const error = await c.call(client).then(
            () => undefined,
            (e: unknown) => e,
          )
          expect(isServiceNowError(error), `the call failed with a ServiceNowError, not ${String(error)}`).toBe(true)
          const e = error as ServiceNowError
          expect({ retryable: e.retryable, kind: e.kind }).toEqual({ retryable: true, kind: loss.name.includes('reset') ? 'network' : 'timeout' })
          expect(e.hint).toContain(`the request may have been processed: ${CALLS[name].recover}`)
          expect(e.message).toMatch(/not repeated: the request may have reached the instance/)
          expect((emu.counters.byRoute[c.route] ?? 0) - before, `${c.route} requests`).toBe(c.requests ?? 1)
          expect(emu.counters.byRoute.fault, 'the fault fired once').toBe(1)
          await emu.importsIdle()
          expect(c.done(emu) - doneBefore, 'the instance did the work once').toBe(1)
        })
      }
    })
  }

  it('by contrast, a repeatable call (an update by sys_id) whose answer was lost is sent again and succeeds', async () => {
    const { emu, client } = await instance()
    const user = await client.table.create('sys_user', { user_name: 'patched' })
    emu.resetCounters()
    emu.addFault({ kind: 'reset-after', method: 'PATCH', times: 1 })
    const patched = await client.table.patch('sys_user', user.sys_id!, { first_name: 'Once' })
    expect(patched.first_name).toBe('Once')
    expect(emu.counters.byRoute['PATCH /api/now/table/{table}/{sys_id}']).toBe(2)
  })
})
