import { ADMIN_SIGN_IN, APP, ENV, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES, RELEASES, type Release } from '@kandji-sn/contract/constants'
import type { AdminSignInMethod } from '@kandji-sn/contract'
import { query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
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
export async function preflight(admin: ServiceNowClient, who: AdminIdentity): Promise<InstanceFacts> {
  const user = await findAdminUser(admin, who)
  const adminUser = user.user_name ?? who.user ?? ''
  const adminRoles = await roleNamesOf(admin, user.sys_id as string)
  if (!adminRoles.includes('admin')) {
    throw new CliError(
      EXIT_CODES.auth,
      `the account "${adminUser}" does not have the admin role (it has: ${adminRoles.join(', ') || 'no roles'})`,
      'deploy creates a user, role grants, an OAuth client and system properties and installs the app: each needs admin',
      'run as a user with the admin role, or ask an administrator to grant it for the duration of the deployment',
    )
  }
  const [releaseInfo, app, basicAuthRestriction] = await Promise.all([readRelease(admin), readInstalledApp(admin), readBasicAuthRestriction(admin)])
  const scopeRestrictionColumn = await hasScopeRestrictionColumn(admin, releaseInfo.release)
  return { adminUser, adminRoles, release: releaseInfo.release, buildTag: releaseInfo.buildTag, scopeRestrictionColumn, app, signIn: who.signIn, basicAuthRestriction }
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

/** The Basic Authentication Restriction's state from its properties (basic-auth-restriction.md: feature and enforcement toggles). */
async function readBasicAuthRestriction(admin: ServiceNowClient): Promise<InstanceFacts['basicAuthRestriction']> {
  const { active, enforce } = ADMIN_SIGN_IN.basicAuthProperties
  let rows
  try {
    rows = await admin.table.list(PLATFORM_TABLES.property, { query: query().in('name', [active, enforce]).toString(), fields: ['name', 'value'] })
  } catch (error) {
    if (isServiceNowErrorLike(error) && (error.kind === 'permission' || error.kind === 'not_found')) return 'unknown'
    throw error
  }
  const value = (name: string) => rows.find((r) => r.name === name)?.value
  if (value(active) === undefined && value(enforce) === undefined) return 'unknown'
  if (value(active) === 'false') return 'off'
  return value(enforce) === 'true' ? 'enforced' : 'tracking'
}

export async function roleNamesOf(admin: ServiceNowClient, userSysId: string): Promise<string[]> {
  const grants = await admin.table.list(PLATFORM_TABLES.userRole, { query: query().eq('user', userSysId).toString(), fields: ['role'] })
  const ids = [...new Set(grants.map((g) => g.role).filter((r): r is string => !!r))]
  if (ids.length === 0) return []
  const roles = await admin.table.list(PLATFORM_TABLES.role, { query: query().in('sys_id', ids).toString(), fields: ['sys_id', 'name'] })
  return roles.map((r) => r.name ?? '').filter((n) => n !== '').sort()
}

async function readRelease(admin: ServiceNowClient): Promise<{ release: Release | undefined; buildTag: string | undefined }> {
  try {
    const props = await admin.table.list(PLATFORM_TABLES.property, {
      query: query().in('name', ['glide.buildname', 'glide.buildtag', 'glide.war']).toString(),
      fields: ['name', 'value'],
    })
    const get = (name: string) => props.find((p) => p.name === name)?.value
    const values = { buildname: get('glide.buildname'), buildtag: get('glide.buildtag'), war: get('glide.war') }
    return { release: parseRelease(values), buildTag: values.buildtag ?? values.war ?? values.buildname }
  } catch (error) {
    // facts 5: sys_properties may be ACL-restricted; the release only informs, the column check decides.
    if (isServiceNowErrorLike(error) && (error.kind === 'permission' || error.kind === 'not_found')) return { release: undefined, buildTag: undefined }
    throw error
  }
}

/**
 * Whether oauth_entity.scope_restriction_status exists: the dictionary first; where that is not readable, one
 * record's fields; with no record to look at, the release family (Zurich+).
 */
export async function hasScopeRestrictionColumn(admin: ServiceNowClient, release: Release | undefined): Promise<boolean> {
  try {
    const count = await admin.table.count(
      DICTIONARY_TABLE,
      query().eq('name', PLATFORM_TABLES.oauthEntity).eq('element', OAUTH_CLIENT.scopeRestrictionField).toString(),
    )
    if (count > 0) return true
  } catch (error) {
    if (!(isServiceNowErrorLike(error) && (error.kind === 'permission' || error.kind === 'not_found'))) throw error
  }
  const sample = await admin.table.list(PLATFORM_TABLES.oauthEntity, { limit: 1 })
  const first = sample[0]
  if (first) return OAUTH_CLIENT.scopeRestrictionField in first
  return isZurichOrLater(release)
}

export async function readInstalledApp(admin: ServiceNowClient): Promise<InstalledApp | undefined> {
  const scope = await admin.table.findOne(PLATFORM_TABLES.scope, query().eq('scope', APP.scope).toString(), {
    fields: ['sys_id', 'scope', 'name', 'version', 'active'],
  })
  if (!scope?.sys_id) return undefined
  const [store, custom] = await Promise.all([
    admin.table.findOne(PLATFORM_TABLES.storeApp, query().eq('sys_id', scope.sys_id).toString(), { fields: ['sys_id', 'version', 'active'] }),
    admin.table.findOne(PLATFORM_TABLES.app, query().eq('sys_id', scope.sys_id).toString(), { fields: ['sys_id', 'version', 'active'] }),
  ])
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
