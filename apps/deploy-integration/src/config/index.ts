import { ENV, EXIT_CODES } from '@kandji-sn/contract/constants'
import { deployConfigSchema, type AdminAuth, type DeployConfig } from '@kandji-sn/contract'
import type { Readable, Writable } from 'node:stream'
import { CliError, firstOf, usageError } from '../errors.ts'
import type { Flags } from '../flags.ts'
import type { DesiredState } from '../steps/desired.ts'
import { DEFAULT_ADMIN_ENV, type AdminEnvNames } from './admin-env.ts'
import { loadConfigFile } from './file.ts'
import { prompt } from './prompt.ts'

export interface ResolvedConfig {
  desired: DesiredState
  /** One sign-in method (contract adminAuthSchema; adminSignInMethod tells which). */
  admin: AdminAuth
  credentialsOut: string | undefined
  /** --timeout in milliseconds for every request of the client; undefined = the client's default (30 s). */
  timeoutMs: number | undefined
}

export interface ConfigIo {
  env: NodeJS.ProcessEnv
  /** When set, missing admin credentials (and the instance) are asked for on this terminal. */
  terminal?: { input: Readable & { isTTY?: boolean }; output: Writable }
}

type Input = Record<string, unknown>

/** Where a field's value came from, so an error can say which flag, variable or file key to fix. */
type Sources = Map<string, string>

function setPath(target: Input, path: readonly string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {}
    node = node[key] as Input
  }
  node[path[path.length - 1] as string] = value
}

function getPath(target: Input, path: readonly string[]): unknown {
  let node: unknown = target
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Input)[key]
  }
  return node
}

const FLAG_FIELDS: ReadonlyArray<[keyof Flags, string[]]> = [
  ['instance', ['instance']],
  ['admin-user', ['admin', 'user']],
  ['service-account', ['serviceAccount', 'userName']],
  ['oauth-client', ['oauthClient', 'name']],
  ['app-source', ['appSource']],
  ['app-package', ['appPackage']],
  ['app-version', ['appVersion']],
]

export { adminEnvNames, DEFAULT_ADMIN_ENV, type AdminEnvNames } from './admin-env.ts'

const envFields = (admin: AdminEnvNames): ReadonlyArray<[string, string[]]> => [
  [ENV.instance, ['instance']],
  [admin.user, ['admin', 'user']],
  [admin.password, ['admin', 'password']],
  [admin.clientId, ['admin', 'clientId']],
  [admin.clientSecret, ['admin', 'clientSecret']],
  [admin.token, ['admin', 'token']],
  [admin.apiKey, ['admin', 'apiKey']],
]

/** A config already loaded (one fleet entry): its label for messages, and the entry's admin variables if it names any. */
export interface ConfigInput {
  value: unknown
  label: string
  /** From adminEnvPrefix (ACME -> ACME_USER, ACME_PASSWORD, ACME_CLIENT_ID, ACME_CLIENT_SECRET, ACME_TOKEN, ACME_API_KEY): read instead of SN_ADMIN_*. */
  adminEnv?: AdminEnvNames
}

/**
 * Builds the deploy config: flags > environment > config file (an object already loaded, e.g. one fleet entry,
 * or the file named by --config) > a masked prompt on a terminal. Validated by the contract's deployConfigSchema;
 * errors name the field and where its value came from.
 */
export async function resolveConfig(flags: Flags, io: ConfigIo, fileInput?: ConfigInput): Promise<ResolvedConfig> {
  const adminEnv: AdminEnvNames = fileInput?.adminEnv ?? DEFAULT_ADMIN_ENV
  const sources: Sources = new Map()
  let input: Input = {}
  let file = fileInput
  if (!file && flags.config) file = { value: await loadConfigFile(flags.config), label: flags.config }
  if (file) {
    if (typeof file.value !== 'object' || file.value === null || Array.isArray(file.value)) {
      throw usageError(`the config file ${file.label} must hold an object (keys such as instance, serviceAccount)`, 'the file is empty or holds a list or a single value', 'see the README for an example config')
    }
    input = structuredClone(file.value) as Input
    for (const key of Object.keys(input)) sources.set(key, `${file.label}`)
  }
  for (const [name, path] of envFields(adminEnv)) {
    const value = io.env[name]
    if (value !== undefined && value !== '') {
      setPath(input, path, value)
      sources.set(path.join('.'), name)
    }
  }
  for (const [flag, path] of FLAG_FIELDS) {
    const value = flags[flag]
    if (typeof value === 'string') {
      setPath(input, path, value)
      sources.set(path.join('.'), `--${flag}`)
    }
  }

  if (io.terminal?.input.isTTY) {
    const ask = async (path: string[], question: string, mask: boolean) => {
      if (getPath(input, path) !== undefined) return
      const answer = (await prompt(io.terminal!.input, io.terminal!.output, question, mask)).trim()
      if (answer !== '') {
        setPath(input, path, answer)
        sources.set(path.join('.'), 'the prompt')
      }
    }
    await ask(['instance'], 'ServiceNow instance (e.g. acme): ', false)
    // A token, an API key or an OAuth client is a sign-in method of its own: nothing to ask (client credentials
    // need no password; for the password grant set the password too).
    if (!tokenSignIn(input)) {
      await ask(['admin', 'user'], 'Admin user: ', false)
      await ask(['admin', 'password'], 'Admin password: ', true)
    }
  }

  if (input.instance === undefined) {
    throw usageError('no instance given', `neither --instance nor ${ENV.instance} nor "instance" in a config file is set`, `pass --instance acme (or https://acme.service-now.com), or set ${ENV.instance}`)
  }
  const admin = getPath(input, ['admin']) as Input | undefined
  if (!tokenSignIn(input) && (admin?.user === undefined || admin?.password === undefined)) {
    const field = admin?.user === undefined ? 'user' : 'password'
    const missing = adminEnv[field]
    const where = fileInput ? fileInput.label : 'the config file'
    throw new CliError(
      EXIT_CODES.usage,
      `no admin ${field} given`,
      `${missing} is not set, ${where} has no admin.${field}, and there is no terminal to ask on`,
      // A fleet entry runs without a terminal: its credentials come only from the variables or the entry.
      `set ${adminEnv.user} and ${adminEnv.password}${fileInput ? '' : ' (or run in a terminal to be prompted)'}; or sign in without a password: ${adminEnv.clientId} + ${adminEnv.clientSecret} (an OAuth client), ${adminEnv.token} (a bearer token) or ${adminEnv.apiKey} (a REST API key)`,
    )
  }

  const parsed = deployConfigSchema.safeParse(input)
  if (!parsed.success) {
    // One problem per value: an empty name fails both "at least 1 character" and the character rule; the first says it.
    const seen = new Set<string>()
    const issues = parsed.error.issues.filter((issue) => {
      const key = issue.path.map(String).join('.')
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    const lines = issues.map((issue) => {
      const path = issue.path.map(String)
      const name = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)'
      let source: string | undefined
      for (let i = path.length; i > 0 && !source; i--) source = sources.get(path.slice(0, i).join('.'))
      // An issue about an object (admin: "clientId and clientSecret go together", "token replaces the password")
      // names the sources of its fields too: a config file's admin section and a variable can clash.
      if (path.length > 0) {
        const prefix = `${path.join('.')}.`
        const below = [...new Set([...(source ? [source] : []), ...[...sources].filter(([key]) => key.startsWith(prefix)).map(([, from]) => from)])]
        if (below.length > 0) source = below.join(', ')
      }
      const empty = issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1
      return `${name}${source ? ` (from ${source})` : ''}: ${empty ? 'must not be empty' : issue.message}`
    })
    throw usageError(`invalid configuration: ${firstOf(lines)}`, 'a flag, environment variable or config file key has a value the CLI cannot use', 'correct the field named above (see `deploy-integration --help` and the README)')
  }
  return toResolved(parsed.data, flags)
}

/** Whether the input names a sign-in method that needs no password of its own (a token, an API key, an OAuth client). */
function tokenSignIn(input: Input): boolean {
  const admin = getPath(input, ['admin']) as Input | undefined
  return admin?.token !== undefined || admin?.apiKey !== undefined || admin?.clientId !== undefined || admin?.clientSecret !== undefined
}

/** The largest --timeout: an hour, beyond which a request is not slow but stuck. */
export const MAX_TIMEOUT_SECONDS = 3600

/** --timeout SECONDS as milliseconds; undefined when not given. Whole seconds from 1 to MAX_TIMEOUT_SECONDS. */
export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const seconds = /^[0-9]{1,5}$/.test(value) ? Number(value) : NaN
  if (!(seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS)) {
    throw usageError(
      `--timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, not ${JSON.stringify(value)}`,
      '--timeout is how long to wait for each answer of the instance (default 30)',
      'pass e.g. --timeout 120 for a slow or waking instance',
    )
  }
  return seconds * 1000
}

function toResolved(config: DeployConfig, flags: Flags): ResolvedConfig {
  const secretSource = flags['secret-source'] ?? 'generate'
  if (secretSource !== 'generate' && secretSource !== 'instance') {
    throw usageError(`--secret-source must be generate or instance, not "${secretSource}"`, 'an unknown value was given', 'use --secret-source generate (default) or --secret-source instance')
  }
  if (flags['replace-store-app'] && config.appSource === 'store') {
    throw usageError(
      '--replace-store-app and app source store contradict each other',
      "--replace-store-app installs this project's app in place of the vendor's; --app-source store keeps the installed app as it is",
      'drop --replace-store-app to configure the installed app, or use --app-source package (or repo) with it',
    )
  }
  const admin = config.admin
  if (!admin) throw new Error('internal: admin credentials checked above')
  return {
    desired: {
      instance: config.instance,
      serviceAccount: {
        userName: config.serviceAccount.userName,
        ...(config.serviceAccount.password ? { password: config.serviceAccount.password } : {}),
        ...(config.serviceAccount.email ? { email: config.serviceAccount.email } : {}),
        webServiceOnly: !flags['interactive-account'],
      },
      oauthClient: {
        name: config.oauthClient.name,
        ...(config.oauthClient.clientSecret ? { clientSecret: config.oauthClient.clientSecret } : {}),
        secretSource,
      },
      app: {
        source: config.appSource,
        ...(config.appPackage ? { packagePath: config.appPackage } : {}),
        ...(config.appVersion ? { version: config.appVersion } : {}),
        ...(flags['replace-store-app'] ? { replaceStoreApp: true } : {}),
      },
      pruneRoles: flags['prune-roles'] === true,
    },
    admin,
    credentialsOut: flags['credentials-out'],
    timeoutMs: parseTimeout(flags.timeout),
  }
}
