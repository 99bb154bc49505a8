import type { Readable, Writable } from 'node:stream'

interface TtyInput extends Readable {
  isTTY?: boolean
  setRawMode?(mode: boolean): unknown
}

/** Asks one question on the terminal; with `mask` echoes "*" per character (never the text). */
export function prompt(input: TtyInput, output: Writable, question: string, mask: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question)
    const raw = mask && typeof input.setRawMode === 'function'
    if (raw) input.setRawMode?.(true)
    input.resume()
    input.setEncoding('utf8')
    let value = ''
    const finish = (error?: Error) => {
      input.removeListener('data', onData)
      input.removeListener('end', onEnd)
      if (raw) input.setRawMode?.(false)
      input.pause()
      output.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish()
        if (ch === '\u0003') return finish(new Error('interrupted'))
        if (ch === '\u007f' || ch === '\b') {
          if (value.length > 0) {
            value = value.slice(0, -1)
            if (mask) output.write('\b \b')
          }
          continue
        }
        value += ch
        if (mask && raw) output.write('*')
      }
    }
    // End of input (Ctrl-D on an empty line, a closed pipe) is an answer too: what was typed so far. Without it the
    // question would wait forever.
    const onEnd = () => finish()
    input.on('data', onData)
    input.once('end', onEnd)
  })
}
