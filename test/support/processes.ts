// Process-tree helpers for the Ctrl-C tests, from `ps` (procps on Linux, BSD ps on macOS: the same columns).
import { execFileSync } from 'node:child_process'
import { connect } from 'node:net'

interface ProcessRow {
  pid: number
  ppid: number
  /** The process has exited and only waits for its parent to reap it. */
  zombie: boolean
  command: string
}

function processTable(): ProcessRow[] {
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,stat=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
  const rows: ProcessRow[] = []
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s?(.*)$/.exec(line)
    if (match) rows.push({ pid: Number(match[1]), ppid: Number(match[2]), zombie: match[3]!.startsWith('Z'), command: match[4]!.trim() })
  }
  return rows
}

export function alive(pid: number): boolean {
  const row = processTable().find((p) => p.pid === pid)
  return row !== undefined && !row.zombie
}

/** Every live descendant of `root` (children, grandchildren, ...). */
export function descendants(root: number): number[] {
  const table = processTable()
  const found: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    const current = queue.shift()!
    for (const p of table) if (p.ppid === current && !p.zombie) (found.push(p.pid), queue.push(p.pid))
  }
  return found
}

/** The command line of a process ('' when gone). */
export function commandLine(pid: number): string {
  return processTable().find((p) => p.pid === pid)?.command ?? ''
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
