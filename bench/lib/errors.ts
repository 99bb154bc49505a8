/** A failure a person running `npm run bench` can act on: printed as error / cause / fix, without a stack trace. */
export class BenchError extends Error {
  constructor(
    message: string,
    readonly causeText: string,
    readonly fix: string,
  ) {
    super(message)
    this.name = 'BenchError'
  }

  format(): string {
    return `error: ${this.message}\ncause: ${this.causeText}\nfix:   ${this.fix}`
  }
}
