// Collects the `security: ` lines the security suites print in afterAll and repeats them as one block at the end
// of the run, so CI output shows the figures together after the test list (`npm run test:security`, `npm test`).
import type { Reporter } from 'vitest/reporters'

export const SUMMARY_PREFIX = 'security: '

export default class SecuritySummaryReporter implements Reporter {
  private readonly lines: string[] = []

  onUserConsoleLog(log: { content: string }): void {
    for (const line of log.content.split('\n')) if (line.startsWith(SUMMARY_PREFIX)) this.lines.push(line)
  }

  onTestRunEnd(): void {
    if (this.lines.length === 0) return
    process.stdout.write(['', '=== security summary ===', ...this.lines, '========================', ''].join('\n'))
  }
}
