import { readFile, stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { parseDocument } from 'yaml'
import { usageError } from '../errors.ts'
import { describeYamlCode, findJsonSyntaxError, lineAndColumn, type SyntaxProblem } from './syntax-position.ts'

/** Larger than any real config or fleet file (a 32-instance fleet is a few KiB); read no further. */
export const MAX_CONFIG_BYTES = 1024 * 1024
/** Nesting deeper than any config needs; deeper values would exhaust the stack of the validation that follows. */
export const MAX_CONFIG_DEPTH = 32

const FORMAT_HINT = 'JSON and YAML are both accepted; .json files must be JSON'

function syntaxError(path: string, format: 'JSON' | 'YAML', found: SyntaxProblem | { problem: string }) {
  const where = 'line' in found ? ` at line ${found.line}, column ${found.column}` : ''
  return usageError(
    `the config file ${path} is not valid ${format}${where}: ${found.problem}`,
    'a syntax error in the file (its content is not shown: it may hold a password)',
    'line' in found ? `fix line ${found.line}, column ${found.column} of ${path} (${FORMAT_HINT})` : `fix ${path} (${FORMAT_HINT})`,
  )
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // Never Node's message: it quotes the text around the error, which may be the password (see syntax-position.ts).
    throw syntaxError(path, 'JSON', findJsonSyntaxError(text) ?? { problem: 'the JSON parser refused it' })
  }
}

function parseYaml(path: string, text: string): unknown {
  // parseDocument collects errors instead of throwing or printing warnings, which quote the file's lines.
  const doc = parseDocument(text, { prettyErrors: false })
  const first = doc.errors[0]
  if (first) throw syntaxError(path, 'YAML', { ...lineAndColumn(text, first.pos[0]), problem: describeYamlCode(first.code) })
  try {
    return doc.toJS()
  } catch {
    // toJS throws for an alias without its anchor (its message names the alias) or an alias bomb.
    throw syntaxError(path, 'YAML', { problem: 'an alias ("*name") without its anchor ("&name"), or too many aliases (quote a value that starts with "*")' })
  }
}

/** Reads a config file as JSON (.json) or YAML (.yaml/.yml, or anything else that is not JSON). */
export async function loadConfigFile(path: string): Promise<unknown> {
  let text: string
  try {
    const size = (await stat(path)).size
    if (size > MAX_CONFIG_BYTES) {
      throw usageError(`the config file ${path} is larger than 1 MiB (${size} bytes)`, 'the path names another file (a log, an export, a binary), or the file was generated wrongly', 'give the JSON or YAML config file itself: it holds a few settings per instance')
    }
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error)) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EISDIR') {
      throw usageError(`the config file ${path} is a directory`, 'the path given with --config names a folder', 'give the path of the JSON or YAML file itself')
    }
    throw usageError(
      `cannot read the config file ${path}${code === 'ENOENT' ? ': it does not exist' : `: ${(error as Error).message}`}`,
      'the path given with --config is wrong or not readable',
      'check the path (relative paths start from the current folder)',
    )
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1) // a byte-order mark some editors write
  const value = extname(path).toLowerCase() === '.json' ? parseJson(path, text) : parseYaml(path, text)
  if (depth(value) > MAX_CONFIG_DEPTH) {
    throw usageError(`the config file ${path} nests values more than ${MAX_CONFIG_DEPTH} levels deep`, 'a config holds a few levels of keys (instances > admin > user); this is not one', `fix ${path} (${FORMAT_HINT})`)
  }
  return value
}

/** How deeply lists and objects nest in a parsed file, counted without recursion (the point is a stack that holds). */
function depth(value: unknown): number {
  let deepest = 0
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [node, level] = stack.pop()!
    if (typeof node !== 'object' || node === null) continue
    deepest = Math.max(deepest, level + 1)
    if (deepest > MAX_CONFIG_DEPTH) return deepest
    for (const child of Object.values(node)) stack.push([child, level + 1])
  }
  return deepest
}
