import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { usageError } from '../errors.ts'

/** Reads a config file as JSON (.json) or YAML (.yaml/.yml, or anything else that is not JSON). */
export async function loadConfigFile(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw usageError(
      `cannot read the config file ${path}${code === 'ENOENT' ? ': it does not exist' : `: ${(error as Error).message}`}`,
      'the path given with --config is wrong or not readable',
      'check the path (relative paths start from the current folder)',
    )
  }
  const ext = extname(path).toLowerCase()
  try {
    if (ext === '.json') return JSON.parse(text)
    return parseYaml(text)
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0]
    throw usageError(`the config file ${path} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${detail}`, 'a syntax error in the file', 'fix the line named above (JSON and YAML are both accepted; .json files must be JSON)')
  }
}
