import { run } from './cli.ts'

// The executable's entry (bundled to dist/deploy-integration.mjs). Exit code via process.exitCode so output flushes.
process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() })
