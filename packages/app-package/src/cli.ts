import { writeFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { AppPackageError } from './errors.ts'
import { findBuiltPackage, updateSetPathFor } from './find.ts'
import { readAppPackage } from './read.ts'
import { toUpdateSetXml } from './update-set.ts'
import { crossScopePrivilegesOf, validateAppPackage } from './validate.ts'

const USAGE = `usage: app-package <app-dir | dist/app | target/*.zip> [--update-set [FILE]] [--date "YYYY-MM-DD HH:mm:ss"] [--name NAME]
  Reads and validates a built ServiceNow app. With --update-set, also writes the update set XML
  (default: beside the newest target/*.zip, <zip name>_update_set.xml). Exit 0 ok, 1 validation errors, 2 usage or read error.`

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
}

/** `app-package` as a function (the build script runs it with `node --import tsx src/cli.ts …`). Returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const args = [...argv]
  let target: string | undefined
  let updateSet: string | true | undefined
  let date: string | undefined
  let name: string | undefined
  while (args.length > 0) {
    const arg = args.shift()!
    if (arg === '--update-set') updateSet = args[0] !== undefined && !args[0].startsWith('--') ? args.shift()! : true
    else if (arg === '--date' || arg === '--name') {
      const value = args.shift()
      if (value === undefined) return usage(io, `${arg} needs a value`)
      if (arg === '--date') date = value
      else name = value
    } else if (arg === '--help' || arg === '-h') {
      io.out(USAGE)
      return 0
    } else if (arg.startsWith('--') || target !== undefined) return usage(io, `unexpected argument ${arg}`)
    else target = arg
  }
  if (target === undefined) return usage(io, 'which app? pass the app folder, its dist/app or its target/*.zip')

  try {
    // an app project folder means: its dist/app, with the update set beside its newest zip
    const projectZip = await findBuiltPackage(target).then((f) => f.zip, () => undefined)
    const source = projectZip ?? target
    const pkg = await readAppPackage(source)
    const issues = validateAppPackage(pkg)
    for (const issue of issues) io.err(`${issue.severity}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`)
    const errors = issues.filter((i) => i.severity === 'error').length
    io.out(`${pkg.scope} ${pkg.version}: ${pkg.records.length} records, ${pkg.tables.length} tables, ${errors} errors, ${issues.length - errors} warnings`)
    const privileges = crossScopePrivilegesOf(pkg)
    io.out(`cross-scope privileges (${privileges.length}): ${privileges.join(', ') || 'none'}`)
    if (errors > 0) return 1
    if (updateSet !== undefined) {
      if (updateSet === true && !source.endsWith('.zip')) return usage(io, '--update-set needs a FILE when reading a dist/app folder')
      const out = updateSet === true ? updateSetPathFor(source) : updateSet
      await writeFile(out, toUpdateSetXml(pkg, { date, name }))
      io.out(`update set written to ${out}`)
    }
    return 0
  } catch (e) {
    if (e instanceof AppPackageError) {
      io.err(e.message)
      return 2
    }
    throw e
  }
}

function usage(io: CliIo, problem: string): number {
  io.err(`error: ${problem}\n${USAGE}`)
  return 2
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) })
}
