import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EXIT_CODES } from '@kandji-sn/contract/constants'
import { formatError } from '../errors.ts'
import type { CliError } from '../errors.ts'
import { loadConfigFile } from './file.ts'
import { findJsonSyntaxError } from './syntax-position.ts'

const dir = mkdtempSync(join(tmpdir(), 'config-file-'))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
async function refusal(path: string): Promise<CliError> {
  try {
    await loadConfigFile(path)
  } catch (error) {
    return error as CliError
  }
  throw new Error(`${path} was accepted`)
}

afterEach(() => vi.restoreAllMocks())

describe('a config file with a syntax error', () => {
  it('JSON: names the line and column and never echoes the file (the reviewer\'s c21.json)', async () => {
    const text = '{"instance":"acme","admin":{"user":"admin","password":hunter2}}'
    const path = file('c21.json', text)
    const e = await refusal(path)
    expect(e.exitCode).toBe(EXIT_CODES.usage)
    const shown = formatError(e, false)
    expect(shown).toBe(
      [
        `error: the config file ${path} is not valid JSON at line 1, column ${text.indexOf('hunter2') + 1}: a value that is not JSON (text values need double quotes)`,
        'cause: a syntax error in the file (its content is not shown: it may hold a password)',
        `fix:   fix line 1, column ${text.indexOf('hunter2') + 1} of ${path} (JSON and YAML are both accepted; .json files must be JSON)`,
      ].join('\n'),
    )
    expect(shown).not.toMatch(/hunter|password"|position/)
  })

  it.each([
    ['multi-line, error on line 3', '{\n  "instance": "acme",\n  "admin": {"password": "s3cret\n"}}', 3, 32, 'a line break or control character inside a string'],
    ['trailing comma', '{"instance": "acme",\n}', 2, 1, 'a comma before "}"'],
    ['single quotes', "{'instance': 'acme'}", 1, 2, 'a property name that is not in double quotes'],
    ['missing colon', '{"instance" "acme"}', 1, 13, 'a missing ":"'],
    ['missing comma', '{"a": 1\n "b": 2}', 2, 2, 'a missing "," or "}"'],
    ['cut short', '{"instance": ', 1, 14, 'the file ends before the JSON is complete'],
    ['text after the value', '{}\n{}', 2, 1, 'more text after the end'],
    ['bad escape', '{"password": "a\\qb"}', 1, 16, 'an invalid escape'],
    ['malformed number', '{"n": -}', 1, 7, 'a malformed number'],
  ])('JSON %s: names its line and column', async (_label, text, line, column, problem) => {
    const e = await refusal(file(`case-${line}-${column}.json`, text))
    expect(e.message).toContain(`is not valid JSON at line ${line}, column ${column}: ${problem}`)
    expect(e.fix).toContain(`fix line ${line}, column ${column} of `)
    expect(formatError(e, false)).not.toMatch(/s3cret|acme/)
  })

  it('the scanner agrees with JSON.parse on what is valid', () => {
    const valid = ['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}', ' \n{"a" : {"b" : [ ]}}\n', '"x"', '0']
    for (const text of valid) {
      expect(() => JSON.parse(text)).not.toThrow()
      expect(findJsonSyntaxError(text), text).toBeUndefined()
    }
    for (const text of ['', '{', '[1,]', '01', '{"a":1}}', 'tru', '"\t"', '{"a":.5}']) {
      expect(() => JSON.parse(text), text).toThrow()
      expect(findJsonSyntaxError(text), text).toBeDefined()
    }
  })

  it.each([
    ['bad escape in a password', 'admin:\n  password: "hun\\qter2"\n', 'at line 2, column 17: an invalid escape in a double-quoted value'],
    ['unclosed quote', 'admin:\n  password: "hunter2\n', 'at line 3, column 1: a missing character'],
    ['reserved first character', 'admin:\n  password: @hunter2\n', 'at line 2, column 13: a value that starts with a reserved character'],
    ['block scalar header', 'admin:\n  password: |hunter2\n    x\n', 'at line 2, column 14: an unexpected character'],
    ['tab indentation', 'admin:\n\tpassword: hunter2\n', 'at line 2, column 1: a tab used for indentation'],
    ['alias without anchor', 'admin:\n  password: *hunter2\n', 'not valid YAML: an alias ("*name") without its anchor'],
  ])('YAML %s: names the place and never the text (the yaml library quotes it)', async (_label, text, expected) => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    const e = await refusal(file(`y-${expected.length}.yaml`, text))
    expect(e.exitCode).toBe(EXIT_CODES.usage)
    expect(e.message).toContain(expected)
    expect(formatError(e, false)).not.toContain('hunter')
    expect(warn).not.toHaveBeenCalled()
  })

  it('YAML with an unknown tag is read without printing the tag (the yaml library warns with it)', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    expect(await loadConfigFile(file('tag.yaml', 'admin:\n  password: !hunter2 x\n'))).toEqual({ admin: { password: 'x' } })
    expect(warn).not.toHaveBeenCalled()
  })

  it('a directory given as the config file is named as such', async () => {
    const folder = join(dir, 'a-folder.yaml')
    mkdirSync(folder)
    const e = await refusal(folder)
    expect(formatError(e, false)).toBe(`error: the config file ${folder} is a directory\ncause: the path given with --config names a folder\nfix:   give the path of the JSON or YAML file itself`)
  })

  it('a byte-order mark is not a syntax error', async () => {
    expect(await loadConfigFile(file('bom.json', '\ufeff{"instance":"acme"}'))).toEqual({ instance: 'acme' })
  })
})
