// Small local "instances" for the answers the emulator cannot give (a body that never ends, a huge one, a body cut
// short, a self-signed certificate). Each counts the requests it received, so a case can say nothing was contacted.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

export interface LocalServer {
  url: string
  /** Requests received since the last reset. */
  requests: number
  /** What every request is answered with from now on. */
  answer(handler: Handler): void
  reset(): void
  close(): Promise<void>
}

function wrap(server: Server, scheme: 'http' | 'https', initial: Handler): Promise<LocalServer> {
  let handler = initial
  const state = {
    url: '',
    requests: 0,
    answer(next: Handler) {
      handler = next
    },
    reset() {
      state.requests = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    state.requests += 1
    req.resume()
    res.on('error', () => undefined)
    handler(req, res)
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      state.url = `${scheme}://${scheme === 'https' ? 'localhost' : '127.0.0.1'}:${(server.address() as AddressInfo).port}`
      resolve(state)
    })
  })
}

export const refuseAll: Handler = (_req, res) => {
  res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"this test server answers nothing"},"status":"failure"}')
}

export function startHttpServer(handler: Handler = refuseAll): Promise<LocalServer> {
  return wrap(createHttpServer(), 'http', handler)
}

/** An https server on localhost with a certificate signed by itself (openssl, generated per run: no key in the repository). */
export function startSelfSignedServer(handler: Handler = refuseAll): Promise<LocalServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kandji-tls-'))
  const key = join(dir, 'key.pem')
  const cert = join(dir, 'cert.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' })
  return wrap(createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }), 'https', handler)
}

// ---- answers -------------------------------------------------------------------------------------------------

export const json = (status: number, body: string): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(body)
}

export const htmlPage: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>Instance Hibernating page</title></head><body>Your instance is hibernating</body></html>')
}

export const loginRedirect: Handler = (_req, res) => {
  res.writeHead(302, { location: '/login.do?sysparm_goto_url=%2Fapi%2Fnow%2Ftable' }).end()
}

/** Content-Length promises more than is sent, then the connection closes: a body cut short. */
export const truncated: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' })
  res.write('{"result":[{"sys_id":"0123456789abcdef0123456789abcdef","user_name":"adm')
  setTimeout(() => res.destroy(), 20)
}

/** Headers, then a byte now and then, forever. */
export const neverEnds: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.write('{"result":[')
  const timer = setInterval(() => res.write(' '), 100)
  res.on('close', () => clearInterval(timer))
}

/** A JSON body of `megabytes` MiB (a list of records), streamed in 64 KiB chunks as fast as the client reads. */
export function hugeBody(megabytes: number, withLength: boolean): Handler {
  const row = `{"sys_id":"0123456789abcdef0123456789abcdef","user_name":"${'x'.repeat(200)}"},`
  const chunk = row.repeat(Math.ceil(65_536 / row.length))
  const total = megabytes * 1024 * 1024
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...(withLength ? { 'content-length': String(total) } : {}) })
    const head = '{"result":['
    let sent = head.length
    const pump = () => {
      while (sent < total && !res.destroyed) {
        const piece = chunk.slice(0, Math.min(chunk.length, total - sent))
        sent += piece.length
        if (!res.write(piece)) return void res.once('drain', pump)
      }
      if (!res.destroyed) res.end()
    }
    res.write(head)
    pump()
  }
}
