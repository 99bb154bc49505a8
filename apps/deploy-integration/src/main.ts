import { run } from './cli.ts'
import { interruptHandler } from './interrupt.ts'

// The executable's entry (bundled to dist/deploy-integration.mjs). Exit code via process.exitCode so output flushes.
const interrupt = interruptHandler(process)
process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), onInterrupt: interrupt.register })
interrupt.dispose()
