// Entry point of `npm run release -- <version>` (root package.json).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { runCli } from '@kandji-sn/app-package/cli'
import { systemGit } from './git.ts'
import { runRelease } from './run.ts'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) }

process.exitCode = await runRelease(process.argv.slice(2), {
  root,
  git: systemGit(root),
  build: () => spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' }).status === 0,
  validate: (zip) => runCli([zip], io),
  ...io,
  now: () => new Date(),
})
