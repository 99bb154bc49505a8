// Which service account and OAuth client verify looks at: query parameter > app property > contract default.
import { APP_PROPERTIES, OAUTH_CLIENT, SERVICE_ACCOUNT, VERIFY_QUERY_PARAMS } from '../generated/contract.ts'
import type { Subject } from '../generated/checks/snapshots.ts'

export const MAX_NAME_LENGTH = 100

export interface PersonError {
  error: string
  cause: string
  fix: string
}

export type SubjectResolution = { ok: true; subject: Subject } | { ok: false; problem: PersonError }

/**
 * RESTAPIRequest.queryParams maps each name to an array of values (ServiceNow scripted REST); tolerate a plain
 * string too. Returns undefined when absent, or a PersonError when the parameter is repeated with other values.
 */
export function singleParam(params: unknown, name: string): { value?: string; problem?: PersonError } {
  if (params === null || typeof params !== 'object') return {}
  const raw = (params as { [key: string]: unknown })[name]
  if (raw === undefined || raw === null) return {}
  const values = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v))
  const distinct = [...new Set(values)]
  if (distinct.length === 0) return {}
  if (distinct.length > 1) {
    return {
      problem: {
        error: `query parameter ${name} was given ${distinct.length} different values`,
        cause: 'the request repeats the parameter',
        fix: `send ${name} once`,
      },
    }
  }
  return { value: distinct[0] }
}

/** A user or OAuth client name we are willing to look up: printable, no encoded-query separator, bounded. */
export function validateName(value: string, what: string, source: string): PersonError | undefined {
  const trimmed = value.trim()
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f^]/.test(trimmed)) {
    return {
      error: `the ${what} name from ${source} is not usable: ${JSON.stringify(value.slice(0, MAX_NAME_LENGTH))}`,
      cause: `it is empty, longer than ${MAX_NAME_LENGTH} characters, or contains control characters or "^"`,
      fix: `pass the ${what} name exactly as it appears in ServiceNow`,
    }
  }
  return undefined
}

export function resolveSubject(queryParams: unknown, property: (name: string, fallback: string) => string): SubjectResolution {
  const pick = (param: string, propertyName: string, fallback: string, what: string): { value: string } | { problem: PersonError } => {
    const fromQuery = singleParam(queryParams, param)
    if (fromQuery.problem) return { problem: fromQuery.problem }
    if (fromQuery.value !== undefined) {
      const problem = validateName(fromQuery.value, what, `query parameter ${param}`)
      return problem ? { problem } : { value: fromQuery.value.trim() }
    }
    const fromProperty = property(propertyName, fallback)
    // An empty property means "not configured": use the contract's default.
    if (fromProperty === undefined || fromProperty === null || String(fromProperty).trim() === '') return { value: fallback }
    const problem = validateName(String(fromProperty), what, `property ${propertyName}`)
    return problem ? { problem } : { value: String(fromProperty).trim() }
  }
  const account = pick(VERIFY_QUERY_PARAMS.serviceAccount, APP_PROPERTIES.serviceAccount, SERVICE_ACCOUNT.defaultUserName, 'service account')
  if ('problem' in account) return { ok: false, problem: account.problem }
  const client = pick(VERIFY_QUERY_PARAMS.oauthClient, APP_PROPERTIES.oauthClient, OAUTH_CLIENT.defaultName, 'OAuth client')
  if ('problem' in client) return { ok: false, problem: client.problem }
  return { ok: true, subject: { serviceAccount: account.value, oauthClient: client.value } }
}
