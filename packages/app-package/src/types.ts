/** One record of a built app: the first element of a `<record_update>` file, with the rows embedded beside it. */
export interface AppRecord {
  table: string
  sysId: string
  /** 'INSERT_OR_UPDATE' | 'DELETE' | 'delete_multiple' (embedded child clean-up rows) | ... */
  action: string
  /** Element text; for reference elements the sys_id text. A `delete_multiple` child carries its `query` here. */
  fields: Record<string, string>
  /** Reference elements' `display_value` / `name` attribute when present. */
  displayValues: Record<string, string>
  /** Rows embedded in the same record_update (e.g. sys_variable_value under sys_atf_step). */
  children: AppRecord[]
  /** File path inside the package, e.g. 'update/sys_user_role_<id>.xml' (no leading slash). */
  path: string
  /** The original XML of the file (for the update set). */
  xml: string
}

export interface ColumnDefinition {
  name: string
  type: string
  label?: string
  maxLength?: number
  reference?: string
  mandatory?: boolean
  defaultValue?: string
}

export interface TableDefinition {
  name: string
  label?: string
  extends?: string
  columns: ColumnDefinition[]
}

export interface ValidationIssue {
  severity: 'error' | 'warning'
  /** File path inside the package the issue is about ('' when it is about the package as a whole). */
  path: string
  message: string
}

export interface AppPackage {
  scope: string
  scopeId: string
  name: string
  version: string
  records: AppRecord[]
  tables: TableDefinition[]
  /** Every file path in the package, sorted, without a leading slash. */
  files: string[]
  /**
   * Problems found while reading that did not stop the read (malformed XML files, a package_inventory.csv
   * that does not match the files). validateAppPackage reports them as errors.
   */
  readProblems?: ValidationIssue[]
}
