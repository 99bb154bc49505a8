/** Progress lines go to stderr so stdout holds only the table (and `--json` output). */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`)
}
