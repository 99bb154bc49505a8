// What `require('@servicenow/glide')` and `require('@servicenow/glide/<namespace>')` give a module, and the globals
// a plain script sees. Anything not listed throws "<name> is not emulated" when it is used.
import type { ExecutionContext } from '../context.ts'
import { notEmulated, strictApi } from '../errors.ts'
import { createIdentificationEngine } from '../ire.ts'
import { createGlideAggregateClass } from './aggregate.ts'
import { createGlideDateTimeClass } from './date-time.ts'
import { createGlideRecordClasses } from './record.ts'
import { createGlidePluginManager, createGlideSystem } from './system.ts'

export interface GlideApis {
  /** '@servicenow/glide' and the globals of a plain script. */
  global: Record<string, unknown>
  /** '@servicenow/glide/<namespace>' by namespace. */
  namespaces: Record<string, Record<string, unknown>>
}

function restClassesNotConstructible(name: string): () => never {
  return () => notEmulated(`new ${name}() (the emulator hands scripted REST operations their request and response)`)
}

export function createGlideApis(ctx: ExecutionContext): GlideApis {
  const { GlideRecord, GlideRecordSecure } = createGlideRecordClasses(ctx)
  const global: Record<string, unknown> = {
    gs: createGlideSystem(ctx),
    GlideRecord,
    GlideRecordSecure,
    GlideAggregate: createGlideAggregateClass(ctx),
    GlideDateTime: createGlideDateTimeClass(ctx),
    GlidePluginManager: createGlidePluginManager(ctx),
  }
  const snWs = {
    RESTAPIRequest: restClassesNotConstructible('RESTAPIRequest'),
    RESTAPIResponse: restClassesNotConstructible('RESTAPIResponse'),
  }
  const namespaces: Record<string, Record<string, unknown>> = {
    sn_ws: snWs,
    sn_ws_int: snWs,
    sn_cmdb: { IdentificationEngine: createIdentificationEngine(ctx) },
  }
  return { global, namespaces }
}

/** The module object for a '@servicenow/glide[/ns]' specifier: known names, and a clear error for the rest. */
export function glideModule(apis: GlideApis, specifier: string): object {
  if (specifier === '@servicenow/glide') return strictApi({ ...apis.global, ...namespaceObjects(apis) }, '@servicenow/glide')
  const ns = specifier.slice('@servicenow/glide/'.length)
  const members = apis.namespaces[ns]
  return strictApi({ ...(members ?? {}) }, `@servicenow/glide/${ns}`)
}

/** sn_cmdb, sn_ws, ... as globals of plain scripts (sn_cmdb.IdentificationEngine in a fix script). */
export function namespaceObjects(apis: GlideApis): Record<string, object> {
  const out: Record<string, object> = {}
  for (const [ns, members] of Object.entries(apis.namespaces)) out[ns] = strictApi({ ...members }, ns)
  return out
}
