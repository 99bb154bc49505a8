// A re-deploy on a configured instance (issue 18): exactly which requests it sends, that it writes nothing, and in
// how many dependent rounds. Rounds come from the order of the requests' sends and answers as the CLI's fetch saw
// them (a logical clock, never time): a request is in the round after the latest one answered before it was sent.
import { describe, expect, it } from 'vitest'
import { APP, APP_PROPERTIES, DEPLOY_LOCK, IMPORT_PROBE, OAUTH_CLIENT, SERVICE_ACCOUNT, SERVICE_ACCOUNT_ROLES, TABLES, verifyPath } from '@kandji-sn/contract/constants'
import { loadKandjiApp, startEmulator, type Emulator } from '@kandji-sn/instance-emulator'
import { defaultDeps, type Deps } from '../src/deps.ts'
import { runCli, tempDir } from './support/run-cli.ts'

interface Logged {
  method: string
  path: string
  query: string | null
  fields: string | null
  sent: number
  answered: number
}

/** The CLI's own libraries with a fetch that logs every request's send and answer on one counter. */
async function loggingDeps(): Promise<{ deps: Deps; log: Logged[] }> {
  const base = await defaultDeps()
  const log: Logged[] = []
  let clock = 0
  const logging = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const sent = ++clock
    const res = await fetch(input, init)
    const body = await res.arrayBuffer()
    log.push({ method: init?.method ?? 'GET', path: url.pathname, query: url.searchParams.get('sysparm_query'), fields: url.searchParams.get('sysparm_fields'), sent, answered: ++clock })
    return new Response(body.byteLength === 0 || res.status === 204 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers })
  }) as typeof fetch
  return { deps: { ...base, createClient: (options) => base.createClient({ ...options, fetch: logging }) }, log }
}

/** The longest chain of requests each sent after the one before it was answered. */
function rounds(log: readonly Logged[]): number {
  const depth = new Map<Logged, number>()
  for (const r of [...log].sort((a, b) => a.answered - b.answered)) {
    depth.set(r, 1 + Math.max(0, ...[...depth].filter(([p]) => p.answered < r.sent).map(([, d]) => d)))
  }
  return Math.max(0, ...depth.values())
}

const writes = (emulator: Emulator) => emulator.counters.db.insert + emulator.counters.db.update + emulator.counters.db.delete
const table = (name: string) => `/api/now/table/${name}`
const lock = ['GET', table('sys_properties'), `name=${DEPLOY_LOCK.property}`, 'sys_id,name,value'] as const

describe('re-deploy on a configured instance', () => {
  it('checks it in 21 reads and grants, 6 dependent rounds, writing nothing', async () => {
    const app = await loadKandjiApp()
    const emulator = await startEmulator()
    try {
      const handoff = `${tempDir()}/handoff.json`
      const argv = ['deploy', '--yes', '--app-package', app.zip, '--credentials-out', handoff]
      const env = { SN_INSTANCE: emulator.url, SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }
      expect((await runCli(argv, { env })).code).toBe(0)
      emulator.resetCounters()
      const { deps, log } = await loggingDeps()
      const again = await runCli(argv, { env, deps })
      expect(again.code).toBe(0)
      expect(again.stdout).toMatch(/in sync: nothing to change/)
      expect(writes(emulator)).toBe(0)

      const user = SERVICE_ACCOUNT.defaultUserName
      const seen = log.map((r) => [r.method, r.path, r.query, r.fields])
      const expected = [
        // round 1: who the admin is, alone (a wrong password is tried once)
        ['GET', table('sys_user'), 'user_name=admin', 'sys_id,user_name'],
        // round 2: the rest of the preflight, the plan and the lock
        ['GET', table('sys_user_has_role'), 'user.user_name=admin', 'role,role.name,user'],
        ['GET', table('sys_properties'), 'nameINglide.buildname,glide.buildtag,glide.war,glide.authenticate.basic_auth.restriction.active,glide.authenticate.basic_auth.restriction.enforce', 'name,value'],
        ['GET', table('sys_scope'), `scope=${APP.scope}`, 'sys_id,scope,name,version,active'],
        ['GET', table('sys_store_app'), `scope=${APP.scope}`, 'sys_id,version,active'],
        ['GET', table('sys_app'), `scope=${APP.scope}`, 'sys_id,version,active'],
        ['GET', table('oauth_entity'), null, null],
        ['GET', table('sys_dictionary'), 'name=oauth_entity^element=scope_restriction_status', 'sys_id'],
        ['GET', table('sys_user'), `user_name=${user}`, 'sys_id,user_name,active,locked_out,password_needs_reset,web_service_access_only'],
        ['GET', table('oauth_entity'), `name=${OAUTH_CLIENT.defaultName}^type=client`, 'sys_id,name,type,client_id,redirect_url,access_token_lifespan,refresh_token_lifespan,active,scope_restriction_status'],
        ['GET', table('sys_user_role'), `nameIN${SERVICE_ACCOUNT_ROLES.join(',')}`, 'sys_id,name'],
        ['GET', table('sys_properties'), `nameIN${APP_PROPERTIES.serviceAccount},${APP_PROPERTIES.oauthClient}`, 'sys_id,name,value'],
        ['GET', table('sys_choice'), 'name=cmdb_ci^element=discovery_source^value=Kandji', 'sys_id,name,element,value,label,language,inactive'],
        ['GET', table('sys_user_has_role'), `user.user_name=${user}`, 'sys_id,role,role.name,inherited,user'],
        [...lock],
        // round 3: the smoke test's password grant, its look for left-over probe rows, the verification
        ['POST', '/oauth_token.do', null, null],
        ['GET', table(TABLES.deviceImport), `${IMPORT_PROBE.field}=${IMPORT_PROBE.value}`, `sys_id,sys_import_set,${IMPORT_PROBE.field}`],
        ['GET', verifyPath, null, null],
        // rounds 4-6: the refresh grant, a read with the refreshed token, the lock once more
        ['POST', '/oauth_token.do', null, null],
        ['GET', table('cmdb_ci_computer'), null, 'sys_id'],
        [...lock],
      ]
      const key = (r: readonly unknown[]) => JSON.stringify(r)
      expect(seen.map(key).sort()).toEqual(expected.map(key).sort())
      expect(emulator.counters.requests).toBe(21)
      expect(rounds(log)).toBe(6)
      // the first request went alone, and the final lock read waited for everything else
      const bySend = [...log].sort((a, b) => a.sent - b.sent)
      expect(bySend[0]!.answered).toBeLessThan(bySend[1]!.sent)
      const last = bySend.at(-1)!
      expect([last.path, last.query]).toEqual([table('sys_properties'), `name=${DEPLOY_LOCK.property}`])
      expect(log.filter((r) => r !== last).every((r) => r.answered < last.sent)).toBe(true)
    } finally {
      await emulator.close()
    }
  })
})
