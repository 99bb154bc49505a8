// Business rules: what the platform does on its own when records are written.
import { randomBytes } from 'node:crypto'
import { OAUTH_CLIENT, SAM_PRO_PLUGIN } from '@kandji-sn/contract/constants'
import type { EmulatorSwitches } from '../types.ts'
import type { Database } from './database.ts'
import { columnsFrom, columnTypeFrom, DB_NAME, type ColumnDef } from './dictionary.ts'
import { PlatformError } from './errors.ts'
import { definePlatformTable, SAM_SOFTWARE_INSTALL, SYSTEM_COLUMNS } from './platform-tables.ts'
import { platformTableRecord } from './seed.ts'
import { recomputeAllInheritedRoles, recomputeInheritedRoles } from './roles.ts'

const ZURICH_OR_LATER = new Set(['zurich', 'australia'])

function randomSecret(): string {
  // The form's auto-generated secrets are opaque strings of this kind.
  return randomBytes(12).toString('base64url')
}

export function installBusinessRules(db: Database, switches: Pick<EmulatorSwitches, 'defaultScopeRestriction' | 'globalTableAccess' | 'propertyNameUnique'>): void {
  db.addRule({
    name: 'sys_plugins: activating SAM Pro creates its software installation table',
    table: 'sys_plugins',
    when: 'after',
    operations: ['insert', 'update'],
    run({ row }) {
      if (row.source !== SAM_PRO_PLUGIN || row.active !== 'active' || db.tableExists(SAM_SOFTWARE_INSTALL.name)) return
      definePlatformTable(db.dictionary, SAM_SOFTWARE_INSTALL)
      db.insert('sys_db_object', platformTableRecord(db, SAM_SOFTWARE_INSTALL.name, switches.globalTableAccess), { user: 'system' })
    },
  })

  db.addRule({
    name: 'sys_user: full name and unique user_name',
    table: 'sys_user',
    when: 'before',
    operations: ['insert', 'update'],
    run({ row, previous, table }) {
      if (!previous || row.first_name !== previous.first_name || row.last_name !== previous.last_name) {
        const full = [row.first_name, row.last_name].filter(Boolean).join(' ')
        if (full) row.name = full
      }
      const userName = row.user_name ?? ''
      if (userName === '') return
      for (const other of db.scan(table)) {
        if (other.row.sys_id !== row.sys_id && (other.row.user_name ?? '').toLowerCase() === userName.toLowerCase()) {
          throw new PlatformError(403, 'Operation Failed', `Error during ${previous ? 'update' : 'insert'} of sys_user (${userName}): a user with this User ID already exists`)
        }
      }
    },
  })

  if (switches.propertyNameUnique) {
    db.addRule({
      name: 'sys_properties: unique name (switch propertyNameUnique)',
      table: 'sys_properties',
      when: 'before',
      operations: ['insert', 'update'],
      run({ row, previous, table }) {
        const name = row.name ?? ''
        if (name === '' || (previous && previous.name === name)) return
        for (const other of db.scan(table)) {
          // [U] the refusal's wording: a unique-index violation on insert
          if (other.row.sys_id !== row.sys_id && other.row.name === name) throw new PlatformError(403, 'Operation Failed', `Error during ${previous ? 'update' : 'insert'} of sys_properties (${name}): Unique Key violation detected by database`)
        }
      },
    })
  }

  db.addRule({
    name: 'oauth_entity: generated client id and secret, scope restriction default',
    table: 'oauth_entity',
    when: 'before',
    operations: ['insert'],
    run({ row }) {
      if (!row.client_id) row.client_id = randomBytes(16).toString('hex')
      // The registry form generates a secret when left blank (facts 3.1); it is stored encrypted.
      if (!row.client_secret) row.client_secret = db.encryptSecret(randomSecret())
      if (ZURICH_OR_LATER.has(db.release) && !row[OAUTH_CLIENT.scopeRestrictionField]) {
        row[OAUTH_CLIENT.scopeRestrictionField] = switches.defaultScopeRestriction
      }
    },
  })

  db.addRule({
    name: 'sys_user_has_role: no duplicate explicit grants, inherited rows are the platform\'s',
    table: 'sys_user_has_role',
    when: 'before',
    operations: ['insert', 'delete'],
    run({ row, operation }) {
      if (operation === 'delete') {
        if (row.inherited === 'true') {
          throw new PlatformError(403, 'Operation Failed', 'Inherited roles cannot be deleted: remove the role that grants them')
        }
        return
      }
      row.inherited = 'false'
      row.inh_count = '0'
      row.granted_by = ''
      for (const { row: other } of db.scan('sys_user_has_role')) {
        if (other.user === row.user && other.role === row.role && other.inherited !== 'true') {
          // Role Management V2 "prevents duplicate entries" (facts 4.5); the refusal body is an assumption.
          throw new PlatformError(403, 'Operation Failed', 'Error during insert of sys_user_has_role: the user already has this role')
        }
      }
    },
  })

  db.addRule({
    name: 'sys_user_has_role: maintain inherited rows',
    table: 'sys_user_has_role',
    when: 'after',
    operations: ['insert', 'update', 'delete'],
    run({ row, previous }) {
      if (row.user) recomputeInheritedRoles(db, row.user)
      if (previous?.user && previous.user !== row.user) recomputeInheritedRoles(db, previous.user)
    },
  })

  db.addRule({
    name: 'role containment or role removal: recompute every user',
    table: 'sys_user_role_contains',
    when: 'after',
    operations: ['insert', 'update', 'delete'],
    run() {
      recomputeAllInheritedRoles(db)
    },
  })

  db.addRule({
    name: 'sys_user_role: removing a role removes its grants',
    table: 'sys_user_role',
    when: 'after',
    operations: ['delete'],
    run({ row }) {
      for (const { row: grant } of [...db.scan('sys_user_has_role')]) {
        if (grant.role === row.sys_id) db.delete('sys_user_has_role', grant.sys_id as string, { skipRules: true })
      }
      for (const { row: link } of [...db.scan('sys_user_role_contains')]) {
        if (link.role === row.sys_id || link.contains === row.sys_id) db.delete('sys_user_role_contains', link.sys_id as string, { skipRules: true })
      }
      recomputeAllInheritedRoles(db)
    },
  })

  db.addRule({
    name: 'sys_import_set: number',
    table: 'sys_import_set',
    when: 'before',
    operations: ['insert'],
    run({ row }) {
      if (row.number) return
      let max = 10000
      for (const { row: other } of db.scan('sys_import_set')) {
        const n = Number((other.number ?? '').replace(/^ISET/, ''))
        if (Number.isFinite(n) && n > max) max = n
      }
      row.number = `ISET${String(max + 1).padStart(7, '0')}`
    },
  })

  db.addRule({
    name: 'sys_db_object: creates the table',
    table: 'sys_db_object',
    when: 'after',
    operations: ['insert', 'update'],
    run({ row }) {
      const name = row.name ?? ''
      if (!DB_NAME.test(name)) return
      const parent = row.super_class ? db.findStored('sys_db_object', row.super_class)?.row.name : undefined
      const existing = db.dictionary.get(name)
      if (existing) {
        if (row.label) existing.label = row.label
        existing.wsAccess = row.ws_access !== 'false'
        if (parent && !existing.extends && parent !== name) db.dictionary.setExtends(name, parent)
        return
      }
      db.dictionary.define({
        name,
        label: row.label || name,
        wsAccess: row.ws_access !== 'false',
        // A new root table gets the system columns every table has.
        columns: columnsFrom(parent && db.dictionary.has(parent) ? {} : SYSTEM_COLUMNS),
        ...(parent && db.dictionary.has(parent) ? { extends: parent } : {}),
        ...(row.sys_scope ? { scopeId: row.sys_scope } : {}),
      })
    },
  })

  db.addRule({
    name: 'sys_dictionary: adds the column',
    table: 'sys_dictionary',
    when: 'after',
    operations: ['insert', 'update'],
    run({ row }) {
      const table = row.name ?? ''
      const element = row.element ?? ''
      if (!element || !db.dictionary.has(table) || !DB_NAME.test(element)) return
      const existing = db.dictionary.column(table, element)
      const column: ColumnDef = {
        name: element,
        label: row.column_label || existing?.label || element,
        type: columnTypeFrom(row.internal_type || existing?.type),
        ...(row.reference ? { reference: row.reference } : existing?.reference ? { reference: existing.reference } : {}),
        ...(row.max_length ? { maxLength: Number(row.max_length) } : existing?.maxLength ? { maxLength: existing.maxLength } : {}),
        ...(row.mandatory === 'true' ? { mandatory: true } : {}),
        ...(row.default_value ? { defaultValue: row.default_value } : {}),
      }
      db.dictionary.addColumn(table, column)
    },
  })
}
