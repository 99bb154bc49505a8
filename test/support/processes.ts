// Process-tree helpers for the Ctrl-C tests (Linux /proc).
import { readdirSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[1])
  } catch {
    return undefined
  }
}

export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/\) Z /.test(stat) // a zombie has exited; it only waits for its parent to reap it
  } catch {
    return false
  }
}

/** Every live descendant of `root` (children, grandchildren, ...). */
export function descendants(root: number): number[] {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const ppid = parentOf(Number(entry))
    if (ppid !== undefined) parents.set(Number(entry), ppid)
  }
  const found: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    const current = queue.shift()!
    for (const [pid, ppid] of parents) if (ppid === current && alive(pid)) (found.push(pid), queue.push(pid))
  }
  return found
}

/** The command line of a process ('' when gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()
  } catch {
    return ''
  }
}

/** Polls `condition` every 50 ms until it holds or `limitMs` passed; returns whether it held. */
export async function eventually(condition: () => boolean | Promise<boolean>, limitMs = 15_000): Promise<boolean> {
  for (let waited = 0; waited <= limitMs; waited += 50) {
    if (await condition()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
