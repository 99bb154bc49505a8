// The store with the platform's business rules and seed records: what startEmulator uses, exported for part 2.
import type { EmulatedRelease, EmulatorSwitches } from '../types.ts'
import { Database, type DatabaseState } from './database.ts'
import { installBusinessRules } from './rules.ts'
import type { RoleContainmentOverride } from './fixtures/role-containment.ts'
import { seedDatabase } from './seed.ts'
import { DEFAULT_SWITCHES } from '../switches.ts'

export interface CreateDatabaseOptions {
  release?: EmulatedRelease
  /** Password of the seeded `admin` user; default 'admin'. */
  adminPassword?: string
  /** Seed the base records (roles, admin, properties, choices); default true. */
  seed?: boolean
  switches?: Partial<EmulatorSwitches>
  /** Seeds the `instance_name` property (a PDI is `dev<digits>`); none when omitted. */
  instanceName?: string
  /** Replaces what the named roles contain (a profile's `roles`); roles it names that the seed lacks are created. */
  roleContainment?: RoleContainmentOverride
}

/** A seeded store with business rules (role inheritance, generated OAuth ids, dictionary maintenance). */
export function createDatabase(options: CreateDatabaseOptions = {}): Database {
  const release = options.release ?? 'zurich'
  const db = new Database({ release })
  const switches = { ...DEFAULT_SWITCHES, ...options.switches }
  installBusinessRules(db, switches)
  if (options.seed !== false) seedDatabase(db, { adminPassword: options.adminPassword ?? 'admin', release, globalTableAccess: switches.globalTableAccess, samPro: switches.samPro, insertMultiplePlugin: switches.insertMultiplePlugin, basicAuthRestriction: switches.basicAuthRestriction, ireSkipDuplicates: switches.ireSkipDuplicates, ...(options.instanceName !== undefined ? { instanceName: options.instanceName } : {}), ...(options.roleContainment ? { roleContainment: options.roleContainment } : {}) })
  return db
}

/** A store restored from a state file, with business rules. */
export function restoreDatabase(state: DatabaseState, switches: Partial<EmulatorSwitches> = {}): Database {
  const db = Database.fromState(state)
  installBusinessRules(db, { ...DEFAULT_SWITCHES, ...switches })
  return db
}

export { Database, glideDateTime, newSysId, type DatabaseState, type WriteOptions, type QueryOptions, type BusinessRule } from './database.ts'
export { PlatformError, ERRORS } from './errors.ts'
