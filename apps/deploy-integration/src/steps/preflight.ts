import { ADMIN_SIGN_IN, APP, ENV, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES, RELEASES, type Release } from '@kandji-sn/contract/constants'
import type { AdminSignInMethod } from '@kandji-sn/contract'
import { query, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import { CliError, isServiceNowErrorLike } from '../errors.ts'
import { isTrue } from './types.ts'

/** What the app looks like on the instance, if it is there. */
export interface InstalledApp {
  sysId: string
  scope: string
  name: string
  version: string
  /** Installed from the Store (sys_store_app) rather than as a custom app (sys_app). */
  storeApp: boolean
  active: boolean
  /**
   * This project's build (sys_id = the contract's scopeId), with its verify endpoint; otherwise another application
   * holds the scope, normally the vendor's Store app (an application is its scope and its sys_id: sdk-api connector.js
   * getScopeInfo).
   */
  ownBuild: boolean
}

/** Facts about the instance every plan starts from. */
export interface InstanceFacts {
  adminUser: string
  adminRoles: string[]
  release: Release | undefined
  buildTag: string | undefined
  /** Whether oauth_entity has scope_restriction_status (Zurich+, patched Yokohama; facts 5). */
  scopeRestrictionColumn: boolean
  app: InstalledApp | undefined
  /** How the admin signed in. */
  signIn: AdminSignInMethod
  /**
   * The instance's Basic Authentication Restriction, from its properties: 'enforced' (basic-auth API calls only for
   * web-service-only accounts, allowed users and roles), 'tracking' (recorded, not blocked), 'off', or 'unknown'
   * (the properties are not there or not readable).
   */
  basicAuthRestriction: 'enforced' | 'tracking' | 'off' | 'unknown'
}

/** Who signs in, as the config gives it: the user is required for basic auth, optional (then checked) otherwise. */
export interface AdminIdentity {
  signIn: AdminSignInMethod
  user?: string
}

const DICTIONARY_TABLE = 'sys_dictionary'

/** `glide-zurich-07-01-2025__patch4-…` -> zurich; "Zurich" -> zurich (facts 5). */
export function parseRelease(values: { buildname?: string; buildtag?: string; war?: string }): Release | undefined {
  for (const raw of [values.buildtag, values.war]) {
    const family = raw?.split('-')[1]?.toLowerCase()
    if (family && (RELEASES as readonly string[]).includes(family)) return family as Release
  }
  const name = values.buildname?.toLowerCase().replace(/[^a-z]/g, '')
  if (name && (RELEASES as readonly string[]).includes(name)) return name as Release
  return undefined
}

export function isZurichOrLater(release: Release | undefined): boolean {
  return release !== undefined && RELEASES.indexOf(release) >= RELEASES.indexOf('zurich')
}

/**
 * Reaches the instance, authenticates the admin and checks it may do every step. Reads only. Errors from the
 * client (network, auth, hibernating) surface as they are: toCliError gives them their exit code.
 */
export async function preflight(admin: ServiceNowClient, who: AdminIdentity, options: { onSignedIn?: () => void } = {}): Promise<InstanceFacts> {
  // The first request alone: wrong credentials are tried once, not once per parallel read (with basic auth each
  // refused request is a failed sign-in, and those count towards locking the account out [U]), and credentials that
  // act as another account than the configured one are refused before anything else is asked.
  const user = await findAdminUser(admin, who)
  options.onSignedIn?.()
  // The other reads depend on nothing but the instance: they go out together. The admin check is awaited first, so
  // a caller without admin is told that, not what one of the other reads ran into.
  const grantsRead = adminGrants(admin, who)
  const propertiesRead = readPreflightProperties(admin)
  const appRead = readInstalledApp(admin)
  const columnRead = scopeRestrictionColumnProbe(admin)
  for (const p of [grantsRead, propertiesRead, appRead, columnRead]) p.catch(() => undefined)
  const adminUser = user.user_name ?? who.user ?? ''
  const adminRoles = await roleNamesFromGrants(admin, user.sys_id, await grantsRead)
  if (!adminRoles.includes('admin')) {
    throw new CliError(
      EXIT_CODES.auth,
      `the account "${adminUser}" does not have the admin role (it has: ${adminRoles.join(', ') || 'no roles'})`,
      'deploy creates a user, role grants, an OAuth client and system properties and installs the app: each needs admin',
      'run as a user with the admin role, or ask an administrator to grant it for the duration of the deployment',
    )
  }
  const [properties, app, column] = await Promise.all([propertiesRead, appRead, columnRead])
  const releaseInfo = releaseFrom(properties)
  const scopeRestrictionColumn = column ?? isZurichOrLater(releaseInfo.release)
  return { adminUser, adminRoles, release: releaseInfo.release, buildTag: releaseInfo.buildTag, scopeRestrictionColumn, app, signIn: who.signIn, basicAuthRestriction: basicAuthRestrictionFrom(properties) }
}

/** The grant rows of the admin (by the same identity findAdminUser uses), with the role's name dot-walked. */
async function adminGrants(admin: ServiceNowClient, who: AdminIdentity): Promise<TableRecord[]> {
  const byName = who.signIn === 'basic' || who.signIn === 'password'
  const filter = byName ? query().eq('user.user_name', who.user ?? '').toString() : `user=${CURRENT_USER}`
  return admin.table.list(PLATFORM_TABLES.userRole, { query: filter, fields: ['role', 'role.name', 'user'] })
}

/** The caller's own sys_id in an encoded query (a token, key or OAuth client does not say whose it is). */
const CURRENT_USER = 'javascript:gs.getUserID()'

/**
 * The admin's user record: by name for basic auth and the password grant; for a token, an API key or client
 * credentials the account the credentials act as (checked against the user name when one is given).
 */
async function findAdminUser(admin: ServiceNowClient, who: AdminIdentity): Promise<{ sys_id: string; user_name?: string }> {
  const byName = who.signIn === 'basic' || who.signIn === 'password'
  const fields = ['sys_id', 'user_name']
  let found: Array<{ sys_id?: string; user_name?: string }>
  if (byName) {
    const one = await admin.table.findOne(PLATFORM_TABLES.user, query().eq('user_name', who.user ?? '').toString(), { fields })
    found = one ? [one] : []
  } else {
    found = await admin.table.list(PLATFORM_TABLES.user, { query: `sys_id=${CURRENT_USER}`, fields, limit: 2 })
  }
  const [user] = found
  if (found.length > 1) {
    throw new CliError(
      EXIT_CODES.instance,
      `the instance did not say which account the admin's ${who.signIn === 'apikey' ? 'API key' : who.signIn === 'bearer' ? 'token' : 'OAuth client'} acts as`,
      `a query for the caller's own user record (sys_id=${CURRENT_USER}) matched more than one user`,
      `give the account's user name in ${ENV.adminUser} and report this instance's release`,
    )
  }
  if (!user?.sys_id) {
    throw new CliError(
      EXIT_CODES.auth,
      `the admin account "${who.user ?? '(the account the credentials act as)'}" cannot read its own user record`,
      'the account authenticated but has too few rights to read sys_user (it is not an admin)',
      `run deploy-integration as a user with the admin role (${ENV.adminUser} / ${ENV.adminPassword}, or a token, key or OAuth client of such a user)`,
    )
  }
  if (!byName && who.user !== undefined && (user.user_name ?? '').toLowerCase() !== who.user.toLowerCase()) {
    throw new CliError(
      EXIT_CODES.usage,
      `the admin's credentials act as "${user.user_name}", not "${who.user}"`,
      `${ENV.adminUser} (or admin.user) names a different account than the one the token, key or OAuth client belongs to`,
      `set ${ENV.adminUser} to ${user.user_name}, or leave it out`,
    )
  }
  return { sys_id: user.sys_id, ...(user.user_name !== undefined ? { user_name: user.user_name } : {}) }
}

/** Null when the instance refuses sys_properties (facts 5: it may be ACL-restricted): release and restriction are then unknown. */
type PreflightProperties = TableRecord[] | null

/** The release's and the Basic Authentication Restriction's properties in one read. */
async function readPreflightProperties(admin: ServiceNowClient): Promise<PreflightProperties> {
  const { active, enforce } = ADMIN_SIGN_IN.basicAuthProperties
  try {
    return await admin.table.list(PLATFORM_TABLES.property, { query: query().in('name', [...RELEASE_PROPERTIES, active, enforce]).toString(), fields: ['name', 'value'] })
  } catch (error) {
    if (isServiceNowErrorLike(error) && (error.kind === 'permission' || error.kind === 'not_found')) return null
    throw error
  }
}

const RELEASE_PROPERTIES = ['glide.buildname', 'glide.buildtag', 'glide.war'] as const

/** The Basic Authentication Restriction's state from its properties (basic-auth-restriction.md: feature and enforcement toggles). */
function basicAuthRestrictionFrom(rows: PreflightProperties): InstanceFacts['basicAuthRestriction'] {
  const { active, enforce } = ADMIN_SIGN_IN.basicAuthProperties
  const value = (name: string) => rows?.find((r) => r.name === name)?.value
  if (value(active) === undefined && value(enforce) === undefined) return 'unknown'
  if (value(active) === 'false') return 'off'
  return value(enforce) === 'true' ? 'enforced' : 'tracking'
}

export async function roleNamesOf(admin: ServiceNowClient, userSysId: string): Promise<string[]> {
  const grants = await admin.table.list(PLATFORM_TABLES.userRole, { query: query().eq('user', userSysId).toString(), fields: ['role', 'role.name', 'user'] })
  return roleNamesFromGrants(admin, userSysId, grants)
}

/**
 * The role names of a user's grant rows: only rows of that user (an instance that ignored the query's clause
 * lists every user's grants: glide.invalid_query.returns_no_rows is false by default), each name from the
 * dot-walked role.name, or, where the instance did not return it, from sys_user_role by sys_id.
 */
async function roleNamesFromGrants(admin: ServiceNowClient, userSysId: string, rows: readonly TableRecord[]): Promise<string[]> {
  const grants = rows.filter((g) => g.user === userSysId && g.role)
  const names = new Set(grants.map((g) => g['role.name'] ?? '').filter((n) => n !== ''))
  const unnamed = [...new Set(grants.filter((g) => !g['role.name']).map((g) => g.role as string))]
  if (unnamed.length > 0) {
    const roles = await admin.table.list(PLATFORM_TABLES.role, { query: query().in('sys_id', unnamed).toString(), fields: ['sys_id', 'name'] })
    for (const r of roles) if (r.name) names.add(r.name)
  }
  return [...names].sort()
}

function releaseFrom(props: PreflightProperties): { release: Release | undefined; buildTag: string | undefined } {
  const get = (name: string) => props?.find((p) => p.name === name)?.value
  const values = { buildname: get('glide.buildname'), buildtag: get('glide.buildtag'), war: get('glide.war') }
  return { release: parseRelease(values), buildTag: values.buildtag ?? values.war ?? values.buildname }
}

/**
 * Whether oauth_entity.scope_restriction_status exists: the dictionary first; where that is not readable, one
 * record's fields; with no record to look at, the release family (Zurich+).
 */
export async function hasScopeRestrictionColumn(admin: ServiceNowClient, release: Release | undefined): Promise<boolean> {
  return (await scopeRestrictionColumnProbe(admin)) ?? isZurichOrLater(release)
}

/**
 * The column check without the release: undefined when neither the dictionary nor a record can tell. Both reads
 * go out at once (the record is looked at only when the dictionary does not say yes).
 */
async function scopeRestrictionColumnProbe(admin: ServiceNowClient): Promise<boolean | undefined> {
  const sampleRead = admin.table.list(PLATFORM_TABLES.oauthEntity, { limit: 1 })
  sampleRead.catch(() => undefined)
  try {
    const count = await admin.table.count(
      DICTIONARY_TABLE,
      query().eq('name', PLATFORM_TABLES.oauthEntity).eq('element', OAUTH_CLIENT.scopeRestrictionField).toString(),
    )
    if (count > 0) return true
  } catch (error) {
    if (!(isServiceNowErrorLike(error) && (error.kind === 'permission' || error.kind === 'not_found'))) throw error
  }
  const first = (await sampleRead)[0]
  return first ? OAUTH_CLIENT.scopeRestrictionField in first : undefined
}

export async function readInstalledApp(admin: ServiceNowClient): Promise<InstalledApp | undefined> {
  // sys_store_app and sys_app extend sys_scope (platform-tables: `extends`), so they too are found by scope: the
  // three reads go in one round, and a Store or custom record counts only when it is the scope's own (same sys_id).
  const byScope = query().eq('scope', APP.scope).toString()
  const [scope, storeRows, customRows] = await Promise.all([
    admin.table.findOne(PLATFORM_TABLES.scope, byScope, { fields: ['sys_id', 'scope', 'name', 'version', 'active'] }),
    admin.table.list(PLATFORM_TABLES.storeApp, { query: byScope, fields: ['sys_id', 'version', 'active'] }),
    admin.table.list(PLATFORM_TABLES.app, { query: byScope, fields: ['sys_id', 'version', 'active'] }),
  ])
  if (!scope?.sys_id) return undefined
  const store = storeRows.find((r) => r.sys_id === scope.sys_id)
  const custom = customRows.find((r) => r.sys_id === scope.sys_id)
  const record = store ?? custom ?? scope
  return {
    sysId: scope.sys_id,
    scope: scope.scope ?? APP.scope,
    name: scope.name ?? APP.name,
    version: record.version ?? scope.version ?? '',
    storeApp: store !== undefined,
    active: record.active === undefined ? true : isTrue(record.active),
    ownBuild: scope.sys_id === APP.scopeId,
  }
}
