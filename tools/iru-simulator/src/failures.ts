// Turns a client error during a push into either a row failure (record it, carry on) or a stop (nothing else
// can succeed: bad credentials, missing role, unreachable instance). Reads the client's ServiceNowError by shape.
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import { SimulatorError } from './errors.ts'

interface ClientErrorShape {
  kind?: string
  status?: number
  message?: string
  snMessage?: string
  snDetail?: string
  hint?: string
}

const shape = (error: unknown): ClientErrorShape => (typeof error === 'object' && error !== null ? (error as ClientErrorShape) : { message: String(error) })

/** A SimulatorError when the push cannot go on; undefined when only this request's rows are lost. */
export function fatalPushError(error: unknown, table: string, user: string | undefined): SimulatorError | undefined {
  if (error instanceof SimulatorError) return error
  const e = shape(error)
  const who = user ? `"${user}"` : 'the account'
  const said = e.snMessage ? ` (${e.status ?? ''} ${e.snMessage})`.replace('( ', '(') : e.status ? ` (${e.status})` : ''
  switch (e.kind) {
    case 'auth':
      return new SimulatorError(
        `the instance refused the hand-off credentials${said}`,
        'the password or client secret is wrong or was rotated, the OAuth client is inactive, or the account is locked',
        'run `deploy-integration verify`, then `deploy-integration rotate --credentials-out FILE` and push again',
        EXIT_CODES.auth,
      )
    case 'permission':
      return new SimulatorError(
        `${who} may not write ${table}${said}`,
        'the service account lacks import_transformer, or the staging table does not allow web service access',
        'run `deploy-integration verify` to see what is missing and `deploy-integration deploy` to repair it',
        EXIT_CODES.auth,
      )
    case 'scope_restricted':
      return new SimulatorError(
        `the OAuth client may not call ${table} through the Import Set API${said}`,
        'on Zurich and later the client\'s Scope Restriction is not "Broadly scoped" (KB2731346)',
        'run `deploy-integration deploy` (it sets it), or set Scope Restriction in System OAuth > Application Registry',
        EXIT_CODES.auth,
      )
    case 'not_found':
      return new SimulatorError(
        `the staging table ${table} does not exist on the instance${said}`,
        'the Kandji app is not installed, or an older version without this table is',
        'run `deploy-integration deploy` to install the app',
        EXIT_CODES.instance,
      )
    case 'dns':
    case 'tls':
    case 'network':
    case 'hibernating':
      return new SimulatorError(
        `the instance cannot be reached: ${e.message ?? e.kind}`,
        e.hint ?? 'the instance URL in the hand-off file is wrong, or the instance is down or asleep',
        'check the "instance" in the hand-off file and that the instance is awake, then push again',
        EXIT_CODES.instance,
      )
    default:
      return undefined
  }
}

/**
 * The message recorded for rows whose request failed. A POST that failed after reaching the server may still have
 * been imported (the client never retries such a POST blindly), so say so instead of claiming the rows are lost.
 */
export function describeRowFailure(error: unknown): string {
  const e = shape(error)
  const status = e.status ? `${e.status} ` : ''
  const detail = e.snMessage ?? e.message ?? 'request failed'
  const maybe = e.kind === 'server' || e.kind === 'timeout' ? ' (the rows may still have been imported)' : ''
  return `request failed: ${status}${detail}${maybe}`
}
