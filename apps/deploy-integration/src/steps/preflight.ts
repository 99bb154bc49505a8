import { APP, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES, RELEASES, type Release } from '@kandji-sn/contract/constants'
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
export async function preflight(admin: ServiceNowClient, adminUser: string): Promise<InstanceFacts> {
  const user = await admin.table.findOne(PLATFORM_TABLES.user, query().eq('user_name', adminUser).toString(), { fields: ['sys_id', 'user_name'] })
  if (!user?.sys_id) {
    throw new CliError(
      EXIT_CODES.auth,
      `the admin account "${adminUser}" cannot read its own user record`,
      'the account authenticated but has too few rights to read sys_user (it is not an admin)',
      'run deploy-integration as a user with the admin role (SN_ADMIN_USER / SN_ADMIN_PASSWORD)',
    )
  }
  const adminRoles = await roleNamesOf(admin, user.sys_id)
  if (!adminRoles.includes('admin')) {
    throw new CliError(
      EXIT_CODES.auth,
      `the account "${adminUser}" does not have the admin role (it has: ${adminRoles.join(', ') || 'no roles'})`,
      'deploy creates a user, role grants, an OAuth client and system properties and installs the app: each needs admin',
      'run as a user with the admin role, or ask an administrator to grant it for the duration of the deployment',
    )
  }
  const [releaseInfo, app] = await Promise.all([readRelease(admin), readInstalledApp(admin)])
  const scopeRestrictionColumn = await hasScopeRestrictionColumn(admin, releaseInfo.release)
  return { adminUser, adminRoles, release: releaseInfo.release, buildTag: releaseInfo.buildTag, scopeRestrictionColumn, app }
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
