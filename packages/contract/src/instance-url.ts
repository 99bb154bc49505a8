import { INSTANCE_DOMAIN } from './constants.ts'

export interface InstanceAddress {
  /** Origin only, no trailing slash: `https://acme.service-now.com`. */
  url: string
  /** The prefix Iru Endpoint asks for (`acme`), or the host when it is not on service-now.com. */
  tenant: string
}

export class InstanceUrlError extends Error {
  override name = 'InstanceUrlError'
}

/** A value as an error shows it: quoted (a line break shows as \\n) and cut to 60 characters. */
function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
}

const IPV4_HOST = /^\d{1,3}(\.\d{1,3}){3}$/

const TENANT_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Turns what a user types into the instance origin. `acme` means `https://acme.service-now.com`, as Iru
 * Endpoint asks for it. Anything but a bare host is refused: https only (http only on loopback, for the
 * emulator), no path, query, fragment or credentials; no IP address but loopback (an instance's certificate names
 * its host), and only plain ASCII names: a Unicode or punycode (xn--) host can imitate a real one letter for letter.
 */
export function parseInstanceUrl(input: string): InstanceAddress {
  const raw = input.trim()
  if (raw === '') throw new InstanceUrlError('the instance is empty: give a tenant such as "acme" or a URL such as https://acme.service-now.com')
  if (/[^\x20-\x7e]/.test(raw.replace(/\/\/[^/@]*@/, '//'))) {
    throw new InstanceUrlError(`${shown(redactUserInfo(raw))} contains characters that are not plain ASCII (a look-alike letter, a line break or a control character): type the instance name in plain letters, as in "acme"`)
  }

  if (!raw.includes('://') && !raw.includes('/') && !raw.includes('.') && !raw.includes(':') && !raw.includes('@')) {
    if (!TENANT_PATTERN.test(raw)) {
      throw new InstanceUrlError(`${shown(raw)} is not a valid instance name: use letters, digits and hyphens, as in "acme"`)
    }
    const tenant = raw.toLowerCase()
    return { url: `https://${tenant}.${INSTANCE_DOMAIN}`, tenant }
  }

  const withScheme = raw.includes('://') ? raw : `https://${raw}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new InstanceUrlError(`${shown(redactUserInfo(raw))} is not a URL: give a tenant such as "acme" or https://acme.service-now.com`)
  }
  if (url.username || url.password) {
    throw new InstanceUrlError('the instance URL contains credentials: remove them and pass the user and password separately (SN_ADMIN_USER, SN_ADMIN_PASSWORD)')
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname)
  if (url.protocol === 'http:' && !loopback) {
    throw new InstanceUrlError(`${shown(url.host)} must be reached over https: http is accepted only for a local emulator (localhost, 127.0.0.1)`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InstanceUrlError(`"${url.protocol}" is not supported: the instance URL must start with https://`)
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new InstanceUrlError(`the instance URL must be a host only, without a path, query or fragment: use ${url.protocol}//${url.host}`)
  }
  if (url.hostname.length > 253 || url.hostname.split('.').some((label) => label.length > 63)) {
    throw new InstanceUrlError(`${shown(url.hostname)} is not a valid host name: a DNS name has at most 253 characters, 63 between dots`)
  }
  if (url.hostname.split('.').some((label) => label.startsWith('xn--'))) {
    throw new InstanceUrlError(`${shown(url.hostname)} is an internationalized (punycode) name: ServiceNow instance names are plain ASCII; give the instance's own name, as in acme.service-now.com`)
  }
  if (!loopback && (IPV4_HOST.test(url.hostname) || url.hostname.startsWith('['))) {
    throw new InstanceUrlError(`${shown(url.hostname)} is an IP address: an instance is reached by its name (its TLS certificate names the host), as in acme.service-now.com`)
  }
  const host = url.host.toLowerCase()
  const suffix = `.${INSTANCE_DOMAIN}`
  const tenant = url.hostname.endsWith(suffix) ? url.hostname.slice(0, -suffix.length) : host
  return { url: `${url.protocol}//${host}`, tenant }
}

function redactUserInfo(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, '//***@')
}
