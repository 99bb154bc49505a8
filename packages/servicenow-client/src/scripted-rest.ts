// Scripted REST APIs (the app's verify and repair endpoints). Their answers come wrapped in `result`.
import type { ScriptedRestApi } from './types.ts'
import { invalid } from './table.ts'
import type { Credentials, Transport, TransportResponse } from './transport.ts'

export function createScriptedRestApi(transport: Transport, credentials: () => Credentials | undefined): ScriptedRestApi {
  const unwrap = <T>(response: TransportResponse, method: string, path: string): T => {
    const body = response.body
    if (body === null || typeof body !== 'object' || !('result' in body)) throw invalid(method, path, response.status, 'result: expected an object with a result field')
    return (body as { result: T }).result
  }
  return {
    async get<T = unknown>(path: string, query?: Record<string, string>): Promise<T> {
      const response = await transport.send({ method: 'GET', path: checkPath(path), ...(query ? { query } : {}), credentials: credentials(), call: 'read', expect: 'json' })
      return unwrap<T>(response, 'GET', path)
    },
    async post<T = unknown>(path: string, body?: unknown, query?: Record<string, string>): Promise<T> {
      const response = await transport.send({
        method: 'POST',
        path: checkPath(path),
        ...(query ? { query } : {}),
        ...(body === undefined ? {} : { body: { type: 'json' as const, value: body } }),
        credentials: credentials(),
        // A POST is never repeated blindly, even to an endpoint meant to be idempotent: the caller decides.
        call: 'scriptedPost',
        expect: 'json',
      })
      return unwrap<T>(response, 'POST', path)
    },
  }
}

export function checkPath(path: string): string {
  if (typeof path !== 'string' || !/^\/api\/[A-Za-z0-9_\-/.]+$/.test(path) || path.includes('..')) {
    throw new TypeError(`invalid REST path ${JSON.stringify(path)}: give a path such as /api/x_scope/service/route, without a query string`)
  }
  return path
}
