// Role containment and the inherited sys_user_has_role rows the platform maintains (Role Management V2, facts 2.2):
// granting a role that contains others writes one inherited=true row per contained role, with granted_by and
// inh_count (how many of the user's roles contain it); removing the grant removes them again.
import type { TableRecordRow } from '../types.ts'
import type { Database } from './database.ts'

const INTERNAL = { skipRules: true, user: 'system' } as const

/** role sys_id -> sys_ids of the roles it contains directly. */
export function containmentGraph(db: Database): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const { row } of db.scan('sys_user_role_contains')) {
    const role = row.role ?? ''
    const contains = row.contains ?? ''
    if (!role || !contains) continue
    const list = graph.get(role) ?? []
    if (!list.includes(contains)) list.push(contains)
    graph.set(role, list)
  }
  return graph
}

function userRows(db: Database, userSysId: string): TableRecordRow[] {
  const out: TableRecordRow[] = []
  for (const { row } of db.scan('sys_user_has_role')) if (row.user === userSysId) out.push(row)
  return out
}

/** Rewrites the user's inherited rows so they match the explicit grants and the current containment. */
export function recomputeInheritedRoles(db: Database, userSysId: string): void {
  const graph = containmentGraph(db)
  const rows = userRows(db, userSysId)
  const explicit = rows.filter((r) => r.inherited !== 'true' && r.state !== 'inactive').map((r) => r.role ?? '')
  // Every role the user ends up with, in breadth-first order from the explicit grants.
  const closure: string[] = []
  const queue = [...explicit]
  while (queue.length > 0) {
    const role = queue.shift() as string
    if (closure.includes(role)) continue
    closure.push(role)
    queue.push(...(graph.get(role) ?? []))
  }
  const wanted = new Map<string, { grantedBy: string; count: number }>()
  for (const holder of closure) {
    for (const contained of graph.get(holder) ?? []) {
      if (contained === holder) continue
      const entry = wanted.get(contained)
      if (entry) entry.count++
      else wanted.set(contained, { grantedBy: holder, count: 1 })
    }
  }
  const inherited = rows.filter((r) => r.inherited === 'true')
  for (const row of inherited) {
    const want = wanted.get(row.role ?? '')
    if (!want) {
      db.delete('sys_user_has_role', row.sys_id as string, INTERNAL)
      continue
    }
    if (row.granted_by !== want.grantedBy || row.inh_count !== String(want.count)) {
      db.update('sys_user_has_role', row.sys_id as string, { granted_by: want.grantedBy, inh_count: String(want.count) }, INTERNAL)
    }
    wanted.delete(row.role ?? '')
  }
  for (const [role, want] of wanted) {
    db.insert('sys_user_has_role', { user: userSysId, role, inherited: 'true', granted_by: want.grantedBy, inh_count: String(want.count), state: 'active' }, INTERNAL)
  }
}

export function recomputeAllInheritedRoles(db: Database): void {
  const users = new Set<string>()
  for (const { row } of db.scan('sys_user_has_role')) if (row.user) users.add(row.user)
  for (const user of users) recomputeInheritedRoles(db, user)
}

/** Names of every role the user holds (explicit and inherited rows that are active). */
export function userRoleNames(db: Database, userSysId: string): Set<string> {
  const names = new Set<string>()
  for (const row of userRows(db, userSysId)) {
    if (row.state === 'inactive') continue
    const role = db.findStored('sys_user_role', row.role ?? '')
    if (role?.row.name) names.add(role.row.name)
  }
  return names
}

export function roleSysId(db: Database, name: string): string | undefined {
  for (const { row } of db.scan('sys_user_role')) if (row.name === name) return row.sys_id
  return undefined
}

/** Grants a role explicitly unless the user already holds it explicitly; returns whether a row was written. */
export function grantRole(db: Database, userSysId: string, roleName: string): boolean {
  const role = roleSysId(db, roleName)
  if (!role) throw new Error(`role ${roleName} does not exist`)
  const exists = userRows(db, userSysId).some((r) => r.role === role && r.inherited !== 'true')
  if (exists) return false
  db.insert('sys_user_has_role', { user: userSysId, role, inherited: 'false', state: 'active' })
  return true
}
