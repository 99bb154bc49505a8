// The critical path of a run: the longest chain of requests in which each one was sent only after the one before it
// had been answered (the "happens-before" order a client's awaits impose). Its length in requests is the number of
// dependent round trips the run could not avoid as the code is written; wall time / (length × latency) says how close
// the run comes to that limit. Definition and caveats: docs/benchmarks.md ("critical path").

/** One request as the client saw it: when it was sent and when its answer had been read to the end. */
export interface RequestSpan {
  method: string
  /** Path and query, for reading a chain (never credentials: they travel in headers and bodies). */
  target: string
  sentAt: number
  answeredAt: number
}

export interface CriticalPath {
  /** Requests on the longest chain (dependent round trips); 0 for no requests. */
  length: number
  /** That chain, first request first. */
  chain: RequestSpan[]
}

export function criticalPath(spans: readonly RequestSpan[]): CriticalPath {
  const byAnswer = [...spans].sort((a, b) => a.answeredAt - b.answeredAt)
  const depth = new Map<RequestSpan, { length: number; previous: RequestSpan | undefined }>()
  // Answered-before order is a topological order: a predecessor's answer precedes the send, so precedes the answer.
  for (const span of byAnswer) {
    let best: { length: number; previous: RequestSpan | undefined } = { length: 1, previous: undefined }
    for (const [other, d] of depth) {
      if (other.answeredAt <= span.sentAt && d.length + 1 > best.length) best = { length: d.length + 1, previous: other }
    }
    depth.set(span, best)
  }
  let last: RequestSpan | undefined
  let length = 0
  for (const [span, d] of depth) if (d.length > length) ((length = d.length), (last = span))
  const chain: RequestSpan[] = []
  for (let s = last; s; s = depth.get(s)!.previous) chain.unshift(s)
  return { length, chain }
}
