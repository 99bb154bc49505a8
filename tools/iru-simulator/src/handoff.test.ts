import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import { SimulatorError } from './errors.ts'
import { parseHandoff, readHandoff } from './handoff.ts'

const PASSWORD = 'Pa55word-that-must-never-print'
const SECRET = 'client-secret-that-must-never-print'
const valid = {
  instance: 'https://acme.service-now.com',
  tenant: 'acme',
  client_id: 'abc123',
  client_secret: SECRET,
  username: 'kandji_rest_api_user',
  password: PASSWORD,
}

function errorOf(fn: () => unknown): SimulatorError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SimulatorError)
    const e = error as SimulatorError
    expect(e.format()).not.toContain(PASSWORD)
    expect(e.format()).not.toContain(SECRET)
    expect(e.format().split('\n')).toHaveLength(3)
    return e
  }
  throw new Error('expected an error')
}

describe('hand-off file', () => {
  it('reads a valid file and normalises the instance origin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iru-handoff-'))
    const file = join(dir, 'handoff.json')
    await writeFile(file, JSON.stringify({ ...valid, instance: 'https://ACME.service-now.com/' }), { mode: 0o600 })
    const handoff = await readHandoff(file)
    expect(handoff.instance).toBe('https://acme.service-now.com')
    expect(handoff.password).toBe(PASSWORD)
  })

  it('says when the file does not exist, and how to get one', async () => {
    const error = (await readHandoff('/nonexistent/handoff.json').catch((e: unknown) => e)) as SimulatorError
    expect(error).toBeInstanceOf(SimulatorError)
    expect(error.message).toBe('the hand-off file /nonexistent/handoff.json does not exist')
    expect(error.fix).toContain('--credentials-out')
    expect(error.exitCode).toBe(EXIT_CODES.usage)
  })

  it('says when the path is a directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iru-handoff-'))
    await mkdir(join(dir, 'sub'))
    const error = (await readHandoff(join(dir, 'sub')).catch((e: unknown) => e)) as SimulatorError
    expect(error.message).toContain('is a directory')
  })

  it('refuses text that is not JSON without quoting it (it may hold the password)', () => {
    const e = errorOf(() => parseHandoff(`{"password": "${PASSWORD}", oops`, 'h.json'))
    expect(e.message).toBe('h.json is not valid JSON')
  })

  it('refuses JSON that is not one object', () => {
    expect(errorOf(() => parseHandoff('[1,2]')).message).toContain('must hold one JSON object')
    expect(errorOf(() => parseHandoff('"text"')).message).toContain('must hold one JSON object')
    expect(errorOf(() => parseHandoff('null')).message).toContain('must hold one JSON object')
  })

  it('names each missing field', () => {
    const { password: _p, client_id: _c, ...rest } = valid
    const e = errorOf(() => parseHandoff(JSON.stringify(rest), 'h.json'))
    expect(e.message).toContain('"client_id" is missing')
    expect(e.message).toContain('"password" is missing')
  })

  it('names empty fields and fields of the wrong type without printing their values', () => {
    const e = errorOf(() => parseHandoff(JSON.stringify({ ...valid, password: '', client_secret: 42 })))
    expect(e.message).toContain('"password" is empty')
    expect(e.message).toContain('"client_secret" must be a string')
  })

  it('refuses an instance that is not a URL, or is a plain-http remote host', () => {
    expect(errorOf(() => parseHandoff(JSON.stringify({ ...valid, instance: 'acme' }))).message).toContain('"instance" is not valid')
    const e = errorOf(() => parseHandoff(JSON.stringify({ ...valid, instance: 'http://acme.service-now.com' })))
    expect(e.message).toContain('unusable "instance"')
    expect(e.message).toContain('https')
  })

  it('accepts a loopback http instance (the emulator)', () => {
    expect(parseHandoff(JSON.stringify({ ...valid, instance: 'http://127.0.0.1:4100' })).instance).toBe('http://127.0.0.1:4100')
  })
})
