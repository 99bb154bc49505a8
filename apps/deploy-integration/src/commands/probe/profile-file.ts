// The profile on disk: checked before the first request, validated, written atomically (temporary file + rename).
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { emulatorProfileSchema, type EmulatorProfile } from '@kandji-sn/contract'
import { writeFileAtomic } from '../../atomic-file.ts'
import { usageError } from '../../errors.ts'

/** The absolute path of --out, after checking that a file can be written there. */
export async function checkOutPath(out: string | undefined, cwd: string): Promise<string> {
  if (out === undefined || out.trim() === '') {
    throw usageError('--out FILE is required', 'the probe writes what it observed to a profile file', 'pass --out FILE, e.g. --out zurich-patch4.profile.json')
  }
  const path = resolve(cwd, out)
  const kind = await stat(path).then((s) => (s.isDirectory() ? 'directory' : 'file'), () => 'missing')
  if (kind === 'directory') throw usageError(`--out ${path} is a directory`, '--out takes the path of the profile file itself', `give a file name, e.g. --out ${resolve(path, 'instance.profile.json')}`)
  const folder = dirname(path)
  const folderKind = await stat(folder).then((s) => (s.isDirectory() ? 'directory' : 'file'), () => 'missing')
  if (folderKind !== 'directory') throw usageError(`the folder of --out ${path} does not exist`, `${folder} is ${folderKind === 'missing' ? 'not there' : 'a file'}`, 'create the folder first or choose another path')
  // A real write, not a permission check: a read-only file system refuses the owner and root too.
  const trial = tempPath(path)
  try {
    if (kind === 'file') await access(path, constants.W_OK)
    await writeFile(trial, '', { flag: 'wx' })
    await rm(trial, { force: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    throw usageError(`--out ${path} cannot be written (${code})`, `${kind === 'file' ? path : folder} does not let this user write a file there`, 'choose a path in a folder you can write to')
  }
  return path
}

function tempPath(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
}

export async function writeProfile(path: string, profile: EmulatorProfile): Promise<void> {
  const checked = emulatorProfileSchema.parse(profile)
  await writeFileAtomic(path, `${JSON.stringify(checked, null, 2)}\n`)
}
