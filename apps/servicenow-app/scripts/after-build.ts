// After `now-sdk pack`: scan the packed app (validation, scan rules, script lint: packages/app-package README
// "Scan rules") and write its update set beside the zip, target/<name>_update_set.xml, for a Store submission or a
// manual "Import Update Set from XML". An error-level finding fails the build.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { findingText, readAppPackage, readAppProject, scanWithLint, toUpdateSetXml, updateSetPathFor } from '@kandji-sn/app-package'
import { APP } from '@kandji-sn/contract/constants'
import { appRoot, readPackageJson } from './generate.ts'

/** now-sdk pack's zip name: snake_case(package name + '_' + version) (fluent-sdk-findings §3). */
export function packedZipName(name: string, version: string): string {
  return `${`${name}_${version}`.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase()}.zip`
}

async function main(): Promise<void> {
  const pkgJson = readPackageJson()
  const zipPath = join(appRoot, 'target', packedZipName(pkgJson.name, pkgJson.version))
  if (!existsSync(zipPath)) {
    process.stderr.write(
      `error: ${zipPath} does not exist\ncause: now-sdk pack did not run or named the zip differently\n` +
        'fix:   run `npm run build` in apps/servicenow-app (it packs before this step)\n',
    )
    process.exit(1)
  }
  const pkg = await readAppPackage(zipPath)
  const findings = await scanWithLint(pkg, { project: readAppProject(appRoot) })
  for (const f of findings) process.stderr.write(`${findingText(f)}\n`)
  const errors = findings.filter((f) => f.severity === 'error')
  if (errors.length > 0) {
    process.stderr.write(
      `error: the packed app has ${errors.length} error-level finding(s) (listed above)\n` +
        'cause: the Fluent source produced records or scripts the app-package scan rejects\n' +
        'fix:   apply the fix under each finding and build again\n',
    )
    process.exit(1)
  }
  const out = updateSetPathFor(zipPath)
  writeFileSync(out, toUpdateSetXml(pkg, { name: `${APP.name} ${pkg.version}` }))
  process.stdout.write(`wrote ${out}\n`)
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main()
