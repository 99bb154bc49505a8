// The order vitest hands files to its workers: the long ones first, so that no long file starts last and runs alone
// while the other workers sit idle. vitest orders by the durations of its last run when it has them (a warm cache);
// on a fresh clone it orders by file size, which puts these small files that run for minutes at the very end.
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/** Path parts of the files that run longest (CI per-file durations, issue 18). */
const LONG_RUNNING = ['/test/failure-matrix/', '/test/probe-app/interrupted-', '/test/probe/interruption.test.ts', '/test/app-install-matrix.test.ts']

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const long = (f: TestSpecification) => LONG_RUNNING.some((part) => f.moduleId.includes(part))
    return [...sorted.filter(long), ...sorted.filter((f) => !long(f))]
  }
}
