import { EXIT_CODES, type ExitCode } from '@kandji-sn/contract/constants'

/**
 * An error a person can act on: what happened, the likely cause, the fix. Never carries a secret (the hand-off
 * password and client secret are never put into one).
 */
export class SimulatorError extends Error {
  override name = 'SimulatorError'
  constructor(
    message: string,
    readonly causeText: string,
    readonly fix: string,
    readonly exitCode: ExitCode = EXIT_CODES.usage,
  ) {
    super(message)
  }

  format(): string {
    return `error: ${this.message}\ncause: ${this.causeText}\nfix:   ${this.fix}`
  }
}

export function isSimulatorError(error: unknown): error is SimulatorError {
  return error instanceof SimulatorError
}
