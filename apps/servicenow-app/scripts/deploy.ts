// `npm run deploy`: installs the BUILT app (dist/app) on your own instance with `now-sdk install`.
// Headless (CI): SN_SDK_NODE_ENV=SN_SDK_CI_INSTALL, SN_SDK_INSTANCE_URL, and SN_SDK_USER + SN_SDK_USER_PWD
// (basic) or SN_SDK_AUTH_TYPE=oauth + SN_SDK_OAUTH_CLIENT_ID + SN_SDK_OAUTH_CLIENT_SECRET (fluent-sdk-findings §5).
// Interactive: `npx now-sdk auth --add <url>` once, then `npm run deploy -- --auth <alias>`.
// Extra arguments are passed to `now-sdk install` (e.g. --reinstall).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { appRoot } from './generate.ts'

export interface DeployProblem {
  error: string
  cause: string
  fix: string
}

/** What is missing before `now-sdk install` can run headless; names variables, never prints their values. */
export function ciProblems(env: NodeJS.ProcessEnv): DeployProblem[] {
  if (env.SN_SDK_NODE_ENV !== 'SN_SDK_CI_INSTALL') return []
  const problems: DeployProblem[] = []
  const url = env.SN_SDK_INSTANCE_URL ?? ''
  if (!url) {
    problems.push({ error: 'SN_SDK_INSTANCE_URL is not set', cause: 'CI install mode needs the instance to install on', fix: 'set SN_SDK_INSTANCE_URL=https://<instance>.service-now.com' })
  } else if (!/^https?:\/\/[^\s/]+\/?$/.test(url)) {
    problems.push({ error: `SN_SDK_INSTANCE_URL is not an instance URL: ${url}`, cause: 'it must be scheme and host only', fix: 'set it like https://acme.service-now.com' })
  }
  const type = env.SN_SDK_AUTH_TYPE ?? 'basic'
  const needed = type === 'basic' ? ['SN_SDK_USER', 'SN_SDK_USER_PWD'] : type === 'oauth' ? ['SN_SDK_OAUTH_CLIENT_ID', 'SN_SDK_OAUTH_CLIENT_SECRET'] : undefined
  if (!needed) {
    problems.push({ error: `SN_SDK_AUTH_TYPE=${type} is not supported`, cause: 'now-sdk accepts basic or oauth', fix: 'unset SN_SDK_AUTH_TYPE (basic) or set it to oauth' })
  } else {
    const missing = needed.filter((n) => !env[n])
    if (missing.length > 0) {
      problems.push({ error: `${missing.join(' and ')} not set`, cause: `SN_SDK_AUTH_TYPE=${type} needs ${needed.join(' and ')}`, fix: `set ${missing.join(' and ')} (from your CI secret store)` })
    }
  }
  return problems
}

function main(): void {
  const problems = ciProblems(process.env)
  if (!existsSync(join(appRoot, 'dist', 'app', 'scope'))) {
    problems.unshift({ error: 'dist/app has no built app', cause: 'now-sdk install packs whatever is in dist/app and does not build', fix: 'run `npm run build` first' })
  }
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`error: ${p.error}\ncause: ${p.cause}\nfix:   ${p.fix}\n`)
    process.exit(2)
  }
  const sdk = [join(appRoot, 'node_modules', '.bin', 'now-sdk'), join(appRoot, '..', '..', 'node_modules', '.bin', 'now-sdk')].find(existsSync)
  const result = spawnSync(sdk ?? 'now-sdk', ['install', ...process.argv.slice(2)], { cwd: appRoot, stdio: 'inherit', env: process.env })
  process.exit(result.status ?? 1)
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main()
