// Secret scrubbing for log lines and error messages. Two layers: the exact secrets the client knows about (passwords,
// client secrets, tokens, cookies, user tokens; also in their URL/form/base64 encodings) and patterns for secret-shaped
// text the client may not know (an `Authorization` header, a `password=` form field, a JSESSIONID cookie).

const MASK = '***'

/** Query/form parameters whose values are always masked, whatever they contain. */
export const SECRET_PARAMS: ReadonlySet<string> = new Set([
  'password',
  'user_password',
  'client_secret',
  'refresh_token',
  'access_token',
  'sysparm_ck',
  'ni.nolog.user_password',
])

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Authorization: Basic xxx / Bearer xxx (header dumps, echoed requests)
  [/\b(Basic|Bearer)\s+[A-Za-z0-9\-._~+/=]{6,}/g, `$1 ${MASK}`],
  // key=value in query strings and form bodies
  [/((?:user_)?password|client_secret|refresh_token|access_token|sysparm_ck|ni\.nolog\.user_password)=([^&\s"']*)/gi, `$1=${MASK}`],
  // the same, URL-encoded inside another parameter (an encoded query `user_password%3D…%5E…`)
  [/((?:user_)?password|client_secret|refresh_token|access_token|sysparm_ck)%3D((?:(?!%5E|%26)[^&\s"'])*)/gi, `$1%3D${MASK}`],
  // "key":"value" in JSON
  [/"((?:user_)?password|client_secret|refresh_token|access_token|sysparm_ck)"\s*:\s*"(?:[^"\\]|\\.)*"/gi, `"$1":"${MASK}"`],
  // session cookies and the UI session token
  [/\b(JSESSIONID|glide_user_route|glide_session_store|glide_user|glide_user_session|BIGipServer[\w-]*)=([^;\s"']+)/gi, `$1=${MASK}`],
  [/\b(X-UserToken|x-usertoken-response)(["']?\s*[:=]\s*["']?)([^\s"',;]+)/gi, `$1$2${MASK}`],
]

/**
 * Removes every occurrence of the given secrets (and their URL-, form- and base64 encodings) and anything that looks
 * like a credential, so the result can be logged or shown to a person.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const variant of secretVariants(secrets)) out = out.split(variant).join(MASK)
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
  return out
}

function secretVariants(secrets: readonly string[]): string[] {
  const variants = new Set<string>()
  for (const secret of secrets) {
    // An empty secret would match everywhere; one character is not worth masking a whole log for.
    if (typeof secret !== 'string' || secret.length < 2) continue
    variants.add(secret)
    variants.add(encodeURIComponent(secret))
    variants.add(new URLSearchParams({ s: secret }).toString().slice(2))
    variants.add(Buffer.from(secret).toString('base64').replace(/=+$/, ''))
    variants.add(JSON.stringify(secret).slice(1, -1))
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...variants].filter((v) => v.length >= 2).sort((a, b) => b.length - a.length)
}

/** Renders a query for a log line: sensitive parameter values masked, long values shortened. */
export function describeQuery(params: URLSearchParams): string {
  const parts: string[] = []
  for (const [key, value] of params) {
    const shown = SECRET_PARAMS.has(key.toLowerCase()) ? MASK : value.length > 200 ? `${value.slice(0, 200)}…` : value
    parts.push(`${key}=${shown}`)
  }
  return parts.join('&')
}
