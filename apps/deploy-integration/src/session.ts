import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP, EXIT_CODES } from '@kandji-sn/contract/constants'
import type { Handoff } from '@kandji-sn/contract'
import type { RequestEvent, ServiceNowClient } from '@kandji-sn/servicenow-client'
import { resolveConfig, type ResolvedConfig } from './config/index.ts'
import type { CommandContext } from './context.ts'
import { CliError, usageError } from './errors.ts'
import { pendingSecretsPath, readHandoff, readPendingSecrets, type PendingSecrets } from './handoff.ts'
import type { AppDesired } from './steps/app.ts'
import { preflight, type InstanceFacts } from './steps/preflight.ts'
import type { SmokeContext } from './steps/smoke-test.ts'

/** One instance, connected and preflighted: what every command that talks to an instance starts from. */
export interface Session {
  ctx: CommandContext
  config: ResolvedConfig
  admin: ServiceNowClient
  facts: InstanceFacts
  /** The hand-off file's content when it is for this instance. */
  handoff: Handoff | undefined
  /** Secrets an interrupted deploy set on this instance and could not hand off yet (see handoff.ts). */
  pending: PendingSecrets | undefined
}

export async function openSession(ctx: CommandContext): Promise<Session> {
  const { io, out } = ctx
  const terminal = io.stdin.isTTY ? { input: io.stdin, output: io.stderr } : undefined
  const config = await resolveConfig(ctx.flags, { env: io.env, ...(terminal ? { terminal } : {}) }, ctx.configInput)
  out.addSecret(config.admin.password)
  out.addSecret(config.admin.clientSecret)
  out.addSecret(config.desired.serviceAccount.password)
  out.addSecret(config.desired.oauthClient.clientSecret)
  const a = config.admin
  const admin = ctx.deps.createClient({
    instance: config.desired.instance.url,
    auth: a.clientId && a.clientSecret ? { type: 'password', clientId: a.clientId, clientSecret: a.clientSecret, user: a.user, password: a.password } : { type: 'basic', user: a.user, password: a.password },
    userAgent: 'deploy-integration',
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    onRequest: countAnswers(ctx),
    ...(ctx.flags.debug ? { logger: (line: string) => out.errorText(`debug: ${line}`) } : {}),
  })
  out.line(out.style(`${config.desired.instance.url}`, 'bold'))
  const facts = await preflight(admin, a.user)
  let handoff: Handoff | undefined
  let pending: PendingSecrets | undefined
  if (config.credentialsOut) {
    const existing = await readHandoff(config.credentialsOut)
    if (existing) {
      if (existing.instance.replace(/\/$/, '') === config.desired.instance.url) {
        handoff = existing
        out.addSecret(existing.password)
        out.addSecret(existing.client_secret)
      } else {
        throw usageError(
          `the credentials file ${config.credentialsOut} is for ${existing.instance}, not ${config.desired.instance.url}`,
          'one hand-off file per instance: this one belongs to another instance',
          'pass a different --credentials-out path for this instance',
        )
      }
    }
    pending = await readPendingSecrets(config.credentialsOut)
    if (pending && pending.instance.replace(/\/$/, '') !== config.desired.instance.url) {
      throw usageError(
        `${pendingSecretsPath(config.credentialsOut)} holds secrets an interrupted deploy set on ${pending.instance}, not ${config.desired.instance.url}`,
        'one hand-off file per instance: this one belongs to another instance',
        `finish that instance first (re-run deploy for ${pending.instance} with this --credentials-out), or pass a different --credentials-out path for this instance`,
      )
    }
    out.addSecret(pending?.service_account?.password)
    out.addSecret(pending?.oauth_client?.client_secret)
  }
  return { ctx, config, admin, facts, handoff, pending }
}

/** Counts the requests the instance answered, so a broken connection after them is not taken for a wrong URL. */
export function countAnswers(ctx: CommandContext): (event: RequestEvent) => void {
  return (event) => {
    if (event.status !== undefined) ctx.requests.answered++
  }
}

/** What the smoke test needs from a session: it opens its own clients (token, service account) with the same timeout. */
export function smokeContextOf(session: Session): SmokeContext {
  const { ctx, config, admin } = session
  return { instance: config.desired.instance.url, admin, deps: ctx.deps, out: ctx.out, requests: ctx.requests, ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}) }
}

/** The repository's apps/servicenow-app, searched upwards from the current folder and from this file. */
function findAppDir(cwd: string): string | undefined {
  const starts = [cwd, dirname(fileURLToPath(import.meta.url))]
  for (const start of starts) {
    let dir = resolve(start)
    for (;;) {
      const candidate = join(dir, 'apps', 'servicenow-app')
      if (existsSync(join(candidate, 'package.json'))) return candidate
      const parent = dirname(dir)
      if (parent === dir) break
      dir = parent
    }
  }
  return undefined
}

/**
 * What the app step should install. For source package: the zip named in the config or the built one; when there
 * is none and the app is already installed, the app step is skipped with a warning (undefined package).
 */
export async function resolveAppDesired(session: Session): Promise<{ desired: AppDesired; warning?: string }> {
  const { source, packagePath, version } = session.config.desired.app
  if (source !== 'package') return { desired: { source, ...(version ? { version } : {}) } }
  const { deps, io } = session.ctx
  let zip = packagePath ? resolve(io.cwd, packagePath) : undefined
  if (!zip) {
    const appDir = findAppDir(io.cwd)
    zip = appDir ? (await deps.findBuiltPackage(appDir))?.zip : undefined
  }
  if (!zip || !existsSync(zip)) {
    if (session.facts.app) {
      return { desired: { source: 'store' }, warning: `no built app package found${zip ? ` at ${zip}` : ''}: the installed ${APP.scope} ${session.facts.app.version} is left as it is` }
    }
    throw new CliError(
      EXIT_CODES.usage,
      `no app package to install${zip ? `: ${zip} does not exist` : ''}`,
      'the app has not been built (apps/servicenow-app/target/*.zip) and no --app-package was given',
      'build it with `npm run build -w apps/servicenow-app`, pass --app-package ZIP, or use --app-source store|repo',
    )
  }
  const info = await deps.readAppPackage(zip)
  return { desired: { source: 'package', package: { path: zip, scope: info.scope, scopeId: info.scopeId, version: info.version } } }
}
