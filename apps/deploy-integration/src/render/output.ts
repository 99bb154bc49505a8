import type { Writable } from 'node:stream'

/** Everything the CLI prints goes through one Output: human text, the JSON result, progress and errors. */
export interface OutputOptions {
  stdout: Writable
  stderr: Writable
  /** Machine-readable result on stdout; human text moves to stderr. */
  json: boolean
  color: boolean
  /** A terminal: spinners instead of plain progress lines. */
  tty: boolean
  /**
   * Columns of the terminal human text goes to; undefined when it is not a terminal, so logs and scripts get lines
   * as long as their content, as before.
   */
  width?: number | undefined
}

const ANSI = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const
export type Style = keyof typeof ANSI

const MASK = '********'
const MIN_MASKED_LENGTH = 8
const SPINNER_FRAMES = ['|', '/', '-', '\\']

export class Output {
  private readonly secrets = new Set<string>()

  constructor(private readonly options: OutputOptions) {}

  get json(): boolean {
    return this.options.json
  }

  /** What a table may take (formatTable's layout width); undefined: no limit. */
  get width(): number | undefined {
    return this.options.width
  }

  /**
   * Registers a value that must never be printed. Every line of human output and every error is masked with it;
   * the JSON result only carries secrets in the fields the command puts there on purpose (`--show-secrets`).
   */
  addSecret(value: string | undefined): void {
    // Shorter values (a lab admin password such as "admin") would mask ordinary words all over the output; the
    // secrets this CLI generates are 32+ characters, and nothing prints the given ones in the first place.
    if (value !== undefined && value.length >= MIN_MASKED_LENGTH) this.secrets.add(value)
  }

  redact(text: string): string {
    let out = text
    for (const secret of this.secrets) out = out.split(secret).join(MASK)
    return out
  }

  style(text: string, style: Style): string {
    return this.options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text
  }

  /** A line of human text: stdout normally, stderr with --json so stdout stays parseable. */
  line(text = ''): void {
    const stream = this.options.json ? this.options.stderr : this.options.stdout
    stream.write(`${this.redact(text)}\n`)
  }

  lines(texts: readonly string[]): void {
    for (const text of texts) this.line(text)
  }

  /** Errors and warnings always go to stderr. */
  errorText(text: string): void {
    this.options.stderr.write(`${this.redact(text)}\n`)
  }

  /**
   * The JSON result. `allowSecrets` is only true for `--json --show-secrets`; otherwise registered secrets are
   * masked here too, as a second line of defence behind the commands that leave them out.
   */
  result(value: unknown, allowSecrets = false): void {
    if (!this.options.json) return
    const text = JSON.stringify(value, null, 2)
    this.options.stdout.write(`${allowSecrets ? text : this.redact(text)}\n`)
  }

  /** Progress for long steps: a spinner on a terminal, plain lines (only when the message changes) otherwise. */
  progress(label: string): Progress {
    const stream = this.options.stderr
    if (!this.options.tty) {
      let last = ''
      const say = (message: string) => {
        const line = `${label}: ${message}`
        if (line !== last) stream.write(`${this.redact(line)}\n`)
        last = line
      }
      return { update: say, done: (message) => say(message) }
    }
    let frame = 0
    let message = ''
    const draw = () => stream.write(`\r\u001b[2K${SPINNER_FRAMES[frame++ % SPINNER_FRAMES.length]} ${this.redact(`${label}: ${message}`)}`)
    const timer = setInterval(draw, 120)
    timer.unref?.()
    return {
      update: (m) => {
        message = m
        draw()
      },
      done: (m) => {
        clearInterval(timer)
        stream.write(`\r\u001b[2K${this.redact(`${label}: ${m}`)}\n`)
      },
    }
  }
}

export interface Progress {
  update(message: string): void
  done(message: string): void
}

/** Whether to colour: never with --no-color, NO_COLOR (no-color.org) or when the stream is not a terminal. */
export function wantsColor(flags: { noColor?: boolean }, env: NodeJS.ProcessEnv, tty: boolean): boolean {
  if (flags.noColor) return false
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return tty
}
