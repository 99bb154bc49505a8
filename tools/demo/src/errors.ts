/** A failure of the demo a person can act on: what happened, the likely cause, the fix (three lines). */
export class DemoError extends Error {
  override name = 'DemoError'
  constructor(
    message: string,
    readonly causeText: string,
    readonly fix: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }

  format(): string {
    return `error: ${this.message}\ncause: ${this.causeText}\nfix:   ${this.fix}`
  }
}
