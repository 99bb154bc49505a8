// Ctrl-C and SIGTERM in the executable: the registered cleanups (the instance lock) run, bounded in time, then the
// process ends by the same signal, as it would have without them. A second signal ends it at once.

/** 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C; what a command returns when it stopped early on one. */
export const INTERRUPTED_EXIT = 130

type Signal = 'SIGINT' | 'SIGTERM'

export interface InterruptTarget {
  on(signal: Signal, listener: () => void): unknown
  off(signal: Signal, listener: () => void): unknown
  kill(pid: number, signal: Signal): unknown
  pid: number
  stderr: { write(text: string): unknown }
}

/** How long the cleanups may take before the process ends anyway (one lock delete at the client's timeout is longer). */
export const CLEANUP_LIMIT_MS = 10_000

export function interruptHandler(target: InterruptTarget, limitMs = CLEANUP_LIMIT_MS): { register(cleanup: () => Promise<void>): () => void; dispose(): void } {
  const cleanups = new Set<() => Promise<void>>()
  let stopping = false
  const end = (signal: Signal) => {
    dispose()
    target.kill(target.pid, signal)
  }
  const handler = (signal: Signal) => () => {
    if (stopping || cleanups.size === 0) return end(signal)
    stopping = true
    target.stderr.write('interrupted: removing the lock on the instance (Ctrl-C again to stop at once)\n')
    const all = Promise.allSettled([...cleanups].map((c) => c()))
    const limit = new Promise((resolve) => setTimeout(resolve, limitMs).unref?.())
    void Promise.race([all, limit]).then(() => end(signal))
  }
  const onInt = handler('SIGINT')
  const onTerm = handler('SIGTERM')
  target.on('SIGINT', onInt)
  target.on('SIGTERM', onTerm)
  function dispose() {
    target.off('SIGINT', onInt)
    target.off('SIGTERM', onTerm)
  }
  return {
    register(cleanup) {
      cleanups.add(cleanup)
      return () => cleanups.delete(cleanup)
    },
    dispose,
  }
}
