// Scripted REST glue: the routes in src/fluent/rest-api.now.ts call these.
import type { RESTAPIRequest, RESTAPIResponse } from '@servicenow/glide/sn_ws_int'
import { glidePlatform } from '../platform/glide.ts'
import type { Platform } from '../platform/types.ts'
import { handleImportStatus, handleRepair, handleStatus, handleVerify, unexpectedFailure, type HttpReply } from '../rest/handlers.ts'

/** Runs one route's handler and sends its reply; an unexpected exception becomes a 500 a person can act on. */
function respond(response: RESTAPIResponse, route: string, handle: (platform: Platform) => HttpReply): void {
  const platform = glidePlatform()
  let reply: HttpReply
  try {
    reply = handle(platform)
  } catch (err) {
    reply = unexpectedFailure(platform, route, err)
  }
  response.setStatus(reply.status)
  response.setHeader('Cache-Control', 'no-store')
  response.setBody(reply.body as never)
}

export function verify(request: RESTAPIRequest, response: RESTAPIResponse): void {
  respond(response, 'verify', (platform) => handleVerify(platform, request.queryParams))
}

export function repair(request: RESTAPIRequest, response: RESTAPIResponse): void {
  respond(response, 'repair', handleRepair)
}

export function importStatus(request: RESTAPIRequest, response: RESTAPIResponse): void {
  respond(response, 'import status', (platform) => handleImportStatus(platform, request.pathParams))
}

export function status(_request: RESTAPIRequest, response: RESTAPIResponse): void {
  respond(response, 'status', handleStatus)
}
