import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { handoffSchema, type Handoff } from '@kandji-sn/contract'
import { CliError, usageError } from './errors.ts'

/**
 * Writes the hand-off file atomically: a temporary file in the same folder, created with mode 0600 from the start
 * (O_CREAT|O_EXCL with the mode, so it is never world-readable even briefly), then renamed over the target.
 */
export async function writeHandoff(path: string, handoff: Handoff): Promise<void> {
  const body = `${JSON.stringify(handoffSchema.parse(handoff), null, 2)}\n`
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  let handle
  try {
    handle = await open(temp, 'wx', 0o600)
  } catch (error) {
    throw usageError(`cannot create the credentials file ${path}: ${(error as Error).message}`, 'the folder does not exist or is not writable', 'pass --credentials-out with a path in a writable folder')
  }
  try {
    await handle.chmod(0o600) // a umask cannot widen the mode, but an ACL-less filesystem may ignore it: be explicit
    await handle.writeFile(body, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw usageError(`cannot write the credentials file ${path}: ${(error as Error).message}`, 'the path is a folder or not writable', 'pass --credentials-out with a file path you can write')
  }
}

/** Reads an existing hand-off file; undefined when there is none. A malformed one is an error (never overwritten silently). */
export async function readHandoff(path: string): Promise<Handoff | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw usageError(`cannot read the credentials file ${path}: ${(error as Error).message}`, 'it is not readable by this user', 'fix its permissions (it should be mode 0600 and yours) or pass another --credentials-out')
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new CliError(2, `the credentials file ${path} is not JSON`, 'it was edited by hand or is another file', 'move it away (deploy writes a new one when it knows the credentials) or run `deploy-integration rotate --credentials-out FILE`')
  }
  const parsed = handoffSchema.safeParse(json)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')
    throw new CliError(2, `the credentials file ${path} is not a hand-off file (check: ${fields})`, 'it is missing fields Iru Endpoint needs, or is another file', 'move it away or run `deploy-integration rotate --credentials-out FILE` to write a complete one')
  }
  return parsed.data
}
