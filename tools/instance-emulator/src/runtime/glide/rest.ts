// sn_ws.RESTAPIRequest / RESTAPIResponse for scripted REST operations.
import type { ScriptedRestCall } from '../../types.ts'
import { strictApi, notEmulated } from '../errors.ts'

export interface RestResponseState {
  status: number
  /** What setBody received; undefined when the script never set one. */
  body: unknown
  bodySet: boolean
  headers: Record<string, string>
}

export function createRestRequest(input: ScriptedRestCall): object {
  // queryParams: every value is an array of strings, as on an instance (RESTAPIRequest docs).
  const queryParams: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(input.query)) queryParams[name] = Array.isArray(value) ? value.map(String) : [String(value)]
  const queryString = Object.entries(queryParams)
    .flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&')
  const lowerHeaders: Record<string, string> = {}
  for (const [k, v] of Object.entries(input.headers)) lowerHeaders[k.toLowerCase()] = v
  const dataString = input.body === undefined || input.body === null ? '' : typeof input.body === 'string' ? input.body : JSON.stringify(input.body)
  const body = strictApi(
    {
      get data() {
        return input.body
      },
      dataString,
      get dataStream() {
        return notEmulated('RESTAPIRequestBody.dataStream')
      },
      hasNext: () => false,
      nextEntry: () => notEmulated('RESTAPIRequestBody.nextEntry'),
    },
    'RESTAPIRequestBody',
  )
  const request = {
    body,
    pathParams: { ...input.pathParams },
    queryParams,
    queryString,
    uri: input.path,
    url: input.path + (queryString ? `?${queryString}` : ''),
    headers: lowerHeaders,
    getHeader: (name: unknown) => lowerHeaders[String(name ?? '').toLowerCase()] ?? null,
    getRequestedContentType: () => lowerHeaders['accept'] ?? 'application/json',
    getSupportedResponseContentTypes: () => ['application/json'],
  }
  return strictApi(request, 'RESTAPIRequest')
}

export function createRestResponse(state: RestResponseState): object {
  const response = {
    setStatus: (status: unknown) => {
      const n = Number(status)
      if (!Number.isInteger(n) || n < 100 || n > 599) throw new Error(`RESTAPIResponse.setStatus: ${String(status)} is not an HTTP status`)
      state.status = n
    },
    setBody: (body: unknown) => {
      state.body = body
      state.bodySet = true
    },
    setHeader: (name: unknown, value: unknown) => {
      state.headers[String(name)] = String(value)
    },
    setContentType: (type: unknown) => {
      state.headers['Content-Type'] = String(type)
    },
    setLocation: (location: unknown) => {
      state.headers.Location = String(location)
    },
    getStreamWriter: () => notEmulated('RESTAPIResponse.getStreamWriter'),
    setError: () => notEmulated('RESTAPIResponse.setError'),
  }
  return strictApi(response, 'RESTAPIResponse')
}
