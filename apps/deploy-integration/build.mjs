// Bundles the CLI for Node 20 into ESM: the entry dist/deploy-integration.mjs plus one chunk per lazily imported
// module group under dist/chunks/. Code splitting keeps each command's `import()` (src/commands/index.ts) a separate
// file, so `--help` loads only the entry and one command loads only its own code.
import { build } from 'esbuild'
import { chmod, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const outdir = join(here, 'dist')
const outfile = join(outdir, 'deploy-integration.mjs')

await rm(outdir, { recursive: true, force: true }) // no chunk of an earlier build stays behind
await build({
  entryPoints: { 'deploy-integration': join(here, 'src', 'main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // A CommonJS dependency inside an ESM bundle needs require() (esbuild puts the banner on every output file); the
  // shebang makes the entry executable.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
})
await chmod(outfile, 0o755)
console.log(`built ${outfile}`)
