// The admin client as an experiment uses it: every call first checks the probe's signal, so a Ctrl-C stops the
// experiment at its next request (ProbeContext.signal) while clean-up keeps the plain client.
import type { ServiceNowClient } from '@kandji-sn/servicenow-client'

function guard<T extends object>(target: T, signal: AbortSignal): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver) as unknown
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          signal.throwIfAborted()
          return (value as (...a: unknown[]) => unknown).apply(obj, args)
        }
      }
      return value
    },
  })
}

export function abortable(client: ServiceNowClient, signal: AbortSignal): ServiceNowClient {
  const apis = { table: guard(client.table, signal), app: guard(client.app, signal), importSet: guard(client.importSet, signal), rest: guard(client.rest, signal), oauth: guard(client.oauth, signal) }
  return guard(
    new Proxy(client, { get: (obj, key, receiver): unknown => (Object.hasOwn(apis, key) ? apis[key as keyof typeof apis] : (Reflect.get(obj, key, receiver) as unknown)) }),
    signal,
  )
}
