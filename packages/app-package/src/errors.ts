/**
 * A package that cannot be read. The message has three lines (error / cause / fix) so a person can act on it
 * without a stack trace; `path` names the file or folder it is about.
 */
export class AppPackageError extends Error {
  override readonly name = 'AppPackageError'
  constructor(
    readonly path: string,
    readonly summary: string,
    readonly reason: string,
    readonly fix: string,
  ) {
    super(`error: ${summary}\ncause: ${reason}\nfix:   ${fix}`)
  }
}
