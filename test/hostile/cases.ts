// The hostile-input corpus (issue 19): data, one row per case. hostile.test.ts runs each with the CLI in-process
// in a fresh folder and checks the exit code, the error line, the three-line form, that no secret is shown, and
// that nothing was left behind (no hand-off file, and for a local mistake no request to the instance at all).
import { EXIT_CODES, type ExitCode } from '@kandji-sn/contract/constants'
import type { FaultRule } from '@kandji-sn/instance-emulator'
import { hugeBody, htmlPage, json, loginRedirect, neverEnds, truncated, type Handler } from './servers.ts'

export type Group = 'instance URL' | 'name' | 'config file' | 'fleet file' | 'environment' | 'instance answer' | 'TLS'

export interface HostileCase {
  name: string
  group: Group
  /** `{dir}` is the case's own folder. */
  argv: readonly string[]
  /** Over the default environment (SN_INSTANCE = the local test server, admin user and password); undefined removes. */
  env?: Record<string, string | undefined>
  /** Files written into the case folder first. */
  files?: Record<string, string | (() => string)>
  /** How the local server answers; unset: the mistake is local and the server must see no request. */
  answer?: Handler
  /** Run against the https server with a self-signed certificate. */
  tls?: true
  exit: ExitCode
  /** The `error:` line contains this. */
  error: string | RegExp
  /** The `cause:` or `fix:` line contains this, when the case is about telling the fix. */
  hint?: string | RegExp
  /** A value that must appear nowhere in the output (besides the admin password, always checked). */
  secret?: string
}

export const ADMIN_PASSWORD = 'Adm1n-Hostile-Pw-7f3a'
const HANDOFF = '{dir}/handoff.json'
const plan = ['plan'] as const
const deploy = ['deploy', '--yes', '--app-package', '{dir}/none.zip', '--credentials-out', HANDOFF] as const
const usage = EXIT_CODES.usage
const instance = EXIT_CODES.instance

const urlCase = (name: string, value: string, error: string | RegExp, extra: Partial<HostileCase> = {}): HostileCase => ({ name, group: 'instance URL', argv: [...plan, '--instance', value], exit: usage, error, ...extra })
const nameCase = (flag: '--service-account' | '--oauth-client', value: string, field: string): HostileCase => ({
  name: `${flag} ${JSON.stringify(value)}`,
  group: 'name',
  argv: [...deploy, flag, value],
  exit: usage,
  error: `${field} (from ${flag})`,
})
const UNEXPECTED = 'the instance answered with something unexpected (200 on GET'
const LONG = 'a'.repeat(5000)

export const CASES: readonly HostileCase[] = [
  // ---- instance URLs ----------------------------------------------------------------------------------------
  urlCase('http to a remote host', 'http://acme.service-now.com', '"acme.service-now.com" must be reached over https'),
  urlCase('http to a look-alike of localhost', 'http://localhost.evil.example', 'must be reached over https'),
  urlCase('http to 127.0.0.1 inside another name', 'http://127.0.0.1.nip.io', 'must be reached over https'),
  urlCase('a path', 'https://acme.service-now.com/now/nav/ui/home', 'without a path, query or fragment'),
  urlCase('a query', 'https://acme.service-now.com?sysparm_x=1', 'without a path, query or fragment'),
  urlCase('a fragment', 'https://acme.service-now.com#top', 'without a path, query or fragment'),
  urlCase('a path without a scheme', 'acme.service-now.com/api/now', 'without a path, query or fragment'),
  urlCase('credentials in the URL', 'https://admin:S3cret-In-Url@acme.service-now.com', 'the instance URL contains credentials', { secret: 'S3cret-In-Url' }),
  urlCase('a user name in the URL', 'https://admin@acme.service-now.com', 'the instance URL contains credentials'),
  urlCase('credentials in a URL that does not parse', 'https://admin:S3cret-Bad@acme service-now.com', 'is not a URL', { secret: 'S3cret-Bad' }),
  urlCase('ftp', 'ftp://acme.service-now.com', '"ftp:" is not supported'),
  urlCase('javascript:', 'javascript:alert(1)', /not a URL|is not supported|must be a host only/),
  urlCase('file:', 'file:///etc/passwd', /is not supported/),
  urlCase('unicode host (Cyrillic а in "acme")', 'https://\u0430cme.service-now.com', 'contains characters that are not plain ASCII'),
  urlCase('unicode tenant', '\u0430cme', 'contains characters that are not plain ASCII'),
  urlCase('punycode host', 'https://xn--cme-8cd.service-now.com', 'is an internationalized (punycode) name'),
  urlCase('an IPv4 literal', 'https://10.1.2.3', 'is an IP address'),
  urlCase('an IPv6 literal', 'https://[2001:db8::1]', 'is an IP address'),
  urlCase('an IPv4 literal in hex', 'https://0x0a010203', 'is an IP address'),
  urlCase('trailing junk after a space', 'acme.service-now.com junk', 'is not a URL'),
  urlCase('trailing shell junk', 'acme;rm -rf ~', /not a URL|not a valid instance name/),
  urlCase('a port out of range', 'https://acme.service-now.com:99999', 'is not a URL'),
  urlCase('a tenant with an underscore', 'acme_dev', 'is not a valid instance name'),
  urlCase('a very long tenant', LONG, /^error: invalid configuration: instance \(from --instance\): "a{60}…" is not a valid instance name/),
  urlCase('a very long host', `https://${'a'.repeat(70)}.${LONG}.service-now.com`, /^error: invalid configuration: instance \(from --instance\): "a{60}…" is not a valid host name/),
  urlCase('a control character', 'acme\u0007', 'instance (from --instance): "acme\\u0007" contains characters that are not plain ASCII'),
  urlCase('an empty instance', '', 'the instance is empty'),
  // ---- names with encoded-query syntax or control characters -------------------------------------------------
  nameCase('--service-account', 'kandji^NQuser_name=admin', 'serviceAccount.userName'),
  nameCase('--service-account', 'user_name=admin', 'serviceAccount.userName'),
  nameCase('--service-account', 'kandji^ORDERBYsys_id', 'serviceAccount.userName'),
  nameCase('--service-account', '^', 'serviceAccount.userName'),
  nameCase('--service-account', 'kandji\nadmin', 'serviceAccount.userName'),
  nameCase('--service-account', 'kandji\u0000', 'serviceAccount.userName'),
  nameCase('--service-account', 'kandji\u001b[31m', 'serviceAccount.userName'),
  nameCase('--service-account', 'a'.repeat(41), 'serviceAccount.userName'),
  nameCase('--oauth-client', 'kandji^NQname=other', 'oauthClient.name'),
  nameCase('--oauth-client', 'kandji=1', 'oauthClient.name'),
  nameCase('--oauth-client', 'kandji^ORDERBYDESCsys_created_on', 'oauthClient.name'),
  nameCase('--oauth-client', 'kandji\r\nX-Injected: 1', 'oauthClient.name'),
  nameCase('--oauth-client', 'kandji\t', 'oauthClient.name'),
  nameCase('--oauth-client', 'x'.repeat(101), 'oauthClient.name'),
  { name: 'admin user with ^NQ (SN_ADMIN_USER)', group: 'name', argv: plan, env: { SN_ADMIN_USER: 'admin^NQuser_name=other' }, exit: usage, error: 'admin.user (from SN_ADMIN_USER)' },
  { name: 'admin user with a line break (SN_ADMIN_USER)', group: 'name', argv: plan, env: { SN_ADMIN_USER: 'admin\nother' }, exit: usage, error: 'admin.user (from SN_ADMIN_USER)' },
  { name: 'admin user with ^ from --admin-user', group: 'name', argv: [...plan, '--admin-user', 'x^ORDERBYuser_name'], exit: usage, error: 'admin.user (from --admin-user)' },
  { name: 'service account name with ^ in a config file', group: 'name', argv: [...plan, '--config', '{dir}/c.json'], files: { 'c.json': '{"serviceAccount":{"userName":"a^NQb"}}' }, exit: usage, error: 'serviceAccount.userName (from {dir}/c.json)' },
  // ---- config files ---------------------------------------------------------------------------------------
  { name: 'config: not JSON, the password not shown', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], files: { 'c.json': '{"admin":{"user":"a","password":Hunter2-Cfg}}' }, exit: usage, error: 'is not valid JSON at line 1, column 33', secret: 'Hunter2-Cfg' },
  { name: 'config: truncated JSON', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], files: { 'c.json': '{"instance": "acme", "serviceAccount": {' }, exit: usage, error: 'is not valid JSON' },
  { name: 'config: empty file', group: 'config file', argv: [...plan, '--config', '{dir}/c.yaml'], files: { 'c.yaml': '' }, exit: usage, error: 'must hold an object' },
  { name: 'config: a list', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], files: { 'c.json': '[1,2]' }, exit: usage, error: 'must hold an object' },
  { name: 'config: a single string', group: 'config file', argv: [...plan, '--config', '{dir}/c.yaml'], files: { 'c.yaml': 'acme\n' }, exit: usage, error: 'must hold an object' },
  { name: 'config: instance is a number', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], env: { SN_INSTANCE: undefined }, files: { 'c.json': '{"instance":42}' }, exit: usage, error: 'instance (from {dir}/c.json)' },
  { name: 'config: serviceAccount is a string', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], files: { 'c.json': '{"serviceAccount":"kandji"}' }, exit: usage, error: 'serviceAccount (from {dir}/c.json)' },
  { name: 'config: admin is a list', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], env: { SN_ADMIN_USER: undefined, SN_ADMIN_PASSWORD: undefined }, files: { 'c.json': '{"admin":["a","b"]}' }, exit: usage, error: /no admin user given|admin \(from/ },
  { name: 'config: an unknown key', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], files: { 'c.json': '{"instanse":"acme"}' }, exit: usage, error: /Unrecognized key.*instanse/ },
  { name: 'config: __proto__ key', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], files: { 'c.json': '{"__proto__":{"polluted":true}}' }, exit: usage, error: /Unrecognized key|invalid configuration/ },
  { name: 'config: YAML alias bomb', group: 'config file', argv: [...plan, '--config', '{dir}/c.yaml'], files: { 'c.yaml': aliasBomb() }, exit: usage, error: /too many aliases|is not valid YAML/ },
  { name: 'config: deeply nested JSON', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], files: { 'c.json': () => `{"serviceAccount":${'['.repeat(100_000)}${']'.repeat(100_000)}}` }, exit: usage, error: 'nests values more than 32 levels deep' },
  { name: 'config: binary garbage', group: 'config file', argv: [...plan, '--config', '{dir}/c.json'], files: { 'c.json': '\u0000\u0001\u00ff\u00fe garbage' }, exit: usage, error: 'is not valid JSON' },
  { name: 'config: huge (20 MiB)', group: 'config file', argv: [...plan, '--config', '{dir}/c.yaml'], files: { 'c.yaml': () => `instance: acme\nnotes: "${'x'.repeat(20 * 1024 * 1024)}"\n` }, exit: usage, error: /is larger than 1 MiB \(\d+ bytes\)$/ },
  { name: 'config: a folder', group: 'config file', argv: [...plan, '--config', '{dir}'], exit: usage, error: 'is a directory' },
  { name: 'config: missing', group: 'config file', argv: [...plan, '--config', '{dir}/nope.yaml'], exit: usage, error: 'it does not exist' },
  // ---- fleet files ----------------------------------------------------------------------------------------
  { name: 'fleet: not YAML', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.yaml'], files: { 'f.yaml': 'instances:\n  - instance: "acme\n' }, exit: usage, error: 'is not valid YAML' },
  { name: 'fleet: no instances', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.yaml'], files: { 'f.yaml': 'instances: []\n' }, exit: usage, error: 'list at least one instance' },
  { name: 'fleet: instances is a string', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.yaml'], files: { 'f.yaml': 'instances: acme\n' }, exit: usage, error: 'instances' },
  { name: 'fleet: concurrency 1000', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.yaml'], files: { 'f.yaml': 'concurrency: 1000\ninstances:\n  - instance: acme\n' }, exit: usage, error: 'concurrency' },
  { name: 'fleet: concurrency "4"', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.yaml'], files: { 'f.yaml': 'concurrency: "4"\ninstances:\n  - instance: acme\n' }, exit: usage, error: 'concurrency' },
  { name: 'fleet: the same instance twice', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.yaml'], files: { 'f.yaml': 'instances:\n  - instance: acme\n  - instance: https://ACME.service-now.com\n' }, exit: usage, error: 'instances[1].instance: https://acme.service-now.com is listed twice (also at instances[0])' },
  { name: 'fleet: a lower-case adminEnvPrefix', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.yaml'], files: { 'f.yaml': 'instances:\n  - instance: acme\n    adminEnvPrefix: acme\n' }, exit: usage, error: 'adminEnvPrefix' },
  { name: 'fleet: an entry with http to a remote host', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.yaml'], files: { 'f.yaml': 'instances:\n  - instance: http://acme.service-now.com\n' }, exit: usage, error: 'must be reached over https' },
  { name: 'fleet: a name with ^NQ in the defaults', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.yaml'], files: { 'f.yaml': 'defaults:\n  serviceAccount:\n    userName: "a^NQb"\ninstances:\n  - instance: acme\n' }, exit: usage, error: 'serviceAccount.userName' },
  { name: 'fleet: huge (20 MiB)', group: 'fleet file', argv: ['fleet', 'plan', '--config', '{dir}/f.json'], files: { 'f.json': () => `{"instances":[${'{"instance":"acme"},'.repeat(1_100_000)}{"instance":"last"}]}` }, exit: usage, error: /is larger than 1 MiB \(\d+ bytes\)$/ },
  { name: 'fleet: no --config', group: 'fleet file', argv: ['fleet', 'plan'], exit: usage, error: /--config/ },
  // ---- environment values ---------------------------------------------------------------------------------
  { name: 'SN_INSTANCE with a line break', group: 'environment', argv: plan, env: { SN_INSTANCE: 'acme\nevil' }, exit: usage, error: 'instance (from SN_INSTANCE): "acme\\nevil" contains characters that are not plain ASCII' },
  { name: 'SN_INSTANCE URL with a line break', group: 'environment', argv: plan, env: { SN_INSTANCE: 'https://acme.service-now.com\n/x' }, exit: usage, error: /instance \(from SN_INSTANCE\)/ },
  { name: 'SN_ADMIN_TOKEN with a line break', group: 'environment', argv: plan, env: { SN_ADMIN_PASSWORD: undefined, SN_ADMIN_TOKEN: 'tok-Secret-1\nX-Other: 1' }, exit: usage, error: 'admin.token (from SN_ADMIN_TOKEN): must be the value itself', secret: 'tok-Secret-1' },
  { name: 'SN_ADMIN_API_KEY with a trailing newline', group: 'environment', argv: plan, env: { SN_ADMIN_PASSWORD: undefined, SN_ADMIN_API_KEY: 'key-Secret-2\n' }, exit: usage, error: 'admin.apiKey (from SN_ADMIN_API_KEY): must be the value itself', secret: 'key-Secret-2' },
  { name: 'SN_ADMIN_CLIENT_ID with a carriage return', group: 'environment', argv: plan, env: { SN_ADMIN_PASSWORD: undefined, SN_ADMIN_USER: undefined, SN_ADMIN_CLIENT_ID: 'cid\r', SN_ADMIN_CLIENT_SECRET: 'cs-Secret-3' }, exit: usage, error: 'admin.clientId (from SN_ADMIN_CLIENT_ID)', secret: 'cs-Secret-3' },
  { name: 'SN_ADMIN_USER with a tab', group: 'environment', argv: plan, env: { SN_ADMIN_USER: 'admin\t' }, exit: usage, error: 'admin.user (from SN_ADMIN_USER)' },
  { name: 'NODE_TLS_REJECT_UNAUTHORIZED=0', group: 'environment', argv: plan, env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' }, exit: usage, error: 'NODE_TLS_REJECT_UNAUTHORIZED=0 is set', hint: 'NODE_EXTRA_CA_CERTS' },
  { name: '--timeout with a line break', group: 'environment', argv: [...plan, '--timeout', '5\n'], exit: usage, error: '--timeout must be a whole number of seconds from 1 to 3600, not "5\\n"' },
  // ---- what the instance answers --------------------------------------------------------------------------
  { name: 'every answer an HTML page', group: 'instance answer', argv: plan, answer: htmlPage, exit: instance, error: 'the instance answered with a web page instead of JSON (200 on GET', hint: 'wake the instance' },
  { name: 'a login redirect', group: 'instance answer', argv: plan, answer: loginRedirect, exit: instance, error: 'the instance sent the request to its login page instead of answering it (302 on GET' },
  { name: 'a redirect to another host', group: 'instance answer', argv: plan, answer: (_q, r) => void r.writeHead(302, { location: 'https://signon.service-now.com/x' }).end(), exit: instance, error: 'the instance answered with a web page instead of JSON (302 on GET' },
  { name: 'invalid JSON', group: 'instance answer', argv: plan, answer: json(200, '{result: nope}'), exit: instance, error: UNEXPECTED, hint: 'sent something unexpected' },
  { name: 'truncated JSON (the connection closes early)', group: 'instance answer', argv: plan, answer: truncated, exit: instance, error: 'the connection to the instance failed (on GET' },
  { name: 'truncated JSON (complete as sent)', group: 'instance answer', argv: plan, answer: json(200, '{"result":[{"sys_id":"abc"'), exit: instance, error: UNEXPECTED, hint: 'sent something unexpected' },
  { name: 'JSON of the wrong shape: result a string', group: 'instance answer', argv: plan, answer: json(200, '{"result":"surprise"}'), exit: instance, error: UNEXPECTED, hint: 'does not understand' },
  { name: 'JSON of the wrong shape: a list', group: 'instance answer', argv: plan, answer: json(200, '[]'), exit: instance, error: UNEXPECTED, hint: 'does not understand' },
  { name: 'JSON of the wrong shape: null', group: 'instance answer', argv: plan, answer: json(200, 'null'), exit: instance, error: UNEXPECTED, hint: 'does not understand' },
  { name: 'JSON of the wrong shape: records of numbers', group: 'instance answer', argv: plan, answer: json(200, '{"result":[1,2,3]}'), exit: instance, error: UNEXPECTED, hint: 'does not understand' },
  { name: 'an empty 200', group: 'instance answer', argv: plan, answer: (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end(), exit: instance, error: UNEXPECTED, hint: 'does not understand' },
  { name: 'a huge body (64 MiB, with Content-Length)', group: 'instance answer', argv: plan, answer: hugeBody(64, true), exit: instance, error: UNEXPECTED, hint: 'the answer was larger than 32 MiB' },
  { name: 'a huge body (64 MiB, chunked)', group: 'instance answer', argv: plan, answer: hugeBody(64, false), exit: instance, error: UNEXPECTED, hint: 'the answer was larger than 32 MiB' },
  { name: 'a response that never ends', group: 'instance answer', argv: plan, answer: neverEnds, exit: instance, error: 'the instance did not answer in time (on GET', hint: '--timeout SECONDS' },
  { name: 'a 500 with an HTML error page', group: 'instance answer', argv: plan, answer: (_q, r) => void r.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Error</body></html>'), exit: instance, error: 'the instance answered with a web page instead of JSON (500 on GET' },
  { name: 'a 401 whose body echoes the password', group: 'instance answer', argv: plan, answer: json(401, `{"error":{"message":"User Not Authenticated","detail":"bad password ${ADMIN_PASSWORD}"},"status":"failure"}`), exit: EXIT_CODES.auth, error: "the instance refused the admin's basic-auth credentials (401 on GET" },
  // ---- TLS -------------------------------------------------------------------------------------------------
  { name: 'a self-signed certificate', group: 'TLS', argv: plan, tls: true, answer: json(200, '{"result":[]}'), exit: instance, error: 'the TLS handshake with the instance failed', hint: 'NODE_EXTRA_CA_CERTS' },
  { name: 'a self-signed certificate with NODE_TLS_REJECT_UNAUTHORIZED=0', group: 'TLS', argv: plan, tls: true, env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' }, exit: usage, error: 'NODE_TLS_REJECT_UNAUTHORIZED=0 is set' },
]

/** A "billion laughs" YAML file: ten aliases of ten aliases of ... */
function aliasBomb(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`)
  lines.push('instance: *a9')
  return `${lines.join('\n')}\n`
}

/**
 * Answers from the emulator's fault kinds (tools/instance-emulator/src/faults.ts) during a first `deploy`. `writes`
 * is what the instance holds afterwards: nothing, or (an answer lost after the work) what the output must report.
 */
export interface EmulatorCase {
  name: string
  rule: FaultRule
  exit: ExitCode
  error: string | RegExp
  hint?: string | RegExp
  /** 'none': the instance is as before; 'reported': it changed, and the output says the request may have been done. */
  writes: 'none' | 'reported'
}

export const EMULATOR_CASES: readonly EmulatorCase[] = [
  { name: 'every answer the hibernation page', rule: { kind: 'html' }, exit: instance, error: 'the instance answered with a web page instead of JSON', writes: 'none' },
  { name: 'every answer a login redirect', rule: { kind: 'login-redirect' }, exit: instance, error: 'the instance sent the request to its login page instead of answering it', writes: 'none' },
  { name: 'every answer a 503', rule: { kind: 'status', status: 503 }, exit: instance, error: 'the instance failed to process a request (503 on GET', writes: 'none' },
  { name: 'every answer a 429 asking to wait an hour', rule: { kind: 'status', status: 429, retryAfterSeconds: 3600 }, exit: instance, error: /429 on GET/, hint: /3600|an hour|60 minutes/, writes: 'none' },
  { name: 'every connection reset', rule: { kind: 'reset' }, exit: instance, error: 'the connection to the instance failed', writes: 'none' },
  { name: 'no answer at all', rule: { kind: 'timeout' }, exit: instance, error: 'the instance did not answer in time', writes: 'none' },
  {
    name: 'the answer to creating the service account lost after the instance created it',
    rule: { kind: 'reset-after', method: 'POST', path: '/api/now/table/sys_user' },
    exit: instance,
    error: 'the connection to the instance dropped in the middle of the run (on POST /api/now/table/sys_user)',
    hint: 'the instance may have done the request before its answer was lost',
    writes: 'reported',
  },
]
