// Throw-away accounts settle how the instance treats them: a web-service-only user and an interactive one, both
// without roles, and an OAuth client for the password grant.
//  - ropcRefusedForWebServiceOnly: the password grant for each (facts 3.3); the interactive user is the control.
//  - addSncInternalOnFirstLogin: snc_internal appears directly in sys_user_has_role after the first login (Explicit
//    Roles, facts 2.2).
//  - listReadDenied: a list GET without a query on sys_properties, which only admin may read (emulator assumption 2).
//  - basicAuthRestriction: a basic-auth API call of the interactive user, refused although its password works for
//    the password grant, which the restriction does not gate (ServiceNowDocs basic-auth-restriction.md).
import { randomBytes } from 'node:crypto'
import { OAUTH_CLIENT, PLATFORM_GRANTED_ROLES, PLATFORM_TABLES, PROBE } from '@kandji-sn/contract/constants'
import type { ProbedSwitch, ProbeEvidence, SwitchObservation } from '@kandji-sn/contract'
import { isServiceNowError, query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import { checkAborted, errorShape, recordsOf, send } from '../evidence.ts'
import { couldNotTell, observed } from '../outcome.ts'
import type { ProbeContext, SwitchProbe } from '../types.ts'

export const NAMES = {
  wsUser: `${PROBE.namePrefix}ws_user`,
  uiUser: `${PROBE.namePrefix}ui_user`,
  client: `${PROBE.namePrefix}oauth_client`,
} as const

/** A password no policy refuses: long, with upper and lower case, digits and a symbol. */
export function throwAwayPassword(): string {
  return `${randomBytes(18).toString('base64url')}aA1!`
}

interface Account {
  name: string
  sysId: string
  password: string
}

async function createUser(ctx: ProbeContext, name: string, webServiceOnly: boolean): Promise<Account> {
  const password = throwAwayPassword()
  const row = await ctx.admin.table.create(
    PLATFORM_TABLES.user,
    { user_name: name, first_name: 'Kandji', last_name: 'Probe', user_password: password, web_service_access_only: String(webServiceOnly), active: 'true' },
    // user_password is set only with input display values; no choice or reference field is in this request.
    { inputDisplayValue: true, fields: ['sys_id', 'user_name'] },
  )
  ctx.created(PLATFORM_TABLES.user, row.sys_id ?? '', name)
  return { name, sysId: row.sys_id ?? '', password }
}

async function createClient(ctx: ProbeContext): Promise<{ clientId: string; clientSecret: string }> {
  const clientId = randomBytes(16).toString('hex')
  const clientSecret = randomBytes(24).toString('base64url')
  const row = await ctx.admin.table.create(
    PLATFORM_TABLES.oauthEntity,
    { name: NAMES.client, type: OAUTH_CLIENT.type, client_id: clientId, client_secret: clientSecret, redirect_url: OAUTH_CLIENT.redirectUrl, active: 'true' },
    { inputDisplayValue: true, fields: ['sys_id', 'name'] },
  )
  ctx.created(PLATFORM_TABLES.oauthEntity, row.sys_id ?? '', NAMES.client)
  return { clientId, clientSecret }
}

/** The user's direct snc_internal grants, each recorded for cleanup (they go with the user). */
async function sncInternalRows(ctx: ProbeContext, user: Account): Promise<{ count: number; evidence: ProbeEvidence }> {
  const q = query().eq('user', user.sysId).eq('role.name', PLATFORM_GRANTED_ROLES[0]).toString()
  const { answer, evidence } = await send(ctx.admin, { method: 'GET', path: `/api/now/v2/table/${PLATFORM_TABLES.userRole}`, query: { sysparm_query: q, sysparm_fields: 'sys_id', sysparm_limit: 10 } }, `user ${user.name}`)
  const rows = recordsOf(answer)
  for (const row of rows) if (typeof row.sys_id === 'string') ctx.created(PLATFORM_TABLES.userRole, row.sys_id, user.name)
  return { count: rows.length, evidence: { ...evidence, request: evidence.request.replace(user.sysId, '<probe user>') } }
}

async function passwordGrant(ctx: ProbeContext, client: { clientId: string; clientSecret: string }, user: Account): Promise<{ ok: boolean; evidence: ProbeEvidence }> {
  const request = `POST /oauth_token.do (grant_type=password, user ${user.name})`
  try {
    await ctx.admin.oauth.requestToken({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret, username: user.name, password: user.password })
    return { ok: true, evidence: { request, status: 200, answer: '200 {access_token, refresh_token, expires_in, ...}' } }
  } catch (error) {
    if (!isServiceNowError(error) || error.kind !== 'auth') throw error
    return { ok: false, evidence: { request, status: error.status ?? null, answer: errorShape(error) } }
  }
}

function basicClient(ctx: ProbeContext, user: Account): ServiceNowClient {
  return ctx.clientFor({ type: 'basic', user: user.name, password: user.password })
}

export const accountsProbe: SwitchProbe = {
  id: 'accounts',
  switches: ['ropcRefusedForWebServiceOnly', 'addSncInternalOnFirstLogin', 'listReadDenied', 'basicAuthRestriction'],
  // Role rows first: cleanup of a run's leftovers goes through the tables in reverse.
  tables: [
    { table: PLATFORM_TABLES.user, nameField: 'user_name' },
    { table: PLATFORM_TABLES.oauthEntity, nameField: 'name' },
    { table: PLATFORM_TABLES.userRole, nameField: 'user.user_name' },
  ],
  async run(ctx) {
    const result: Partial<Record<ProbedSwitch, SwitchObservation>> = {}
    const client = await createClient(ctx)
    checkAborted(ctx.signal)
    const ws = await createUser(ctx, NAMES.wsUser, true)
    checkAborted(ctx.signal)
    const ui = await createUser(ctx, NAMES.uiUser, false)
    checkAborted(ctx.signal)

    const before = await sncInternalRows(ctx, ws)
    checkAborted(ctx.signal)

    // The web-service-only user's first login: a basic-auth list read of an admin-only table.
    const list = await send(basicClient(ctx, ws), { method: 'GET', path: `/api/now/v2/table/${PLATFORM_TABLES.property}`, query: { sysparm_fields: 'name', sysparm_limit: 1 } }, `basic auth as ${ws.name}, no roles`)
    checkAborted(ctx.signal)
    const rows = recordsOf(list.answer)
    result.listReadDenied =
      list.answer.status === 403
        ? observed('listReadDenied', 'forbidden', [list.evidence])
        : list.answer.status === 200 && rows.length === 0
          ? observed('listReadDenied', 'filter', [list.evidence])
          : list.answer.status === 200
            ? couldNotTell(`a user without roles could read ${PLATFORM_TABLES.property}`, [list.evidence])
            : couldNotTell(`the web-service-only user's basic-auth call was refused (${list.answer.status})`, [list.evidence])

    if (list.answer.status === 401) {
      result.addSncInternalOnFirstLogin = couldNotTell('the web-service-only user could not log in with basic auth, so there was no first login to look at', [before.evidence, list.evidence])
    } else if (before.count > 0) {
      result.addSncInternalOnFirstLogin = couldNotTell('the new user had snc_internal before it logged in', [before.evidence])
    } else {
      const after = await sncInternalRows(ctx, ws)
      checkAborted(ctx.signal)
      result.addSncInternalOnFirstLogin = observed('addSncInternalOnFirstLogin', after.count > 0, [before.evidence, list.evidence, after.evidence])
    }

    const uiGrant = await passwordGrant(ctx, client, ui)
    checkAborted(ctx.signal)
    const wsGrant = await passwordGrant(ctx, client, ws)
    checkAborted(ctx.signal)
    const grants = [uiGrant.evidence, wsGrant.evidence]
    result.ropcRefusedForWebServiceOnly = wsGrant.ok
      ? observed('ropcRefusedForWebServiceOnly', false, grants)
      : uiGrant.ok
        ? observed('ropcRefusedForWebServiceOnly', true, grants)
        : couldNotTell('the password grant failed for the interactive user too, so the refusal is not about web-service-only accounts', grants)

    const basic = await send(basicClient(ctx, ui), { method: 'GET', path: `/api/now/v2/table/${PLATFORM_TABLES.user}`, query: { sysparm_query: query().eq('user_name', ui.name).toString(), sysparm_fields: 'sys_id', sysparm_limit: 1 } }, `basic auth as ${ui.name}, interactive, no roles`)
    const basicEvidence = [uiGrant.evidence, basic.evidence]
    result.basicAuthRestriction =
      basic.answer.status !== 401
        ? observed('basicAuthRestriction', 'upgraded', basicEvidence)
        : uiGrant.ok
          ? observed('basicAuthRestriction', 'new-instance', basicEvidence)
          : couldNotTell('the interactive user was refused by basic auth and by the password grant, so its password may be what is refused', basicEvidence)
    // The interactive user's own grants from its first login, recorded so they are removed before the user.
    await sncInternalRows(ctx, ui)
    return result
  },
}
