// Runs a scripted REST operation's operation_script (the SDK's glue: require the module, call the function with
// request and response) in a sandbox, as the calling user, in the operation's scope.
import type { Database } from '../db/database.ts'
import type { ScriptRuntime, ScriptedRestResult, SessionUser } from '../types.ts'
import type { ExecutionContext } from './context.ts'
import { createRestRequest, createRestResponse, type RestResponseState } from './glide/rest.ts'
import { errorMessage, Sandbox } from './sandbox.ts'
import { scopeNameOf } from './scope.ts'
import { writeSyslog } from './syslog.ts'

/** JSON round trip: the body leaves the sandbox's realm as plain data, exactly what the wire would carry. */
function plain(value: unknown): unknown {
  if (value === undefined) return undefined
  return JSON.parse(JSON.stringify(value)) as unknown
}

export function runScriptedRest(
  input: Parameters<ScriptRuntime['scriptedRest']>[0],
  makeContext: (db: Database, user: SessionUser, scope: string) => ExecutionContext,
): ScriptedRestResult {
  const { operation, db, user } = input
  const scope = scopeNameOf(db, operation)
  const ctx = makeContext(db, user, scope)
  const state: RestResponseState = { status: 200, body: undefined, bodySet: false, headers: {} }
  const name = operation.name || operation.operation_uri || operation.sys_id || 'operation'
  try {
    const sandbox = new Sandbox(ctx)
    sandbox.run(operation.operation_script ?? '', `sys_ws_operation:${name}`, { request: createRestRequest(input), response: createRestResponse(state) })
  } catch (err) {
    const message = errorMessage(err)
    writeSyslog(db, 'error', `Scripted REST ${name} failed: ${message}`, scope, user.userName)
    // ASSUMPTION: an uncaught script error answers 500 with the platform's error envelope.
    return { status: 500, body: { error: { message, detail: `Script error in scripted REST resource ${name}` }, status: 'failure' } }
  }
  const headers = { 'Content-Type': 'application/json', ...state.headers }
  if (!state.bodySet) return { status: state.status, body: undefined, headers }
  if (typeof state.body === 'string' && !/json/i.test(headers['Content-Type'] ?? '')) return { status: state.status, body: state.body, headers }
  // The platform wraps what setBody received in {"result": …} (what the client unwraps).
  return { status: state.status, body: { result: plain(state.body) }, headers }
}
