// Reads the credential hand-off file that `deploy-integration deploy --credentials-out FILE` writes.
import { readFile } from 'node:fs/promises'
import { EXIT_CODES, handoffSchema, parseInstanceUrl, type Handoff } from '@kandji-sn/contract'
import { SimulatorError } from './errors.ts'

const FIX_REWRITE = 'write it again with `deploy-integration deploy --credentials-out FILE`'

/** Parses and validates the file. Errors name the file and the field, never a value (the file holds secrets). */
export async function readHandoff(path: string): Promise<Handoff> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new SimulatorError(`the hand-off file ${path} does not exist`, 'the path is wrong, or deploy was run without --credentials-out', `pass the file deploy wrote, or ${FIX_REWRITE}`)
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new SimulatorError(`the hand-off file ${path} cannot be read (${code})`, 'it is written with mode 0600 and belongs to another user', 'run the simulator as the user who ran deploy, or copy the file with care')
    }
    if (code === 'EISDIR') {
      throw new SimulatorError(`${path} is a directory, not a hand-off file`, 'the path points at a folder', 'pass the JSON file itself')
    }
    throw new SimulatorError(`the hand-off file ${path} cannot be read (${code ?? 'unknown error'})`, 'the file system refused the read', 'check the path and permissions')
  }
  return parseHandoff(text, path)
}

export function parseHandoff(text: string, source = 'the hand-off file'): Handoff {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    // JSON.parse messages quote the text near the error, which may be a secret: do not repeat them.
    throw new SimulatorError(`${source} is not valid JSON`, 'it was edited by hand or truncated', FIX_REWRITE)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SimulatorError(`${source} must hold one JSON object`, 'the file holds a list or a single value', FIX_REWRITE)
  }
  const parsed = handoffSchema.safeParse(data)
  if (!parsed.success) {
    const record = data as Record<string, unknown>
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.join('.') || '(root)'
      const value = record[String(issue.path[0])]
      if (value === undefined) return `"${field}" is missing`
      if (typeof value !== 'string') return `"${field}" must be a string`
      if (value === '') return `"${field}" is empty`
      return `"${field}" is not valid${field === 'instance' ? ' (expected a URL such as https://acme.service-now.com)' : ''}`
    })
    throw new SimulatorError(
      `${source} is incomplete: ${problems.join(', ')}`,
      'the file was not written by deploy, or was edited',
      `${FIX_REWRITE}; it needs instance, tenant, client_id, client_secret, username and password`,
    )
  }
  try {
    const address = parseInstanceUrl(parsed.data.instance)
    return { ...parsed.data, instance: address.url }
  } catch (error) {
    throw new SimulatorError(`${source} has an unusable "instance": ${(error as Error).message}`, 'the instance URL is not a bare https origin', FIX_REWRITE, EXIT_CODES.usage)
  }
}
