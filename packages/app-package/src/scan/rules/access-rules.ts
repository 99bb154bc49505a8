import type { AppPackage, AppRecord } from '../../types.ts'
import { recordRef } from '../scripts.ts'
import type { RuleFinding, ScanRule } from '../types.ts'

function live(pkg: AppPackage, table: string): AppRecord[] {
  return pkg.records.filter((r) => r.table === table && r.action !== 'DELETE')
}

const REST_SECURITY = 'ServiceNowDocs markdown/api-reference scripted REST API security ("Requires authentication", "Requires ACL authorization" on sys_ws_operation) [U: exact page]'

export const restAuthentication: ScanRule = {
  id: 'rest-operation-unauthenticated',
  severity: 'error',
  title: 'scripted REST operation without authentication',
  source: REST_SECURITY,
  check: (ctx) =>
    live(ctx.pkg, 'sys_ws_operation')
      .filter((op) => op.fields['requires_authentication'] !== 'true')
      .map((op) => ({
        file: op.path,
        record: recordRef(op),
        message: `REST operation ${op.fields['http_method'] ?? ''} ${op.fields['operation_uri'] ?? op.fields['name'] ?? ''} has requires_authentication "${op.fields['requires_authentication'] ?? ''}": anyone who can reach the instance can call it without signing in`,
        fix: 'set requiresAuthentication: true on the route (the SDK default) and rebuild',
      })),
}

export const restAcl: ScanRule = {
  id: 'rest-operation-without-acl',
  severity: 'error',
  title: 'scripted REST operation without an ACL',
  source: REST_SECURITY,
  check: (ctx) => {
    const acls = new Set(live(ctx.pkg, 'sys_security_acl').map((a) => a.sysId))
    const out: RuleFinding[] = []
    for (const op of live(ctx.pkg, 'sys_ws_operation')) {
      const uri = `${op.fields['http_method'] ?? ''} ${op.fields['operation_uri'] ?? op.fields['name'] ?? ''}`
      const enforced = (op.fields['enforce_acl'] ?? '').split(',').filter((id) => id !== '')
      if (op.fields['requires_acl_authorization'] !== 'true') {
        out.push({
          file: op.path,
          record: recordRef(op),
          message: `REST operation ${uri} has requires_acl_authorization "${op.fields['requires_acl_authorization'] ?? ''}", so no ACL decides who may call it: every signed-in user can`,
          fix: 'set requiresAcl: true on the route with enforceAcl naming a rest_endpoint ACL that requires the app\'s role',
        })
      } else if (enforced.length === 0) {
        out.push({
          file: op.path,
          record: recordRef(op),
          message: `REST operation ${uri} requires ACL authorization but names no ACL (enforce_acl is empty), so only the platform's default REST ACL applies`,
          fix: 'set enforceAcl on the route to a rest_endpoint ACL of the app that requires the app\'s role',
        })
      } else {
        for (const id of enforced.filter((id) => !acls.has(id))) {
          out.push({
            file: op.path,
            record: recordRef(op),
            message: `REST operation ${uri} enforces ACL ${id}, which the package does not ship, so on a customer instance it points at nothing`,
            fix: 'enforce an ACL defined in the app (an Acl in src/fluent/acls.now.ts)',
          })
        }
      }
    }
    return out
  },
}

/** Role names an ACL grants: its sys_security_acl_role rows' role display names (or sys_ids when unnamed). */
function rolesOf(pkg: AppPackage, acl: AppRecord): { row: AppRecord; role: string }[] {
  return live(pkg, 'sys_security_acl_role')
    .filter((r) => r.fields['sys_security_acl'] === acl.sysId)
    .map((row) => ({ row, role: row.displayValues['sys_user_role'] ?? row.fields['sys_user_role'] ?? '' }))
}

function aclName(acl: AppRecord): string {
  return `${acl.fields['type'] ?? ''} ACL ${acl.fields['name'] ?? ''} (${acl.displayValues['operation'] ?? acl.fields['operation'] ?? ''})`
}

export const aclWithoutRoles: ScanRule = {
  id: 'acl-without-roles',
  severity: 'error',
  title: 'ACL without roles, or granting public',
  source: 'ServiceNowDocs markdown/platform-security access control rules: an ACL with no role, condition or script grants every user [U: exact page]; Instance Security Hardening "public role" guidance [U]',
  check: (ctx) => {
    const out: RuleFinding[] = []
    for (const acl of live(ctx.pkg, 'sys_security_acl')) {
      const roles = rolesOf(ctx.pkg, acl)
      const scripted = acl.fields['advanced'] === 'true' && (acl.fields['script'] ?? '').trim() !== ''
      const conditioned = (acl.fields['condition'] ?? '').trim() !== ''
      if (roles.length === 0) {
        out.push({
          severity: scripted || conditioned ? 'warning' : 'error',
          file: acl.path,
          record: recordRef(acl),
          message: scripted || conditioned
            ? `${aclName(acl)} requires no role; only its ${scripted ? 'script' : 'condition'} decides, for every user including unprivileged ones`
            : `${aclName(acl)} requires no role and has no condition or script, so it grants every user`,
          fix: 'add roles: [<the app role>] to the Acl (and keep the condition/script for what roles cannot express)',
        })
      }
      for (const { row } of roles.filter((r) => r.role === 'public')) {
        out.push({
          file: row.path,
          record: recordRef(row),
          message: `${aclName(acl)} grants the public role, so unauthenticated users get access`,
          fix: 'remove public from the Acl\'s roles and require the app\'s role',
        })
      }
    }
    return out
  },
}

export const tableWithoutAcl: ScanRule = {
  id: 'table-without-acl',
  severity: 'error',
  title: 'app table without an ACL',
  source: '[U] Store certification security review: every application table needs ACLs; the ServiceNow table builder creates them by default ("Create access controls")',
  check: (ctx) => {
    const guarded = new Set(
      live(ctx.pkg, 'sys_security_acl')
        .filter((a) => a.fields['type'] === 'record')
        .map((a) => (a.fields['name'] ?? '').split('.')[0]),
    )
    return live(ctx.pkg, 'sys_db_object')
      .filter((t) => !guarded.has(t.fields['name'] ?? ''))
      .map((t) => ({
        file: t.path,
        record: recordRef(t),
        message: `table ${t.fields['name'] ?? ''} has no record ACL, so access to it falls back to the table's application access settings and the platform defaults`,
        fix: `add Acl records (type 'record', table '${t.fields['name'] ?? ''}') for each operation the app allows, each requiring the app's role`,
      }))
  },
}
