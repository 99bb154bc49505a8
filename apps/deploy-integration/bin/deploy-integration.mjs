#!/usr/bin/env node
// Runs the esbuild bundle when it has been built (fast start, no TypeScript loader); otherwise the TypeScript source
// through tsx, so the command works right after `npm ci`.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const bundle = join(here, '..', 'dist', 'deploy-integration.mjs')
if (existsSync(bundle)) {
  await import(pathToFileURL(bundle).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(join(here, '..', 'src', 'main.ts')).href)
}
