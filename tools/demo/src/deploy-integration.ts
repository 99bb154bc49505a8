// Runs the deploy-integration CLI as a user does: its executable (bin/deploy-integration.mjs, which loads the esbuild
// bundle) in a child process, with the admin credentials in the environment, never as flags.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ENV } from '@kandji-sn/contract/constants'
import { DemoError } from './errors.ts'
import type { ProcessGroup, ProcessResult } from './processes.ts'

const packageDir = join(dirname(fileURLToPath(import.meta.resolve('@kandji-sn/deploy-integration'))), '..')

export const DEPLOY_INTEGRATION_BIN = join(packageDir, 'bin', 'deploy-integration.mjs')
export const DEPLOY_INTEGRATION_BUNDLE = join(packageDir, 'dist', 'deploy-integration.mjs')

export interface AdminAccess {
  instance: string
  user: string
  password: string
  /**
   * Sign-in variables (keys of the contract's ENV: adminClientId, adminToken, adminApiKey, …) that replace
   * SN_ADMIN_USER / SN_ADMIN_PASSWORD, for an instance whose Basic Authentication Restriction refuses the password.
   */
  signIn?: Partial<Record<keyof typeof ENV, string>>
}

export interface CliRun extends ProcessResult {
  /** stdout parsed as JSON when the command ran with --json and printed a result. */
  json: Record<string, unknown> | undefined
}

/** Throws unless the bundle exists: the demo and the e2e suites run what a user runs, not the TypeScript source. */
export function requireBuiltCli(): void {
  if (!existsSync(DEPLOY_INTEGRATION_BUNDLE)) {
    throw new DemoError(
      'the deploy-integration CLI is not built (no apps/deploy-integration/dist/deploy-integration.mjs)',
      'the demo runs the built command, and nothing has built it in this checkout yet',
      'run `npm start` (it builds first) or `npx turbo run build`',
    )
  }
}

/** The environment a user would set: instance and admin credentials only (plus PATH and friends), no colours. */
export function cliEnv(admin: AdminAccess, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  // Only the credentials given here: a developer's own SN_* variables must never leak into a demo or test run.
  for (const name of Object.values(ENV)) delete env[name]
  const credentials = admin.signIn
    ? Object.fromEntries(Object.entries(admin.signIn).map(([key, value]) => [ENV[key as keyof typeof ENV], value]))
    : { [ENV.adminUser]: admin.user, [ENV.adminPassword]: admin.password }
  return { ...env, [ENV.instance]: admin.instance, ...credentials, ...extra }
}

export async function runDeployIntegration(processes: ProcessGroup, args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CliRun> {
  requireBuiltCli()
  const result = await processes.run(process.execPath, [DEPLOY_INTEGRATION_BIN, ...args], { env, ...(cwd ? { cwd } : {}) })
  let json: Record<string, unknown> | undefined
  if (args.includes('--json')) {
    try {
      const parsed: unknown = JSON.parse(result.stdout)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>
    } catch {
      json = undefined
    }
  }
  return { ...result, json }
}

/** The CLI's own error/cause/fix lines from its stderr (what a person needs when a step fails), else its last lines. */
export function cliErrorText(run: ProcessResult): string {
  const lines = run.stderr.split('\n')
  const start = lines.findIndex((l) => l.startsWith('error:'))
  if (start >= 0) return lines.slice(start, start + 3).join('\n')
  const tail = lines.filter((l) => l.trim() !== '').slice(-3)
  return tail.length > 0 ? tail.join('\n') : `(no output; exit ${run.code}${run.signal ? `, ${run.signal}` : ''})`
}
