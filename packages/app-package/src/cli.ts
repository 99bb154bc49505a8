import { writeFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { AppPackageError } from './errors.ts'
import { findBuiltPackage, updateSetPathFor } from './find.ts'
import { readAppPackage } from './read.ts'
import { toUpdateSetXml } from './update-set.ts'
import { crossScopePrivilegesOf } from './validate.ts'
import { countBySeverity, findingText, FORMATS, report, type Format } from './scan/format.ts'
import { scanWithLint } from './scan/index.ts'
import { findAppProject, readAppProject } from './scan/scan.ts'

const USAGE = `usage: app-package <app-dir | dist/app | target/*.zip> [--format text|json|sarif] [--project APP_DIR] [--no-lint]
                   [--update-set [FILE]] [--date "YYYY-MM-DD HH:mm:ss"] [--name NAME]
  Reads a built ServiceNow app, validates it and runs the scan rules and the script lint (README "Scan rules").
  --format json|sarif writes the report to stdout (the summary goes to stderr); text (default) lists findings on stderr.
  --project names the app project (package.json, keys.ts) when it is not the folder around the package.
  With --update-set, also writes the update set XML (default: beside the newest target/*.zip, <zip name>_update_set.xml).
  Exit 0 ok, 1 an error-level finding (nothing written), 2 usage or read error.`

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
  let format: Format = 'text'
  let projectDir: string | undefined
  let lint = true
  while (args.length > 0) {
    const arg = args.shift()!
    if (arg === '--update-set') updateSet = args[0] !== undefined && !args[0].startsWith('--') ? args.shift()! : true
    else if (arg === '--no-lint') lint = false
    else if (arg === '--date' || arg === '--name' || arg === '--format' || arg === '--project') {
      const value = args.shift()
      if (value === undefined || value.startsWith('--')) return usage(io, `${arg} needs a value`)
      if (arg === '--date') date = value
      else if (arg === '--name') name = value
      else if (arg === '--project') projectDir = value
      else if ((FORMATS as readonly string[]).includes(value)) format = value as Format
      else return usage(io, `--format must be one of ${FORMATS.join(', ')}, not "${value}"`)
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
    if (updateSet === true && !source.toLowerCase().endsWith('.zip')) return usage(io, '--update-set needs a FILE when reading a dist/app folder')
    const pkg = await readAppPackage(source)
    const project = projectDir !== undefined ? readAppProject(projectDir) : findAppProject(projectZip !== undefined ? target : source)
    const findings = await scanWithLint(pkg, project ? { project, lint } : { lint })
    const { errors, warnings, infos } = countBySeverity(findings)
    // json/sarif own stdout (CI redirects it to a file); everything else goes to stderr then
    const say = format === 'text' ? io.out : io.err
    if (format === 'text') for (const f of findings) io.err(findingText(f))
    else io.out(report(format, pkg, findings).trimEnd())
    say(`${pkg.scope} ${pkg.version}: ${pkg.records.length} records, ${pkg.tables.length} tables, ${errors} errors, ${warnings} warnings, ${infos} notes`)
    const privileges = crossScopePrivilegesOf(pkg)
    say(`cross-scope privileges (${privileges.length}): ${privileges.join(', ') || 'none'}`)
    if (errors > 0) return 1
    if (updateSet !== undefined) {
      const out = updateSet === true ? updateSetPathFor(source) : updateSet
      await writeFile(out, toUpdateSetXml(pkg, { date, name }))
      say(`update set written to ${out}`)
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
