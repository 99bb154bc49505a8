import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP } from '@kandji-sn/contract/constants'
import { adminSignInMethod, type Handoff } from '@kandji-sn/contract'
import type { AuthConfig, ClientOptions, RequestEvent, ServiceNowClient } from '@kandji-sn/servicenow-client'
import { adminClientAuth } from './admin-auth.ts'
import { resolveConfig, type ResolvedConfig } from './config/index.ts'
import type { CommandContext } from './context.ts'
import { Prefetch, readPlanInputs, type PlanInputs } from './plan-inputs.ts'
import { usageError } from './errors.ts'
import { checkCredentialsPath, pendingSecretsPath, readHandoff, readPendingSecrets, type PendingSecrets } from './handoff.ts'
import type { AppDesired, AppPackageInfo } from './steps/app.ts'
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
  /** The app package on this machine (source package): read before the instance was contacted. */
  appPackage: AppPackageInfo | undefined
  /** A session that plans: the plan's reads, started with the preflight, for the first plan to take. */
  planInputs?: Prefetch<PlanInputs>
}

/** What a command will do with local files, so they are checked before the first request. */
export interface SessionNeeds {
  /** Installs or plans the app (plan, deploy): the app package is found and read. */
  app?: boolean
  /** Writes the hand-off file (deploy, rotate): its folder must be writable. */
  writesCredentials?: boolean
  /** Called once the admin's first request was answered: reads of the command's own to send with the preflight's. */
  onSignedIn?: (admin: ServiceNowClient, local: { handoff: Handoff | undefined }) => void
}

export async function openSession(ctx: CommandContext, needs: SessionNeeds = {}): Promise<Session> {
  const { io, out } = ctx
  const terminal = io.stdin.isTTY ? { input: io.stdin, output: io.stderr } : undefined
  const config = await resolveConfig(ctx.flags, { env: io.env, ...(terminal ? { terminal } : {}) }, ctx.configInput)
  out.addSecret(config.admin.password)
  out.addSecret(config.admin.clientSecret)
  out.addSecret(config.admin.token)
  out.addSecret(config.admin.apiKey)
  out.addSecret(config.desired.serviceAccount.password)
  out.addSecret(config.desired.oauthClient.clientSecret)
  // Local inputs before any request: a typo in a path or another instance's hand-off file is reported as what it
  // is, not after (or hidden behind) a DNS error or a slow preflight.
  const { handoff, pending } = await readCredentialFiles(ctx, config, needs)
  const appPackage = needs.app ? await readLocalAppPackage(ctx, config) : undefined
  const a = config.admin
  const signIn = adminSignInMethod(a)
  ctx.requests.adminSignIn = signIn
  const admin = ctx.deps.createClient(clientOptions(ctx, config, adminClientAuth(a)))
  out.line(out.style(`${config.desired.instance.url}`, 'bold'))
  // The plan's reads depend on nothing the preflight finds: they go out with its reads (plan-inputs.ts).
  const early: { planInputs?: Prefetch<PlanInputs> } = {}
  const onSignedIn = () => {
    if (needs.app) early.planInputs = new Prefetch(readPlanInputs(admin, config.desired))
    needs.onSignedIn?.(admin, { handoff })
  }
  const facts = await preflight(admin, { signIn, ...(a.user ? { user: a.user } : {}) }, { onSignedIn })
  return { ctx, config, admin, facts, handoff, pending, appPackage, ...early }
}

/** How every client of a run talks to the instance (timeout, request counting, debug log), for the given identity. */
export function clientOptions(ctx: CommandContext, config: ResolvedConfig, auth: AuthConfig): ClientOptions {
  return {
    instance: config.desired.instance.url,
    auth,
    userAgent: 'deploy-integration',
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    onRequest: countAnswers(ctx),
    ...(ctx.flags.debug ? { logger: (line: string) => ctx.out.errorText(`debug: ${line}`) } : {}),
  }
}

/** The hand-off file and an interrupted deploy's pending secrets, when they are for this instance. */
async function readCredentialFiles(ctx: CommandContext, config: ResolvedConfig, needs: SessionNeeds): Promise<{ handoff: Handoff | undefined; pending: PendingSecrets | undefined }> {
  const { out } = ctx
  let handoff: Handoff | undefined
  let pending: PendingSecrets | undefined
  if (config.credentialsOut) {
    await checkCredentialsPath(config.credentialsOut, { tenant: config.desired.instance.tenant, writes: needs.writesCredentials === true })
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
  return { handoff, pending }
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
  return {
    instance: config.desired.instance.url,
    admin,
    deps: ctx.deps,
    out: ctx.out,
    requests: ctx.requests,
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    ...(ctx.deps.sleep ? { sleep: ctx.deps.sleep } : {}),
  }
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
 * The app package for source package, read on this machine: the zip named by --app-package (or appPackage in the
 * config file), which must exist, or else the built one, if any (whether none is acceptable depends on the instance:
 * see resolveAppDesired).
 */
async function readLocalAppPackage(ctx: CommandContext, config: ResolvedConfig): Promise<AppPackageInfo | undefined> {
  const { source, packagePath } = config.desired.app
  if (source !== 'package') return undefined
  const { deps, io } = ctx
  let zip: string | undefined
  if (packagePath) {
    zip = resolve(io.cwd, packagePath)
    const given = ctx.flags['app-package'] !== undefined ? '--app-package' : `appPackage in ${ctx.configInput?.label ?? ctx.flags.config ?? 'the config file'}`
    const kind = await stat(zip).then((s) => (s.isDirectory() ? 'directory' : 'file'), () => 'missing')
    if (kind === 'missing') {
      throw usageError(
        `the app package ${zip} does not exist`,
        `the path given with ${given} is wrong (relative paths start from the current folder)`,
        'correct the path, or leave it out to use the built package (apps/servicenow-app/target/*.zip, `npm run build -w apps/servicenow-app`)',
      )
    }
    if (kind === 'directory') {
      throw usageError(`the app package ${zip} is a directory`, `${given} takes the .zip file itself`, `give the path of the zip, e.g. ${join(zip, 'target', `${APP.scope}.zip`)}`)
    }
  } else {
    const appDir = findAppDir(io.cwd)
    zip = appDir ? (await deps.findBuiltPackage(appDir))?.zip : undefined
    if (zip && !existsSync(zip)) zip = undefined
  }
  if (!zip) return undefined
  const info = await deps.readAppPackage(zip)
  return { path: zip, scope: info.scope, scopeId: info.scopeId, version: info.version }
}

/**
 * What the app step should install. For source package: the package read before the instance was contacted; when
 * there is none (not built, none given) and the app is already installed, the app step is skipped with a warning.
 */
export async function resolveAppDesired(session: Session): Promise<{ desired: AppDesired; warning?: string }> {
  const { source, version, replaceStoreApp } = session.config.desired.app
  const replace = replaceStoreApp ? { replaceStoreApp } : {}
  if (source !== 'package') return { desired: { source, ...(version ? { version } : {}), ...replace } }
  const pkg = session.appPackage
  if (!pkg) {
    if (session.facts.app) {
      return { desired: { source: 'store' }, warning: `no built app package found: the installed ${APP.scope} ${session.facts.app.version} is left as it is` }
    }
    throw usageError(
      'no app package to install',
      'the app is not installed on the instance, it has not been built here (apps/servicenow-app/target/*.zip), and no --app-package was given',
      'build it with `npm run build -w apps/servicenow-app`, pass --app-package ZIP, or use --app-source store|repo',
    )
  }
  return { desired: { source: 'package', package: pkg, ...replace } }
}
