// Every kind of request the client sends, classified once: whether a second copy of it could do the work twice.
// The transport's retry rule reads `repeatable` from here; an API module names its call and never its retry policy.

export interface CallClass {
  /** What the request does, for the error message of a call that may have been processed. */
  does: string
  /**
   * True when sending it twice leaves the instance as sending it once (reads, updates by sys_id, deletes, a login or
   * a token grant). False when every copy that arrives does the work again: such a call is resent only when it
   * certainly did not arrive (connection refused, DNS, 429), never after a reset, a timeout or a 5xx.
   */
  repeatable: boolean
  /** For a call that is not repeatable: how the caller finds out whether a lost answer's work was done. */
  recover?: string
}

export const CALLS = {
  read: { does: 'a read', repeatable: true },
  update: { does: 'an update of a record by sys_id', repeatable: true },
  delete: { does: 'a delete of a record by sys_id', repeatable: true },
  // A grant creates an access token (and a refresh token), but a second one leaves nothing a later run counts or trips on.
  tokenGrant: { does: 'an OAuth token grant', repeatable: true },
  login: { does: 'a UI login or session read', repeatable: true },
  // Switches the session's current application; nothing durable (connector.js, uninstaller.js).
  switchApplication: { does: 'a switch of the session’s current application', repeatable: true },

  create: { does: 'a Table API insert', repeatable: false, recover: 're-read by natural key before sending it again' },
  uploadInstall: {
    does: 'an app package upload and install',
    repeatable: false,
    recover: 'look for the running install (sys_execution_tracker) and the installed version before uploading again',
  },
  repoInstall: {
    does: 'an app repository install',
    repeatable: false,
    recover: 'look for the running install (sys_execution_tracker) and the installed version before installing again',
  },
  uninstallStart: { does: 'the start of an app uninstall', repeatable: false, recover: 'read whether the app is still installed before starting again' },
  // The Kandji app's repair endpoint, and any other scripted REST POST: the endpoint decides what a copy does.
  scriptedPost: { does: 'a scripted REST POST (e.g. repair)', repeatable: false, recover: 're-read what it changes before posting again' },
  // The smoke test's probe row, and any single import row: each copy is another staging row and another transform.
  importInsert: { does: 'an Import Set API insert (e.g. the smoke-test probe)', repeatable: false, recover: 'look for the row in the staging table before sending it again' },
  importBatch: { does: 'an Import Set API insertMultiple batch', repeatable: false, recover: 'look for the batch’s rows in the import set before sending it again' },
  rawPost: { does: 'a POST', repeatable: false, recover: 're-read what it creates before sending it again' },
} as const satisfies Record<string, CallClass>

export type CallName = keyof typeof CALLS

/** The calls the client never resends once they may have reached the instance. */
export const NON_REPEATABLE_CALLS = (Object.keys(CALLS) as CallName[]).filter((name) => !CALLS[name].repeatable)
