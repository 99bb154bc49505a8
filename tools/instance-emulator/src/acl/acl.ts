// Access decisions for tables (record ACLs) and scripted REST resources (REST_Endpoint ACLs).
import type { Database } from '../db/database.ts'
import type { SessionUser, TableRecordRow } from '../types.ts'
import { PLATFORM_ACLS, type AclOperation } from './platform-acls.ts'

interface Rule {
  roles: string[]
  adminOverrides: boolean
  deny: boolean
  /** A condition or script the emulator cannot evaluate (part 2 runs scripts): never satisfied except by admin. */
  scripted: boolean
}

function rolesOfAcl(db: Database, aclSysId: string): string[] {
  const names: string[] = []
  for (const { row } of db.scan('sys_security_acl_role')) {
    if (row.sys_security_acl !== aclSysId) continue
    const role = db.findStored('sys_user_role', row.sys_user_role ?? '')
    if (role?.row.name) names.push(role.row.name)
  }
  return names
}

function ruleFromRecord(db: Database, acl: TableRecordRow): Rule {
  const script = (acl.script ?? '').trim()
  const condition = (acl.condition ?? '').trim()
  return {
    roles: rolesOfAcl(db, acl.sys_id as string),
    adminOverrides: acl.admin_overrides !== 'false',
    deny: acl.decision_type === 'deny',
    scripted: (acl.advanced === 'true' && script !== '' && script !== 'answer = true;') || (condition !== '' && condition !== '^EQ'),
  }
}

function passes(rule: Rule, user: SessionUser): boolean {
  if (rule.adminOverrides && user.roles.has('admin')) return true
  if (rule.scripted) return false
  return rule.roles.length === 0 || rule.roles.some((r) => user.roles.has(r))
}

function tableRules(db: Database, table: string, operation: AclOperation): Rule[] {
  const rules: Rule[] = []
  for (const { row } of db.scan('sys_security_acl')) {
    if (row.active === 'false' || (row.type ?? 'record') !== 'record' || row.name !== table || row.operation !== operation) continue
    rules.push(ruleFromRecord(db, row))
  }
  for (const acl of PLATFORM_ACLS) {
    if (acl.table === table && acl.operations.includes(operation)) rules.push({ roles: [...acl.roles], adminOverrides: true, deny: false, scripted: false })
  }
  return rules
}

/**
 * Whether the user may perform the operation on the table. The most specific table in the class hierarchy that has
 * rules for the operation decides, then `*`: every deny-unless rule must pass and at least one allow rule must.
 * Without any rule the platform's default (glide.sm.default_mode=deny) refuses everyone but admin.
 */
export function canAccessTable(db: Database, user: SessionUser, table: string, operation: AclOperation): boolean {
  for (const level of [...db.dictionary.lineage(table), '*']) {
    const rules = tableRules(db, level, operation)
    if (rules.length === 0) continue
    const denies = rules.filter((r) => r.deny)
    const allows = rules.filter((r) => !r.deny)
    if (!denies.every((r) => passes(r, user))) return false
    return allows.length === 0 ? true : allows.some((r) => passes(r, user))
  }
  return user.roles.has('admin')
}

/** The sys_ids a glide_list column holds. */
export function listValues(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean)
}

/**
 * REST_Endpoint ACLs named in an operation's enforce_acl (or its API's): the user must pass each of them.
 * ASSUMPTION: several listed ACLs are all enforced (the platform does not document whether one suffices).
 */
export function passesRestAcls(db: Database, user: SessionUser, aclSysIds: readonly string[]): boolean {
  for (const id of aclSysIds) {
    const acl = db.findStored('sys_security_acl', id)?.row
    if (!acl || acl.active === 'false') continue
    if (!passes(ruleFromRecord(db, acl), user)) return false
  }
  return true
}
