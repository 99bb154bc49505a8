// Request parsing and replies shared by the routes.
import type { IncomingMessage } from 'node:http'
import { ERRORS, PlatformError } from './db/errors.ts'
import type { EmulatorContext } from './context.ts'

export interface Reply {
  status: number
  /** Serialised as application/json. */
  json?: unknown
  /** Sent as is with `contentType`. */
  text?: string
  contentType?: string
  headers?: Record<string, string | string[]>
}

const MAX_BODY_BYTES = 64 * 1024 * 1024

export class RequestContext {
  readonly method: string
  readonly url: URL
  readonly path: string
  readonly headers: Record<string, string>
  /** Filled by the router: the route's name for the per-route counters. */
  route = 'unmatched'
  #body: Promise<Buffer> | undefined

  constructor(
    readonly req: IncomingMessage,
    readonly emu: EmulatorContext,
  ) {
    this.method = (req.method ?? 'GET').toUpperCase()
    this.url = new URL(req.url ?? '/', 'http://127.0.0.1')
    this.path = this.url.pathname
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
    this.headers = headers
  }

  query(name: string): string | undefined {
    return this.url.searchParams.get(name) ?? undefined
  }

  /** All query parameters; repeated names become arrays. */
  queryObject(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {}
    for (const [k, v] of this.url.searchParams) {
      const prev = out[k]
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
    }
    return out
  }

  get contentType(): string {
    return (this.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  }

  body(): Promise<Buffer> {
    this.#body ??= new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = []
      let size = 0
      this.req.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_BODY_BYTES) {
          reject(new PlatformError(413, 'Request entity too large', `The request body exceeds ${MAX_BODY_BYTES} bytes`))
          this.req.destroy()
          return
        }
        chunks.push(chunk)
      })
      this.req.on('end', () => resolve(Buffer.concat(chunks)))
      this.req.on('error', reject)
    })
    return this.#body
  }

  /** The JSON body; an empty body is undefined. Malformed JSON is the platform's 400. */
  async json(): Promise<unknown> {
    const raw = (await this.body()).toString('utf8')
    if (raw.trim() === '') return undefined
    try {
      return JSON.parse(raw)
    } catch (error) {
      throw ERRORS.badJson(`The payload is not valid JSON: ${(error as Error).message}`)
    }
  }

  async form(): Promise<URLSearchParams> {
    return new URLSearchParams((await this.body()).toString('utf8'))
  }
}

export function json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): Reply {
  return { status, json: body, headers }
}

export function errorReply(error: PlatformError): Reply {
  return { status: error.status, json: error.toBody(), headers: error.headers }
}

/** A multipart/form-data body: fields as text, files as bytes. */
export interface MultipartPart {
  name: string
  filename?: string
  contentType?: string
  data: Buffer
}

export function parseMultipart(body: Buffer, contentTypeHeader: string): MultipartPart[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentTypeHeader)
  const boundary = m?.[1] ?? m?.[2]
  if (!boundary) throw new PlatformError(400, 'Invalid multipart request', 'The Content-Type has no boundary')
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: MultipartPart[] = []
  let start = body.indexOf(delimiter)
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break
    const headerStart = afterDelimiter + 2 // CRLF
    const headerEnd = body.indexOf('\r\n\r\n', headerStart)
    if (headerEnd === -1) break
    const next = body.indexOf(delimiter, headerEnd + 4)
    if (next === -1) break
    const headerText = body.subarray(headerStart, headerEnd).toString('utf8')
    const data = body.subarray(headerEnd + 4, next - 2) // strip the CRLF before the next delimiter
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headerText)?.[1] ?? ''
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1]
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1]
    const contentType = /content-type:\s*([^\r\n]*)/i.exec(headerText)?.[1]?.trim()
    if (name !== undefined) parts.push({ name, data, ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}) })
    start = next
  }
  return parts
}
