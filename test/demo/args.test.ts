// npm start -- [flags]: defaults, accepted values, and every malformed value refused as a usage error (exit 2).
import { describe, expect, it } from 'vitest'
import { DEFAULT_DEMO_OPTIONS, DemoError, parseDemoArgs } from '@kandji-sn/demo'

function refused(argv: string[]): DemoError {
  try {
    parseDemoArgs(argv)
  } catch (error) {
    expect(error).toBeInstanceOf(DemoError)
    return error as DemoError
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`)
}

describe('npm start flags', () => {
  it('no flags run the documented default demo', () => {
    expect(parseDemoArgs([])).toEqual({ help: false, options: DEFAULT_DEMO_OPTIONS })
  })

  it('takes devices, changes, malformed rows, release and seed', () => {
    expect(parseDemoArgs(['--devices', '50', '--changes', '5', '--malformed', '0', '--release', 'yokohama', '--seed', 'acme'])).toEqual({
      help: false,
      options: { devices: 50, changes: 5, malformed: 0, release: 'yokohama', seed: 'acme' },
    })
  })

  it('with fewer devices than the default changes, changes default to all devices', () => {
    expect(parseDemoArgs(['--devices', '10'])).toMatchObject({ options: { devices: 10, changes: 10 } })
  })

  it('--help and -h ask for the usage text', () => {
    expect(parseDemoArgs(['--help'])).toEqual({ help: true })
    expect(parseDemoArgs(['-h'])).toEqual({ help: true })
  })

  it.each([
    [['--devices', 'lots'], /--devices must be a whole number/],
    [['--devices', '0'], /--devices must be between 1 and 5000/],
    [['--devices', '5001'], /--devices must be between 1 and 5000/],
    [['--devices', '-3'], /--devices/],
    [['--devices', '1e3'], /--devices must be a whole number/],
    [['--devices', '2.5'], /--devices must be a whole number/],
    [['--devices', ''], /--devices must be a whole number/],
    [['--devices', '10', '--changes', '11'], /--changes must be between 0 and 10/],
    [['--malformed', '101'], /--malformed must be between 0 and 100/],
    [['--release', 'tokyo'], /--release must be one of xanadu, yokohama, zurich, australia, got "tokyo"/],
    [['--seed', ''], /--seed must be 1-100 characters/],
    [['--seed', 'x'.repeat(101)], /--seed must be 1-100 characters/],
    [['--no-such-flag'], /Unknown option '--no-such-flag'/],
    [['--devices'], /--devices/],
    [['extra'], /extra/],
  ])('%j is refused with error/cause/fix and exit 2', (argv, message) => {
    const error = refused(argv as string[])
    expect(error.message).toMatch(message)
    expect(error.exitCode).toBe(2)
    expect(error.format()).toMatch(/^error: .+\ncause: .+\nfix: {3}.+$/)
  })

  it('a very long bad value is cut in the message', () => {
    expect(refused(['--release', 'r'.repeat(500)]).message.length).toBeLessThan(200)
  })
})
