import type { ClientOptions, ServiceNowClient } from '@kandji-sn/servicenow-client'
import type { SwitchProbe } from './commands/probe/types.ts'

/** What the app package library tells about a built app. */
export interface AppPackageSummary {
  scope: string
  scopeId: string
  name: string
  version: string
}

/** The libraries the commands use, injectable so unit tests run with fakes. Loaded lazily to keep start-up fast. */
export interface Deps {
  createClient(options: ClientOptions): ServiceNowClient
  findBuiltPackage(appDir: string): Promise<{ zip: string; updateSet?: string } | undefined>
  readAppPackage(path: string): Promise<AppPackageSummary>
  /** Pauses between polls (the smoke test's import status reads); tests pass an instant one. Default: a timer. */
  sleep?: (ms: number) => Promise<void>
  /**
   * Calls `handler` on Ctrl-C (SIGINT) until the returned function is called; the probe stops and cleans up. Tests
   * pass their own to interrupt at a chosen request. Default: process SIGINT.
   */
  onInterrupt?: (handler: () => void) => () => void
  /** The probe's experiments; default all (commands/probe/registry.ts PROBES). Tests run a part of them. */
  probes?: readonly SwitchProbe[]
}

export async function defaultDeps(): Promise<Deps> {
  const client = await import('@kandji-sn/servicenow-client')
  return {
    createClient: (options) => client.createClient(options),
    findBuiltPackage: async (appDir) => {
      const pkg = await import('@kandji-sn/app-package')
      try {
        return await pkg.findBuiltPackage(appDir)
      } catch (error) {
        if (error instanceof pkg.AppPackageError) return undefined // not built yet: the caller explains what to do
        throw error
      }
    },
    readAppPackage: async (path) => {
      const pkg = await import('@kandji-sn/app-package')
      const { scope, scopeId, name, version } = await pkg.readAppPackage(path)
      return { scope, scopeId, name, version }
    },
  }
}
