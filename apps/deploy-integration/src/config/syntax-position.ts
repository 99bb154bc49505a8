/**
 * Where a config file's syntax error is, as line and column, and what kind of error it is, in words that never
 * quote the file: the file may hold the admin password, and the parsers' own messages include excerpts of it
 * (Node's JSON.parse: `..."password":hunter2}}" is not valid JSON`; yaml: the offending line under the message).
 */
export interface SyntaxProblem {
  line: number
  column: number
  problem: string
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)))
  const line = before.split('\n').length
  return { line, column: before.length - before.lastIndexOf('\n') }
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem)
  }
}

const WS = new Set([' ', '\t', '\n', '\r'])

/**
 * The first syntax error of a JSON text (RFC 8259), found by a recursive-descent scan that only validates: used
 * after JSON.parse has refused the text, because Node 20's messages do not always carry a position.
 */
export function findJsonSyntaxError(text: string): SyntaxProblem | undefined {
  let i = 0
  const fail = (problem: string, at = i): never => {
    throw new JsonSyntaxError(at, problem)
  }
  const atEnd = () => i >= text.length
  const skipWs = () => {
    while (!atEnd() && WS.has(text[i]!)) i++
  }
  const endOfInput = 'the file ends before the JSON is complete (a missing closing bracket, brace or quote)'
  const string = () => {
    const start = i
    i++ // opening quote
    for (;;) {
      if (atEnd()) fail('a string that is never closed (a missing double quote)', start)
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return
      }
      if (c < 0x20) fail('a line break or control character inside a string (a missing closing double quote?)')
      if (c === 0x5c) {
        const next = text[i + 1]
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('an invalid \\u escape in a string (four hex digits expected)')
          i += 6
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2
        else fail('an invalid escape in a string (a backslash must be doubled: \\\\)')
      } else i++
    }
  }
  const number = () => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i))
    if (!match || match[0] === '-') fail('a malformed number')
    i += match![0].length
  }
  const value = (depth: number): void => {
    if (depth > 512) fail('nesting deeper than 512 levels')
    skipWs()
    if (atEnd()) fail(endOfInput)
    const c = text[i]!
    if (c === '{') return object(depth)
    if (c === '[') return array(depth)
    if (c === '"') return string()
    if (c === '-' || (c >= '0' && c <= '9')) return number()
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length
        return
      }
    }
    fail(c === "'" ? 'a single-quoted string (JSON needs double quotes)' : 'a value that is not JSON (text values need double quotes)')
  }
  const object = (depth: number) => {
    i++
    skipWs()
    if (text[i] === '}') {
      i++
      return
    }
    for (;;) {
      skipWs()
      if (atEnd()) fail(endOfInput)
      if (text[i] !== '"') fail(text[i] === '}' ? 'a comma before "}" (JSON allows no trailing comma)' : 'a property name that is not in double quotes')
      string()
      skipWs()
      if (atEnd()) fail(endOfInput)
      if (text[i] !== ':') fail('a missing ":" after a property name')
      i++
      value(depth + 1)
      skipWs()
      if (atEnd()) fail(endOfInput)
      if (text[i] === '}') {
        i++
        return
      }
      if (text[i] !== ',') fail('a missing "," or "}" after a value')
      i++
    }
  }
  const array = (depth: number) => {
    i++
    skipWs()
    if (text[i] === ']') {
      i++
      return
    }
    for (;;) {
      skipWs()
      if (text[i] === ']') fail('a comma before "]" (JSON allows no trailing comma)')
      value(depth + 1)
      skipWs()
      if (atEnd()) fail(endOfInput)
      if (text[i] === ']') {
        i++
        return
      }
      if (text[i] !== ',') fail('a missing "," or "]" after a value')
      i++
    }
  }
  try {
    value(0)
    skipWs()
    if (!atEnd()) fail('more text after the end of the JSON value')
    return undefined
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error
    return { ...lineAndColumn(text, error.offset), problem: error.problem }
  }
}

/** The yaml library's error codes (yaml/dist/errors ErrorCode) in words; its messages may quote the file. */
const YAML_PROBLEMS: Record<string, string> = {
  BAD_INDENT: 'bad indentation, or an unclosed "[" or "{"',
  DUPLICATE_KEY: 'a key that appears twice in the same mapping',
  MISSING_CHAR: 'a missing character (a closing quote or bracket, a "," or a ":")',
  TAB_AS_INDENT: 'a tab used for indentation (YAML needs spaces)',
  BLOCK_AS_IMPLICIT_KEY: 'a nested mapping on one line (quote a value that contains ": ")',
  MULTILINE_IMPLICIT_KEY: 'a key that spans lines (a missing ":" or an unclosed quote above)',
  BAD_DQ_ESCAPE: 'an invalid escape in a double-quoted value (use single quotes for a value with "\\")',
  BAD_SCALAR_START: 'a value that starts with a reserved character such as "@" or "`" (quote it)',
  UNEXPECTED_TOKEN: 'an unexpected character (a value with ":", "#", "[" or "{" may need quotes)',
  MULTIPLE_DOCS: 'more than one YAML document ("---")',
  BAD_ALIAS: 'an alias ("*name") that is not valid (quote a value that starts with "*")',
  TAG_RESOLVE_FAILED: 'an unknown tag ("!…"; quote a value that starts with "!")',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  BAD_DIRECTIVE: 'an invalid directive ("%…")',
}

export function describeYamlCode(code: string | undefined): string {
  return (code && YAML_PROBLEMS[code]) ?? `a YAML syntax error${code ? ` (${code})` : ''}`
}
