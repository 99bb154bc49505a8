// `npm start`: the demo's entry point. Prints progress, then the summary; Ctrl-C stops the emulator and every child
// process before exiting (130).
import { Demo, renderSummary, seconds } from './src/index.ts'
import { parseDemoArgs, USAGE } from './src/args.ts'
import { DemoError } from './src/errors.ts'

const INTERRUPTED_EXIT = 130
const write = (text: string) => void process.stdout.write(text)

function fail(error: unknown): number {
  if (error instanceof DemoError) {
    process.stderr.write(`${error.format()}\n`)
    return error.exitCode
  }
  // Anything else is a bug in the demo or a package: the message, never a stack (no secret is ever in one here).
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`${message.startsWith('error:') ? message : `error: ${message}`}\n`)
  if (process.env.DEMO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`)
  return 1
}

async function main(): Promise<number> {
  let parsed
  try {
    parsed = parseDemoArgs(process.argv.slice(2))
  } catch (error) {
    return fail(error)
  }
  if (parsed.help) {
    write(`${USAGE}\n`)
    return 0
  }
  const started = performance.now()
  const demo = new Demo({ ...parsed.options, progress: write })
  let interrupted = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      // A second Ctrl-C while stopping: kill what is left and go.
      for (const pid of demo.processes.pids()) process.kill(pid, 'SIGKILL')
      process.exit(INTERRUPTED_EXIT)
    }
    interrupted = true
    void demo.stop().then(({ children }) => {
      write(`\ninterrupted (${signal}): stopped the emulator${children ? ` and ${children} running command${children === 1 ? '' : 's'}` : ''}; nothing is left running\n`)
      process.exit(INTERRUPTED_EXIT)
    })
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  write('Kandji (Iru Endpoint) + ServiceNow: the whole integration, end to end, on an emulated instance\n')
  try {
    const result = await demo.run()
    const columns = process.stdout.isTTY ? process.stdout.columns : undefined
    for (const line of renderSummary(result, columns ? { width: columns } : {})) write(`${line}\n`)
    write('\nStatus (deploy-integration status):\n')
    for (const line of result.status.text) write(`${line}\n`)
    await demo.stop()
    const failed = result.verification.status === 'fail'
    write(`\n${failed ? 'Verification FAILED (see the checks above)' : 'Done'} in ${seconds(performance.now() - started)}; the emulator is stopped and nothing is left running.\n`)
    return failed ? result.verifyExitCode || 1 : 0
  } catch (error) {
    if (interrupted) return new Promise<number>(() => {}) // the signal handler exits
    await demo.stop()
    return fail(error)
  }
}

process.exitCode = await main()
