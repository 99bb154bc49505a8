// Audit item 19: on a newly provisioned instance the Basic Authentication Restriction refuses the admin's basic-auth
// API calls with the 401 of a wrong password. Deploy works through every other sign-in method (an OAuth client with
// the password or the client-credentials grant, a bearer token, a REST API key), converges, a second deploy writes
// nothing and verify passes; with only basic credentials it fails naming the restriction. The upgraded variant
// (tracking only) keeps basic auth working: every other suite runs it.
import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_SIGN_IN, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { loadKandjiApp, provisionApiKey, startEmulator, type Emulator, type EmulatorOptions } from '@kandji-sn/instance-emulator'
import type { AdminAccess } from '@kandji-sn/demo'
import type { AuthConfig } from '@kandji-sn/servicenow-client'
import { connectInstance, explain, type Connected } from './support/instance.ts'

const ADMIN_CLIENT_SECRET = 'Admin-Client-Secret-0192'
const API_KEY = 'now_e2e-admin-api-key-5f2c91'
const RESTRICTED: EmulatorOptions = { release: 'zurich', switches: { basicAuthRestriction: 'new-instance' } }

interface Setup {
  emulator: Emulator
  inst: Connected
  password: string
}

let setup: Setup | undefined
afterEach(async () => {
  await setup?.inst.close()
  await setup?.emulator.close()
  setup = undefined
})

function adminSysId(emu: Emulator): string {
  return emu.db.query(PLATFORM_TABLES.user, 'user_name=admin')[0]!.sys_id as string
}

/** What an admin creates on the instance for an admin OAuth client (runbook "Admin sign-in"). */
function adminOAuthClient(emu: Emulator): string {
  const row = emu.db.insert(
    PLATFORM_TABLES.oauthEntity,
    { name: 'ci_deployer', client_secret: ADMIN_CLIENT_SECRET, user: adminSysId(emu), [OAUTH_CLIENT.scopeRestrictionField]: OAUTH_CLIENT.broadlyScopedValue },
    { inputDisplayValue: true },
  )
  emu.db.insert(PLATFORM_TABLES.property, { name: ADMIN_SIGN_IN.clientCredentialsProperty, value: 'true', type: 'boolean' })
  return row.client_id as string
}

/** A token as a CI system gets one from the instance (the identity provider's part). */
async function accessToken(emu: Emulator, clientId: string, password: string): Promise<string> {
  const res = await fetch(`${emu.url}/oauth_token.do`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: clientId, client_secret: ADMIN_CLIENT_SECRET, username: 'admin', password }).toString(),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { access_token: string }).access_token
}

type Method = 'password' | 'client_credentials' | 'bearer' | 'apikey'

async function start(method: Method | 'basic', options: EmulatorOptions = RESTRICTED): Promise<Setup> {
  const password = `Adm-${Math.random().toString(36).slice(2)}`
  const emulator = await startEmulator({ ...options, adminPassword: password })
  let signIn: AdminAccess['signIn']
  let client: AuthConfig = { type: 'basic', user: 'admin', password }
  if (method !== 'basic' && method !== 'apikey') {
    const clientId = adminOAuthClient(emulator)
    client = { type: 'password', clientId, clientSecret: ADMIN_CLIENT_SECRET, user: 'admin', password }
    if (method === 'password') signIn = { adminUser: 'admin', adminPassword: password, adminClientId: clientId, adminClientSecret: ADMIN_CLIENT_SECRET }
    if (method === 'client_credentials') signIn = { adminClientId: clientId, adminClientSecret: ADMIN_CLIENT_SECRET }
    if (method === 'bearer') signIn = { adminToken: await accessToken(emulator, clientId, password) }
  }
  if (method === 'apikey') {
    provisionApiKey(emulator.db, { userSysId: adminSysId(emulator), restApiPaths: ADMIN_SIGN_IN.apiKeyRestApis, token: API_KEY })
    signIn = { adminApiKey: API_KEY }
    client = { type: 'apikey', key: API_KEY }
  }
  const inst = await connectInstance({ instance: emulator.url, user: 'admin', password, ...(signIn ? { signIn } : {}) }, { client })
  setup = { emulator, inst, password }
  return setup
}

function writes(emu: Emulator) {
  const { insert, update, delete: del } = emu.counters.db
  return { insert, update, delete: del }
}

async function deployAndConverge(s: Setup, deployArgs: readonly string[]): Promise<void> {
  const { inst, emulator } = s
  const first = await inst.cli(['deploy', '--yes', ...deployArgs, '--credentials-out', inst.handoffPath])
  expect(first.code, explain(first)).toBe(EXIT_CODES.ok)
  emulator.resetCounters()
  const again = await inst.cli(['deploy', '--yes', '--json', ...deployArgs, '--credentials-out', inst.handoffPath])
  expect(again.code, explain(again)).toBe(EXIT_CODES.ok)
  expect(again.json).toMatchObject({ changes: 0, applied: [] })
  expect(writes(emulator), 'a second deploy writes nothing').toEqual({ insert: 0, update: 0, delete: 0 })
  const verified = await inst.verify()
  expect(verified.code, explain(verified)).toBe(EXIT_CODES.ok)
  expect(verified.report?.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status}`)).toEqual([])
  for (const run of [first, again, verified]) {
    for (const secret of [s.password, ADMIN_CLIENT_SECRET, API_KEY, ...(s.inst.admin.signIn?.adminToken ? [s.inst.admin.signIn.adminToken] : [])]) {
      expect(run.stdout + run.stderr).not.toContain(secret)
    }
  }
}

describe('admin sign-in with basic auth restricted (a newly provisioned instance)', () => {
  it('only basic credentials: exit 3, the restriction named as the likely cause, the other sign-in methods as the fix', async () => {
    const { inst, emulator } = await start('basic')
    const run = await inst.cli(['deploy', '--yes', '--credentials-out', inst.handoffPath])
    expect(run.code, explain(run)).toBe(EXIT_CODES.auth)
    expect(run.stderr.trimEnd().split('\n').slice(-3)).toEqual([
      "error: the instance refused the admin's basic-auth credentials (401 on GET /api/now/table/sys_user (User Not Authenticated: Required to provide Auth information))",
      "cause: the user name or password is wrong, the account is locked out or inactive, or the instance's Basic Authentication Restriction refuses basic auth for this account: newly provisioned instances accept basic-auth API calls only from web-service-only accounts and holders of the snc_basic_auth_api_access role, and refuse the rest with the same 401 as a wrong password",
      'fix:   if the password logs in in a browser, it is the restriction: sign the admin in another way, with an OAuth client (SN_ADMIN_CLIENT_ID + SN_ADMIN_CLIENT_SECRET, with SN_ADMIN_USER + SN_ADMIN_PASSWORD for the password grant or without the password for client credentials), a bearer token (SN_ADMIN_TOKEN) or a REST API key (SN_ADMIN_API_KEY); see docs/runbook.md "Admin sign-in" (or have a security_admin grant the account snc_basic_auth_api_access); otherwise correct SN_ADMIN_USER / SN_ADMIN_PASSWORD',
    ])
    expect(emulator.db.count(PLATFORM_TABLES.user, 'user_name=kandji_rest_api_user')).toBe(0)
  })

  it.each([
    ['an OAuth client, password grant', 'password'],
    ['an OAuth client, client-credentials grant', 'client_credentials'],
    ['a bearer token', 'bearer'],
  ] as const)('%s: deploy converges, a second deploy writes nothing, verify passes', async (_name, method) => {
    const s = await start(method)
    const plan = await s.inst.cli(['plan'])
    expect(plan.code, explain(plan)).toBe(EXIT_CODES.ok)
    expect(plan.stdout).toContain(`  basic auth restriction: enforced; the admin signs in with ${method === 'bearer' ? 'a bearer token' : method === 'password' ? 'an OAuth client (password grant)' : 'an OAuth client (client credentials)'}\n`)
    await deployAndConverge(s, ['--app-package', (await loadKandjiApp()).zip])
  })

  it('an API key with the app from the repository (CI/CD API): deploy converges, a second deploy writes nothing, verify passes', async () => {
    const s = await start('apikey')
    await s.emulator.publishApp((await loadKandjiApp()).bytes)
    await deployAndConverge(s, ['--app-source', 'repo'])
  })

  it('an API key and an app package to upload: exit 3, no UI session for a key, the fix names the repository install', async () => {
    const s = await start('apikey')
    const run = await s.inst.cli(['deploy', '--yes', '--app-package', (await loadKandjiApp()).zip, '--credentials-out', s.inst.handoffPath])
    expect(run.code, explain(run)).toBe(EXIT_CODES.auth)
    expect(run.stderr.trimEnd().split('\n').slice(-3)).toEqual([
      'error: the instance opened no UI session for the admin, which the app upload and uninstall need (401 on POST /angular.do)',
      'cause: the instance opened no UI session for the API key: API keys authenticate REST APIs only, and the app upload and uninstall are UI endpoints; sign the admin in with an OAuth client or a bearer token for them, or install the app from the repository or the Store',
      `fix:   install the app with --app-source repo or --app-source store (the CI/CD API accepts the API key), or sign the admin in with an OAuth client or a bearer token for this run (the secrets this run generated are kept in ${s.inst.handoffPath}.pending, mode 0600, until a run hands them off and removes it)`,
    ])
    expect(run.stdout + run.stderr).not.toContain(API_KEY)
  })

  it('an API key where the instance binds a UI session to it (switch apiKeyBindsUiSession): the app package uploads', async () => {
    const s = await start('apikey', { ...RESTRICTED, switches: { ...RESTRICTED.switches, apiKeyBindsUiSession: true } })
    await deployAndConverge(s, ['--app-package', (await loadKandjiApp()).zip])
  })
})

describe('an upgraded instance (restriction in tracking mode)', () => {
  it('basic auth still deploys, and plan shows no restriction line', async () => {
    const s = await start('basic', { release: 'zurich' })
    const plan = await s.inst.cli(['plan'])
    expect(plan.code, explain(plan)).toBe(EXIT_CODES.ok)
    expect(plan.stdout).not.toContain('basic auth restriction')
    await deployAndConverge(s, ['--app-package', (await loadKandjiApp()).zip])
  })
})
