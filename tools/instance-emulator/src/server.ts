// The HTTP server: latency, faults, routing, counters, and rendering replies and platform errors.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { requireUser } from './auth/authenticate.ts'
import type { EmulatorContext } from './context.ts'
import { ERRORS, PlatformError } from './db/errors.ts'
import { defaultFaultBody, firesAfterProcessing, HIBERNATING_PAGE, LOGIN_PAGE_PATH, type FaultInjector } from './faults.ts'
import { errorReply, RequestContext, type Reply } from './http.ts'
import { handleUpload, handleXmlHttp, UPLOAD_PATH, XMLHTTP_PATH } from './routes/app-install.ts'
import { handleProgress, handleRepoInstall, PROGRESS_PATH, REPO_INSTALL_PATH } from './routes/cicd.ts'
import { handleImport, IMPORT_PATH } from './routes/import-set.ts'
import { handleOAuthToken, OAUTH_TOKEN_PATH } from './routes/oauth.ts'
import { handleScriptedRest, SCRIPTED_REST_PATH } from './routes/scripted-rest.ts'
import { handleTable, TABLE_PATH } from './routes/table.ts'
import { ANGULAR_PATH, handleAngular } from './routes/ui-session.ts'
import type { EmulatorCounters } from './types.ts'

type Handler = (ctx: RequestContext, match: RegExpExecArray) => Promise<Reply>

const ROUTES: Array<{ pattern: RegExp; handle: Handler }> = [
  { pattern: TABLE_PATH, handle: handleTable },
  { pattern: IMPORT_PATH, handle: handleImport },
  { pattern: OAUTH_TOKEN_PATH, handle: handleOAuthToken },
  { pattern: ANGULAR_PATH, handle: handleAngular },
  { pattern: UPLOAD_PATH, handle: handleUpload },
  { pattern: XMLHTTP_PATH, handle: handleXmlHttp },
  { pattern: REPO_INSTALL_PATH, handle: handleRepoInstall },
  { pattern: PROGRESS_PATH, handle: handleProgress },
  {
    pattern: /^\/api\/now\//,
    handle: async (ctx) => {
      ctx.route = 'unknown /api/now'
      requireUser(ctx)
      throw ERRORS.noResource()
    },
  },
  { pattern: SCRIPTED_REST_PATH, handle: handleScriptedRest },
]

export interface ServerControls {
  port?: number
  latencyMs: () => number
  faults: FaultInjector
  counters: EmulatorCounters
}

export interface RunningServer {
  server: Server
  port: number
  close(): Promise<void>
}

function encode(reply: Reply): { headers: Record<string, string | string[]>; payload: string | undefined } {
  const headers: Record<string, string | string[]> = { ...(reply.headers ?? {}) }
  let payload: string | undefined
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json)
    headers['Content-Type'] = 'application/json;charset=UTF-8'
  } else if (reply.text !== undefined) {
    payload = reply.text
    headers['Content-Type'] = reply.contentType ?? 'text/plain;charset=UTF-8'
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload))
  return { headers, payload }
}

function send(res: ServerResponse, reply: Reply): void {
  const { headers, payload } = encode(reply)
  res.writeHead(reply.status, headers)
  res.end(payload)
}

/** The status line, the headers (with the whole body's length) and the first half of the body; never the rest. */
function sendPart(res: ServerResponse, reply: Reply): void {
  const { headers, payload } = encode(reply)
  res.writeHead(reply.status, headers)
  const bytes = Buffer.from(payload ?? '')
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)))
  res.flushHeaders()
}

async function route(ctx: RequestContext): Promise<Reply> {
  for (const { pattern, handle } of ROUTES) {
    const match = pattern.exec(ctx.path)
    if (match) return handle(ctx, match)
  }
  ctx.route = 'not found'
  return { status: 404, text: '<html><body><h1>Page not found</h1></body></html>', contentType: 'text/html;charset=UTF-8' }
}

export async function startServer(emu: EmulatorContext, controls: ServerControls): Promise<RunningServer> {
  const held = new Set<ServerResponse>()

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const ctx = new RequestContext(req, emu)
    controls.counters.requests++
    const latency = controls.latencyMs()
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency))
    const fault = controls.faults.match(ctx.method, ctx.path, ctx.path + ctx.url.search, ctx.url.searchParams)
    if (fault) controls.counters.byRoute.fault = (controls.counters.byRoute.fault ?? 0) + 1
    if (fault && !firesAfterProcessing(fault)) {
      switch (fault.kind) {
        case 'reset':
          req.socket.destroy()
          return
        case 'timeout':
          hold(res)
          return
        case 'html':
          send(res, { status: 200, text: HIBERNATING_PAGE, contentType: 'text/html;charset=UTF-8' })
          return
        case 'login-redirect':
          send(res, { status: 302, headers: { Location: fault.location ?? LOGIN_PAGE_PATH } })
          return
        case 'status':
          send(res, {
            status: fault.status,
            json: fault.body ?? defaultFaultBody(fault.status),
            headers: fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {},
          })
          return
      }
    }
    let reply: Reply
    try {
      reply = await route(ctx)
    } catch (error) {
      if (error instanceof PlatformError) reply = errorReply(error)
      else {
        reply = errorReply(new PlatformError(500, 'Internal emulator error', (error as Error)?.message ?? String(error)))
        process.emitWarning(`sn-emulator: ${ctx.method} ${ctx.path} failed: ${(error as Error)?.message ?? String(error)}`)
      }
    }
    controls.counters.byRoute[ctx.route] = (controls.counters.byRoute[ctx.route] ?? 0) + 1
    if (res.destroyed) return
    switch (fault?.kind) {
      case 'reset-after':
        req.socket.destroy()
        return
      case 'hang-after':
        hold(res)
        sendPart(res, reply)
        return
      case 'slow':
        hold(res)
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
        if (!res.destroyed) send(res, reply)
        return
      default:
        send(res, reply)
    }
  }

  /** Keeps an answer open; it is closed when the client gives up or the emulator stops. */
  const hold = (res: ServerResponse) => {
    held.add(res)
    res.on('close', () => held.delete(res))
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) send(res, errorReply(new PlatformError(500, 'Internal emulator error', String(error))))
    })
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(controls.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.socket?.destroy()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
