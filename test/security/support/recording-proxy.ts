// A pass-through proxy in front of the emulator that collects every secret crossing the wire in either direction:
// what the CLI and the simulator send (basic-auth passwords, bearer tokens, API keys, OAuth form fields, passwords
// and client secrets written to records, session cookies and X-UserToken) and what the instance issues (access and
// refresh tokens, client secrets read back, session cookies, x-usertoken-response). The secrets test then looks
// for each of them in every byte the runs wrote.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Values shorter than this are not secrets worth scanning for ("true", a sys_id prefix). */
const MIN_SECRET = 8
const SECRET_FIELDS = new Set(['password', 'client_secret', 'access_token', 'refresh_token', 'user_password', 'token', 'api_key'])

export interface RecordingProxy {
  url: string
  secrets: Set<string>
  close(): Promise<void>
}

function add(secrets: Set<string>, value: unknown): void {
  if (typeof value === 'string' && value.length >= MIN_SECRET) secrets.add(value)
}

function fromHeaders(secrets: Set<string>, headers: IncomingHttpHeaders): void {
  const auth = headers.authorization
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8')
    add(secrets, decoded.slice(decoded.indexOf(':') + 1))
  } else if (auth?.startsWith('Bearer ')) add(secrets, auth.slice(7))
  add(secrets, headers['x-sn-apikey'])
  add(secrets, headers['x-usertoken'])
  add(secrets, headers['x-usertoken-response'])
  for (const cookie of [headers.cookie ?? '', ...(headers['set-cookie'] ?? [])].join(';').split(';')) {
    const value = cookie.split('=').slice(1).join('=').trim()
    if (/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(value)) add(secrets, value)
  }
}

function fromBody(secrets: Set<string>, text: string, type: string | undefined): void {
  if (type?.includes('x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(text)) if (SECRET_FIELDS.has(key)) add(secrets, value)
    return
  }
  if (!type?.includes('json')) return
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return
  }
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk)
    if (typeof node !== 'object' || node === null) return
    for (const [key, value] of Object.entries(node)) {
      if (SECRET_FIELDS.has(key)) add(secrets, value)
      walk(value)
    }
  }
  walk(json)
}

export function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const secrets = new Set<string>()
  const upstream = new URL(target)
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      fromHeaders(secrets, req.headers)
      fromBody(secrets, body.toString('utf8'), req.headers['content-type'])
      const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        const back: Buffer[] = []
        answer.on('data', (c: Buffer) => back.push(c))
        answer.on('end', () => {
          const text = Buffer.concat(back)
          fromHeaders(secrets, answer.headers)
          fromBody(secrets, text.toString('utf8'), answer.headers['content-type'])
          const headers = { ...answer.headers }
          delete headers['transfer-encoding']
          res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(text.length) }).end(text)
        })
      })
      out.on('error', () => res.destroy())
      out.end(body)
    })
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        secrets,
        close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
      })
    })
  })
}
