// Live progress of a fleet run on stderr. A terminal gets a block redrawn in place: one line per running instance
// (its current step and elapsed time) under a done/failed/remaining counter. Anything else (a CI log) gets exactly
// one plain line per instance as it ends, each written whole, never coloured.
export interface ProgressSink {
  write(text: string): void
  tty: boolean
}

export interface FleetProgress {
  started(instance: string): void
  step(instance: string, text: string): void
  /** `line` is the instance's one-line outcome; `failed` counts it as failed. */
  finished(instance: string, line: string, failed: boolean): void
  close(): void
}

const REDRAW_MS = 250
const MAX_STEP = 80

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000)
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

export function fleetProgress(sink: ProgressSink, total: number, label: string, now: () => number = Date.now): FleetProgress {
  let done = 0
  let failed = 0
  const running = new Map<string, { since: number; step: string }>()
  if (!sink.tty) {
    return {
      started: (instance) => void running.set(instance, { since: now(), step: '' }),
      step: () => {},
      finished(instance, line, isFailure) {
        running.delete(instance)
        done++
        if (isFailure) failed++
        sink.write(`[${done}/${total}] ${line}\n`)
      },
      close: () => {},
    }
  }
  let drawn = 0
  const block = () => {
    const head = `${label}: ${done - failed} done, ${failed} failed, ${total - done} remaining (${running.size} running)`
    return [head, ...[...running].map(([instance, r]) => `  ${instance}  ${elapsed(now() - r.since).padStart(6)}  ${shorten(r.step, MAX_STEP)}`)]
  }
  // Up to the first line of the last block, clear to the end of the screen, then what is new.
  const redraw = (above = '') => {
    const lines = block()
    sink.write(`${drawn > 0 ? `\u001b[${drawn}F` : ''}\u001b[0J${above}${lines.join('\n')}\n`)
    drawn = lines.length
  }
  const timer = setInterval(() => redraw(), REDRAW_MS)
  timer.unref?.()
  return {
    started(instance) {
      running.set(instance, { since: now(), step: 'starting' })
      redraw()
    },
    step(instance, text) {
      const r = running.get(instance)
      if (r) r.step = text
    },
    finished(instance, line, isFailure) {
      running.delete(instance)
      done++
      if (isFailure) failed++
      redraw(`[${done}/${total}] ${line}\n`)
    },
    close() {
      clearInterval(timer)
      redraw()
    },
  }
}
