import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { parseDocument } from 'yaml'
import { usageError } from '../errors.ts'
import { describeYamlCode, findJsonSyntaxError, lineAndColumn, type SyntaxProblem } from './syntax-position.ts'

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
    text = await readFile(path, 'utf8')
  } catch (error) {
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
  return extname(path).toLowerCase() === '.json' ? parseJson(path, text) : parseYaml(path, text)
}
