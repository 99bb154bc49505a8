// A tiny scripted stand-in for an instance: each test decides what every request gets. Not the emulator.
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClient } from '../src/index.ts'
import type { ClientOptions, RequestEvent, ServiceNowClient } from '../src/index.ts'

export interface Seen {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: Buffer
  text: string
}

export type Handler = (req: Seen, res: ServerResponse) => unknown

export interface Fake {
  url: string
  requests: Seen[]
  handle(handler: Handler): void
  close(): Promise<void>
}

export async function startFake(handler?: Handler): Promise<Fake> {
  let current: Handler = handler ?? ((_req, res) => json(res, 500, { error: { message: 'no handler' } }))
  const requests: Seen[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const body = Buffer.concat(chunks)
      const seen: Seen = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body, text: body.toString('utf8') }
      requests.push(seen)
      Promise.resolve(current(seen, res)).catch((error: unknown) => {
        res.statusCode = 599
        res.end(String(error))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(h) {
      current = h
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers })
  res.end(JSON.stringify(body))
}

export function snError(res: ServerResponse, status: number, message: string, detail: string | null, headers: Record<string, string> = {}): void {
  json(res, status, { error: { message, detail }, status: 'failure' }, headers)
}

export function html(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=UTF-8', ...headers })
  res.end('<!DOCTYPE html><html><head><title>Instance Hibernating page</title></head><body>Your instance is hibernating</body></html>')
}

/** Drops the connection after the request arrived: the client sees a reset. */
export function reset(res: ServerResponse): void {
  res.socket?.destroy()
}

export interface Harness {
  client: ServiceNowClient
  logs: string[]
  events: RequestEvent[]
  sleeps: number[]
}

/** A client against the fake with recorded logs, request events and (instant) retry sleeps. */
export function harness(fake: Fake, options: Partial<ClientOptions> = {}): Harness {
  const logs: string[] = []
  const events: RequestEvent[] = []
  const sleeps: number[] = []
  const client = createClient({
    instance: fake.url,
    auth: { type: 'basic', user: 'admin', password: 'S3cret-Pa55!' },
    logger: (line) => logs.push(line),
    onRequest: (event) => events.push(event),
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    ...options,
  })
  return { client, logs, events, sleeps }
}

/** Returns the rejection of a promise (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail, but it succeeded')
}
