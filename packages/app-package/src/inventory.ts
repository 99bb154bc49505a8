import { createHash } from 'node:crypto'
import type { ValidationIssue } from './types.ts'

export const INVENTORY_PATH = 'package_inventory.csv'

/**
 * Checks `package_inventory.csv`, which `now-sdk pack` writes before zipping (fluent-sdk-findings §3):
 * `#key=value` header lines (`#build=<scope>`, `#appVersion=…`) then one `path;sha256` line per file.
 * A mismatch means the package was edited or truncated after it was packed.
 */
export function checkInventory(
  csv: string,
  files: Map<string, string>,
  app: { scope: string; version: string },
): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const issue = (severity: ValidationIssue['severity'], message: string) =>
    issues.push({ severity, path: INVENTORY_PATH, message })
  const listed = new Set<string>()
  const header = new Map<string, string>()
  csv.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '') return
    if (line.startsWith('#')) {
      const eq = line.indexOf('=')
      if (eq > 0) header.set(line.slice(1, eq), line.slice(eq + 1))
      return
    }
    const [path, hash, ...rest] = line.split(';')
    if (!path || !hash || rest.length > 0 || !/^[0-9a-f]{64}$/i.test(hash)) {
      issue('error', `line ${index + 1} is not "<path>;<sha256>": ${JSON.stringify(raw.slice(0, 120))}. Re-run \`now-sdk pack\` to rewrite the inventory.`)
      return
    }
    listed.add(path)
    const content = files.get(path)
    if (content === undefined) {
      issue('error', `lists ${path}, which is not in the package: the package is incomplete. Rebuild it (\`now-sdk build\` then \`now-sdk pack\`).`)
    } else if (sha256(content) !== hash.toLowerCase()) {
      issue('error', `${path} differs from the file that was packed (sha256 mismatch): it was edited after \`now-sdk pack\`. Rebuild and re-pack instead of editing the output.`)
    }
  })
  for (const path of files.keys()) {
    if (path !== INVENTORY_PATH && !listed.has(path)) {
      issues.push({ severity: 'warning', path, message: `is not listed in ${INVENTORY_PATH}: it was added after \`now-sdk pack\`. Rebuild and re-pack so the inventory covers it.` })
    }
  }
  const build = header.get('build')
  if (build !== undefined && build !== app.scope) {
    issue('error', `says #build=${build} but the app's scope is ${app.scope}: the inventory belongs to another app. Re-run \`now-sdk pack\`.`)
  }
  const appVersion = header.get('appVersion')
  if (appVersion !== undefined && appVersion !== app.version) {
    issue('warning', `says #appVersion=${appVersion} but sys_app has version ${app.version}: the package was packed from an older build. Re-run \`now-sdk build\` then \`now-sdk pack\`.`)
  }
  return issues
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
