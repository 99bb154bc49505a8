// One node:vm context per request (a REST call, a fix script run, the rows one import request loaded): Glide
// globals, `require` for installed modules, `Class.create`, and the installed Script Includes — reachable as
// <scope>.Name, and by bare name from scripts of the same scope. Modules and Script Includes are evaluated once per
// sandbox; the next request gets a new sandbox, so nothing a script left behind reaches it. node:vm is isolation
// for correctness, not a security boundary: the emulator runs only code its user installed.
import vm from 'node:vm'
import type { TableRecordRow } from '../types.ts'
import type { ExecutionContext } from './context.ts'
import { createGlideApis, glideModule, namespaceObjects, type GlideApis } from './glide/namespaces.ts'
import { ModuleLoader } from './modules.ts'
import { guarded } from './script-guard.ts'

/** Synchronous scripts that run longer than this are stopped (an endless loop must not hang a test run). */
export const SCRIPT_TIMEOUT_MS = 30_000

const CLASS_BOOTSTRAP = `var Class = { create: function () { return function () { this.initialize.apply(this, arguments); }; } };`

/** Compiled scripts by filename + source: a vm.Script is not bound to a context, so every sandbox shares them. */
const compiled = new Map<string, vm.Script>()
const MAX_COMPILED = 500

function compile(code: string, filename: string): vm.Script {
  const key = `${filename}\n${code}`
  let script = compiled.get(key)
  if (script) return script
  script = new vm.Script(code, { filename })
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string)
  compiled.set(key, script)
  return script
}

interface IncludeEntry {
  row: TableRecordRow
  scope: string
  name: string
  value?: unknown
  loaded: boolean
}

export class Sandbox {
  readonly ctx: ExecutionContext
  readonly context: vm.Context
  readonly apis: GlideApis
  readonly modules: ModuleLoader
  readonly #includes = new Map<string, IncludeEntry>()
  #failed = false

  constructor(ctx: ExecutionContext) {
    this.ctx = ctx
    this.apis = createGlideApis(ctx)
    const globals: Record<string, unknown> = { ...this.apis.global, ...namespaceObjects(this.apis) }
    this.context = vm.createContext(globals, { name: `emulator:${ctx.scope}`, codeGeneration: { strings: true, wasm: false } })
    vm.runInContext(CLASS_BOOTSTRAP, this.context)
    this.modules = new ModuleLoader(ctx.db, this.context, (specifier) =>
      specifier === '@servicenow/glide' || specifier.startsWith('@servicenow/glide/') ? glideModule(this.apis, specifier) : undefined,
    )
    this.context.require = this.modules.requireFunction()
    this.#installScriptIncludes()
  }

  /**
   * Whether a script run in this sandbox threw (or was stopped by the timeout): a half-evaluated module or Script
   * Include may be left behind, so such a sandbox is not reused.
   */
  get failed(): boolean {
    return this.#failed
  }

  /**
   * Runs a plain script (glue, fix script, transform script) with extra globals. The script is wrapped in a
   * function so its `var`/`const` stay local, while bare assignments (`ignore = true`) reach the globals.
   */
  run(code: string, filename: string, globals: Record<string, unknown> = {}): unknown {
    Object.assign(this.context, globals)
    try {
      return compile(`(function () {\n${code}\n}).call(this)`, filename).runInContext(this.context, this.#limit())
    } catch (err) {
      this.#failed = true
      throw err
    }
  }

  /** Evaluates an expression-returning script (a Script Include body) and returns the named value. */
  #evaluateInclude(entry: IncludeEntry): unknown {
    const script = entry.row.script ?? ''
    const code = `(function () {\n${script}\n;return typeof ${entry.name} === 'undefined' ? undefined : ${entry.name};\n})()`
    return compile(code, `sys_script_include:${entry.scope}.${entry.name}`).runInContext(this.context, this.#limit())
  }

  /** The run's own time limit, unless a guard (an import run, script-guard.ts) limits all of its runs at once. */
  #limit(): vm.RunningScriptOptions {
    return guarded() ? {} : { timeout: this.ctx.timeoutMs ?? SCRIPT_TIMEOUT_MS }
  }

  #include(entry: IncludeEntry): unknown {
    if (!entry.loaded) {
      entry.loaded = true
      entry.value = this.#evaluateInclude(entry)
    }
    return entry.value
  }

  /** One counted read: the active Script Includes; each is evaluated the first time a script uses it. */
  #installScriptIncludes(): void {
    const rows = this.ctx.db.query('sys_script_include', 'active=true')
    const namespaces = new Map<string, Record<string, unknown>>()
    for (const row of rows) {
      const apiName = row.api_name || `global.${row.name ?? ''}`
      const dot = apiName.lastIndexOf('.')
      const scope = apiName.slice(0, dot)
      const name = apiName.slice(dot + 1)
      if (!/^[A-Za-z_$][\w$]*$/.test(name) || !/^[a-z_][a-z0-9_]*$/.test(scope)) continue
      const entry: IncludeEntry = { row, scope, name, loaded: false }
      this.#includes.set(apiName, entry)
      let ns = namespaces.get(scope)
      if (!ns) {
        ns = vm.runInContext('({})', this.context) as Record<string, unknown>
        namespaces.set(scope, ns)
      }
      Object.defineProperty(ns, name, {
        enumerable: true,
        get: () => {
          if (entry.row.access !== 'public' && scope !== this.ctx.scope) {
            // ASSUMPTION: wording of the platform's cross-scope refusal for a package_private Script Include.
            throw new Error(`Illegal access to private script include ${apiName} in scope ${scope} being called from scope ${this.ctx.scope}`)
          }
          return this.#include(entry)
        },
      })
      // Bare names resolve within the include's own scope (and global includes everywhere).
      if ((scope === this.ctx.scope || scope === 'global') && !(name in this.context)) {
        Object.defineProperty(this.context, name, { configurable: true, enumerable: false, get: () => this.#include(entry) })
      }
    }
    for (const [scope, ns] of namespaces) {
      if (scope !== 'global' && !(scope in this.context)) this.context[scope] = ns
    }
    if (namespaces.has('global')) this.context.global = namespaces.get('global')
  }
}

/** Reads a value thrown inside the sandbox (its Error is from another realm, so instanceof does not work). */
export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message)
  return String(err)
}
