// File names per instance: hand-off files, logs.
import { join } from 'node:path'

/**
 * A tenant as part of a file name. The tenant of an emulator URL is host:port: characters a file name cannot carry
 * everywhere (":" on Windows and macOS Finder) become "-" (127.0.0.1-45865).
 */
export function fileSafeTenant(rawTenant: string): string {
  return rawTenant.replace(/[^A-Za-z0-9._-]/g, '-')
}

/** A per-instance credentials path: FILE with the tenant inserted before the extension (creds.json -> creds.acme.json). */
export function credentialsPathFor(base: string, rawTenant: string): string {
  const tenant = fileSafeTenant(rawTenant)
  const dot = base.lastIndexOf('.')
  const slash = base.lastIndexOf('/')
  // A leading dot (".creds") is part of the name, not an extension.
  return dot > slash + 1 ? `${base.slice(0, dot)}.${tenant}${base.slice(dot)}` : `${base}.${tenant}`
}

/** Where `--out DIR` puts an instance's files, relative to DIR. */
export function outFiles(rawTenant: string): { log: string; handoff: string } {
  const tenant = fileSafeTenant(rawTenant)
  return { log: join('logs', `${tenant}.log`), handoff: join('handoff', `${tenant}.json`) }
}
