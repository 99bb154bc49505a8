// Scripted REST glue: the routes in src/fluent/rest-api.now.ts call these.
import type { RESTAPIRequest, RESTAPIResponse } from '@servicenow/glide/sn_ws_int'
import { glidePlatform } from '../platform/glide.ts'
import { handleRepair, handleVerify, unexpectedFailure, type HttpReply } from '../rest/handlers.ts'

function send(response: RESTAPIResponse, reply: HttpReply): void {
  response.setStatus(reply.status)
  response.setHeader('Cache-Control', 'no-store')
  response.setBody(reply.body as never)
}

export function verify(request: RESTAPIRequest, response: RESTAPIResponse): void {
  const platform = glidePlatform()
  let reply: HttpReply
  try {
    reply = handleVerify(platform, request.queryParams)
  } catch (err) {
    reply = unexpectedFailure(platform, 'verify', err)
  }
  send(response, reply)
}

export function repair(request: RESTAPIRequest, response: RESTAPIResponse): void {
  const platform = glidePlatform()
  let reply: HttpReply
  try {
    reply = handleRepair(platform)
  } catch (err) {
    reply = unexpectedFailure(platform, 'repair', err)
  }
  send(response, reply)
}
