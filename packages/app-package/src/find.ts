import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AppPackageError } from './errors.ts'

/** Where the update set of a packed zip lives: beside it, `target/<name>.zip` -> `target/<name>_update_set.xml`. */
export function updateSetPathFor(zipPath: string): string {
  return zipPath.replace(/\.zip$/i, '_update_set.xml')
}

/**
 * The newest `target/*.zip` of an app project (`now-sdk pack` names it after package.json name + version,
 * fluent-sdk-findings §3, so old versions pile up there) and its update set when one was written.
 */
export async function findBuiltPackage(appDir: string): Promise<{ zip: string; updateSet?: string }> {
  const target = join(appDir, 'target')
  const names = await readdir(target).catch(() => {
    throw new AppPackageError(
      target,
      `${appDir} has no target/ folder with a packed app`,
      'the app has not been built and packed yet, or this is not the app project folder',
      `run \`npm run build\` in ${appDir} (now-sdk build, then now-sdk pack)`,
    )
  })
  const zips = await Promise.all(
    names.filter((n) => n.toLowerCase().endsWith('.zip')).map(async (n) => {
      const path = join(target, n)
      const info = await stat(path)
      return { path, mtime: info.mtimeMs, isFile: info.isFile() }
    }),
  )
  const newest = zips
    .filter((z) => z.isFile)
    .sort((a, b) => b.mtime - a.mtime || b.path.localeCompare(a.path))[0]
  if (!newest) {
    throw new AppPackageError(
      target,
      `${target} holds no .zip`,
      '`now-sdk build` ran but `now-sdk pack` did not (build does not create the zip)',
      `run \`npm run build\` in ${appDir}, or \`npx now-sdk pack\` there`,
    )
  }
  const updateSet = updateSetPathFor(newest.path)
  const hasUpdateSet = await stat(updateSet).then((s) => s.isFile(), () => false)
  return hasUpdateSet ? { zip: newest.path, updateSet } : { zip: newest.path }
}
