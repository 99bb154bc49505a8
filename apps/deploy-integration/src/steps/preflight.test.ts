// preflight with a hand-made client: who the admin is for each sign-in method, the admin-role gate, the Basic
// Authentication Restriction's states, the release and the scope-restriction column with their permission fallbacks,
// and the installed app as the instance describes it. Every request it makes is recorded and asserted.
import { describe, expect, it } from 'vitest'
import { APP, EXIT_CODES } from '@kandji-sn/contract/constants'
import { ServiceNowError, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import { failure } from '../../test/support/cli-failure.ts'
import { hasScopeRestrictionColumn, isZurichOrLater, parseRelease, preflight, readInstalledApp, roleNamesOf, type AdminIdentity } from './preflight.ts'

type Answer = TableRecord[] | Error | number
type Responder = (query: string | undefined) => Answer
type Call = [method: string, table: string, ...rest: unknown[]]

const denied = (kind: 'permission' | 'not_found' | 'server' = 'permission') =>
  new ServiceNowError({ kind, status: kind === 'permission' ? 403 : kind === 'not_found' ? 404 : 500, method: 'GET', path: '/api/now/table/x', message: 'm', hint: 'h' })

/** A client answering per table; `list`, `findOne` (the first row of a list) and `count` (the rows' number, or a number). */
function stubAdmin(tables: Record<string, Responder>) {
  const calls: Call[] = []
  const answer = (table: string, q: string | undefined): TableRecord[] | number => {
    const a = (tables[table] ?? (() => []))(q)
    if (a instanceof Error) throw a
    return a
  }
  const rows = (a: TableRecord[] | number) => (typeof a === 'number' ? [] : a)
  const admin = {
    table: {
      list: async (table: string, opts: { query?: string; fields?: string[]; limit?: number } = {}) => {
        calls.push(['list', table, opts])
        return rows(answer(table, opts.query))
      },
      findOne: async (table: string, q: string, opts?: unknown) => {
        calls.push(['findOne', table, q, opts])
        return rows(answer(table, q))[0]
      },
      count: async (table: string, q: string) => {
        calls.push(['count', table, q])
        const a = answer(table, q)
        return typeof a === 'number' ? a : a.length
      },
    },
  } as unknown as ServiceNowClient
  return { admin, calls }
}

const ADMIN_ROLE = { sys_id: 'r-admin', name: 'admin' }
const ACTIVE = 'glide.authenticate.basic_auth.restriction.active'
const ENFORCE = 'glide.authenticate.basic_auth.restriction.enforce'
/** An instance where `user` holds the given roles; properties, dictionary and app tables as given in `extra`. */
function instance(user: TableRecord, roles: TableRecord[], extra: Record<string, Responder> = {}) {
  return stubAdmin({
    sys_user: () => [user],
    sys_user_has_role: () => roles.map((r) => ({ role: r.sys_id as string, user: user.sys_id as string })),
    sys_user_role: () => roles,
    ...extra,
  })
}


describe('parseRelease and isZurichOrLater', () => {
  it('reads the family from the build tag, then the war, then the build name', () => {
    expect(parseRelease({ buildtag: 'glide-zurich-07-01-2025__patch4', war: 'glide-yokohama-x', buildname: 'Xanadu' })).toBe('zurich')
    expect(parseRelease({ buildtag: 'glide-nonsense-1', war: 'glide-Yokohama-12', buildname: 'Xanadu' })).toBe('yokohama')
    expect(parseRelease({ buildtag: 'zurich', war: 'glide', buildname: 'Washington DC' })).toBe('washingtondc')
    expect(parseRelease({ buildname: 'Zurich 2' })).toBe('zurich')
    expect(parseRelease({ buildname: 'Tokyo' })).toBeUndefined()
    expect(parseRelease({})).toBeUndefined()
  })

  it('is Zurich or later only for zurich and australia', () => {
    expect([undefined, 'washingtondc', 'xanadu', 'yokohama', 'zurich', 'australia'].map((r) => isZurichOrLater(r as never))).toEqual([false, false, false, false, true, true])
  })
})

describe('who the admin is', () => {
  it('basic auth: finds the user by name alone first, then its roles (the user\'s rows only), sorted, without blanks or duplicates', async () => {
    const { admin, calls } = stubAdmin({
      sys_user: () => [{ sys_id: 'u1', user_name: 'deployer' }],
      sys_user_has_role: (): TableRecord[] => [{ role: 'r2', user: 'u1' }, { role: 'r1', user: 'u1' }, { role: 'r2', user: 'u1' }, { role: '', user: 'u1' }, { user: 'u1' }, { role: 'r5', user: 'u2' }],
      sys_user_role: (): TableRecord[] => [{ sys_id: 'r2', name: 'itil' }, { sys_id: 'r1', name: 'admin' }, { sys_id: 'r3', name: '' }, { sys_id: 'r4' }],
    })
    const facts = await preflight(admin, { signIn: 'basic', user: 'deployer' })
    expect(facts.adminUser).toBe('deployer')
    expect(facts.adminRoles).toEqual(['admin', 'itil'])
    expect(facts.signIn).toBe('basic')
    expect(calls).toEqual([
      ['findOne', 'sys_user', 'user_name=deployer', { fields: ['sys_id', 'user_name'] }],
      // then every other read at once
      ['list', 'sys_user_has_role', { query: 'user.user_name=deployer', fields: ['role', 'role.name', 'user'] }],
      ['list', 'sys_properties', { query: `nameINglide.buildname,glide.buildtag,glide.war,${ACTIVE},${ENFORCE}`, fields: ['name', 'value'] }],
      ['findOne', 'sys_scope', `scope=${APP.scope}`, { fields: ['sys_id', 'scope', 'name', 'version', 'active'] }],
      ['list', 'sys_store_app', { query: `scope=${APP.scope}`, fields: ['sys_id', 'version', 'active'] }],
      ['list', 'sys_app', { query: `scope=${APP.scope}`, fields: ['sys_id', 'version', 'active'] }],
      ['list', 'oauth_entity', { limit: 1 }],
      ['count', 'sys_dictionary', 'name=oauth_entity^element=scope_restriction_status'],
      // the grants named no role (role.name not returned): the names by sys_id, r5 (another user's) left out
      ['list', 'sys_user_role', { query: 'sys_idINr2,r1', fields: ['sys_id', 'name'] }],
    ])
  })

  it('role names dot-walked in the grants (role.name) need no read of sys_user_role; only rows without one are looked up', async () => {
    const named = stubAdmin({
      sys_user: () => [{ sys_id: 'u1', user_name: 'deployer' }],
      sys_user_has_role: (): TableRecord[] => [{ role: 'r1', 'role.name': 'admin', user: 'u1' }, { role: 'r2', 'role.name': 'itil', user: 'u1' }, { role: 'r9', 'role.name': 'security_admin', user: 'u2' }],
    })
    expect((await preflight(named.admin, { signIn: 'basic', user: 'deployer' })).adminRoles).toEqual(['admin', 'itil'])
    expect(named.calls.map((c) => c[1])).not.toContain('sys_user_role')
    const mixed = stubAdmin({
      sys_user: () => [{ sys_id: 'u1', user_name: 'deployer' }],
      sys_user_has_role: (): TableRecord[] => [{ role: 'r1', 'role.name': 'admin', user: 'u1' }, { role: 'r2', user: 'u1' }],
      sys_user_role: (): TableRecord[] => [{ sys_id: 'r2', name: 'itil' }],
    })
    expect((await preflight(mixed.admin, { signIn: 'basic', user: 'deployer' })).adminRoles).toEqual(['admin', 'itil'])
    expect(mixed.calls.filter((c) => c[1] === 'sys_user_role')).toEqual([['list', 'sys_user_role', { query: 'sys_idINr2', fields: ['sys_id', 'name'] }]])
  })

  it('a token: its roles by the caller\'s own sys_id, asked only once the record was found', async () => {
    const { admin, calls } = instance({ sys_id: 'u9', user_name: 'svc.admin' }, [ADMIN_ROLE])
    await preflight(admin, { signIn: 'bearer' })
    expect(calls.slice(0, 2)).toEqual([
      ['list', 'sys_user', { query: 'sys_id=javascript:gs.getUserID()', fields: ['sys_id', 'user_name'], limit: 2 }],
      ['list', 'sys_user_has_role', { query: 'user=javascript:gs.getUserID()', fields: ['role', 'role.name', 'user'] }],
    ])
  })

  it('password grant: also by name; the configured name stands in when the record has none', async () => {
    const { admin, calls } = instance({ sys_id: 'u1' }, [ADMIN_ROLE])
    const facts = await preflight(admin, { signIn: 'password', user: 'ops' })
    expect(facts.adminUser).toBe('ops')
    expect(calls[0]).toEqual(['findOne', 'sys_user', 'user_name=ops', { fields: ['sys_id', 'user_name'] }])
  })

  it.each(['bearer', 'apikey', 'client_credentials'] as const)('%s: asks for the caller\'s own record, at most two rows', async (signIn) => {
    const { admin, calls } = instance({ sys_id: 'u9', user_name: 'svc.admin' }, [ADMIN_ROLE])
    const facts = await preflight(admin, { signIn } as AdminIdentity)
    expect(facts.adminUser).toBe('svc.admin')
    expect(calls[0]).toEqual(['list', 'sys_user', { query: 'sys_id=javascript:gs.getUserID()', fields: ['sys_id', 'user_name'], limit: 2 }])
  })

  it('a token whose record has no user name and no configured name: the admin user is empty, not invented', async () => {
    const { admin } = instance({ sys_id: 'u9' }, [ADMIN_ROLE])
    expect((await preflight(admin, { signIn: 'bearer' })).adminUser).toBe('')
  })

  it('basic auth without a user name (a config the schema refuses) asks for the empty name and finds no one', async () => {
    const { admin, calls } = stubAdmin({ sys_user: () => [] })
    const error = await failure(preflight(admin, { signIn: 'basic' }))
    expect(error.message).toBe('the admin account "(the account the credentials act as)" cannot read its own user record')
    expect(calls[0]).toEqual(['findOne', 'sys_user', 'user_name=', { fields: ['sys_id', 'user_name'] }])
  })

  it('a token whose account matches the configured name in another case is accepted', async () => {
    const { admin } = instance({ sys_id: 'u9', user_name: 'Svc.Admin' }, [ADMIN_ROLE])
    await expect(preflight(admin, { signIn: 'bearer', user: 'svc.ADMIN' })).resolves.toMatchObject({ adminUser: 'Svc.Admin' })
  })

  it('a token acting as another account than the configured one is a usage error naming both', async () => {
    const { admin, calls } = instance({ sys_id: 'u9', user_name: 'svc.admin' }, [ADMIN_ROLE])
    const error = await failure(preflight(admin, { signIn: 'apikey', user: 'someone' }))
    expect([error.exitCode, error.message, error.causeText, error.fix]).toEqual([
      EXIT_CODES.usage,
      'the admin\'s credentials act as "svc.admin", not "someone"',
      'SN_ADMIN_USER (or admin.user) names a different account than the one the token, key or OAuth client belongs to',
      'set SN_ADMIN_USER to svc.admin, or leave it out',
    ])
    expect(calls).toHaveLength(1)
  })

  it('a token whose record has no user name does not match a configured name', async () => {
    const { admin } = instance({ sys_id: 'u9' }, [ADMIN_ROLE])
    const error = await failure(preflight(admin, { signIn: 'bearer', user: 'x' }))
    expect(error.exitCode).toBe(EXIT_CODES.usage)
  })

  it.each([
    ['apikey', 'API key'],
    ['bearer', 'token'],
    ['client_credentials', 'OAuth client'],
  ] as const)('%s: two users for "the caller" is an instance error that names the %s', async (signIn, what) => {
    const { admin } = stubAdmin({ sys_user: () => [{ sys_id: 'a', user_name: 'a' }, { sys_id: 'b', user_name: 'b' }] })
    const error = await failure(preflight(admin, { signIn } as AdminIdentity))
    expect([error.exitCode, error.message, error.causeText, error.fix]).toEqual([
      EXIT_CODES.instance,
      `the instance did not say which account the admin's ${what} acts as`,
      'a query for the caller\'s own user record (sys_id=javascript:gs.getUserID()) matched more than one user',
      'give the account\'s user name in SN_ADMIN_USER and report this instance\'s release',
    ])
  })

  it('no readable user record is an auth error naming the configured account', async () => {
    const { admin } = stubAdmin({ sys_user: () => [] })
    const error = await failure(preflight(admin, { signIn: 'basic', user: 'deployer' }))
    expect([error.exitCode, error.message, error.causeText, error.fix]).toEqual([
      EXIT_CODES.auth,
      'the admin account "deployer" cannot read its own user record',
      'the account authenticated but has too few rights to read sys_user (it is not an admin)',
      'run deploy-integration as a user with the admin role (SN_ADMIN_USER / SN_ADMIN_PASSWORD, or a token, key or OAuth client of such a user)',
    ])
  })

  it('a record without a sys_id for a token is the same auth error, naming the credentials\' account', async () => {
    const { admin } = stubAdmin({ sys_user: () => [{ user_name: 'x' }] })
    const error = await failure(preflight(admin, { signIn: 'bearer' }))
    expect([error.exitCode, error.message]).toEqual([EXIT_CODES.auth, 'the admin account "(the account the credentials act as)" cannot read its own user record'])
  })

  it('without the admin role: an auth error listing the roles it has, or "no roles"', async () => {
    const withRoles = instance({ sys_id: 'u1', user_name: 'deployer' }, [{ sys_id: 'r2', name: 'itil' }, { sys_id: 'r3', name: 'admin_lite' }])
    const error = await failure(preflight(withRoles.admin, { signIn: 'basic', user: 'deployer' }))
    expect([error.exitCode, error.message, error.causeText, error.fix]).toEqual([
      EXIT_CODES.auth,
      'the account "deployer" does not have the admin role (it has: admin_lite, itil)',
      'deploy creates a user, role grants, an OAuth client and system properties and installs the app: each needs admin',
      'run as a user with the admin role, or ask an administrator to grant it for the duration of the deployment',
    ])
    const none = instance({ sys_id: 'u1', user_name: 'deployer' }, [])
    const bare = await failure(preflight(none.admin, { signIn: 'basic', user: 'deployer' }))
    expect(bare.message).toBe('the account "deployer" does not have the admin role (it has: no roles)')
    // the other reads went out with the grants' (one round); no role names to look up
    expect(none.calls.map((c) => c[1])).toEqual(['sys_user', 'sys_user_has_role', 'sys_properties', 'sys_scope', 'sys_store_app', 'sys_app', 'oauth_entity', 'sys_dictionary'])
  })

  it('roleNamesOf asks nothing more for a user without grants', async () => {
    const { admin, calls } = stubAdmin({ sys_user_has_role: () => [] })
    expect(await roleNamesOf(admin, 'u1')).toEqual([])
    expect(calls).toHaveLength(1)
  })
})

/** sys_properties answering the one query for both with the restriction's rows and the release's (an error: that error). */
const properties = (restriction: Answer, release: Answer = []): Responder => () =>
  restriction instanceof Error ? restriction : release instanceof Error ? release : [...(Array.isArray(restriction) ? restriction : []), ...(Array.isArray(release) ? release : [])]
const PROPERTIES_QUERY = `nameINglide.buildname,glide.buildtag,glide.war,${ACTIVE},${ENFORCE}`

describe('the Basic Authentication Restriction', () => {
  const run = async (restriction: Answer) => {
    const { admin, calls } = instance({ sys_id: 'u1', user_name: 'a' }, [ADMIN_ROLE], { sys_properties: properties(restriction) })
    const facts = await preflight(admin, { signIn: 'basic', user: 'a' })
    return { state: facts.basicAuthRestriction, calls }
  }
  const prop = (name: string, value: string) => ({ name, value })

  it('reads both toggles in one query, with the build properties', async () => {
    const { calls } = await run([])
    expect(calls.filter((c) => c[1] === 'sys_properties')).toEqual([['list', 'sys_properties', { query: PROPERTIES_QUERY, fields: ['name', 'value'] }]])
  })

  it.each([
    ['neither property', [], 'unknown'],
    ['active=false', [prop(ACTIVE, 'false'), prop(ENFORCE, 'true')], 'off'],
    ['active=true, enforce=true', [prop(ACTIVE, 'true'), prop(ENFORCE, 'true')], 'enforced'],
    ['active=true, enforce=false', [prop(ACTIVE, 'true'), prop(ENFORCE, 'false')], 'tracking'],
    ['active=true only', [prop(ACTIVE, 'true')], 'tracking'],
    ['enforce=true only', [prop(ENFORCE, 'true')], 'enforced'],
    ['enforce=false only', [prop(ENFORCE, 'false')], 'tracking'],
    ['active="FALSE" (not the platform\'s spelling)', [prop(ACTIVE, 'FALSE'), prop(ENFORCE, 'TRUE')], 'tracking'],
    ['another property only', [prop('glide.other', 'true')], 'unknown'],
  ] as const)('%s -> %s', async (_, rows, expected) => {
    expect((await run([...rows])).state).toBe(expected)
  })

  it.each(['permission', 'not_found'] as const)('a %s answer reads as unknown', async (kind) => {
    expect((await run(denied(kind))).state).toBe('unknown')
  })

  it('any other failure surfaces as it is', async () => {
    const boom = denied('server')
    const { admin } = instance({ sys_id: 'u1', user_name: 'a' }, [ADMIN_ROLE], { sys_properties: properties(boom) })
    await expect(preflight(admin, { signIn: 'basic', user: 'a' })).rejects.toBe(boom)
    const plain = new Error('socket hang up')
    const other = instance({ sys_id: 'u1', user_name: 'a' }, [ADMIN_ROLE], { sys_properties: properties(plain) })
    await expect(preflight(other.admin, { signIn: 'basic', user: 'a' })).rejects.toBe(plain)
  })
})

describe('the release', () => {
  const run = async (release: Answer) => {
    const { admin, calls } = instance({ sys_id: 'u1', user_name: 'a' }, [ADMIN_ROLE], { sys_properties: properties([], release), sys_dictionary: () => 1 })
    const facts = await preflight(admin, { signIn: 'basic', user: 'a' })
    return { facts, calls }
  }

  it('asks for the three build properties and keeps the tag', async () => {
    const { facts, calls } = await run([
      { name: 'glide.buildtag', value: 'glide-zurich-07-01-2025__patch4' },
      { name: 'glide.war', value: 'glide-yokohama-1.zip' },
      { name: 'glide.buildname', value: 'Zurich' },
    ])
    expect([facts.release, facts.buildTag]).toEqual(['zurich', 'glide-zurich-07-01-2025__patch4'])
    expect(calls.filter((c) => c[1] === 'sys_properties')).toEqual([['list', 'sys_properties', { query: PROPERTIES_QUERY, fields: ['name', 'value'] }]])
  })

  it('the build tag falls back to the war, then the build name', async () => {
    expect((await run([{ name: 'glide.war', value: 'glide-xanadu-1' }, { name: 'glide.buildname', value: 'Yokohama' }])).facts).toMatchObject({ release: 'xanadu', buildTag: 'glide-xanadu-1' })
    expect((await run([{ name: 'glide.buildname', value: 'Yokohama' }])).facts).toMatchObject({ release: 'yokohama', buildTag: 'Yokohama' })
    const none = (await run([])).facts
    expect([none.release, none.buildTag]).toEqual([undefined, undefined])
  })

  it('each property is read by its own name, whatever order the instance lists them in', async () => {
    expect((await run([{ name: 'glide.buildname', value: 'Yokohama' }, { name: 'glide.war', value: 'glide-xanadu-1' }])).facts).toMatchObject({ release: 'xanadu', buildTag: 'glide-xanadu-1' })
  })

  it.each(['permission', 'not_found'] as const)('a %s answer leaves release and tag unknown', async (kind) => {
    const { facts } = await run(denied(kind))
    expect([facts.release, facts.buildTag]).toEqual([undefined, undefined])
  })

  it('any other failure surfaces', async () => {
    const boom = denied('server')
    await expect(run(boom)).rejects.toBe(boom)
  })
})

describe('hasScopeRestrictionColumn', () => {
  const COUNT_QUERY = 'name=oauth_entity^element=scope_restriction_status'

  it('the dictionary entry decides when it is there; the record read alongside it (same round) is not looked at', async () => {
    const { admin, calls } = stubAdmin({ sys_dictionary: () => 1, oauth_entity: () => [{ sys_id: 'o', name: 'without the column' }] })
    expect(await hasScopeRestrictionColumn(admin, 'xanadu')).toBe(true)
    expect(calls).toEqual([
      ['list', 'oauth_entity', { limit: 1 }],
      ['count', 'sys_dictionary', COUNT_QUERY],
    ])
  })

  it('a failing record read does not matter when the dictionary says yes', async () => {
    const { admin } = stubAdmin({ sys_dictionary: () => 1, oauth_entity: () => denied('server') })
    expect(await hasScopeRestrictionColumn(admin, 'xanadu')).toBe(true)
  })

  it('no dictionary entry: one oauth_entity record\'s fields decide', async () => {
    const withField = stubAdmin({ sys_dictionary: () => 0, oauth_entity: () => [{ sys_id: 'o', scope_restriction_status: '' }] })
    expect(await hasScopeRestrictionColumn(withField.admin, 'xanadu')).toBe(true)
    expect(withField.calls).toEqual([
      ['list', 'oauth_entity', { limit: 1 }],
      ['count', 'sys_dictionary', COUNT_QUERY],
    ])
    const without = stubAdmin({ sys_dictionary: () => 0, oauth_entity: () => [{ sys_id: 'o', name: 'n' }] })
    expect(await hasScopeRestrictionColumn(without.admin, 'zurich')).toBe(false)
  })

  it('no record either: the release family decides', async () => {
    for (const [release, expected] of [['zurich', true], ['australia', true], ['yokohama', false], [undefined, false]] as const) {
      expect(await hasScopeRestrictionColumn(stubAdmin({ sys_dictionary: () => 0 }).admin, release)).toBe(expected)
    }
  })

  it.each(['permission', 'not_found'] as const)('an unreadable dictionary (%s) falls through to the record', async (kind) => {
    const { admin, calls } = stubAdmin({ sys_dictionary: () => denied(kind), oauth_entity: () => [{ sys_id: 'o', scope_restriction_status: 'x' }] })
    expect(await hasScopeRestrictionColumn(admin, undefined)).toBe(true)
    expect(calls.map((c) => c[1])).toEqual(['oauth_entity', 'sys_dictionary'])
  })

  it('any other dictionary failure surfaces', async () => {
    const boom = denied('server')
    await expect(hasScopeRestrictionColumn(stubAdmin({ sys_dictionary: () => boom }).admin, 'zurich')).rejects.toBe(boom)
    const plain = new Error('reset')
    await expect(hasScopeRestrictionColumn(stubAdmin({ sys_dictionary: () => plain }).admin, 'zurich')).rejects.toBe(plain)
  })
})

describe('readInstalledApp', () => {
  const SCOPE_QUERY = `scope=${APP.scope}`

  it('no scope record (or one without sys_id): not installed; the three tables are read at once, by scope', async () => {
    const none = stubAdmin({})
    expect(await readInstalledApp(none.admin)).toBeUndefined()
    expect(none.calls).toEqual([
      ['findOne', 'sys_scope', SCOPE_QUERY, { fields: ['sys_id', 'scope', 'name', 'version', 'active'] }],
      ['list', 'sys_store_app', { query: SCOPE_QUERY, fields: ['sys_id', 'version', 'active'] }],
      ['list', 'sys_app', { query: SCOPE_QUERY, fields: ['sys_id', 'version', 'active'] }],
    ])
    // a Store or custom record with the scope's name but without a scope record is not an install
    expect(await readInstalledApp(stubAdmin({ sys_store_app: () => [{ sys_id: 's1', version: '1.0.0' }] }).admin)).toBeUndefined()
    expect(await readInstalledApp(stubAdmin({ sys_scope: () => [{ scope: APP.scope }] }).admin)).toBeUndefined()
  })

  it('a Store install: version and active from sys_store_app', async () => {
    const { admin, calls } = stubAdmin({
      sys_scope: () => [{ sys_id: 'vendor-id', scope: APP.scope, name: 'Vendor app', version: '1.0.0', active: 'true' }],
      sys_store_app: () => [{ sys_id: 'vendor-id', version: '2.1.0', active: 'false' }],
      sys_app: () => [{ sys_id: 'vendor-id', version: '9.9.9', active: 'true' }],
    })
    expect(await readInstalledApp(admin)).toEqual({ sysId: 'vendor-id', scope: APP.scope, name: 'Vendor app', version: '2.1.0', storeApp: true, active: false, ownBuild: false })
    expect(calls.slice(1)).toEqual([
      ['list', 'sys_store_app', { query: SCOPE_QUERY, fields: ['sys_id', 'version', 'active'] }],
      ['list', 'sys_app', { query: SCOPE_QUERY, fields: ['sys_id', 'version', 'active'] }],
    ])
  })

  it('a Store or custom record of another sys_id than the scope record is not taken for it', async () => {
    const { admin } = stubAdmin({
      sys_scope: () => [{ sys_id: 's1', version: '0.9.0', active: 'true' }],
      sys_store_app: () => [{ sys_id: 'other', version: '2.1.0', active: 'false' }],
      sys_app: () => [{ sys_id: 'another', version: '9.9.9' }],
    })
    expect(await readInstalledApp(admin)).toMatchObject({ sysId: 's1', version: '0.9.0', active: true, storeApp: false })
  })

  it('a custom app of this build: from sys_app, own build', async () => {
    const { admin } = stubAdmin({
      sys_scope: () => [{ sys_id: APP.scopeId, version: '1.0.0' }],
      sys_app: () => [{ sys_id: APP.scopeId, version: '1.4.0', active: '1' }],
    })
    expect(await readInstalledApp(admin)).toEqual({ sysId: APP.scopeId, scope: APP.scope, name: APP.name, version: '1.4.0', storeApp: false, active: true, ownBuild: true })
  })

  it('only the scope record: its version; no active field means active; no version at all is ""', async () => {
    const scopeOnly = stubAdmin({ sys_scope: () => [{ sys_id: 's1', version: '0.9.0' }] })
    expect(await readInstalledApp(scopeOnly.admin)).toMatchObject({ version: '0.9.0', active: true, storeApp: false, ownBuild: false })
    const inactive = stubAdmin({ sys_scope: () => [{ sys_id: 's1', active: 'false' }] })
    expect(await readInstalledApp(inactive.admin)).toMatchObject({ version: '', active: false })
    const storeNoVersion = stubAdmin({ sys_scope: () => [{ sys_id: 's1', version: '0.9.0' }], sys_store_app: () => [{ sys_id: 's1' }] })
    expect(await readInstalledApp(storeNoVersion.admin)).toMatchObject({ version: '0.9.0', active: true, storeApp: true })
  })
})
