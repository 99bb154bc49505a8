// Preloaded into a process under test (`node --import <this file>`): when the process is about to exit (the `exit`
// event, which process.exit() and a natural end both fire), it writes `<EXIT_GATE_DIR>/exiting` and blocks until the
// test writes `<EXIT_GATE_DIR>/release`. While it blocks, the process is alive and still holds whatever it did not close
// itself, so a test can tell "the program released its port" from "the OS cleaned up after the process died".
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.env.EXIT_GATE_DIR
const LIMIT_MS = 60_000

if (dir) {
  process.on('exit', () => {
    writeFileSync(join(dir, 'exiting'), String(process.pid))
    const sleeper = new Int32Array(new SharedArrayBuffer(4))
    for (let waited = 0; waited < LIMIT_MS && !existsSync(join(dir, 'release')); waited += 20) Atomics.wait(sleeper, 0, 0, 20)
  })
}
