// The slice of the Glide API the app's logic uses, as plain interfaces. Logic modules take a `Platform` argument
// instead of importing '@servicenow/glide', so they run unchanged against the instance (platform/glide.ts), the
// instance emulator, and the unit tests' fakes. Keep this list short: README.md "Glide surface" mirrors it.

/** A GlideRecord: one table, one query, a cursor over rows. */
export interface RecordLike {
  addQuery(field: string, value: string | number | boolean): unknown
  addQuery(field: string, operator: string, value: string | number | boolean): unknown
  /** the field is empty (GlideRecord.addNullQuery) */
  addNullQuery(field: string): unknown
  setLimit(limit: number): void
  orderByDesc(field: string): void
  query(): void
  next(): boolean
  getValue(field: string): string | null
  getDisplayValue(field: string): string
  setValue(field: string, value: string | number | boolean): void
  getUniqueValue(): string
  insert(): string | null
  update(): string | null
  /** deletes the current row; true when it was deleted */
  deleteRecord(): boolean
  isValidField(field: string): boolean
}

/**
 * A GlideAggregate for COUNT, optionally grouped, so the number of queries does not grow with the
 * data (GlideAggregate scoped API, ServiceNowDocs c_GlideAggregateScopedAPI: addAggregate, groupBy, getAggregate,
 * getValue of a grouped field).
 */
export interface AggregateLike {
  addQuery(field: string, value: string | number | boolean): unknown
  addQuery(field: string, operator: string, value: string | number | boolean): unknown
  /** the field is not empty (GlideRecord.addNotNullQuery; 'ISNOTEMPTY' is not a documented addQuery operator) */
  addNotNullQuery(field: string): unknown
  addAggregate(aggregate: string, field?: string): void
  groupBy(field: string): void
  query(): void
  next(): boolean
  getAggregate(aggregate: string, field?: string): string
  /** the grouped field's value of the current group */
  getValue(field: string): string | null
}

/** The transform's `log` object (GlideImportLog). */
export interface ImportLogLike {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export interface Platform {
  record(table: string): RecordLike
  aggregate(table: string): AggregateLike
  /** gs.getProperty(name, fallback) */
  property(name: string, fallback: string): string
  /** GlidePluginManager.isActive(id) */
  isPluginActive(pluginId: string): boolean
  /** new GlideRecord(table).isValid(): whether the table exists */
  tableExists(table: string): boolean
  /** sn_cmdb.IdentificationEngine.createOrUpdateCI(source, JSON string) -> JSON string */
  createOrUpdateCI(source: string, payloadJson: string): string
  /** new GlideDateTime().getValue(): UTC, 'yyyy-MM-dd HH:mm:ss' */
  nowUtc(): string
  /** gs.daysAgo(days): UTC, 'yyyy-MM-dd HH:mm:ss' */
  daysAgoUtc(days: number): string
  /** gs.eventQueue(name, record, parm1, parm2): the event must be registered (sysevent_register) */
  eventQueue(name: string, record: RecordLike, parm1: string, parm2: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}
