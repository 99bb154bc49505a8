import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { unzipSync } from 'fflate'
import { AppPackageError } from './errors.ts'
import { checkInventory, INVENTORY_PATH } from './inventory.ts'
import { parseXmlDocument, type XmlElement } from './parse-xml.ts'
import { parseRecordFile } from './records.ts'
import { buildTables } from './tables.ts'
import type { AppPackage, AppRecord, ValidationIssue } from './types.ts'

const REBUILD = 'rebuild the app (`now-sdk build` then `now-sdk pack`); the files are generated, do not edit them'

/** Reads a built app from its `dist/app` folder or from the zip `now-sdk pack` wrote. */
export async function readAppPackage(pathToDirOrZip: string): Promise<AppPackage> {
  const info = await stat(pathToDirOrZip).catch((e: NodeJS.ErrnoException) => {
    throw new AppPackageError(
      pathToDirOrZip,
      `cannot read the app package ${pathToDirOrZip} (${e.code ?? e.message})`,
      'the path does not exist or is not readable; the app may not have been built yet',
      'build the app (`npm run build -w apps/servicenow-app`) and pass its dist/app folder or target/*.zip',
    )
  })
  if (info.isDirectory()) {
    await requireBuildOutput(pathToDirOrZip)
    return readAppPackageFromFiles(await readDirectory(pathToDirOrZip), pathToDirOrZip)
  }
  if (info.isFile()) return readZip(new Uint8Array(await readFile(pathToDirOrZip)), pathToDirOrZip)
  throw new AppPackageError(
    pathToDirOrZip,
    `${pathToDirOrZip} is neither a folder nor a file`,
    'an app package is the dist/app folder of a build or the zip that `now-sdk pack` writes',
    'pass dist/app or target/<name>.zip',
  )
}

/** Reads the zip `now-sdk pack` writes (entries carry a leading slash, fluent-sdk-findings §3). */
export function readAppPackageFromZip(zip: Uint8Array): AppPackage {
  return readZip(zip, 'the zip')
}

function readZip(zip: Uint8Array, source: string): AppPackage {
  // local file header "PK\3\4", or the end-of-central-directory record "PK\5\6" of an empty zip
  const isZip = zip.length >= 4 && zip[0] === 0x50 && zip[1] === 0x4b && (zip[2] === 3 || zip[2] === 5)
  if (!isZip) {
    throw new AppPackageError(
      source,
      `${source} is not a zip file`,
      'an app package file must be the zip that `now-sdk pack` writes to target/',
      'pass target/<name>.zip, or the dist/app folder of the build',
    )
  }
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(zip)
  } catch (e) {
    throw new AppPackageError(
      source,
      `${source} is a corrupt zip (${(e as Error).message})`,
      'the file was truncated or damaged (an interrupted build, copy or download)',
      're-create it with `now-sdk pack` (or `npm run build -w apps/servicenow-app`)',
    )
  }
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  const files = new Map<string, string>()
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/')) continue
    files.set(name, decoder.decode(bytes))
  }
  return readAppPackageFromFiles(files, source)
}

/** Refuses a folder that is not a build output before walking it (a project folder holds node_modules). */
async function requireBuildOutput(dir: string): Promise<void> {
  const isDir = (p: string) => stat(p).then((s) => s.isDirectory(), () => false)
  if (await isDir(join(dir, 'scope'))) return
  const project = await isDir(join(dir, 'dist', 'app'))
  throw new AppPackageError(
    dir,
    `${dir} has no scope/ folder, so it holds no sys_app record`,
    project
      ? 'this is the app project folder; the build output is in its dist/app'
      : 'this is not the output of a Fluent build (`now-sdk build` writes dist/app/scope/sys_app_<scopeId>.xml)',
    project ? `pass ${join(dir, 'dist', 'app')} (or ${join(dir, 'target')}/<name>.zip)` : `pass <app>/dist/app or <app>/target/*.zip; ${REBUILD}`,
  )
}

async function readDirectory(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = join(entry.parentPath, entry.name)
    files.set(relative(root, full).split(sep).join('/'), decoder.decode(await readFile(full)))
  }
  return files
}

/** Reads a built app from its files: path inside the package (leading slash optional) -> file text. */
export function readAppPackageFromFiles(input: Map<string, string>, source = 'the package'): AppPackage {
  const files = new Map<string, string>()
  for (const [path, text] of input) files.set(normalizePath(path), text)
  if (files.size === 0) {
    throw new AppPackageError(source, `${source} holds no files`, 'the build produced nothing or the wrong folder was given', `pass the dist/app folder or target/*.zip; ${REBUILD}`)
  }

  const problems: ValidationIssue[] = []
  const records: AppRecord[] = []
  const bootstraps: XmlElement[] = []
  for (const path of [...files.keys()].sort()) {
    const text = files.get(path)!
    if (path === INVENTORY_PATH) continue
    if (!path.toLowerCase().endsWith('.xml')) {
      throw new AppPackageError(
        path,
        `${source} contains ${path}, which is not an XML file`,
        'a built app holds only XML records and package_inventory.csv; something else was copied into it',
        `remove ${path}, or ${REBUILD}`,
      )
    }
    if (path.startsWith('dictionary/')) {
      const parsed = parseXmlDocument(text)
      if ('problem' in parsed) problems.push({ severity: 'error', path, message: `${parsed.problem}; ${REBUILD}` })
      else if (parsed.root.tag !== 'database') {
        problems.push({ severity: 'error', path, message: `a table bootstrap must be <database>, found <${parsed.root.tag}>; ${REBUILD}` })
      } else bootstraps.push(parsed.root)
      continue
    }
    const parsed = parseRecordFile(path, text)
    if ('problem' in parsed) problems.push({ severity: 'error', path, message: `${parsed.problem}; ${REBUILD}` })
    else records.push(parsed.record)
  }

  const app = records.find((r) => r.table === 'sys_app' && r.action !== 'DELETE')
  if (!app) {
    const broken = problems.find((p) => p.path.startsWith('scope/'))
    throw new AppPackageError(
      broken?.path ?? source,
      `${source} has no sys_app record${broken ? ` (${broken.path}: ${broken.message.split(';')[0]})` : ''}`,
      'this is not the output of a Fluent build (no scope/sys_app_<scopeId>.xml), or that file is broken; a project folder instead of its dist/app also looks like this',
      `pass <app>/dist/app or <app>/target/*.zip; ${REBUILD}`,
    )
  }
  const scope = app.fields['scope'] ?? ''
  if (!scope || !app.sysId) {
    throw new AppPackageError(
      app.path,
      `${app.path} has no ${scope ? 'sys_id' : 'scope'}`,
      'the sys_app record is incomplete, so the app cannot be identified',
      `set scope and scopeId in now.config.json, then ${REBUILD}`,
    )
  }
  const version = app.fields['version'] ?? ''
  const inventory = files.get(INVENTORY_PATH)
  if (inventory !== undefined) problems.push(...checkInventory(inventory, files, { scope, version }))

  return {
    scope,
    scopeId: app.sysId,
    name: app.fields['name'] ?? '',
    version,
    records,
    tables: buildTables(bootstraps, records),
    files: [...files.keys()].sort(),
    readProblems: problems,
  }
}

/** Records of one table (top-level records, not embedded child rows). */
export function recordsOf(pkg: AppPackage, table: string): AppRecord[] {
  return pkg.records.filter((r) => r.table === table)
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '')
}
