// The module loader: `require()` inside the sandbox resolves, from the INSTALLED sys_module records, the paths
// the SDK writes into glue code (`<scope>/<package>/<version>/src/server/…ts`) and the relative imports inside
// modules; '@servicenow/glide[/ns]' map to the Glide subset. ES module syntax is turned into CommonJS with
// esbuild (the compiled `content` keeps import/export; fluent-sdk-findings c).
import { posix } from 'node:path'
import vm from 'node:vm'
import { transformSync } from 'esbuild'
import { escapeQueryValue } from '../db/query.ts'
import type { Database } from '../db/database.ts'
import type { TableRecordRow } from '../types.ts'

const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'] as const

/**
 * Compiled module functions by path and content: shared by every sandbox of the process, and by every emulator
 * that installed the same app (their records' sys_ids differ, their code does not).
 */
const compiled = new Map<string, vm.Script>()
const MAX_COMPILED = 500

export class ModuleNotFoundError extends Error {
  constructor(specifier: string, from: string | undefined) {
    super(
      `Cannot find module '${specifier}'${from ? ` required from ${from}` : ''}: no installed sys_module has that path. ` +
        'The app is not installed, was built with a different package name or version, or the require path is wrong.',
    )
    this.name = 'ModuleNotFoundError'
  }
}

interface LoadedModule {
  exports: unknown
}

function candidates(path: string): string[] {
  const out = [path]
  if (!/\.(ts|js|mjs|cjs|json)$/.test(path)) out.push(`${path}.ts`, `${path}.js`, `${path}.json`, `${path}/index.ts`, `${path}/index.js`)
  return out
}

function compile(record: TableRecordRow): vm.Script {
  const path = record.path ?? record.sys_id ?? 'module'
  const key = `${path}\n${record.content ?? ''}`
  let script = compiled.get(key)
  if (script) return script
  let code: string
  try {
    code = transformSync(record.content ?? '', { format: 'cjs', loader: 'js', target: 'es2022', sourcefile: path }).code
  } catch (err) {
    throw new Error(`sys_module ${path} does not compile: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
  }
  script = new vm.Script(`(function (${WRAPPER_PARAMS.join(', ')}) {\n${code}\n})`, { filename: path })
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string)
  compiled.set(key, script)
  return script
}

export class ModuleLoader {
  readonly #db: Database
  readonly #context: vm.Context
  readonly #builtin: (specifier: string) => object | undefined
  readonly #cache = new Map<string, LoadedModule>()

  constructor(db: Database, context: vm.Context, builtin: (specifier: string) => object | undefined) {
    this.#db = db
    this.#context = context
    this.#builtin = builtin
  }

  /** The function scripts call as `require`; `from` is the requiring module's path (for relative specifiers). */
  requireFunction(from?: string): (specifier: unknown) => unknown {
    return (specifier: unknown) => this.require(String(specifier ?? ''), from)
  }

  require(specifier: string, from?: string): unknown {
    const builtin = this.#builtin(specifier)
    if (builtin) return builtin
    let path = specifier
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      if (!from) throw new ModuleNotFoundError(specifier, 'a script that is not a module (relative paths need a module)')
      path = posix.normalize(posix.join(posix.dirname(from), specifier))
    }
    const cached = this.#cache.get(path)
    if (cached) return cached.exports
    const record = this.#find(path)
    if (!record) throw new ModuleNotFoundError(specifier, from)
    const modulePath = record.path as string
    const already = this.#cache.get(modulePath)
    if (already) return already.exports
    const module: LoadedModule = { exports: {} }
    this.#cache.set(modulePath, module)
    this.#cache.set(path, module)
    if (modulePath.endsWith('.json')) {
      module.exports = JSON.parse(record.content ?? 'null')
      return module.exports
    }
    const fn = compile(record).runInContext(this.#context) as (...args: unknown[]) => void
    fn.call(module.exports, module.exports, this.requireFunction(modulePath), module, modulePath, posix.dirname(modulePath))
    return module.exports
  }

  /** One counted read per module path, like the instance's module lookup. */
  #find(path: string): TableRecordRow | undefined {
    const query = candidates(path)
      .map((p, i) => `${i === 0 ? '' : 'OR'}path=${escapeQueryValue(p)}`)
      .join('^')
    const rows = this.#db.query('sys_module', query)
    for (const p of candidates(path)) {
      const row = rows.find((r) => r.path === p)
      if (row) return row
    }
    return undefined
  }
}
