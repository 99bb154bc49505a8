import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { Output, wantsColor } from './output.ts'
import { formatTable } from './table.ts'

function make(options: { json?: boolean; color?: boolean; tty?: boolean } = {}) {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const o: string[] = []
  const e: string[] = []
  stdout.on('data', (c: Buffer) => o.push(c.toString()))
  stderr.on('data', (c: Buffer) => e.push(c.toString()))
  const out = new Output({ stdout, stderr, json: options.json ?? false, color: options.color ?? false, tty: options.tty ?? false })
  return { out, stdout: () => o.join(''), stderr: () => e.join('') }
}

describe('output', () => {
  it('sends human text to stdout, or to stderr with --json so stdout is only the JSON result', () => {
    const human = make()
    human.out.line('hello')
    human.out.result({ a: 1 })
    expect(human.stdout()).toBe('hello\n')
    const json = make({ json: true })
    json.out.line('hello')
    json.out.result({ a: 1 })
    expect(json.stderr()).toBe('hello\n')
    expect(JSON.parse(json.stdout())).toEqual({ a: 1 })
  })

  it('masks every registered secret in text and in the JSON result unless secrets are allowed', () => {
    const { out, stdout, stderr } = make({ json: true })
    const secret = 'Zq9!very-secret-value'
    out.addSecret(secret)
    out.line(`oops ${secret}`)
    out.errorText(`error: ${secret}`)
    out.result({ leaked: secret })
    expect(stderr()).not.toContain(secret)
    expect(stdout()).not.toContain(secret)
    const allowed = make({ json: true })
    allowed.out.addSecret(secret)
    allowed.out.result({ credentials: secret }, true)
    expect(allowed.stdout()).toContain(secret)
  })

  it('colours only when asked, and never with NO_COLOR, --no-color or without a terminal', () => {
    const coloured = make({ color: true })
    expect(coloured.out.style('x', 'red')).toBe('\u001b[31mx\u001b[0m')
    expect(make().out.style('x', 'red')).toBe('x')
    expect(wantsColor({}, {}, true)).toBe(true)
    expect(wantsColor({}, { NO_COLOR: '1' }, true)).toBe(false)
    expect(wantsColor({ noColor: true }, {}, true)).toBe(false)
    expect(wantsColor({}, {}, false)).toBe(false)
  })

  it('shows progress as plain lines (each once) without a terminal and as a spinner line on one', () => {
    const plain = make()
    const p = plain.out.progress('installing')
    p.update('10%')
    p.update('10%')
    p.update('50%')
    p.done('done')
    expect(plain.stderr()).toBe('installing: 10%\ninstalling: 50%\ninstalling: done\n')
    const tty = make({ tty: true })
    const s = tty.out.progress('installing')
    s.update('10%')
    s.done('done')
    expect(tty.stderr()).toContain('\r\u001b[2K')
    expect(tty.stderr().endsWith('installing: done\n')).toBe(true)
  })

  it('lays out tables by the widest cell', () => {
    expect(formatTable(['A', 'LONG'], [['xyz', '1']])).toEqual(['A    LONG', '---  ----', 'xyz  1'])
  })
})
