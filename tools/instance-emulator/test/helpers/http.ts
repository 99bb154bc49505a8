// Small HTTP helpers for tests that talk to an emulator the way clients do.
import type { Emulator } from '../../src/index.ts'

export type Auth = { user: string; password: string } | { bearer: string } | undefined

export const ADMIN: Auth = { user: 'admin', password: 'admin' }

export function authHeader(auth: Auth): Record<string, string> {
  if (!auth) return {}
  if ('bearer' in auth) return { Authorization: `Bearer ${auth.bearer}` }
  return { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` }
}

export interface ApiResponse {
  status: number
  headers: Headers
  body: any
  text: string
}

export async function api(
  emu: Pick<Emulator, 'url'>,
  path: string,
  options: { method?: string; body?: unknown; auth?: Auth; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeader(options.auth === undefined && !('auth' in options) ? ADMIN : options.auth), ...options.headers }
  let body: string | undefined = options.rawBody
  if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['Content-Type'] ??= 'application/json'
  }
  const res = await fetch(`${emu.url}${path}`, { method: options.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) })
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  return { status: res.status, headers: res.headers, body: parsed, text }
}

export async function token(emu: Pick<Emulator, 'url'>, form: Record<string, string>): Promise<ApiResponse> {
  const res = await fetch(`${emu.url}/oauth_token.do`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text }
}
