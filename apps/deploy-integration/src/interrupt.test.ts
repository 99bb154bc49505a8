import { describe, expect, it } from 'vitest'
import { interruptHandler, type InterruptTarget } from './interrupt.ts'

function fakeProcess() {
  const listeners = new Map<string, Set<() => void>>()
  const killed: string[] = []
  let stderr = ''
  const target: InterruptTarget = {
    pid: 42,
    on: (signal, l) => listeners.set(signal, (listeners.get(signal) ?? new Set()).add(l)),
    off: (signal, l) => listeners.get(signal)?.delete(l),
    kill: (pid, signal) => killed.push(`${pid} ${signal}`),
    stderr: { write: (t: string) => (stderr += t) },
  }
  const send = (signal: 'SIGINT' | 'SIGTERM') => [...(listeners.get(signal) ?? [])].forEach((l) => l())
  return { target, killed, send, stderr: () => stderr, count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0) }
}

describe('interruptHandler (Ctrl-C, SIGTERM)', () => {
  it('without cleanups: ends the process by the same signal at once, its listeners removed', () => {
    const p = fakeProcess()
    interruptHandler(p.target)
    p.send('SIGTERM')
    expect(p.killed).toEqual(['42 SIGTERM'])
    expect(p.count()).toBe(0)
    expect(p.stderr()).toBe('')
  })

  it('runs the cleanups first, says so, then ends by the signal; an unregistered cleanup does not run', async () => {
    const p = fakeProcess()
    const h = interruptHandler(p.target)
    const ran: string[] = []
    h.register(async () => void ran.push('lock'))
    h.register(async () => void ran.push('other'))()
    p.send('SIGINT')
    await new Promise((r) => setTimeout(r, 0))
    expect(ran).toEqual(['lock'])
    expect(p.stderr()).toBe('interrupted: removing the lock on the instance (Ctrl-C again to stop at once)\n')
    expect(p.killed).toEqual(['42 SIGINT'])
  })

  it('a second Ctrl-C during the cleanups ends it at once; a cleanup that fails or hangs does not keep the process alive', async () => {
    const p = fakeProcess()
    const h = interruptHandler(p.target, 20)
    h.register(() => new Promise(() => {}))
    h.register(async () => {
      throw new Error('instance gone')
    })
    p.send('SIGINT')
    p.send('SIGINT')
    expect(p.killed).toEqual(['42 SIGINT'])
    const q = fakeProcess()
    interruptHandler(q.target, 20).register(() => new Promise(() => {}))
    q.send('SIGINT')
    await new Promise((r) => setTimeout(r, 60))
    expect(q.killed).toEqual(['42 SIGINT'])
  })

  it('dispose removes its listeners (the run ended normally)', () => {
    const p = fakeProcess()
    interruptHandler(p.target).dispose()
    expect(p.count()).toBe(0)
  })
})
