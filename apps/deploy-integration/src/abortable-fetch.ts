/**
 * A fetch that fails at once, and aborts what is in flight, once `signal` is aborted: for runs that must stop (an
 * interrupted probe, a fleet instance past its deadline). The client's own per-attempt timeout (transport.ts) still applies.
 */
export function abortableFetch(signal: AbortSignal, why: string, base: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    if (signal.aborted) return Promise.reject(new DOMException(why, 'AbortError'))
    return base(input, { ...init, signal: init?.signal ? AbortSignal.any([signal, init.signal]) : signal })
  }
}
