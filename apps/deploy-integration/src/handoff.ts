import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { handoffSchema, type Handoff } from '@kandji-sn/contract'
import { usageError } from './errors.ts'

/**
 * Writes a file of secrets atomically: a temporary file in the same folder, created with mode 0600 from the start
 * (O_CREAT|O_EXCL with the mode, so it is never world-readable even briefly), then renamed over the target.
 */
async function writeSecretFile(path: string, body: string): Promise<void> {
  await removeOrphanTemps(path)
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
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

const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/

/**
 * Removes the temporary files of this hand-off (and of its pending secrets) that a process left when it ended between
 * creating and renaming one (Ctrl-C while the file was written): they hold secrets. A temporary file of a process that
 * is still running is another run's write in progress and is left alone.
 */
async function removeOrphanTemps(path: string): Promise<void> {
  const folder = dirname(path)
  const handoff = basename(path).replace(/\.pending$/, '')
  const targets = new Set([handoff, basename(pendingSecretsPath(handoff))])
  const names = await readdir(folder).catch(() => [] as string[])
  for (const name of names) {
    const match = TEMP_NAME.exec(name)
    if (!match || !targets.has(match[1]!) || processAlive(Number(match[2]))) continue
    await rm(join(folder, name), { force: true })
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Checks the --credentials-out path before anything is contacted: not a folder, and for a command that writes it
 * (deploy, rotate) in an existing folder this user may write (the file is replaced by a rename in that folder).
 */
export async function checkCredentialsPath(path: string, options: { tenant: string; writes: boolean }): Promise<void> {
  const info = await stat(path).catch(() => undefined)
  if (info?.isDirectory()) {
    throw usageError(
      `the credentials path ${path} is a directory`,
      '--credentials-out takes the hand-off file itself (one file per instance), not the folder it goes in',
      `give a file path, e.g. --credentials-out ${join(path, `${options.tenant}.json`)}`,
    )
  }
  if (!options.writes) return
  const folder = dirname(path)
  const folderInfo = await stat(folder).catch(() => undefined)
  if (!folderInfo?.isDirectory()) {
    throw usageError(
      `cannot write the credentials file ${path}: the folder ${folder} does not exist`,
      'the hand-off file is created in an existing folder (mode 0600); the folder is not created for it',
      `create the folder first (mkdir -p ${folder}) or pass another --credentials-out path`,
    )
  }
  try {
    await access(folder, constants.W_OK | constants.X_OK)
  } catch {
    throw usageError(
      `cannot write the credentials file ${path}: the folder ${folder} is not writable by this user`,
      'the hand-off file is written to a temporary file in the same folder and renamed, so the folder must be writable',
      'pass --credentials-out with a path in a folder you can write (one only you can read, e.g. ~/kandji/)',
    )
  }
}

/** Writes the hand-off file atomically with mode 0600 (see writeSecretFile). */
export async function writeHandoff(path: string, handoff: Handoff): Promise<void> {
  await writeSecretFile(path, `${JSON.stringify(handoffSchema.parse(handoff), null, 2)}\n`)
}

/** Reads an existing hand-off file; undefined when there is none. A malformed one is an error (never overwritten silently). */
export async function readHandoff(path: string): Promise<Handoff | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'EISDIR') throw usageError(`the credentials path ${path} is a directory`, '--credentials-out takes the hand-off file itself, not the folder it goes in', `give a file path, e.g. --credentials-out ${join(path, 'handoff.json')}`)
    throw usageError(`cannot read the credentials file ${path}: ${(error as Error).message}`, 'it is not readable by this user', 'fix its permissions (it should be mode 0600 and yours) or pass another --credentials-out')
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw usageError(`the credentials file ${path} is not JSON`, 'it was edited by hand or is another file', 'move it away (deploy writes a new one when it knows the credentials) or run `deploy-integration rotate --credentials-out FILE`')
  }
  const parsed = handoffSchema.safeParse(json)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')
    throw usageError(`the credentials file ${path} is not a hand-off file (check: ${fields})`, 'it is missing fields Iru Endpoint needs, or is another file', 'move it away or run `deploy-integration rotate --credentials-out FILE` to write a complete one')
  }
  return parsed.data
}

/**
 * Secrets deploy generated for records it is about to create, kept until they are in the hand-off file. The
 * instance stores them hashed or encrypted and never gives them back, so without this file a deploy that fails
 * between creating the OAuth client or the service account and writing the hand-off would leave records whose
 * secrets nobody knows: the re-run would find them (no duplicates) but could neither test them nor hand them off.
 * Each secret is named with the record it belongs to, so a file from a run with other names is not misapplied.
 */
export const pendingSecretsSchema = z.object({
  instance: z.string().url(),
  service_account: z.object({ username: z.string().min(1), password: z.string().min(1) }).optional(),
  oauth_client: z.object({ name: z.string().min(1), client_secret: z.string().min(1) }).optional(),
})
export type PendingSecrets = z.infer<typeof pendingSecretsSchema>

/** Next to the hand-off file, so whoever looks for the credentials finds it: `creds.json` -> `creds.json.pending`. */
export function pendingSecretsPath(handoffPath: string): string {
  return `${handoffPath}.pending`
}

/** Written (mode 0600, atomically) before the first write to the instance that uses one of these secrets. */
export async function writePendingSecrets(handoffPath: string, pending: PendingSecrets): Promise<void> {
  await writeSecretFile(pendingSecretsPath(handoffPath), `${JSON.stringify(pendingSecretsSchema.parse(pending), null, 2)}\n`)
}

/** The pending secrets of an interrupted deploy; undefined when there are none. A malformed file is an error. */
export async function readPendingSecrets(handoffPath: string): Promise<PendingSecrets | undefined> {
  const path = pendingSecretsPath(handoffPath)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw usageError(`cannot read ${path}: ${(error as Error).message}`, 'it is not readable by this user', 'fix its permissions (it should be mode 0600 and yours)')
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  const parsed = pendingSecretsSchema.safeParse(json)
  if (!parsed.success) {
    throw usageError(
      `${path} is not a pending-secrets file of deploy-integration`,
      'it holds the secrets an interrupted deploy set on the instance, and was edited by hand or replaced',
      `move it away and run \`deploy-integration rotate --credentials-out ${handoffPath}\` to issue new credentials`,
    )
  }
  return parsed.data
}

/** Removes the pending secrets once the hand-off file holds them. */
export async function removePendingSecrets(handoffPath: string): Promise<void> {
  await rm(pendingSecretsPath(handoffPath), { force: true })
}
