import { CliError } from '../../src/errors.ts'

/** The CliError a promise rejects with; anything else (or no rejection) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof CliError)) throw new Error(`expected a CliError, got ${String(error)}`)
  return error
}

/** The CliError a function throws; anything else (or no throw) fails the test. */
export function thrownBy(f: () => unknown): CliError {
  try {
    f()
  } catch (error) {
    if (error instanceof CliError) return error
    throw error
  }
  throw new Error('expected a CliError, got no error')
}
