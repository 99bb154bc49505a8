// `npm run build`: generate -> now-sdk build --frozenKeys -> checks the SDK does not make -> now-sdk pack ->
// after-build (update set). Offline; fails on anything that would ship a broken app.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { appRoot, staleGeneratedFiles } from './generate.ts'

export interface Problem {
  error: string
  cause: string
  fix: string
}

/**
 * The SDK reports some fatal problems and still says "Build completed successfully" (fluent-sdk-findings §8):
 * a server module importing a package it cannot repack ships the bare import, which cannot resolve on an instance.
 */
export function problemsInSdkOutput(output: string): Problem[] {
  const problems: Problem[] = []
  const line = output.split('\n').find((l) => /RollupError|Could not resolve/.test(l))
  if (line) {
    problems.push({
      error: `now-sdk build could not bundle a server module import: ${line.trim()}`,
      cause: 'a file under src/server imports a package (e.g. @kandji-sn/contract) the SDK cannot repack; the shipped module would fail on the instance',
      fix: 'import contract names from src/server/generated/contract.ts (npm run generate) instead of the package',
    })
  }
  return problems
}

/** Text the SDK writes when it cannot evaluate a Fluent value, or stringifies an object into a string column. */
export const PLACEHOLDERS = ['Now.UNRESOLVED', '[object Object]']

/** Files in dist/app where the SDK wrote a placeholder instead of a value. */
export function unresolvedPlaceholders(distDir: string): string[] {
  const hits: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.xml')) {
        const xml = readFileSync(path, 'utf8')
        if (PLACEHOLDERS.some((p) => xml.includes(p))) hits.push(path)
      }
    }
  }
  walk(distDir)
  return hits
}

function fail(problem: Problem): never {
  process.stderr.write(`error: ${problem.error}\ncause: ${problem.cause}\nfix:   ${problem.fix}\n`)
  process.exit(1)
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: appRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
  process.stdout.write(output)
  if (result.error) {
    fail({ error: `could not run ${command} ${args.join(' ')}: ${result.error.message}`, cause: 'dependencies are not installed', fix: 'run `npm ci` at the repository root' })
  }
  if (result.status !== 0) {
    const keysStale = args.includes('--frozenKeys') && /Keys file is out-of-date/.test(output)
    fail({
      error: `${command} ${args.join(' ')} exited with ${result.status}`,
      cause: keysStale
        ? 'a record was added or renamed, so src/fluent/generated/keys.ts needs new entries'
        : 'see the SDK output above',
      fix: keysStale
        ? 'run `npx now-sdk build` once in apps/servicenow-app and commit src/fluent/generated/keys.ts'
        : 'fix the reported source problem and build again',
    })
  }
  return output
}

function main(): void {
  run(process.execPath, ['--import', 'tsx', 'scripts/generate.ts'])
  // generate only writes on change; in CI a stale committed file means someone forgot to commit it.
  const stale = staleGeneratedFiles()
  if (stale.length > 0) fail({ error: `generated files are stale: ${stale.join(', ')}`, cause: 'generate could not write them', fix: 'check file permissions' })

  const sdk = join('node_modules', '.bin', 'now-sdk')
  const sdkBin = [join(appRoot, sdk), join(appRoot, '..', '..', sdk)].find((p) => {
    try {
      return statSync(p).isFile()
    } catch {
      return false
    }
  })
  if (!sdkBin) fail({ error: 'now-sdk is not installed', cause: '@servicenow/sdk is missing from node_modules', fix: 'run `npm ci` at the repository root' })

  const buildOutput = run(sdkBin, ['build', '--frozenKeys'])
  const problems = problemsInSdkOutput(buildOutput)
  if (problems[0]) fail(problems[0])
  const unresolved = unresolvedPlaceholders(join(appRoot, 'dist', 'app'))
  if (unresolved.length > 0) {
    fail({
      error: `the build wrote a placeholder (${PLACEHOLDERS.join(' or ')}) into ${unresolved.join(', ')}`,
      cause: 'a Fluent value is computed in a way the SDK cannot evaluate statically (e.g. a function call), or an object was given to a string column',
      fix: 'use constants and template literals only in src/fluent (see src/fluent/bridges.ts)',
    })
  }
  run(sdkBin, ['pack'])
  run(process.execPath, ['--import', 'tsx', 'scripts/after-build.ts'])
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main()
