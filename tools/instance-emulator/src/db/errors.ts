/**
 * A refusal the platform reports with its error envelope `{"error":{"message","detail"},"status":"failure"}`.
 * Thrown by the store and its business rules; the HTTP layer renders it.
 */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'PlatformError'
  }

  toBody(): { error: { message: string; detail: string | null }; status: 'failure' } {
    return { error: { message: this.message, detail: this.detail }, status: 'failure' }
  }
}

/** Bodies seen from real instances (facts 4.1 and public fixtures; see README "Error bodies"). */
export const ERRORS = {
  invalidTable: (table: string) => new PlatformError(400, `Invalid table ${table}`, null),
  recordNotFound: () => new PlatformError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
  listEmptyV1: () => new PlatformError(404, 'No Record found', 'Records matching query not found. Check query parameter or offset parameter'),
  notAuthenticated: () =>
    new PlatformError(401, 'User Not Authenticated', 'Required to provide Auth information', { 'WWW-Authenticate': 'BASIC realm="Service-now"' }),
  unscopedApi: () => new PlatformError(403, 'User Not Authorized', 'Access to unscoped api is not allowed'),
  aclInsert: () => new PlatformError(403, 'Operation Failed', 'ACL Exception Insert Failed due to security constraints'),
  aclUpdate: () => new PlatformError(403, 'Operation Failed', 'ACL Exception Update Failed due to security constraints'),
  aclDelete: () => new PlatformError(403, 'Operation Failed', 'ACL Exception Delete Failed due to security constraints'),
  queryNotReadable: () => new PlatformError(403, 'Insufficient rights to query records', 'Field(s) present in the query do not have permission to be read'),
  tableNotReadable: () => new PlatformError(403, 'Insufficient rights to query records', null),
  noResource: () => new PlatformError(400, 'Requested URI does not represent any resource', null),
  methodNotAllowed: (method: string) => new PlatformError(405, 'Method not Supported', `HTTP method ${method} is not supported by this resource`),
  badJson: (detail: string) => new PlatformError(400, 'Exception while reading request', detail),
  unsupportedMediaType: (type: string) => new PlatformError(415, 'Requested Content-Type is not supported', `Unsupported Content-Type: ${type || '(none)'}`),
} as const
