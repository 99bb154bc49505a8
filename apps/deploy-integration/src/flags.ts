import { APP_SOURCES, ENV } from '@kandji-sn/contract/constants'

/** Every flag the CLI knows, with its help text; each command lists the ones it accepts. */
export const FLAG_SPECS = {
  instance: { type: 'string', arg: 'URL', help: `instance: a tenant such as "acme" or https://acme.service-now.com (env ${ENV.instance})` },
  'admin-user': { type: 'string', arg: 'NAME', help: `admin user name (env ${ENV.adminUser}); the password comes from ${ENV.adminPassword}, the config file or a prompt; or sign in with ${ENV.adminClientId}/${ENV.adminClientSecret}, ${ENV.adminToken} or ${ENV.adminApiKey}` },
  config: { type: 'string', arg: 'FILE', help: 'config file, JSON or YAML (deploy config; for fleet the fleet file)' },
  'credentials-out': { type: 'string', arg: 'FILE', help: 'hand-off file for Iru Endpoint (mode 0600): written by deploy/rotate, read by verify and re-deploys' },
  'service-account': { type: 'string', arg: 'NAME', help: 'service account user name (default kandji_rest_api_user)' },
  'oauth-client': { type: 'string', arg: 'NAME', help: 'OAuth client name (default kandji_oauth_api)' },
  'app-source': { type: 'string', arg: APP_SOURCES.join('|'), help: 'where the app comes from: the built package (default), the CI/CD app repository, or already installed from the Store' },
  'app-package': { type: 'string', arg: 'ZIP', help: 'app package zip for --app-source package (default: apps/servicenow-app/target/*.zip)' },
  'app-version': { type: 'string', arg: 'X.Y.Z', help: 'app version for --app-source repo' },
  'secret-source': { type: 'string', arg: 'generate|instance', help: 'client secret generated here (default) or left to the instance and read back [unverified on live instances]' },
  timeout: { type: 'string', arg: 'SECONDS', help: 'how long to wait for each answer of the instance, 1 to 3600 (default 30); the app install has its own 30-minute limit' },
  'replace-store-app': { type: 'boolean', help: "uninstall the vendor's Kandji Store app (and its data) when it holds the scope, and install this project's app instead" },
  'interactive-account': { type: 'boolean', help: 'do not set "Web service access only" (for releases that refuse ROPC for such users)' },
  'prune-roles': { type: 'boolean', help: 'remove direct roles of the service account beyond the three it needs' },
  'no-verify': { type: 'boolean', help: 'skip the verification endpoint at the end of deploy' },
  'with-status': { type: 'boolean', help: "verify: also read the app's status endpoint and add its figures to the result (JSON integrationStatus); fleet verify always does" },
  'as-service-account': { type: 'boolean', help: 'also run the smoke test as the service account (needs --credentials-out FILE)' },
  password: { type: 'boolean', help: 'rotate the service account password' },
  'client-secret': { type: 'boolean', help: 'rotate the OAuth client secret' },
  app: { type: 'boolean', help: 'uninstall the app too' },
  out: { type: 'string', arg: 'FILE|DIR', help: 'probe: where to write the emulator profile (JSON; written atomically); fleet: a folder for state.json, report.md, logs/ and handoff/ (0600)' },
  concurrency: { type: 'string', arg: 'N', help: "fleet: how many instances at once, 1 to 64 (default: the fleet file's concurrency, else 4)" },
  'instance-timeout': { type: 'string', arg: 'SECONDS', help: "fleet: the deadline of one instance's whole run; past it the instance is abandoned (exit 4) and its lane freed" },
  resume: { type: 'boolean', help: 'fleet: with --out DIR, skip the instances that ended ok in DIR/state.json (same command, fleet file and app version); run the rest' },
  shard: { type: 'string', arg: 'I/N', help: 'fleet: run only shard I of N (a stable slice by instance URL); N CI jobs with 1/N..N/N cover the fleet once' },
  'i-understand-this-writes': { type: 'boolean', help: 'probe: also run on an instance that does not look like a personal developer instance (it creates and removes kandji_probe_* objects)' },
  'detailed-exitcode': { type: 'boolean', help: 'plan: exit 5 when changes are pending, 0 when in sync (errors and blockers keep their codes)' },
  drift: { type: 'boolean', help: 'verify: also name every difference from the desired state (plan\'s changes and the extra roles deploy leaves alone); exit 5 when there is one and no check fails' },
  'force-unlock': { type: 'boolean', help: "remove another run's lock on the instance first (only when that run is no longer running: its message names it)" },
  yes: { type: 'boolean', short: 'y', help: 'do not ask for confirmation' },
  json: { type: 'boolean', help: 'machine-readable result on stdout; human text goes to stderr' },
  'show-secrets': { type: 'boolean', help: 'with --json: include the credentials in the JSON result' },
  'no-color': { type: 'boolean', help: 'no ANSI colours (also NO_COLOR, or when not a terminal)' },
  debug: { type: 'boolean', help: 'show stack traces with errors' },
  help: { type: 'boolean', short: 'h', help: 'show help' },
} as const

export type FlagName = keyof typeof FLAG_SPECS
export type Flags = {
  [K in FlagName]?: (typeof FLAG_SPECS)[K]['type'] extends 'string' ? string : boolean
}

export const OUTPUT_FLAGS = ['json', 'no-color', 'debug', 'help'] as const satisfies readonly FlagName[]
export const CONNECTION_FLAGS = ['instance', 'admin-user', 'config'] as const satisfies readonly FlagName[]
export const SETTINGS_FLAGS = ['service-account', 'oauth-client'] as const satisfies readonly FlagName[]
